package counter

import (
	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/dossier"
)

// dayBars turns the leader's last days into the chart's bars, days off
// shaded.
func dayBars(days []dossier.DayCount) []widgets.Bar {
	out := make([]widgets.Bar, len(days))
	for i, d := range days {
		out[i] = widgets.Bar{Day: d.Day, Received: d.Received, Done: d.Done, Off: !d.Working}
	}
	return out
}
