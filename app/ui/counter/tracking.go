package counter

import (
	"context"
	"errors"
	"image"
	"io"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/report"
)

// Book is the tracking book (sổ theo dõi hồ sơ, form 07) for any date
// range: the first and last day typed as dd/mm/yyyy or set by a quick
// choice (this month, last month, this quarter, this year), a preview of
// its lines and of its printed first page, and print, PDF and CSV export.
type Book struct {
	From  *widgets.Entry
	To    *widgets.Entry
	Quick map[string]*widget.Button // by report.Range* choice
	Show  *widget.Button
	Error *widget.Label
	Count *widget.Label
	Table *widget.Table
	// Page is the printed book's first page, rendered by PreviewPDF.
	Page  *canvas.Image
	Pages *widget.Label
	Tabs  *container.AppTabs

	Message    *widget.Label // what the last print or export did
	Print      *widget.Button
	PreviewPDF *widget.Button
	SavePDF    *widget.Button
	SaveCSV    *widget.Button

	// Rows are the lines shown, of Range.
	Rows  []dossier.TrackingRow
	Range report.Range

	h       *Home
	judged  []string
	content fyne.CanvasObject
	dlg     dialog.Dialog
}

// bookColumns are the preview's columns: translation key and width.
var bookColumns = []struct {
	key   string
	width float32
}{
	{"lifecycle.book.col.no", 60}, {"lifecycle.book.col.code", 200}, {"lifecycle.book.col.applicant", 160},
	{"lifecycle.book.col.procedure", 190}, {"lifecycle.book.col.received", 142}, {"lifecycle.book.col.due", 142},
	{"lifecycle.book.col.status", 115}, {"lifecycle.book.col.timeliness", 150},
}

// NewBook builds the tracking book over h's reports, set to this month;
// call Load (or tap Show) to fill it.
func NewBook(h *Home) *Book {
	b := &Book{h: h, Quick: map[string]*widget.Button{}}
	b.From, b.To = widgets.NewEntry(), widgets.NewEntry()
	b.From.SetPlaceHolder("dd/mm/yyyy")
	b.To.SetPlaceHolder("dd/mm/yyyy")
	b.Error = widgets.NewErrorLabel()
	b.Error.Hide()
	b.Count = widget.NewLabel("")
	b.Message = widget.NewLabel("")
	b.Show = widget.NewButtonWithIcon(lang.L("lifecycle.book.show"), theme.SearchIcon(), widgets.Act(b.Load))
	b.Show.Importance = widget.HighImportance
	var quick []fyne.CanvasObject
	for _, q := range report.QuickRanges {
		btn := widget.NewButton(lang.L("lifecycle.book.quick."+q), widgets.Act(func() { b.SetQuick(q) }))
		b.Quick[q] = btn
		quick = append(quick, btn)
	}
	b.Table = widget.NewTableWithHeaders(
		func() (int, int) { return len(b.Rows), len(bookColumns) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		},
		func(id widget.TableCellID, o fyne.CanvasObject) { o.(*widget.Label).SetText(b.Cell(id.Row, id.Col)) })
	b.Table.ShowHeaderColumn = false
	b.Table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		l := o.(*widget.Label)
		l.TextStyle.Bold = true
		if id.Col >= 0 && id.Col < len(bookColumns) {
			l.SetText(lang.L(bookColumns[id.Col].key))
		}
	}
	for k, c := range bookColumns {
		b.Table.SetColumnWidth(k, c.width)
	}
	b.Page = canvas.NewImageFromImage(nil)
	b.Page.FillMode = canvas.ImageFillContain
	b.Page.SetMinSize(fyne.NewSize(700, 480))
	b.Pages = widget.NewLabel("")
	b.Print = widget.NewButtonWithIcon(lang.L("lifecycle.book.print"), theme.DocumentPrintIcon(), widgets.Act(b.print))
	b.PreviewPDF = widget.NewButtonWithIcon(lang.L("lifecycle.book.preview"), theme.VisibilityIcon(), widgets.Act(b.preview))
	b.SavePDF = widget.NewButtonWithIcon(lang.L("lifecycle.book.save_pdf"), theme.DocumentSaveIcon(),
		widgets.Act(func() { h.save("so-theo-doi-"+b.Range.FileTag()+".pdf", b.WritePDF, b.Message) }))
	b.SaveCSV = widget.NewButtonWithIcon(lang.L("lifecycle.book.save_csv"), theme.DocumentSaveIcon(),
		widgets.Act(func() { h.save("so-theo-doi-"+b.Range.FileTag()+".csv", b.WriteCSV, b.Message) }))
	b.enableExports(false)

	picker := container.NewHBox(
		widget.NewLabel(lang.L("lifecycle.book.from")), container.NewGridWrap(fyne.NewSize(130, b.From.MinSize().Height), b.From),
		widget.NewLabel(lang.L("lifecycle.book.to")), container.NewGridWrap(fyne.NewSize(130, b.To.MinSize().Height), b.To),
		b.Show, widget.NewSeparator())
	picker.Objects = append(picker.Objects, quick...)
	b.Tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("lifecycle.book.tab.lines"), b.Table),
		container.NewTabItem(lang.L("lifecycle.book.tab.page"), container.NewBorder(b.Pages, nil, nil, nil, b.Page)),
	)
	actions := container.NewHBox(b.Print, b.PreviewPDF, b.SavePDF, b.SaveCSV, layout.NewSpacer(), b.Message)
	b.content = container.NewBorder(container.NewVBox(picker, b.Error, b.Count), actions, nil, nil, b.Tabs)
	b.SetQuick(report.RangeThisMonth)
	return b
}

