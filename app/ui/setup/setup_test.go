package setup_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/setup"
	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/store"
)

func TestMain(m *testing.M) {
	if err := widgets.SetLanguage("vi"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

var good = setup.Form{
	AgencyID: "000.00.06.h56", AgencyName: "UBND xã Tân Phú", ParentName: "UBND tỉnh Đồng Nai",
	Address: "Ấp 1, xã Tân Phú", Phone: "0251 3850 123", ReturnPlace: "Bộ phận Một cửa", Slot: "2",
	Login: " Lanh.Dao ", FullName: "Lê  Văn   Hùng", Password: "MatKhau-2026", Password2: "MatKhau-2026",
}

func TestCheck(t *testing.T) {
	for _, tt := range []struct {
		name  string
		edit  func(*setup.Form)
		field string // first error, "" for none
		key   string
	}{
		{"a complete form is accepted", func(*setup.Form) {}, "", ""},
		{"the agency id is required", func(f *setup.Form) { f.AgencyID = " " }, "agency_id", "err.setup.agency_id.required"},
		{"the agency id has dot-separated groups", func(f *setup.Form) { f.AgencyID = "000..06" }, "agency_id", "err.setup.agency_id.format"},
		{"the agency name is required", func(f *setup.Form) { f.AgencyName = "" }, "agency_name", "err.setup.agency_name.required"},
		{"the phone must be a Vietnamese number", func(f *setup.Form) { f.Phone = "12345" }, "phone", "err.setup.phone.format"},
		{"the phone may be empty", func(f *setup.Form) { f.Phone = "" }, "", ""},
		{"the slot is 1 to 9", func(f *setup.Form) { f.Slot = "0" }, "slot", "err.setup.slot.range"},
		{"the slot is a number", func(f *setup.Form) { f.Slot = "hai" }, "slot", "err.setup.slot.range"},
		{"the login has no spaces inside", func(f *setup.Form) { f.Login = "lanh dao" }, "login", "err.setup.login.format"},
		{"a short password is refused", func(f *setup.Form) { f.Password, f.Password2 = "abc", "abc" }, "password", "err.setup.password.weak"},
		{"the two passwords must match", func(f *setup.Form) { f.Password2 = "MatKhau-2025" }, "password2", "err.setup.password.mismatch"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := good
			tt.edit(&f)
			in, errs := setup.Check(f)
			if tt.field == "" {
				if len(errs) != 0 {
					t.Fatalf("errors %v", errs)
				}
				if in.AgencyID != "000.00.06.H56" || in.AdminLogin != "lanh.dao" || in.AdminFullName != "Lê Văn Hùng" || in.DeviceSlot != 2 {
					t.Fatalf("input %+v", in)
				}
				return
			}
			if len(errs) == 0 || errs[0].Field != tt.field || errs[0].Key != tt.key {
				t.Fatalf("errors %v, want first %s %s", errs, tt.field, tt.key)
			}
		})
	}
}

// provision is what the composition root does with a SetupInput, on the real
// store and auth service.
func provision(st *store.Store) setup.SetupFunc {
	return func(ctx context.Context, in setup.SetupInput) error {
		err := st.SaveSettings(ctx, store.Settings{AgencyID: in.AgencyID, AgencyName: in.AgencyName, ParentName: in.ParentName,
			Address: in.Address, Phone: in.Phone, ReturnPlace: in.ReturnPlace, DeviceSlot: in.DeviceSlot, Provisioned: true}, in.AdminLogin)
		if err != nil {
			return err
		}
		a := &auth.Service{Store: st}
		_, err = a.Create(ctx, in.AdminLogin, in.AdminFullName, auth.RoleLeader, in.AdminPassword)
		return err
	}
}

func TestSetupScreen(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(fyne.NewSize(1100, 800))
	var done *setup.SetupInput
	sc := setup.New(w, provision(st), func(in setup.SetupInput) { done = &in })
	sc.Tasks.Inline = true
	w.SetContent(sc.Content())

	test.Type(sc.AgencyID, "000.00.06.H_6")
	test.Type(sc.AgencyName, good.AgencyName)
	test.Type(sc.Address, good.Address)
	test.Type(sc.ReturnPlace, good.ReturnPlace)
	test.Type(sc.Login, "lanh.dao")
	test.Type(sc.FullName, "Lê Văn Hùng")
	test.Type(sc.Password, "MatKhau-2026")
	test.Type(sc.Password2, "MatKhau-2062")
	test.Tap(sc.Submit)
	sc.Tasks.Wait()
	if done != nil {
		t.Fatal("setup ran with errors")
	}
	if got := sc.Fields["agency_id"].ErrorText(); got != "Mã định danh gồm các nhóm chữ in hoa và số cách nhau bởi dấu chấm, ví dụ 000.00.06.H56." {
		t.Errorf("agency id error %q", got)
	}
	if got := sc.Fields["password2"].ErrorText(); got != "Hai lần nhập mật khẩu không giống nhau." {
		t.Errorf("password error %q", got)
	}
	if w.Canvas().Focused() != sc.AgencyID {
		t.Error("the first bad field should have the focus")
	}

	sc.AgencyID.SetText("000.00.06.H56")
	sc.Password2.SetText("")
	test.Type(sc.Password2, "MatKhau-2026")
	enter(sc.Password2)
	sc.Tasks.Wait()
	if done == nil {
		t.Fatalf("setup not done: %q", sc.Error.Text)
	}
	for name, f := range sc.Fields {
		if f.ErrorText() != "" {
			t.Errorf("%s still shows %q", name, f.ErrorText())
		}
	}
	acc, err := (&auth.Service{Store: st}).Login(ctx, "lanh.dao", "MatKhau-2026")
	if err != nil || acc.Role != auth.RoleLeader || acc.FullName != "Lê Văn Hùng" {
		t.Fatalf("leader account: %+v, %v", acc, err)
	}
	s, err := st.Settings(ctx)
	if err != nil || s.AgencyID != "000.00.06.H56" || s.AgencyName != "UBND xã Tân Phú" || s.DeviceSlot != 1 {
		t.Fatalf("settings %+v, %v", s, err)
	}
}

func TestSetupFailureIsShown(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewWindow(nil)
	defer w.Close()
	sc := setup.New(w, setup.SetupFunc(func(context.Context, setup.SetupInput) error { return os.ErrPermission }), nil)
	sc.Tasks.Inline = true
	w.SetContent(sc.Content())
	fill(sc)
	test.Tap(sc.Submit)
	sc.Tasks.Wait()
	if sc.Error.Text != "Không lưu được cài đặt; vui lòng thử lại." || sc.Submit.Disabled() {
		t.Fatalf("failure shown as %q", sc.Error.Text)
	}
}

func enter(e fyne.Focusable) { e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) }

