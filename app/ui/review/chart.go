package review

import (
	"fmt"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
)

// Chart draws the dashboard's days as pairs of bars, received and done, with
// Fyne's canvas primitives (sharp at any scale). It follows the approach of
// the counter's chart but takes the hub's series.
type Chart struct {
	widget.BaseWidget
	Points []Point
}

// NewChart makes an empty chart.
func NewChart() *Chart {
	c := &Chart{}
	c.ExtendBaseWidget(c)
	return c
}

// SetPoints shows points (oldest first).
func (c *Chart) SetPoints(p []Point) {
	c.Points = p
	c.Refresh()
}

// Max is the largest count the chart scales to (at least 1).
func (c *Chart) Max() int {
	m := 1
	for _, p := range c.Points {
		m = max(m, p.Received, p.Done)
	}
	return m
}

var (
	chartReceived = color.NRGBA{R: 0x1e, G: 0x63, B: 0xb4, A: 0xff}
	chartDone     = color.NRGBA{R: 0x2e, G: 0x8b, B: 0x57, A: 0xff}
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
	recv    []*canvas.Rectangle
	done    []*canvas.Rectangle
	labels  []*canvas.Text
	top     *canvas.Text
	axis    *canvas.Line
	objects []fyne.CanvasObject
}

func (r *chartRenderer) rebuild() {
	n := len(r.c.Points)
	r.recv, r.done, r.labels, r.objects = nil, nil, nil, nil
	every := max(1, n/10) // about ten date labels
	for k, p := range r.c.Points {
		rc, dn := canvas.NewRectangle(chartReceived), canvas.NewRectangle(chartDone)
		r.recv, r.done = append(r.recv, rc), append(r.done, dn)
		r.objects = append(r.objects, rc, dn)
		var t *canvas.Text
		if (n-1-k)%every == 0 {
			t = canvas.NewText(p.Day.In(widgets.Zone).Format("02/01"), theme.Color(theme.ColorNameForeground))
			t.TextSize = theme.CaptionTextSize()
			r.objects = append(r.objects, t)
		}
		r.labels = append(r.labels, t)
	}
	r.top = canvas.NewText(fmt.Sprint(r.c.Max()), theme.Color(theme.ColorNameForeground))
	r.top.TextSize = theme.CaptionTextSize()
	r.axis = canvas.NewLine(chartAxis)
	r.objects = append(r.objects, r.top, r.axis)
}

func (r *chartRenderer) Layout(size fyne.Size) {
	n := len(r.c.Points)
	labelH := theme.CaptionTextSize() + 4
	left := float32(36)
	plotH, plotW := size.Height-labelH, size.Width-left
	r.top.Move(fyne.NewPos(0, 0))
	r.axis.Position1 = fyne.NewPos(left, plotH)
	r.axis.Position2 = fyne.NewPos(size.Width, plotH)
	if n == 0 || plotH <= 0 || plotW <= 0 {
		return
	}
	slot := plotW / float32(n)
	bar := max(slot/2-1, 1)
	scale := plotH / float32(r.c.Max())
	for k, p := range r.c.Points {
		x := left + float32(k)*slot
		h := float32(p.Received) * scale
		r.recv[k].Move(fyne.NewPos(x+1, plotH-h))
		r.recv[k].Resize(fyne.NewSize(bar, h))
		h = float32(p.Done) * scale
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
