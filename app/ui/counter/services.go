package counter

import (
	"context"

	"github.com/motcua/motcua/app/ui/devices"
	"github.com/motcua/motcua/app/ui/technician"
	"image"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/reception"
)

// Reception is what the reception wizard needs; *reception.Service
// implements it.
type Reception interface {
	Procedures(query string) []catalog.Procedure
	PapersFor(procedureCode string) []dossier.Paper
	Quote(d reception.Draft) (reception.Quote, error)
	Validate(d reception.Draft) reception.ValidationError
	Receive(ctx context.Context, actor auth.Account, d reception.Draft) (*dossier.Dossier, error)
}

// Dossiers reads dossiers for the list and the detail view; *store.Store
// implements it.
type Dossiers interface {
	List(ctx context.Context, q dossier.Query) (dossier.Page, error)
	Count(ctx context.Context, q dossier.Query) (int, error)
	// CountUpTo counts at most limit matches; more reports that there are
	// others (the list then says "more than limit").
	CountUpTo(ctx context.Context, q dossier.Query, limit int) (n int, more bool, err error)
	Dossier(ctx context.Context, id int64) (*dossier.Dossier, error)
	History(ctx context.Context, id int64) ([]dossier.Event, error)
}

// Receipts makes, shows and prints the receipt (form 01). The composition
// root assembles it from internal/receipt, internal/preview and the printer
// driver.
type Receipts interface {
	// ReceiptPDF renders the receipt of a saved dossier, both copies.
	ReceiptPDF(ctx context.Context, d *dossier.Dossier) ([]byte, error)
	PageCount(pdf []byte) (int, error)
	RenderPage(pdf []byte, page int, dpi float64) (image.Image, error)
	Print(ctx context.Context, pdf []byte) error
}

// Authenticator checks a login and password; *auth.Service implements it.
type Authenticator interface {
	Login(ctx context.Context, login, password string) (auth.Account, error)
}

// Office is what the status line shows about the office.
type Office struct {
	AgencyID string // e.g. 000.00.06.H56
	Name     string
}

// Services gathers the counter's dependencies.
type Services struct {
	Reception Reception
	Dossiers  Dossiers
	Receipts  Receipts
	Auth      Authenticator
	Office    Office
	// Lifecycle takes the steps after reception from the detail view
	// (lifecycle.go); nil shows no step buttons.
	Lifecycle Lifecycle
	// Reports feed the leader's home screen and the exports (home.go); nil
	// shows no home tab.
	Reports Reports
	// Forms renders forms 02, 03, 04 and 06 (lifecycle.go); nil offers no
	// form to print.
	Forms Forms
	// Devices: card reader, scanner, file import (devices.go); nil = none.
	Devices *Devices
	// DeviceAdmin runs the technician's devices tab (devices_tab.go); nil
	// shows no such tab.
	DeviceAdmin devices.Service
	// Technician runs the backup and provisioning tab (technician_tab.go);
	// nil shows no such tab.
	Technician technician.Service
	// Link reads the link to the hub for the status line (sync_status.go);
	// nil shows no link indicator.
	Link LinkSource
	// Queue calls the kiosk's queue numbers to this counter (queue.go); nil
	// shows no queue page.
	Queue QueueService
}

// ReceiptFuncs adapts four functions to Receipts, so the composition root can
// pass the receipt, preview and printer packages' functions directly.
type ReceiptFuncs struct {
	PDF    func(ctx context.Context, d *dossier.Dossier) ([]byte, error)
	Pages  func(pdf []byte) (int, error)
	Render func(pdf []byte, page int, dpi float64) (image.Image, error)
	Send   func(ctx context.Context, pdf []byte) error
}

var _ Receipts = ReceiptFuncs{}

func (f ReceiptFuncs) ReceiptPDF(ctx context.Context, d *dossier.Dossier) ([]byte, error) {
	return f.PDF(ctx, d)
}
func (f ReceiptFuncs) PageCount(pdf []byte) (int, error) { return f.Pages(pdf) }
func (f ReceiptFuncs) RenderPage(pdf []byte, page int, dpi float64) (image.Image, error) {
	return f.Render(pdf, page, dpi)
}
func (f ReceiptFuncs) Print(ctx context.Context, pdf []byte) error { return f.Send(ctx, pdf) }
