package kiosk_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/kiosk"
	"github.com/motcua/motcua/app/ui/uitest"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	journey "github.com/motcua/motcua/internal/kiosk"
	"github.com/motcua/motcua/internal/receipt"
)

type rig struct {
	env   *uitest.Env
	w     fyne.Window
	k     *kiosk.Kiosk
	m     *journey.Machine
	pr    *ticketPrinter
	ready *dossier.Dossier
	exits int
}

const pin = "246810"

// open builds the kiosk on the real services of a fresh Env, in a window of
// the given orientation's size.
func open(t *testing.T, orientation string) *rig {
	t.Helper()
	test.NewTempApp(t)
	env := uitest.NewEnv(t)
	ctx := context.Background()
	r := &rig{env: env, pr: &ticketPrinter{}}
	r.ready = seed(t, env, "Nguyễn Văn An", "001090012345", "0912345678", dossier.StatusDone)
	svc, _, err := env.Kiosk(ctx)
	if err != nil {
		t.Fatal(err)
	}
	hash, err := auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}.Hash(pin)
	if err != nil {
		t.Fatal(err)
	}
	r.m = journey.NewMachine(svc, uitest.Office.AgencyID, env.Clock.Now)
	r.m.Printer = r.pr
	r.m.PIN = &journey.PINGate{Hash: hash, Verify: auth.VerifyPassword, Now: env.Clock.Now}
	r.w = test.NewWindow(nil)
	t.Cleanup(r.w.Close)
	size := fyne.NewSize(1920, 1080)
	if orientation == kiosk.Portrait {
		size = fyne.NewSize(1080, 1920)
	}
	r.w.Resize(size)
	r.k = kiosk.New(r.w, svc, r.m, kiosk.Options{Now: env.Clock.Now, Orientation: orientation,
		OnExit: func() { r.exits++ }})
	r.k.Tasks.Inline = true
	r.w.SetContent(r.k.Content())
	return r
}

func seed(t *testing.T, env *uitest.Env, name, id, phone string, st dossier.Status) *dossier.Dossier {
	t.Helper()
	d := &dossier.Dossier{
		ProcedureCode: "1.001193", ProcedureName: "Đăng ký khai sinh", CatalogVersion: "2025-07-01",
		Applicant: dossier.Applicant{FullName: name, IDNumber: id, Phone: phone, Address: "Số 12 phố Đội Cấn"},
		Papers:    []dossier.Paper{{Name: "Tờ khai", Form: dossier.FormOriginal, Count: 1, Required: true}},
		Sets:      1, ProcessingTime: "Trong ngày", Status: st, DueAt: env.Clock.Now().Add(8 * time.Hour),
	}
	if err := env.Store.Receive(context.Background(), d, uitest.ClerkLogin); err != nil {
		t.Fatal(err)
	}
	return d
}

func (r *rig) qr(t *testing.T, d *dossier.Dossier) string {
	t.Helper()
	key, err := r.env.Store.DeviceKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	s, err := receipt.Sign(receipt.Payload{Code: d.Code.String(), ReceivedAt: d.ReceivedAt, DueAt: d.DueAt}, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// tap taps the button named id on the screen shown.
func (r *rig) tap(t *testing.T, id string) {
	t.Helper()
	b, ok := r.k.Buttons[id]
	if !ok {
		t.Fatalf("no button %q on %v (have %v)", id, r.m.State().Step, keys(r.k.Buttons))
	}
	test.Tap(b)
	r.k.Wait()
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// typeKeypad taps the keypad's digits.
func (r *rig) typeKeypad(t *testing.T, digits string) {
	t.Helper()
	for _, d := range digits {
		r.tap(t, "key"+string(d))
	}
}

// scan types s into the window as a keyboard-wedge scanner does, then Enter.
func (r *rig) scan(s string) {
	test.TypeOnCanvas(r.w.Canvas(), s)
	r.w.Canvas().OnTypedKey()(&fyne.KeyEvent{Name: fyne.KeyReturn})
	r.k.Wait()
}

func (r *rig) shows(s string) bool {
	for _, x := range r.k.Texts {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

func (r *rig) step() journey.Step { return r.m.State().Step }

type ticketPrinter struct {
	n   int
	err error
}

func (p *ticketPrinter) PrintTicket(context.Context, journey.Office, journey.Ticket) error {
	if p.err != nil {
		return p.err
	}
	p.n++
	return nil
}

func shortCode(d *dossier.Dossier) string {
	s := d.Code.String()
	a := len(uitest.Office.AgencyID)
	return s[a+1:a+7] + s[a+8:]
}
