// Package uitest builds the real parts of motcua for GUI tests: a store on a
// temporary directory, the default catalog, the working-day calendar, the
// reception and auth services, and receipts rendered by internal/receipt and
// internal/preview. Only printing is replaced: Print writes the PDF to a
// file in the test's temporary directory. Time comes from a Clock the test
// moves by hand.
package uitest

import (
	"context"

	"fmt"
	"image"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/app/ui/counter"
	"github.com/motcua/motcua/assets"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/preview"
	"github.com/motcua/motcua/internal/receipt"
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

// Env is a set of real services for one test.
type Env struct {
	Dir       string
	Clock     *Clock
	Store     *store.Store
	Catalog   *catalog.Catalog
	Calendar  *calendar.Calendar
	Reception *reception.Service
	Auth      *auth.Service
	Clerk     auth.Account
	Receipts  counter.ReceiptFuncs
	// Printed lists the files Print wrote, in order.
	Printed []string
	// PrintErr, when set, makes Print fail (no printer).
	PrintErr error

	mu sync.Mutex
}

// NewEnv opens a fresh store in t.TempDir, provisions it and creates the
// clerk account. Everything is closed when the test ends.
func NewEnv(t testing.TB) *Env {
	t.Helper()
	ctx := context.Background()
	e := &Env{Dir: t.TempDir(), Clock: &Clock{t: Start}}
	st, err := store.Open(ctx, filepath.Join(e.Dir, "db"), store.Options{Now: e.Clock.Now})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	e.Store = st
	if err := st.SaveSettings(ctx, Office, "setup"); err != nil {
		t.Fatalf("settings: %v", err)
	}
	cat, err := catalog.Parse(assets.MustRead("catalog/default.json"))
	if err != nil {
		t.Fatalf("catalog: %v", err)
	}
	e.Catalog = cat
	e.Calendar = calendar.New(calendar.DefaultHours())
	e.Reception = &reception.Service{Repo: st, Catalog: cat, Calendar: e.Calendar, Now: e.Clock.Now}
	e.Auth = &auth.Service{Store: st, Now: e.Clock.Now,
		Params: auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	e.Clerk, err = e.Auth.Create(ctx, ClerkLogin, ClerkName, auth.RoleClerk, ClerkPassword)
	if err != nil {
		t.Fatalf("create clerk: %v", err)
	}
	e.Receipts = counter.ReceiptFuncs{
		PDF: func(ctx context.Context, d *dossier.Dossier) ([]byte, error) {
			// as the composition root does: the QR code signed with the device key
			key, err := st.DeviceKey(ctx)
			if err != nil {
				return nil, err
			}
			qr, err := receipt.Sign(receipt.Payload{Code: d.Code.String(), ReceivedAt: d.ReceivedAt, DueAt: d.DueAt}, key)
			if err != nil {
				return nil, err
			}
			return receipt.Receipt(receipt.ReceiptData{Dossier: d, ClerkName: ClerkName, QRPayload: qr, Office: receipt.Office{
				AgencyName: Office.AgencyName, ParentName: Office.ParentName, AgencyID: Office.AgencyID,
				Address: Office.Address, Phone: Office.Phone, ReturnPlace: Office.ReturnPlace}})
		},
		Pages: preview.PageCount,
		Render: func(pdf []byte, page int, dpi float64) (image.Image, error) {
			return preview.RenderPage(pdf, page, dpi)
		},
		Send: e.print,
	}
	return e
}

func (e *Env) print(ctx context.Context, pdf []byte) error {
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
	}
}

var _ auth.AccountStore = (*store.Store)(nil)

// The real services satisfy the counter's interfaces.
var (
	_ counter.Reception     = (*reception.Service)(nil)
	_ counter.Dossiers      = (*store.Store)(nil)
	_ counter.Authenticator = (*auth.Service)(nil)
)
