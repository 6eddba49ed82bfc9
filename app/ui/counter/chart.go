package counter

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/dossier"
)

// Chart draws the last days as pairs of bars, received and results, with
// days off shaded, using Fyne's canvas primitives (no image, so it stays
// sharp at any scale).
type Chart struct {
	widget.BaseWidget
	Days []dossier.DayCount
}

// NewChart makes an empty chart.
func NewChart() *Chart {
	c := &Chart{}
	c.ExtendBaseWidget(c)
	return c
}

// SetDays shows days (oldest first).
func (c *Chart) SetDays(days []dossier.DayCount) {
	c.Days = days
	c.Refresh()
}

// Max is the largest count the chart scales to (at least 1).
func (c *Chart) Max() int {
	m := 1
	for _, d := range c.Days {
		m = max(m, d.Received, d.Done)
	}
	return m
}

var (
	chartReceived = color.NRGBA{R: 0x1e, G: 0x63, B: 0xb4, A: 0xff}
	chartDone     = color.NRGBA{R: 0x2e, G: 0x8b, B: 0x57, A: 0xff}
	chartOff      = color.NRGBA{R: 0xee, G: 0xee, B: 0xee, A: 0xff}
	chartAxis     = color.NRGBA{R: 0x88, G: 0x88, B: 0x88, A: 0xff}
)

// CreateRenderer implements fyne.Widget.
func (c *Chart) CreateRenderer() fyne.WidgetRenderer {
	r := &chartRenderer{c: c}
	r.rebuild()
	return r
}

type chartRenderer struct {
	c       *Chart
	shade   []*canvas.Rectangle
	recv    []*canvas.Rectangle
	done    []*canvas.Rectangle
	labels  []*canvas.Text // day numbers under every fifth day
	top     *canvas.Text   // the scale's maximum
	axis    *canvas.Line
	objects []fyne.CanvasObject
}

func (r *chartRenderer) rebuild() {
	n := len(r.c.Days)
	r.shade, r.recv, r.done, r.labels = nil, nil, nil, nil
	r.objects = nil
	for k, d := range r.c.Days {
		sh := canvas.NewRectangle(chartOff)
		if d.Working {
			sh.Hide()
		}
		r.shade = append(r.shade, sh)
		rc := canvas.NewRectangle(chartReceived)
		dn := canvas.NewRectangle(chartDone)
		r.recv, r.done = append(r.recv, rc), append(r.done, dn)
		r.objects = append(r.objects, sh, rc, dn)
		if k%5 == (n-1)%5 {
			t := canvas.NewText(d.Day.In(widgets.Zone).Format("02/01"), theme.Color(theme.ColorNameForeground))
			t.TextSize = theme.CaptionTextSize()
			r.labels = append(r.labels, t)
			r.objects = append(r.objects, t)
		} else {
			r.labels = append(r.labels, nil)
		}
	}
	r.top = canvas.NewText(fmt.Sprint(r.c.Max()), theme.Color(theme.ColorNameForeground))
	r.top.TextSize = theme.CaptionTextSize()
	r.axis = canvas.NewLine(chartAxis)
	r.objects = append(r.objects, r.top, r.axis)
}

func (r *chartRenderer) Layout(size fyne.Size) {
	n := len(r.c.Days)
	labelH := theme.CaptionTextSize() + 4
	left := float32(28)
	plotH := size.Height - labelH
	plotW := size.Width - left
	r.top.Move(fyne.NewPos(0, 0))
	r.axis.Position1 = fyne.NewPos(left, plotH)
	r.axis.Position2 = fyne.NewPos(size.Width, plotH)
	if n == 0 || plotH <= 0 || plotW <= 0 {
		return
	}
	slot := plotW / float32(n)
	bar := max(slot/2-1, 1)
	scale := plotH / float32(r.c.Max())
	for k, d := range r.c.Days {
		x := left + float32(k)*slot
		r.shade[k].Move(fyne.NewPos(x, 0))
		r.shade[k].Resize(fyne.NewSize(slot, plotH))
		h := float32(d.Received) * scale
		r.recv[k].Move(fyne.NewPos(x+1, plotH-h))
		r.recv[k].Resize(fyne.NewSize(bar, h))
		h = float32(d.Done) * scale
		r.done[k].Move(fyne.NewPos(x+1+bar, plotH-h))
		r.done[k].Resize(fyne.NewSize(bar, h))
		if t := r.labels[k]; t != nil {
			w := t.MinSize().Width
			t.Move(fyne.NewPos(x+slot/2-w/2, plotH+2))
		}
	}
}

func (r *chartRenderer) MinSize() fyne.Size { return fyne.NewSize(300, 160) }

func (r *chartRenderer) Refresh() {
	r.rebuild()
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *chartRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *chartRenderer) Destroy() {}
