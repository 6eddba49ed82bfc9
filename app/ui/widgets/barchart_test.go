package widgets

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
)

func TestBarChartShadesDaysOffLabelsAboutSixDatesAndScalesToTheLargestBar(t *testing.T) {
	test.NewTempApp(t)
	day := time.Date(2026, 11, 1, 0, 0, 0, 0, Zone)
	var bars []Bar
	for i := range 30 {
		bars = append(bars, Bar{Day: day.AddDate(0, 0, i), Received: i % 7, Done: i % 5, Off: i%7 == 6})
	}
	bars[12].Received = 40
	c := NewBarChart()
	c.SetBars(bars)
	c.Resize(fyne.NewSize(600, 200))
	r := test.TempWidgetRenderer(t, c)
	shaded, labels := 0, []string{}
	for _, o := range r.Objects() {
		switch o := o.(type) {
		case *canvas.Rectangle:
			if o.FillColor == ChartOff && o.Visible() {
				shaded++
			}
		case *canvas.Text:
			labels = append(labels, o.Text)
		}
	}
	if c.Max() != 40 || shaded != 4 {
		t.Fatalf("max %d, %d days shaded; want 40 and 4", c.Max(), shaded)
	}
	// Six dates, every fifth day ending on the last one, then the scale.
	want := []string{"05/11", "10/11", "15/11", "20/11", "25/11", "30/11", "40"}
	if len(labels) != len(want) {
		t.Fatalf("labels %q, want %q", labels, want)
	}
	for i := range want {
		if labels[i] != want[i] {
			t.Fatalf("labels %q, want %q", labels, want)
		}
	}
}