func TestSetupErrorsNamingAFieldAreShownBesideIt(t *testing.T) {
	for _, tt := range []struct {
		err   error
		field string
	}{
		{setup.FieldError{Field: "slot", Key: "err.setup.slot.range"}, "slot"},
		{auth.ErrExists, "login"},
		{auth.ErrWeakPassword, "password"},
	} {
		test.NewTempApp(t)
		w := test.NewWindow(nil)
		err := tt.err
		sc := setup.New(w, setup.SetupFunc(func(context.Context, setup.SetupInput) error { return err }), nil)
		sc.Tasks.Inline = true
		w.SetContent(sc.Content())
		fill(sc)
		test.Tap(sc.Submit)
		if sc.Fields[tt.field].ErrorText() == "" || sc.Error.Text != "" {
			t.Errorf("%v: field %s shows %q, general %q", tt.err, tt.field, sc.Fields[tt.field].ErrorText(), sc.Error.Text)
		}
		w.Close()
	}
}

func fill(sc *setup.Screen) {
	f := good
	sc.AgencyID.SetText(f.AgencyID)
	sc.AgencyName.SetText(f.AgencyName)
	sc.Address.SetText(f.Address)
	sc.ReturnPlace.SetText(f.ReturnPlace)
	sc.Login.SetText(f.Login)
	sc.FullName.SetText(f.FullName)
	sc.Password.SetText(f.Password)
	sc.Password2.SetText(f.Password2)
}
