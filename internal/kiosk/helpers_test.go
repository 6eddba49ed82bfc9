package kiosk_test

import (
	"context"
	"crypto/ed25519"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/kiosk"
	"github.com/motcua/motcua/internal/receipt"
	"github.com/motcua/motcua/internal/store"
)

var vn = time.FixedZone("ICT", 7*3600)

// start: Monday 23/11/2026 09:00 in Vietnam.
var start = time.Date(2026, 11, 23, 9, 0, 0, 0, vn)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is the real composition (app/wire) over a temp directory, provisioned
// as an office, with a few dossiers.
type env struct {
	*wire.Env
	clock *clock
	svc   *kiosk.Service
	t     testing.TB
	// the seeded dossiers
	ready, supplement, noContact *dossier.Dossier
}

const agency = "000.00.06.H56"

func newEnv(t testing.TB) *env {
	t.Helper()
	ctx := context.Background()
	c := &clock{t: start}
	e, err := wire.Open(ctx, filepath.Join(t.TempDir(), "data"), wire.Options{
		Now:    c.Now,
		Params: &auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	if err := e.Store.SaveSettings(ctx, store.Settings{
		AgencyID: agency, AgencyName: "UBND xã Tân Phú", Address: "Ấp 1, xã Tân Phú",
		Phone: "0251 3850 123", ReturnPlace: "Bộ phận Một cửa UBND xã Tân Phú", DeviceSlot: 1, Provisioned: true,
	}, "setup"); err != nil {
		t.Fatal(err)
	}
	en := &env{Env: e, clock: c, t: t}
	en.ready = en.seed(t, "Nguyễn Văn An", "001090012345", "0912345678", dossier.StatusDone)
	en.supplement = en.seed(t, "Trần Thị Bích Ngọc", "079185004321", "0987650001", dossier.StatusSupplement)
	en.noContact = en.seed(t, "Lê Văn Ba", "", "", dossier.StatusReceived)
	en.svc, _, err = e.Kiosk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return en
}

func (e *env) seed(t testing.TB, name, id, phone string, st dossier.Status) *dossier.Dossier {
	t.Helper()
	d := &dossier.Dossier{
		ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", CatalogVersion: "2025-07-01",
		Applicant: dossier.Applicant{FullName: name, IDNumber: id, Phone: phone, Address: "Số 12 phố Đội Cấn"},
		Papers:    []dossier.Paper{{Name: "Tờ khai", Form: dossier.FormOriginal, Count: 1, Required: true}},
		Sets:      1, ProcessingTime: "Trong ngày", Status: st,
		DueAt: e.clock.Now().Add(8 * time.Hour),
	}
	if err := e.Store.Receive(context.Background(), d, "canbo"); err != nil {
		t.Fatal(err)
	}
	return d
}

// qr signs the receipt QR of d with this device's key.
func (e *env) qr(t testing.TB, d *dossier.Dossier) string {
	if t == nil {
		t = e.t
	}
	t.Helper()
	key, err := e.Store.DeviceKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return sign(t, d, key)
}

func sign(t testing.TB, d *dossier.Dossier, key ed25519.PrivateKey) string {
	t.Helper()
	s, err := receipt.Sign(receipt.Payload{Code: d.Code.String(), ReceivedAt: d.ReceivedAt, DueAt: d.DueAt}, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// printer records tickets; err makes it fail like a missing printer.
type printer struct {
	mu      sync.Mutex
	tickets []kiosk.Ticket
	err     error
}

func (p *printer) PrintTicket(_ context.Context, _ kiosk.Office, t kiosk.Ticket) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	p.tickets = append(p.tickets, t)
	return nil
}

func (e *env) machine(p kiosk.TicketPrinter) *kiosk.Machine {
	m := kiosk.NewMachine(e.svc, agency, e.clock.Now)
	m.Printer = p
	return m
}

func typeDigits(m *kiosk.Machine, s string) {
	for _, r := range s {
		m.Key(r)
	}
}

// shortCode is the 10 digits a citizen types for d's code.
func shortCode(d *dossier.Dossier) string {
	s := d.Code.String()
	return s[len(agency)+1:len(agency)+7] + s[len(agency)+8:]
}
