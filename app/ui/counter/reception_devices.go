package counter

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/drivers/idcard"
	"github.com/motcua/motcua/internal/dossier"
)

// CardReadTimeout bounds how long "Đọc thẻ" waits for a card.
const CardReadTimeout = 60 * time.Second

// receptionDevices is the reception screen's device state: the card bar of
// step 2, the keyboard-wedge detectors of its fields, and the paper actions.
type receptionDevices struct {
	devices *Devices
	now     func() time.Time

	ReadCard   *widget.Button
	CardStatus *widget.Label
	bar        *fyne.Container
	cancel     context.CancelFunc
	wedges     map[*widgets.Entry]*idcard.Wedge
	review     *PageReview // the open page review, nil when none
}

func (r *ReceptionScreen) devs() *receptionDevices {
	if r.dev == nil {
		r.dev = &receptionDevices{now: time.Now, wedges: map[*widgets.Entry]*idcard.Wedge{}}
	}
	return r.dev
}

// SetDevices gives the screen its devices (nil: none); call it on the UI
// goroutine before the screen is shown.
func (r *ReceptionScreen) SetDevices(d *Devices) {
	r.devs().devices = d
	if r.dev.ReadCard != nil {
		if d != nil && d.Cards != nil {
			r.dev.ReadCard.Show()
		} else {
			r.dev.ReadCard.Hide()
		}
	}
	r.rebuildPapers()
}

// SetWedgeClock replaces the clock of the keyboard-wedge detectors (tests).
func (r *ReceptionScreen) SetWedgeClock(now func() time.Time) {
	r.devs().now = now
	for _, w := range r.dev.wedges {
		w.Now = now
	}
}

// ReadCardButton is the "Đọc thẻ" button, for tests.
func (r *ReceptionScreen) ReadCardButton() *widget.Button { return r.devs().ReadCard }

// CardStatus is the label telling the outcome of the last card read.
func (r *ReceptionScreen) CardStatus() *widget.Label { return r.devs().CardStatus }

// cardBar is the row above the applicant fields: "Đọc thẻ" and its status.
func (r *ReceptionScreen) cardBar() fyne.CanvasObject {
	d := r.devs()
	d.CardStatus = widget.NewLabel(lang.L("devices.card.hint"))
	d.CardStatus.Wrapping = fyne.TextWrapWord
	d.ReadCard = widget.NewButtonWithIcon(lang.L("devices.card.read"), theme.AccountIcon(), widgets.Act(r.readCard))
	if d.devices == nil || d.devices.Cards == nil {
		d.ReadCard.Hide()
	}
	d.bar = container.NewBorder(nil, nil, d.ReadCard, nil, d.CardStatus)
	return d.bar
}

// readCard waits for a card on the reader; tapping again cancels.
func (r *ReceptionScreen) readCard() {
	d := r.devs()
	if d.devices == nil || d.devices.Cards == nil {
		return
	}
	if d.cancel != nil {
		d.cancel()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), CardReadTimeout)
	d.cancel = cancel
	d.ReadCard.SetText(lang.L("devices.card.cancel"))
	d.CardStatus.SetText(lang.L("devices.card.waiting"))
	cards := d.devices.Cards
	r.tasks.Go(func() {
		a, err := cards.ReadCard(ctx)
		fyne.Do(func() {
			cancel()
			d.cancel = nil
			d.ReadCard.SetText(lang.L("devices.card.read"))
			switch {
			case err == nil:
				r.fillFromCard(a)
			case errors.Is(err, context.Canceled):
				d.CardStatus.SetText(lang.L("devices.card.hint"))
			case errors.Is(err, context.DeadlineExceeded):
				d.CardStatus.SetText(lang.L("devices.card.timeout"))
			default:
				d.CardStatus.SetText(CardError(err))
			}
		})
	})
}

func (r *ReceptionScreen) fillFromCard(a dossier.Applicant) {
	r.FillApplicant(a)
	r.devs().CardStatus.SetText(lang.L("devices.card.filled"))
	r.focus(r.Phone)
}

// CardError is the clerk's words for a failed card read.
func CardError(err error) string {
	var fe *idcard.FieldError
	if errors.As(err, &fe) {
		return lang.L("devices.card.invalid", map[string]any{"Field": lang.L("devices.field." + fe.Field)})
	}
	return lang.L("devices.card.failed")
}

// watchWedge follows entry e for a keyboard-wedge scanner: a fast burst that
// ends with Enter and parses as a card fills the applicant fields instead of
// landing in e; otherwise Enter runs submit.
func (r *ReceptionScreen) watchWedge(e *widgets.Entry, submit func(string)) {
	d := r.devs()
	w := idcard.NewWedge(func() time.Time { return d.now() })
	d.wedges[e] = w
	changed := e.OnChanged
	e.OnChanged = func(s string) {
		w.Changed(s)
		if changed != nil {
			changed(s)
		}
	}
	e.OnSubmitted = func(s string) {
		res := w.Submitted(s)
		switch res.Kind {
		case idcard.WedgePending:
			return
		case idcard.WedgeCard:
			e.SetText(res.Restore)
			r.fillFromCard(res.Identity.Applicant())
		case idcard.WedgeInvalid:
			e.SetText(res.Restore)
			d.CardStatus.SetText(CardError(res.Err))
		default:
			submit(s)
		}
	}
}

// ---- papers: scan and import