// Content is the book's canvas object.
func (b *Book) Content() fyne.CanvasObject { return b.content }

// SetQuick fills the range with a quick choice and loads it.
func (b *Book) SetQuick(choice string) {
	r, ok := report.Quick(choice, b.h.now())
	if !ok {
		return
	}
	b.From.SetText(r.FirstDay())
	b.To.SetText(r.LastDay())
	b.Load()
}

// rangeErrorKeys are the messages of report.ParseRange's errors.
var rangeErrorKeys = map[error]string{
	report.ErrRangeFrom: "lifecycle.book.err.from", report.ErrRangeTo: "lifecycle.book.err.to",
	report.ErrRangeOrder: "lifecycle.book.err.order", report.ErrRangeLong: "lifecycle.book.err.long",
}

// Load reads the range typed and fetches its lines off the UI goroutine.
// A range that does not parse is explained and the lines shown stay.
func (b *Book) Load() {
	r, err := report.ParseRange(b.From.Text, b.To.Text)
	if err != nil {
		key := "lifecycle.book.err.from"
		for e, k := range rangeErrorKeys {
			if errors.Is(err, e) {
				key = k
			}
		}
		b.Error.SetText(lang.L(key))
		b.Error.Show()
		return
	}
	b.Error.SetText("")
	b.Error.Hide()
	b.Count.SetText(lang.L("lifecycle.book.loading"))
	b.h.tasks.Go(func() {
		rows, err := b.h.reports.TrackingBook(context.Background(), r.From, r.To)
		now := b.h.now()
		judged := make([]string, len(rows))
		for k, row := range rows {
			judged[k] = report.TimelinessName(b.h.reports.Judge(row, now))
		}
		fyne.Do(func() {
			if err != nil {
				fyne.LogError("tracking book", err)
				b.Count.SetText("")
				b.Error.SetText(lang.L("err.load.failed"))
				b.Error.Show()
				return
			}
			b.Range, b.Rows, b.judged = r, rows, judged
			b.Count.SetText(widgets.T("lifecycle.book.count", map[string]any{
				"N": len(rows), "From": r.FirstDay(), "To": r.LastDay()}))
			b.Table.Refresh()
			b.Table.ScrollToTop()
			b.Page.Image = nil
			b.Page.Refresh()
			b.Pages.SetText(lang.L("lifecycle.book.page.hint"))
			b.enableExports(true)
		})
	})
}

func (b *Book) enableExports(on bool) {
	for _, btn := range []*widget.Button{b.Print, b.PreviewPDF, b.SavePDF, b.SaveCSV} {
		if on {
			btn.Enable()
		} else {
			btn.Disable()
		}
	}
}

// Cell is the preview's text at line row, column col.
func (b *Book) Cell(row, col int) string {
	if row < 0 || row >= len(b.Rows) {
		return ""
	}
	r := b.Rows[row]
	switch col {
	case 0:
		return strconv.Itoa(r.TrackingNo)
	case 1:
		return r.Code
	case 2:
		return r.ApplicantName
	case 3:
		return r.ProcedureName
	case 4:
		return widgets.DateTime(r.ReceivedAt)
	case 5:
		return widgets.DateTime(r.DueAt)
	case 6:
		return report.StatusName(r.Status)
	case 7:
		if row < len(b.judged) {
			return b.judged[row]
		}
	}
	return ""
}

// WritePDF writes the book of the range shown (form 07) to w and closes it.
func (b *Book) WritePDF(w io.WriteCloser) error {
	pdf, err := b.h.reports.TrackingBookPDF(context.Background(), b.Range.From, b.Range.To)
	if err == nil {
		_, err = w.Write(pdf)
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}

// WriteCSV writes the book of the range shown as CSV to w and closes it.
func (b *Book) WriteCSV(w io.WriteCloser) error {
	err := b.h.reports.WriteTrackingCSV(context.Background(), w, b.Range.From, b.Range.To)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	return err
}

// print prints the book of the range shown.
func (b *Book) print() { b.h.printBookRange(b.Range.From, b.Range.To, b.Message) }

// preview renders the printed book's first page and shows it.
func (b *Book) preview() {
	r := b.Range
	b.Pages.SetText(lang.L("lifecycle.book.rendering"))
	b.Tabs.SelectIndex(1)
	b.h.tasks.Go(func() {
		ctx := context.Background()
		pdf, err := b.h.reports.TrackingBookPDF(ctx, r.From, r.To)
		var n int
		if err == nil {
			n, err = b.h.receipts.PageCount(pdf)
		}
		var img image.Image
		if err == nil {
			img, err = b.h.receipts.RenderPage(pdf, 0, 80)
		}
		fyne.Do(func() {
			if err != nil {
				fyne.LogError("tracking book preview", err)
				b.Pages.SetText(lang.L("err.load.failed"))
				return
			}
			b.Page.Image = img
			b.Page.Refresh()
			b.Pages.SetText(widgets.T("lifecycle.book.pages", map[string]any{"N": n, "From": r.FirstDay(), "To": r.LastDay()}))
		})
	})
}

// OpenBook shows the tracking book in a dialog over the home screen.
func (h *Home) OpenBook() {
	if h.Book == nil {
		h.Book = NewBook(h)
	} else {
		h.Book.Load()
	}
	d := dialog.NewCustom(lang.L("lifecycle.book.title"), lang.L("lifecycle.book.close"), h.Book.Content(), h.win)
	d.Resize(fyne.NewSize(1240, 740))
	h.Book.dlg = d
	d.Show()
}

// Close hides the book's dialog.
func (b *Book) Close() {
	if b.dlg != nil {
		b.dlg.Hide()
	}
}
