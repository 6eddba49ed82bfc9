package review

import "github.com/motcua/motcua/app/ui/widgets"

// pointBars turns the dashboard's series into the chart's bars.
func pointBars(points []Point) []widgets.Bar {
	out := make([]widgets.Bar, len(points))
	for i, p := range points {
		out[i] = widgets.Bar{Day: p.Day, Received: p.Received, Done: p.Done}
	}
	return out
}
