package reception_test

import (
	"context"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/reception"
	"github.com/motcua/motcua/internal/store"
)

var (
	clerk      = auth.Account{Login: "canbo", FullName: "Nguyễn Thị Hồng Nhung", Role: auth.RoleClerk}
	technician = auth.Account{Login: "kythuat", Role: auth.RoleTechnician}
)

type env struct {
	svc   *reception.Service
	store *store.Store
	now   time.Time
}

// newEnv builds the service on a real SQLite store in a temp dir, the
// embedded catalog and the working-day calendar, with the clock at now.
func newEnv(t *testing.T, now time.Time) *env {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(ctx, t.TempDir(), store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	set, err := st.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	set.AgencyID, set.AgencyName, set.DeviceSlot, set.Provisioned = "000.00.06.H56", "UBND phường Ba Đình", 3, true
	if err := st.SaveSettings(ctx, set, "test"); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile("../../assets/catalog/default.json")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	e := &env{store: st, now: now}
	e.svc = &reception.Service{Repo: st, Catalog: cat, Calendar: calendar.New(calendar.DefaultHours()),
		Now: func() time.Time { return e.now }}
	return e
}

func vn(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02T15:04", s, calendar.VN)
	if err != nil {
		panic(err)
	}
	return t
}

func birthDraft() reception.Draft {
	return reception.Draft{
		ProcedureCode: "1.001193", // Đăng ký khai sinh
		Applicant: dossier.Applicant{
			FullName:  "  nguyễn   thị hồng nhung ",
			IDNumber:  "001190012345",
			BirthDate: time.Date(1990, 5, 17, 0, 0, 0, 0, calendar.VN),
			Sex:       dossier.SexFemale,
			Address:   "Số 12 phố Đội Cấn, phường Ba Đình, Hà Nội",
			Phone:     "+84 912 345 678",
		},
		Papers: []dossier.Paper{
			{Name: "Tờ khai đăng ký khai sinh", Form: dossier.FormOriginal, Count: 1, Required: true},
			{Name: "Giấy chứng sinh", Form: dossier.FormOriginal, Count: 1, Required: true},
			{Name: "Giấy tờ không nộp", Form: dossier.FormCopy, Count: 0},
		},
		Sets: 1,
	}
}

func TestReceiveSavesTheDossierWithCodeFeeAndAppointment(t *testing.T) {
	e := newEnv(t, vn("2026-11-23T09:15")) // a Monday morning
	d, err := e.svc.Receive(context.Background(), clerk, birthDraft())
	if err != nil {
		t.Fatal(err)
	}
	if got, want := d.Code.String(), "000.00.06.H56-261123-3001"; got != want {
		t.Errorf("code = %s, want %s (slot 3, first of the day)", got, want)
	}
	if got, want := d.DueAt, vn("2026-11-23T17:00"); !got.Equal(want) {
		t.Errorf("due = %s, want %s (same-day rule before 15:00)", got, want)
	}
	saved, err := e.store.DossierByCode(context.Background(), d.Code.String())
	if err != nil {
		t.Fatal(err)
	}
	a := saved.Applicant
	if a.FullName != "Nguyễn Thị Hồng Nhung" || a.Phone != "0912345678" || a.IDNumber != "001190012345" {
		t.Errorf("applicant saved as %+v", a)
	}
	if len(saved.Papers) != 2 {
		t.Errorf("saved %d papers, want the 2 handed in: %+v", len(saved.Papers), saved.Papers)
	}
	if saved.ProcedureName != "Đăng ký khai sinh" || saved.CatalogVersion != "2025-07-01" || saved.Fee != 0 {
		t.Errorf("procedure fields: %q %q %d", saved.ProcedureName, saved.CatalogVersion, saved.Fee)
	}
	if saved.Status != dossier.StatusReceived || saved.ReceivedBy != "canbo" || saved.TrackingNo < 1 {
		t.Errorf("status %v by %q tracking %d", saved.Status, saved.ReceivedBy, saved.TrackingNo)
	}
}

func TestQuote(t *testing.T) {
	tests := []struct {
		name  string
		at    string
		code  string
		units int
		fee   int64
		due   string
	}{
		{"birth before 15:00 is due the same day", "2026-11-23T14:59", "1.001193", 0, 0, "2026-11-23T17:00"},
		{"birth at 15:00 is due the next working day", "2026-11-23T15:00", "1.001193", 0, 0, "2026-11-24T17:00"},
		{"friday afternoon rolls over the weekend", "2026-11-27T16:00", "1.001193", 0, 0, "2026-11-30T17:00"},
		{"copy certification is charged per page", "2026-11-23T09:00", "2.000815", 3, 0, "2026-11-23T17:00"},
		{"temporary residence takes 3 working days", "2026-11-23T09:00", "1.004194", 0, 15000, "2026-11-26T09:00"},
		{"residence confirmation takes 4 working hours", "2026-11-23T10:00", "1.010041", 0, 0, "2026-11-23T16:00"},
		{"a deadline spanning Tết skips the holiday", "2026-02-13T09:00", "1.004194", 0, 15000, "2026-02-25T09:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, vn(tt.at))
			d := birthDraft()
			d.ProcedureCode, d.FeeUnits = tt.code, tt.units
			q, err := e.svc.Quote(d)
			if err != nil {
				t.Fatal(err)
			}
			want := tt.fee
			if tt.code == "2.000815" {
				want = q.Procedure.Fee.Compute(3)
				if want <= q.Procedure.Fee.Compute(1) {
					t.Fatalf("per-page fee did not grow with pages: %d", want)
				}
			}
			if q.Fee != want {
				t.Errorf("fee = %d, want %d", q.Fee, want)
			}
			if !q.DueAt.Equal(vn(tt.due)) {
				t.Errorf("due = %s, want %s", q.DueAt.Format("2006-01-02T15:04"), tt.due)
			}
		})
	}
}

