package counter

import (
	"context"
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	xdraw "golang.org/x/image/draw"

	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/drivers/scanner"
)

// Thumbnail size of a page in the review.
const thumbW, thumbH = 150, 212

// PageReview is the dialog where the clerk checks a paper's scanned pages
// before they are saved: move a page left or right, turn it 90°, delete it,
// scan it again, or scan more pages. The arrangement is done by
// scanner.Batch; Save hands the pages to Devices.Pages for the PDF.
type PageReview struct {
	Batch scanner.Batch
	Cards []*PageCard

	Grid   *fyne.Container
	Status *widget.Label
	Add    *widget.Button // "Quét thêm trang"; hidden without a scanner
	Save   *widget.Button
	Cancel *widget.Button

	thumbs []image.Image // per page, kept in the batch's order
	blank  []bool
	more   func(ctx context.Context) (Scan, error)
	tasks  *widgets.Tasks
	dlg    *dialog.CustomDialog
	done   func(pages []scanner.Page) // nil pages: cancelled
	busy   bool
}

// PageCard is one page of the review.
type PageCard struct {
	Image                               *canvas.Image
	Label                               *widget.Label
	Left, Right, Rotate, Delete, Rescan *widget.Button
}

// PageReview is the open page review, nil when none (tests).
func (r *ReceptionScreen) PageReview() *PageReview { return r.devs().review }

// reviewPages opens the review of pages for paper i.
func (r *ReceptionScreen) reviewPages(i int, row *PaperRow, pages []scanner.Page, more func(ctx context.Context) (Scan, error)) {
	d := r.devs()
	name := r.Wizard.Papers[i].Paper.Name
	pr := newPageReview(pages, more, r.tasks)
	pr.done = func(pages []scanner.Page) {
		d.review = nil
		if pages == nil {
			row.Scanned.SetText(scannedText(r.Wizard.Papers[i].Paper.Files, 0, nil))
			return
		}
		row.Scanned.SetText(lang.L("devices.review.saving"))
		builder := d.devices.Pages
		r.tasks.Go(func() {
			ctx := context.Background()
			sc, err := builder.BuildPages(ctx, pages)
			r.store(ctx, i, row, sc, err)
		})
	}
	d.review = pr
	pr.dlg = dialog.NewCustomWithoutButtons(lang.L("devices.review.title", map[string]any{"Paper": name}), pr.content(), r.win)
	size := r.win.Canvas().Size()
	pr.dlg.Resize(fyne.NewSize(max(size.Width*0.9, 600), max(size.Height*0.9, 480)))
	pr.dlg.Show()
}

func newPageReview(pages []scanner.Page, more func(ctx context.Context) (Scan, error), tasks *widgets.Tasks) *PageReview {
	pr := &PageReview{more: more, tasks: tasks}
	pr.Grid = container.NewGridWrap(fyne.NewSize(thumbW+50, thumbH+150))
	pr.Status = widget.NewLabel("")
	pr.Status.Wrapping = fyne.TextWrapWord
	pr.Add = widget.NewButtonWithIcon(lang.L("devices.review.add"), theme.ContentAddIcon(), widgets.Act(func() { pr.scanMore(-1) }))
	if more == nil {
		pr.Add.Hide()
	}
	pr.Cancel = widget.NewButtonWithIcon(lang.L("devices.review.cancel"), theme.CancelIcon(), widgets.Act(func() { pr.close(false) }))
	pr.Save = widget.NewButtonWithIcon("", theme.DocumentSaveIcon(), widgets.Act(func() { pr.close(true) }))
	pr.Save.Importance = widget.HighImportance
	pr.insert(len(pr.Batch.Pages), pages)
	return pr
}

func (pr *PageReview) content() fyne.CanvasObject {
	bottom := container.NewBorder(nil, nil, pr.Add, container.NewHBox(pr.Cancel, pr.Save), pr.Status)
	hint := widget.NewLabel(lang.L("devices.review.hint"))
	hint.Wrapping = fyne.TextWrapWord
	return container.NewBorder(hint, bottom, nil, nil, container.NewVScroll(pr.Grid))
}

// insert puts pages at position at, with their thumbnails.
func (pr *PageReview) insert(at int, pages []scanner.Page) {
	th := make([]image.Image, len(pages))
	bl := make([]bool, len(pages))
	for i, p := range pages {
		th[i] = thumbnail(p.Image)
		bl[i] = scanner.IsBlank(p.Image)
	}
	pr.Batch.Pages = append(pr.Batch.Pages[:at], append(append([]scanner.Page{}, pages...), pr.Batch.Pages[at:]...)...)
	pr.thumbs = append(pr.thumbs[:at], append(th, pr.thumbs[at:]...)...)
	pr.blank = append(pr.blank[:at], append(bl, pr.blank[at:]...)...)
	pr.render()
}

// Move puts page from at position to (the "Trước"/"Sau" buttons).
func (pr *PageReview) Move(from, to int) {
	if pr.Batch.Move(from, to) != nil {
		return
	}
	moveItem(pr.thumbs, from, to)
	moveItem(pr.blank, from, to)
	pr.render()
}

// Rotate turns page i a quarter turn clockwise.
func (pr *PageReview) Rotate(i int) {
	if pr.Batch.Rotate(i, 1) != nil {
		return
	}
	pr.thumbs[i] = scanner.Rotate(pr.thumbs[i], 1)
	pr.render()
}

