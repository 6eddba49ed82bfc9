package setup_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/setup"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
	"github.com/motcua/motcua/sync/hub"
)

// realHub is a hub on loopback with one office.
func realHub(t *testing.T) (url string, st hub.Store) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := hub.OpenSQLite(ctx, filepath.Join(dir, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s, err := hub.NewServer(hub.Options{Store: st, Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	if err := st.CreateOffice(ctx, hub.Office{Code: "000.00.06.H56", Name: "UBND xã Tân Phú", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return srv.URL, st
}

// enrolWith is what the composition root does (app/sync_gui.go).
func enrolWith(st *store.Store) setup.EnrolFunc {
	return func(ctx context.Context, hubURL, token string) (setup.Enrolled, error) {
		cfg, err := client.Enrol(ctx, st, hubURL, token, "quầy 1", &http.Client{Timeout: 10 * time.Second})
		if err != nil {
			return setup.Enrolled{}, err
		}
		return setup.Enrolled{Office: cfg.Office, OfficeName: cfg.OfficeName, DeviceID: cfg.DeviceID}, nil
	}
}

func TestTheTechnicianEnrolsTheDeviceFromTheSetupScreen(t *testing.T) {
	test.NewTempApp(t)
	ctx := context.Background()
	hubURL, hst := realHub(t)
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(fyne.NewSize(1100, 900))
	var done *setup.SetupInput
	sc := setup.New(w, provision(st), func(in setup.SetupInput) { done = &in })
	sc.SetEnroller(enrolWith(st))
	sc.Tasks.Inline = true
	w.SetContent(sc.Content())
	// A portal page (something that is not the hub) answering 200.
	portal := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html>Đăng nhập Wi-Fi</html>"))
	}))
	defer portal.Close()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	good, err := hub.NewToken(ctx, hst, "000.00.06.H56", hub.RoleDevice, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	unknown := strings.Repeat("ABCDEF12-", 4) + "ABCDEF12"
	steps := []struct {
		name, url, token, field, msg string
	}{
		{"an empty form names both fields", "", "", "hub_url", "Chưa nhập địa chỉ máy chủ tỉnh."},
		{"an address without http is refused", "motcua.tinh.gov.vn", good, "hub_url", "Địa chỉ máy chủ phải bắt đầu bằng http:// hoặc https://."},
		{"a token cut when pasted is refused", hubURL, good[:20], "token", "Mã đăng ký gồm 40 chữ số và chữ A–F, chia nhóm bằng dấu gạch ngang; hãy dán lại đúng mã."},
		{"a server that is down is named", closed.URL, good, "hub_url", "Không kết nối được máy chủ tỉnh ở địa chỉ này; kiểm tra địa chỉ và mạng."},
		{"a Wi-Fi login page is not the hub", portal.URL, good, "hub_url", "Địa chỉ này không phải máy chủ tỉnh (có thể mạng đang đòi đăng nhập Wi-Fi)."},
		{"a token the hub does not know is refused", hubURL, unknown, "token", "Mã đăng ký không đúng, đã dùng hoặc đã hết hạn; xin kỹ thuật viên tỉnh cấp mã mới."},
	}
	for _, s := range steps {
		sc.Hub.HubURL.SetText("")
		sc.Hub.Token.SetText("")
		test.Type(sc.Hub.HubURL, s.url)
		test.Type(sc.Hub.Token, s.token)
		test.Tap(sc.Hub.Button)
		sc.Tasks.Wait()
		if got := sc.Fields[s.field].ErrorText(); got != s.msg {
			t.Fatalf("%s: %s shows %q, want %q", s.name, s.field, got, s.msg)
		}
		if cfg, _ := st.SyncConfig(ctx); cfg.Enrolled() {
			t.Fatalf("%s: device enrolled", s.name)
		}
	}
	// The right address and token (pasted with spaces and lower case).
	sc.Hub.HubURL.SetText(hubURL + "/")
	sc.Hub.Token.SetText(" " + strings.ToLower(good) + " ")
	test.Type(sc.AgencyID, "000.00.99.H56") // typed wrong before enrolling
	enter(sc.Hub.Token)
	sc.Tasks.Wait()
	for _, f := range []string{"hub_url", "token"} {
		if e := sc.Fields[f].ErrorText(); e != "" {
			t.Fatalf("%s still shows %q", f, e)
		}
	}
	if want := "Đã đăng ký với tỉnh: đơn vị 000.00.06.H56 – UBND xã Tân Phú. Mã định danh cơ quan đã được điền theo tỉnh."; sc.Hub.Status.Text != want {
		t.Fatalf("status %q", sc.Hub.Status.Text)
	}
	if sc.AgencyID.Text != "000.00.06.H56" || sc.AgencyName.Text != "UBND xã Tân Phú" || !sc.Hub.Token.Disabled() {
		t.Fatalf("after enrolment: id %q, name %q", sc.AgencyID.Text, sc.AgencyName.Text)
	}
	cfg, err := st.SyncConfig(ctx)
	if err != nil || !cfg.Enrolled() || cfg.Office != "000.00.06.H56" || cfg.HubURL != hubURL {
		t.Fatalf("sync config %+v, %v", cfg, err)
	}
	if d, err := hst.Device(ctx, cfg.DeviceID); err != nil || d.Office != "000.00.06.H56" || d.Name != "quầy 1" {
		t.Fatalf("hub device %+v, %v", d, err)
	}
	// The office id must stay the enrolled one.
	fillRest := func() {
		sc.Address.SetText("Ấp 1, xã Tân Phú")
		sc.ReturnPlace.SetText("Bộ phận Một cửa")
		sc.Login.SetText("lanh.dao")
		sc.FullName.SetText("Lê Văn Hùng")
		sc.Password.SetText("MatKhau-2026")
		sc.Password2.SetText("MatKhau-2026")
	}
	fillRest()
	sc.AgencyID.SetText("000.00.07.H56")
	test.Tap(sc.Submit)
	sc.Tasks.Wait()
	if done != nil || sc.Fields["agency_id"].ErrorText() != "Mã định danh phải trùng với đơn vị đã đăng ký với tỉnh." {
		t.Fatalf("another office id accepted: %q", sc.Fields["agency_id"].ErrorText())
	}
	sc.AgencyID.SetText("000.00.06.H56")
	test.Tap(sc.Submit)
	sc.Tasks.Wait()
	if done == nil {
		t.Fatalf("setup not done: %q", sc.Error.Text)
	}
	// The same token cannot enrol another device.
	st2, err := store.Open(ctx, filepath.Join(t.TempDir(), "db2"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if _, err := enrolWith(st2)(ctx, hubURL, good); err == nil {
		t.Fatal("a used token enrolled a second device")
	} else if fe, ok := setup.EnrolErrorField(err); !ok || fe.Key != "err.setup.token.bad" {
		t.Fatalf("used token: %v -> %+v", err, fe)
	}
}

func TestWithoutAnEnrollerTheSetupScreenHidesTheHubGroup(t *testing.T) {
	test.NewTempApp(t)
	w := test.NewWindow(nil)
	defer w.Close()
	sc := setup.New(w, setup.SetupFunc(func(context.Context, setup.SetupInput) error { return nil }), nil)
	w.SetContent(sc.Content())
	if sc.Hub.Shown() {
		t.Fatal("hub group shown without an enroller")
	}
	sc.SetEnroller(setup.EnrolFunc(func(context.Context, string, string) (setup.Enrolled, error) { return setup.Enrolled{}, nil }))
	if !sc.Hub.Shown() {
		t.Fatal("hub group hidden with an enroller")
	}
}