func TestValidateNamesEveryBadField(t *testing.T) {
	tests := []struct {
		name   string
		change func(*reception.Draft)
		key    string
	}{
		{"unknown procedure", func(d *reception.Draft) { d.ProcedureCode = "9.999999" }, "err.procedure.required"},
		{"empty name", func(d *reception.Draft) { d.Applicant.FullName = " " }, "err.name.required"},
		{"digits in name", func(d *reception.Draft) { d.Applicant.FullName = "Nguyễn Văn 2" }, "err.name.chars"},
		{"ID of 11 digits", func(d *reception.Draft) { d.Applicant.IDNumber = "00119001234" }, "err.id_number.format"},
		{"ID of an unknown province", func(d *reception.Draft) { d.Applicant.IDNumber = "099190012345" }, "err.id_number.province"},
		{"ID with another birth year", func(d *reception.Draft) { d.Applicant.IDNumber = "001191012345" }, "err.id_number.birth_year"},
		{"ID of a man for a woman", func(d *reception.Draft) { d.Applicant.IDNumber = "001090012345" }, "err.id_number.sex"},
		{"birth date in the future", func(d *reception.Draft) { d.Applicant.BirthDate = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC) }, "err.birth_date.future"},
		{"no address", func(d *reception.Draft) { d.Applicant.Address = "" }, "err.address.required"},
		{"bad phone", func(d *reception.Draft) { d.Applicant.Phone = "12345" }, "err.phone.format"},
		{"bad email", func(d *reception.Draft) { d.Applicant.Email = "nhung@" }, "err.email.format"},
		{"no paper handed in", func(d *reception.Draft) { d.Papers = d.Papers[2:] }, "err.papers.none"},
		{"no sets", func(d *reception.Draft) { d.Sets = 0 }, "err.sets.min"},
		{"post without address", func(d *reception.Draft) { d.ReturnMethod = dossier.ReturnByPost }, "err.return_address.required"},
	}
	e := newEnv(t, vn("2026-11-23T09:00"))
	if v := e.svc.Validate(birthDraft()); v != nil {
		t.Fatalf("the good draft is refused: %v", v)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := birthDraft()
			tt.change(&d)
			v := e.svc.Validate(d)
			found := false
			for _, f := range v {
				found = found || f.Key == tt.key
			}
			if !found {
				t.Fatalf("Validate = %v, want key %s", v, tt.key)
			}
			if _, err := e.svc.Receive(context.Background(), clerk, d); !errors.As(err, new(reception.ValidationError)) {
				t.Fatalf("Receive error = %v, want a ValidationError", err)
			}
		})
	}
	if n, err := e.store.Count(context.Background(), dossier.Query{}); err != nil || n != 0 {
		t.Fatalf("invalid drafts saved %d dossiers (%v)", n, err)
	}
}

func TestOnlyRolesThatMayReceiveCanSave(t *testing.T) {
	e := newEnv(t, vn("2026-11-23T09:00"))
	_, err := e.svc.Receive(context.Background(), technician, birthDraft())
	if !errors.Is(err, reception.ErrNotAllowed) {
		t.Fatalf("technician: err = %v, want ErrNotAllowed", err)
	}
	if n, _ := e.store.Count(context.Background(), dossier.Query{}); n != 0 {
		t.Fatalf("a refused receive saved %d dossiers", n)
	}
}

func TestProceduresIgnoreCaseAndDiacritics(t *testing.T) {
	e := newEnv(t, vn("2026-11-23T09:00"))
	for _, q := range []string{"đăng ký khai sinh", "DANG KY KHAI SINH", "dang ky khai sinh"} {
		ps := e.svc.Procedures(q)
		if len(ps) == 0 || ps[0].Name != "Đăng ký khai sinh" {
			t.Errorf("Procedures(%q) first = %v", q, ps)
		}
	}
}

func TestADossierKeepsTheCatalogVersionItWasReceivedUnder(t *testing.T) {
	e := newEnv(t, vn("2025-01-06T09:00")) // before the 2025-01-10 version of Đăng ký thường trú
	d := birthDraft()
	d.ProcedureCode = "1.004222"
	saved, err := e.svc.Receive(context.Background(), clerk, d)
	if err != nil {
		t.Fatal(err)
	}
	if saved.CatalogVersion != "2024-01-01" {
		t.Fatalf("version = %q, want the one in force on the day: 2024-01-01", saved.CatalogVersion)
	}
}