// paperDevices adds "Quét" and "Nhập tệp" to paper row i and the digitised
// mark when the paper has files.
func (r *ReceptionScreen) paperDevices(i int, row *PaperRow, right *fyne.Container) {
	d := r.devs()
	row.Scanned = widget.NewLabel(scannedText(r.Wizard.Papers[i].Paper.Files, 0, nil))
	right.Objects = append([]fyne.CanvasObject{row.Scanned}, right.Objects...)
	if d.devices == nil || d.devices.Files == nil {
		return
	}
	if d.devices.Scanner != nil {
		row.Scan = widget.NewButtonWithIcon(lang.L("devices.scan"), theme.DocumentCreateIcon(), widgets.Act(func() { r.ScanPaper(i) }))
		right.Add(row.Scan)
	}
	if d.devices.Importer != nil {
		row.Import = widget.NewButtonWithIcon(lang.L("devices.import"), theme.FolderOpenIcon(), widgets.Act(func() { r.pickImport(i) }))
		right.Add(row.Import)
	}
}

func scannedText(files []string, pages int, blank []int) string {
	if len(files) == 0 {
		return ""
	}
	s := lang.L("devices.digitised")
	if pages > 0 {
		s = lang.L("devices.digitised.pages", map[string]any{"Pages": pages})
	}
	if len(blank) > 0 {
		s += " " + lang.L("devices.blank", map[string]any{"Count": len(blank)})
	}
	return s
}

// ScanPaper scans paper i; the clerk reviews the pages, then the PDF is
// attached to the paper.
func (r *ReceptionScreen) ScanPaper(i int) {
	d := r.devs()
	if d.devices == nil || d.devices.Scanner == nil {
		return
	}
	sc := d.devices.Scanner
	scan := func(ctx context.Context) (Scan, error) { return sc.ScanPaper(ctx) }
	r.digitise(i, scan, scan)
}

// ImportPaper attaches an imported file (PDF, JPEG, PNG) to paper i, after
// the clerk reviewed its pages.
func (r *ReceptionScreen) ImportPaper(i int, name string, data []byte) {
	d := r.devs()
	if d.devices == nil || d.devices.Importer == nil {
		return
	}
	im := d.devices.Importer
	var more func(ctx context.Context) (Scan, error)
	if sc := d.devices.Scanner; sc != nil {
		more = func(ctx context.Context) (Scan, error) { return sc.ScanPaper(ctx) }
	}
	r.digitise(i, func(ctx context.Context) (Scan, error) { return im.ImportFile(ctx, name, data) }, more)
}

func (r *ReceptionScreen) pickImport(i int) {
	dlg := dialog.NewFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			return
		}
		name := rc.URI().Name()
		r.tasks.Go(func() {
			data, err := io.ReadAll(io.LimitReader(rc, 64<<20))
			rc.Close()
			fyne.Do(func() {
				if err != nil {
					r.showError(lang.L("devices.import.failed"))
					return
				}
				r.ImportPaper(i, name, data)
			})
		})
	}, r.win)
	dlg.SetFilter(storage.NewExtensionFileFilter([]string{".pdf", ".jpg", ".jpeg", ".png", ".PDF", ".JPG", ".JPEG", ".PNG"}))
	dlg.Show()
}

// digitise runs produce off the UI goroutine. Pages that come back raw open
// the page review (more scans added pages there); the reviewed pages, or a
// finished PDF, are stored and mark the paper as handed in and digitised.
func (r *ReceptionScreen) digitise(i int, produce, more func(ctx context.Context) (Scan, error)) {
	if i < 0 || i >= len(r.PaperRows) {
		return
	}
	row := r.PaperRows[i]
	row.Scanned.SetText(lang.L("devices.scanning"))
	r.tasks.Go(func() {
		ctx := context.Background()
		sc, err := produce(ctx)
		if err == nil && sc.Raw != nil && r.dev.devices.Pages != nil {
			fyne.Do(func() {
				if !r.sameRow(i, row) {
					return
				}
				r.reviewPages(i, row, sc.Raw, more)
			})
			return
		}
		r.store(ctx, i, row, sc, err)
	})
}

// sameRow reports whether paper row i is still row (the papers may have
// changed while a device worked).
func (r *ReceptionScreen) sameRow(i int, row *PaperRow) bool {
	return i < len(r.Wizard.Papers) && i < len(r.PaperRows) && r.PaperRows[i] == row
}

// store saves sc's PDF (off the UI goroutine) and attaches it to paper i.
func (r *ReceptionScreen) store(ctx context.Context, i int, row *PaperRow, sc Scan, err error) {
	var sha string
	if err == nil && len(sc.PDF) == 0 {
		err = errors.New("no PDF")
	}
	if err == nil {
		sha, _, err = r.dev.devices.Files.PutFile(ctx, bytes.NewReader(sc.PDF))
	}
	fyne.Do(func() {
		if !r.sameRow(i, row) {
			return // the papers changed meanwhile
		}
		p := &r.Wizard.Papers[i].Paper
		if err != nil {
			row.Scanned.SetText(scannedText(p.Files, 0, nil))
			r.showError(ScanError(err))
			return
		}
		p.Files = append(p.Files, sha)
		if !r.Wizard.Papers[i].Ticked {
			row.Check.SetChecked(true) // scanned means handed in
		}
		row.Scanned.SetText(scannedText(p.Files, sc.Pages, sc.Blank))
		r.changed()
	})
}

// ScanError is the clerk's words for a failed scan or import.
func ScanError(err error) string {
	type explained interface{ Explain() string }
	var e explained
	if errors.As(err, &e) {
		if k := e.Explain(); k != "" {
			return lang.L(k)
		}
	}
	msg := strings.TrimSpace(err.Error())
	return fmt.Sprintf("%s (%s)", lang.L("devices.scan.failed"), firstLine(msg))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
