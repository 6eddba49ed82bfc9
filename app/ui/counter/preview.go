package counter

import (
	"context"
	"fmt"
	"image"

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
)

// PreviewDPI is the resolution receipt pages are rendered at for the screen.
const PreviewDPI = 100

// Preview shows a dossier's receipt page by page and prints it.
type Preview struct {
	Title  *widget.Label
	Status *widget.Label
	Pages  *fyne.Container // one canvas.Image per page
	Print  *widget.Button
	New    *widget.Button // "Tiếp nhận hồ sơ mới" (after a reception) or "Đóng"

	win      fyne.Window
	receipts Receipts
	tasks    *widgets.Tasks
	dossier  *dossier.Dossier
	pdf      []byte
	content  fyne.CanvasObject
}

// NewPreview builds the preview of d's receipt and starts rendering it.
// closeLabel is the translation key of the closing button
// ("preview.new" after a reception, "preview.close" from the detail view);
// onClose runs when it is tapped.
func NewPreview(win fyne.Window, receipts Receipts, tasks *widgets.Tasks, d *dossier.Dossier, closeLabel string, onClose func()) *Preview {
	p := &Preview{win: win, receipts: receipts, tasks: tasks, dossier: d}
	p.Title = widget.NewLabelWithStyle(widgets.T("preview.title", map[string]any{"Code": d.Code.String()}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	p.Status = widget.NewLabel(lang.L("preview.loading"))
	p.Pages = container.NewVBox()
	p.Print = widget.NewButtonWithIcon(lang.L("preview.print"), theme.DocumentPrintIcon(), widgets.Act(p.print))
	p.Print.Importance = widget.HighImportance
	p.Print.Disable()
	p.New = widget.NewButtonWithIcon(lang.L(closeLabel), theme.ContentAddIcon(), widgets.Act(onClose))
	if closeLabel == "preview.close" {
		p.New.SetIcon(theme.CancelIcon())
	}
	top := container.NewVBox(container.NewHBox(p.Title, layout.NewSpacer(), p.Print, p.New), p.Status)
	p.content = container.NewBorder(top, nil, nil, nil, container.NewScroll(container.NewCenter(p.Pages)))
	p.load()
	return p
}

// Content is the screen's canvas object.
func (p *Preview) Content() fyne.CanvasObject { return p.content }

// PageCount is the number of pages shown.
func (p *Preview) PageCount() int { return len(p.Pages.Objects) }

type rendered struct {
	pdf   []byte
	pages []image.Image
}

func (p *Preview) fetch(ctx context.Context) (rendered, error) {
	pdf, err := p.receipts.ReceiptPDF(ctx, p.dossier)
	if err != nil {
		return rendered{}, fmt.Errorf("receipt pdf: %w", err)
	}
	n, err := p.receipts.PageCount(pdf)
	if err != nil {
		return rendered{}, fmt.Errorf("receipt pages: %w", err)
	}
	out := rendered{pdf: pdf}
	for i := 0; i < n; i++ {
		img, err := p.receipts.RenderPage(pdf, i, PreviewDPI)
		if err != nil {
			return rendered{}, fmt.Errorf("render page %d: %w", i, err)
		}
		out.pages = append(out.pages, img)
	}
	return out, nil
}

func (p *Preview) load() {
	p.tasks.Go(func() {
		r, err := p.fetch(context.Background())
		fyne.Do(func() {
			if err != nil {
				fyne.LogError("receipt preview", err)
				p.Status.SetText(lang.L("err.print.render"))
				return
			}
			p.pdf = r.pdf
			for _, img := range r.pages {
				ci := canvas.NewImageFromImage(img)
				ci.FillMode = canvas.ImageFillContain
				b := img.Bounds()
				ci.SetMinSize(fyne.NewSize(float32(b.Dx()), float32(b.Dy())))
				p.Pages.Add(ci)
			}
			p.Status.SetText(widgets.T("preview.pages", map[string]any{"N": len(r.pages)}))
			p.Print.Enable()
		})
	})
}

func (p *Preview) print() {
	if p.pdf == nil {
		return
	}
	p.Print.Disable()
	p.Status.SetText(lang.L("preview.printing"))
	pdf := p.pdf
	p.tasks.Go(func() {
		err := p.receipts.Print(context.Background(), pdf)
		fyne.Do(func() {
			p.Print.Enable()
			if err != nil {
				fyne.LogError("print receipt", err)
				p.Status.SetText(lang.L("err.print.failed"))
				dialog.ShowInformation(lang.L("dialog.error"), lang.L("err.print.failed"), p.win)
				return
			}
			p.Status.SetText(lang.L("preview.printed"))
		})
	})
}