// Delete removes page i.
func (pr *PageReview) Delete(i int) {
	if pr.Batch.Delete(i) != nil {
		return
	}
	pr.thumbs = append(pr.thumbs[:i], pr.thumbs[i+1:]...)
	pr.blank = append(pr.blank[:i], pr.blank[i+1:]...)
	pr.render()
}

// scanMore scans again: at < 0 adds the pages at the end, else they
// replace page at.
func (pr *PageReview) scanMore(at int) {
	if pr.more == nil || pr.busy {
		return
	}
	pr.setBusy(true)
	pr.Status.SetText(lang.L("devices.scanning"))
	more := pr.more
	pr.tasks.Go(func() {
		sc, err := more(context.Background())
		fyne.Do(func() {
			pr.setBusy(false)
			if err != nil {
				pr.Status.SetText(ScanError(err))
				return
			}
			pr.Status.SetText("")
			if at >= 0 && at < len(pr.Batch.Pages) {
				pr.Delete(at)
				pr.insert(at, sc.Raw)
				return
			}
			pr.insert(len(pr.Batch.Pages), sc.Raw)
		})
	})
}

func (pr *PageReview) setBusy(b bool) {
	pr.busy = b
	for _, btn := range []*widget.Button{pr.Add, pr.Save, pr.Cancel} {
		if b {
			btn.Disable()
		} else {
			btn.Enable()
		}
	}
	if !b && len(pr.Batch.Pages) == 0 {
		pr.Save.Disable()
	}
}

func (pr *PageReview) close(save bool) {
	if pr.busy {
		return
	}
	if pr.dlg != nil {
		pr.dlg.Hide()
	}
	if pr.done == nil {
		return
	}
	if save && len(pr.Batch.Pages) > 0 {
		pr.done(append([]scanner.Page{}, pr.Batch.Pages...))
	} else {
		pr.done(nil)
	}
}

// render rebuilds the cards after a change.
func (pr *PageReview) render() {
	n := len(pr.Batch.Pages)
	pr.Cards = make([]*PageCard, n)
	objs := make([]fyne.CanvasObject, n)
	for i := range n {
		c := &PageCard{}
		c.Image = canvas.NewImageFromImage(pr.thumbs[i])
		c.Image.FillMode = canvas.ImageFillContain
		c.Image.SetMinSize(fyne.NewSize(thumbW, thumbH))
		text := lang.L("devices.review.page", map[string]any{"N": i + 1})
		if pr.blank[i] {
			text += " " + lang.L("devices.review.blank")
		}
		c.Label = widget.NewLabelWithStyle(text, fyne.TextAlignCenter, fyne.TextStyle{Bold: pr.blank[i]})
		c.Left = widget.NewButtonWithIcon(lang.L("devices.review.left"), theme.NavigateBackIcon(), widgets.Act(func() { pr.Move(i, i-1) }))
		c.Right = widget.NewButtonWithIcon(lang.L("devices.review.right"), theme.NavigateNextIcon(), widgets.Act(func() { pr.Move(i, i+1) }))
		c.Rotate = widget.NewButtonWithIcon(lang.L("devices.review.rotate"), theme.ViewRefreshIcon(), widgets.Act(func() { pr.Rotate(i) }))
		c.Delete = widget.NewButtonWithIcon(lang.L("devices.review.delete"), theme.DeleteIcon(), widgets.Act(func() { pr.Delete(i) }))
		c.Rescan = widget.NewButtonWithIcon(lang.L("devices.review.rescan"), theme.DocumentCreateIcon(), widgets.Act(func() { pr.scanMore(i) }))
		if i == 0 {
			c.Left.Disable()
		}
		if i == n-1 {
			c.Right.Disable()
		}
		if pr.more == nil {
			c.Rescan.Hide()
		}
		pr.Cards[i] = c
		frame := canvas.NewRectangle(color.White)
		frame.StrokeColor = theme.Color(theme.ColorNameInputBorder)
		frame.StrokeWidth = 1
		objs[i] = container.NewVBox(container.NewStack(frame, container.NewPadded(c.Image)), c.Label,
			container.NewGridWithColumns(2, c.Left, c.Right),
			container.NewGridWithColumns(2, c.Rotate, c.Delete), c.Rescan)
	}
	pr.Grid.Objects = objs
	pr.Grid.Refresh()
	pr.Save.SetText(lang.L("devices.review.save", map[string]any{"Pages": n}))
	if n == 0 {
		pr.Save.Disable()
		pr.Status.SetText(lang.L("devices.review.empty"))
	} else if !pr.busy {
		pr.Save.Enable()
	}
}

func moveItem[T any](s []T, from, to int) {
	v := s[from]
	if from < to {
		copy(s[from:to], s[from+1:to+1])
	} else {
		copy(s[to+1:from+1], s[to:from])
	}
	s[to] = v
}

// thumbnail scales img to fit thumbW×thumbH.
func thumbnail(img image.Image) image.Image {
	b := img.Bounds()
	f := min(float64(thumbW)/float64(b.Dx()), float64(thumbH)/float64(b.Dy()), 1)
	w, h := max(int(float64(b.Dx())*f), 1), max(int(float64(b.Dy())*f), 1)
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xdraw.BiLinear.Scale(dst, dst.Bounds(), img, b, xdraw.Src, nil) // averages: thin strokes stay visible
	return dst
}
