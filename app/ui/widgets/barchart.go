package widgets

import (
	"fmt"
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Bar is one period of a BarChart: what was received and what was done in
// it; Off shades a day the office was closed.
type Bar struct {
	Day            time.Time
	Received, Done int
	Off            bool
}

// BarChart draws periods as pairs of bars, received and done, with days off
// shaded and about six date labels, using Fyne's canvas primitives (no
// image, so it stays sharp at any scale). The leader's home and the
// reviewer's dashboard both use it.
type BarChart struct {
	widget.BaseWidget
	Bars []Bar
}

// NewBarChart makes an empty chart.
func NewBarChart() *BarChart {
	c := &BarChart{}
	c.ExtendBaseWidget(c)
	return c
}

// SetBars shows bars (oldest first).
func (c *BarChart) SetBars(bars []Bar) {
	c.Bars = bars
	c.Refresh()
}

// Max is the largest count the chart scales to (at least 1).
func (c *BarChart) Max() int {
	m := 1
	for _, b := range c.Bars {
		m = max(m, b.Received, b.Done)
	}
	return m
}

// The chart's colours, also for the legends beside it.
var (
	ChartReceived = color.NRGBA{R: 0x1e, G: 0x63, B: 0xb4, A: 0xff}
	ChartDone     = color.NRGBA{R: 0x2e, G: 0x8b, B: 0x57, A: 0xff}
	ChartOff      = color.NRGBA{R: 0xee, G: 0xee, B: 0xee, A: 0xff}
	chartAxis     = color.NRGBA{R: 0x88, G: 0x88, B: 0x88, A: 0xff}
)

// CreateRenderer implements fyne.Widget.
func (c *BarChart) CreateRenderer() fyne.WidgetRenderer {
	r := &barChartRenderer{c: c}
	r.rebuild()
	return r
}

type barChartRenderer struct {
	c       *BarChart
	shade   []*canvas.Rectangle
	recv    []*canvas.Rectangle
	done    []*canvas.Rectangle
	labels  []*canvas.Text // dates under about six bars, the last one included
	top     *canvas.Text   // the scale's maximum
	axis    *canvas.Line
	objects []fyne.CanvasObject
}

func (r *barChartRenderer) rebuild() {
	n := len(r.c.Bars)
	r.shade, r.recv, r.done, r.labels, r.objects = nil, nil, nil, nil, nil
	every := max(1, (n+5)/6)
	for k, b := range r.c.Bars {
		sh := canvas.NewRectangle(ChartOff)
		if !b.Off {
			sh.Hide()
		}
		rc, dn := canvas.NewRectangle(ChartReceived), canvas.NewRectangle(ChartDone)
		r.shade, r.recv, r.done = append(r.shade, sh), append(r.recv, rc), append(r.done, dn)
		r.objects = append(r.objects, sh, rc, dn)
		var t *canvas.Text
		if (n-1-k)%every == 0 {
			t = canvas.NewText(b.Day.In(Zone).Format("02/01"), theme.Color(theme.ColorNameForeground))
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

func (r *barChartRenderer) Layout(size fyne.Size) {
	n := len(r.c.Bars)
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
	for k, b := range r.c.Bars {
		x := left + float32(k)*slot
		r.shade[k].Move(fyne.NewPos(x, 0))
		r.shade[k].Resize(fyne.NewSize(slot, plotH))
		h := float32(b.Received) * scale
		r.recv[k].Move(fyne.NewPos(x+1, plotH-h))
		r.recv[k].Resize(fyne.NewSize(bar, h))
		h = float32(b.Done) * scale
		r.done[k].Move(fyne.NewPos(x+1+bar, plotH-h))
		r.done[k].Resize(fyne.NewSize(bar, h))
		if t := r.labels[k]; t != nil {
			w := t.MinSize().Width
			t.Move(fyne.NewPos(x+slot/2-w/2, plotH+2))
		}
	}
}

func (r *barChartRenderer) MinSize() fyne.Size { return fyne.NewSize(300, 160) }

func (r *barChartRenderer) Refresh() {
	r.rebuild()
	r.Layout(r.c.Size())
	canvas.Refresh(r.c)
}

func (r *barChartRenderer) Objects() []fyne.CanvasObject { return r.objects }

func (r *barChartRenderer) Destroy() {}
