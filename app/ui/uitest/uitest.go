// Package uitest builds the real parts of motcua for GUI tests, exactly as the
// application does (app/wire): a store on a temporary directory, the default
// catalog, the working-day calendar, the reception and auth services, and
// receipts rendered by internal/receipt and internal/preview with the QR
// signed by the device key. Only printing is replaced: Print writes the PDF
// to a file in the test's temporary directory. Time comes from a Clock the
// test moves by hand.
package uitest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/app/ui/counter"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/reception"
	"github.com/motcua/motcua/internal/store"
)

// Clock is a settable clock, safe for concurrent use.
type Clock struct {
	mu sync.Mutex
	t  time.Time
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Set moves the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// VN is Vietnam's time zone.
var VN = time.FixedZone("ICT", 7*3600)

// Start is when every Env's clock starts: Monday 23/11/2026 09:00, a
// working morning.
var Start = time.Date(2026, 11, 23, 9, 0, 0, 0, VN)

// The office every Env is provisioned as.
var Office = store.Settings{
	AgencyID:    "000.00.06.H56",
	AgencyName:  "UBND xã Tân Phú",
	ParentName:  "UBND tỉnh Đồng Nai",
	Address:     "Ấp 1, xã Tân Phú, tỉnh Đồng Nai",
	Phone:       "0251 3850 123",
	ReturnPlace: "Bộ phận Một cửa UBND xã Tân Phú",
	DeviceSlot:  1,
	Provisioned: true,
}

// Clerk's login and password, created in every Env.
const (
	ClerkLogin    = "nhung.tran"
	ClerkName     = "Trần Thị Nhung"
	ClerkPassword = "MatKhau-2026"
)

// Env is a set of real services for one test: the production composition
// (app/wire) over a temp data directory, with a settable clock and a printer
// that writes each job to a file.
type Env struct {
	*wire.Env
	Clock *Clock
	Clerk auth.Account
	// Printed lists the files Print wrote, in order.
	Printed []string
	// PrintErr, when set, makes Print fail (no printer).
	PrintErr error

	mu sync.Mutex
}

// NewEnv opens a fresh data directory in t.TempDir, provisions it and
// creates the clerk account. Everything is closed when the test ends.
func NewEnv(t testing.TB) *Env {
	t.Helper()
	ctx := context.Background()
	e := &Env{Clock: &Clock{t: Start}}
	env, err := wire.Open(ctx, filepath.Join(t.TempDir(), "data"), wire.Options{
		Now:     e.Clock.Now,
		Printer: printerFunc(e.print),
		Params:  &auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
	})
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { env.Close() })
	e.Env = env
	if err := env.Store.SaveSettings(ctx, Office, "setup"); err != nil {
		t.Fatalf("settings: %v", err)
	}
	e.Clerk, err = e.Auth.Create(ctx, ClerkLogin, ClerkName, auth.RoleClerk, ClerkPassword)
	if err != nil {
		t.Fatalf("create clerk: %v", err)
	}
	return e
}

// printerFunc adapts a function to wire.Printer.
type printerFunc func(ctx context.Context, pdf []byte) error

func (f printerFunc) PrintPDF(ctx context.Context, pdf []byte, _ int, _ string) error {
	return f(ctx, pdf)
}

func (e *Env) print(_ context.Context, pdf []byte) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.PrintErr != nil {
		return e.PrintErr
	}
	name := filepath.Join(e.Dir, fmt.Sprintf("printed-%d.pdf", len(e.Printed)+1))
	if err := os.WriteFile(name, pdf, 0o600); err != nil {
		return err
	}
	e.Printed = append(e.Printed, name)
	return nil
}

// PrintedFiles returns the files printed so far.
func (e *Env) PrintedFiles() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return append([]string(nil), e.Printed...)
}

// Services are the counter's services built on this Env.
func (e *Env) Services() counter.Services {
	return counter.Services{
		Reception: e.Reception,
		Dossiers:  e.Store,
		Receipts:  e.Receipts,
		Auth:      e.Auth,
		Office:    counter.Office{AgencyID: Office.AgencyID, Name: Office.AgencyName},
		Lifecycle: e.Lifecycle,
		Reports:   e.NewReports(),
		Forms:     e.NewForms(),
	}
}

var _ auth.AccountStore = (*store.Store)(nil)

// The real services satisfy the counter's interfaces.
var (
	_ counter.Reception     = (*reception.Service)(nil)
	_ counter.Dossiers      = (*store.Store)(nil)
	_ counter.Authenticator = (*auth.Service)(nil)
	_ counter.Receipts      = (*wire.Receipts)(nil)
)
