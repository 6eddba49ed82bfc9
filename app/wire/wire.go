// Package wire builds motcua's services from a data directory: the store, the
// catalog, the calendar, accounts, reception and receipts. The GUI, the CLI
// and the GUI tests all start from Open, so every one of them runs the same
// real parts.
//
// It imports no Fyne code, so tests that use it need no display.
package wire

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/motcua/motcua/assets"
	"github.com/motcua/motcua/drivers/printer"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/preview"
	"github.com/motcua/motcua/internal/receipt"
	"github.com/motcua/motcua/internal/reception"
	"github.com/motcua/motcua/internal/store"
)

// Options change how Open builds the services; the zero value is production.
type Options struct {
	Now     func() time.Time // clock; nil = time.Now
	Logger  *slog.Logger
	Printer Printer      // nil = the system printer named in settings
	Params  *auth.Params // password hashing; nil = auth.DefaultParams
}

// Printer prints a PDF; drivers/printer.System implements it.
type Printer interface {
	PrintPDF(ctx context.Context, pdf []byte, copies int, title string) error
}

// Env is every service of one device, built over one data directory.
type Env struct {
	Dir       string
	Store     *store.Store
	Catalog   *catalog.Catalog
	Calendar  *calendar.Calendar
	Auth      *auth.Service
	Reception *reception.Service
	Lifecycle *reception.Lifecycle // steps after reception (issue 4)
	Receipts  *Receipts
	Now       func() time.Time
}

// DefaultDir is the per-user data directory of the operating system:
// %LOCALAPPDATA%\motcua on Windows, $XDG_DATA_HOME/motcua or
// ~/.local/share/motcua elsewhere.
func DefaultDir() (string, error) {
	if runtime.GOOS == "windows" {
		if d := os.Getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "motcua"), nil
		}
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "motcua"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("data directory: %w", err)
	}
	return filepath.Join(home, ".local", "share", "motcua"), nil
}

// DefaultCatalog parses the catalog embedded in the binary.
func DefaultCatalog() (*catalog.Catalog, error) {
	c, err := catalog.Parse(assets.MustRead("catalog/default.json"))
	if err != nil {
		return nil, fmt.Errorf("embedded catalog: %w", err)
	}
	return c, nil
}

// Open opens (creating if needed) the data directory dir and builds every
// service over it.
func Open(ctx context.Context, dir string, opt Options) (*Env, error) {
	now := opt.Now
	if now == nil {
		now = time.Now
	}
	preUpgrade, err := backupBeforeUpgrade(ctx, dir, now, opt.Logger) // upgrade.go
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, dir, store.Options{Now: now, Logger: opt.Logger})
	if err != nil {
		return nil, err
	}
	recordUpgradeBackup(ctx, st, preUpgrade, opt.Logger)
	env, err := build(ctx, dir, st, now, opt)
	if err != nil {
		st.Close()
		return nil, err
	}
	return env, nil
}

func build(ctx context.Context, dir string, st *store.Store, now func() time.Time, opt Options) (*Env, error) {
	cat, err := DefaultCatalog()
	if err != nil {
		return nil, err
	}
	set, err := st.Settings(ctx)
	if err != nil {
		return nil, err
	}
	hours := calendar.DefaultHours()
	if set.OfficeHours != "" {
		if h, err := calendar.ParseHours(set.OfficeHours); err == nil {
			hours = h
		}
	}
	cal := calendar.New(hours)
	if cat, err = syncedCatalogAndHolidays(ctx, st, cat, cal, opt.Logger); err != nil {
		return nil, err
	}
	as := &auth.Service{Store: st, Policy: auth.DefaultPolicy(), Now: now}
	if opt.Params != nil {
		as.Params = *opt.Params
	}
	pr := opt.Printer
	if pr == nil {
		pr = &printer.System{Printer: set.Printer}
	}
	return &Env{
		Dir:       dir,
		Store:     st,
		Catalog:   cat,
		Calendar:  cal,
		Auth:      as,
		Reception: &reception.Service{Repo: st, Catalog: cat, Calendar: cal, Now: now},
		Lifecycle: &reception.Lifecycle{Repo: st, Calendar: cal, Now: now},
		Receipts:  newReceipts(ctx, st, pr),
		Now:       now,
	}, nil
}

// Close closes the store.
func (e *Env) Close() error { return e.Store.Close() }

// Receipts makes, renders and prints receipts (form 01).
type Receipts struct {
	Store   *store.Store
	Printer Printer
	Thermal *ThermalReceipts // nil: receipts go to Printer as the A4 form
}

// ReceiptPDF makes the receipt of a saved dossier, its QR code signed with
// this device's key.
func (r *Receipts) ReceiptPDF(ctx context.Context, d *dossier.Dossier) ([]byte, error) {
	if d.Code.IsZero() {
		return nil, errors.New("receipt of an unsaved dossier")
	}
	set, err := r.Store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	key, err := r.Store.DeviceKey(ctx)
	if err != nil {
		return nil, err
	}
	qr, err := receipt.Sign(receipt.Payload{Code: d.Code.String(), ReceivedAt: d.ReceivedAt, DueAt: d.DueAt}, key)
	if err != nil {
		return nil, err
	}
	clerk := d.ReceivedBy
	if a, err := r.Store.Account(ctx, d.ReceivedBy); err == nil && a.FullName != "" {
		clerk = a.FullName
	}
	o := receipt.Office{AgencyName: set.AgencyName, ParentName: set.ParentName, AgencyID: set.AgencyID,
		Address: set.Address, Phone: set.Phone, ReturnPlace: set.ReturnPlace}
	pdf, err := receipt.Receipt(receipt.ReceiptData{
		Dossier:   d,
		Office:    o,
		ClerkName: clerk,
		QRPayload: qr,
	})
	if err == nil {
		r.Thermal.remember(pdf, ReceiptSlip(o, d, clerk, qr))
	}
	return pdf, err
}

// VerifyKeys returns the public keys this device trusts for receipt QR codes:
// its own for now; the hub's office keys arrive with sync.
func (r *Receipts) VerifyKeys(ctx context.Context) (map[string]ed25519.PublicKey, error) {
	key, err := r.Store.DeviceKey(ctx)
	if err != nil {
		return nil, err
	}
	pub := key.Public().(ed25519.PublicKey)
	return map[string]ed25519.PublicKey{receipt.KeyID(pub): pub}, nil
}

// PageCount counts the pages of a PDF.
func (r *Receipts) PageCount(pdf []byte) (int, error) { return preview.PageCount(pdf) }

// RenderPage renders one page (0-based) of a PDF.
func (r *Receipts) RenderPage(pdf []byte, page int, dpi float64) (image.Image, error) {
	return preview.RenderPage(pdf, page, dpi)
}

// Print sends the receipt to the printer; the PDF already holds both copies.
// With a thermal printer chosen for receipts, the short slip of a receipt
// this service made goes there instead (devices.go).
func (r *Receipts) Print(ctx context.Context, pdf []byte) error {
	if ok, err := r.Thermal.print(ctx, pdf); ok {
		return err
	}
	return r.Printer.PrintPDF(ctx, pdf, 1, "motcua")
}
