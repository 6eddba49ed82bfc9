package counter

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
)

// LinkState is the link to the provincial hub as the status line shows it.
type LinkState struct {
	Enrolled     bool
	Online       bool
	Pending      int   // events waiting to be sent
	PendingBytes int64 // their size, scans included
	LastSuccess  time.Time
	Error        string // error kind since the last success ("offline", "portal", …; "" when none)
	Refused      int    // events the hub refused for good
	Problems     int    // decisions from the hub that could not be applied
}

// LinkSource reads the link state; the composition root builds it over
// sync/client.Read. nil hides the indicator.
type LinkSource func(ctx context.Context) (LinkState, error)

// LinkIndicator is the small "link to the hub" text at the right of the
// status line: online or offline, what waits, the last success and the
// error in plain words.
type LinkIndicator struct {
	Label *widget.Label
	src   LinkSource
	tasks *widgets.Tasks
	now   func() time.Time
}

// NewLinkIndicator makes the indicator; Refresh fills it.
func NewLinkIndicator(src LinkSource, tasks *widgets.Tasks, now func() time.Time) *LinkIndicator {
	if now == nil {
		now = time.Now
	}
	l := &LinkIndicator{Label: widget.NewLabel(""), src: src, tasks: tasks, now: now}
	l.Label.Truncation = fyne.TextTruncateEllipsis
	return l
}

// Refresh reads the state off the UI goroutine and shows it.
func (l *LinkIndicator) Refresh() {
	if l == nil || l.src == nil {
		return
	}
	l.tasks.Go(func() {
		st, err := l.src(context.Background())
		fyne.Do(func() {
			if err != nil {
				fyne.LogError("read sync state", err)
				l.Label.SetText(widgets.T("sync.link.unknown", nil))
				return
			}
			l.Label.SetText(LinkText(st, l.now()))
		})
	})
}

// LinkText is the indicator's text for st (pure, for tests).
func LinkText(st LinkState, now time.Time) string {
	if !st.Enrolled {
		return widgets.T("sync.link.none", nil)
	}
	s := widgets.T("sync.link.offline", nil)
	if st.Online {
		s = widgets.T("sync.link.online", nil)
	}
	if st.Error == "revoked" {
		// Permanent: say it first and plainly; what waits stays here.
		s = widgets.T("sync.error.revoked", nil)
	}
	if st.Pending > 0 {
		s += " · " + widgets.T("sync.link.waiting", map[string]any{"Events": st.Pending, "Size": sizeText(st.PendingBytes)})
	} else {
		s += " · " + widgets.T("sync.link.uptodate", nil)
	}
	if st.LastSuccess.IsZero() {
		s += " · " + widgets.T("sync.link.never", nil)
	} else {
		at := st.LastSuccess.In(widgets.Zone)
		n := now.In(widgets.Zone)
		f := "15:04"
		if at.YearDay() != n.YearDay() || at.Year() != n.Year() {
			f = "15:04 02/01"
		}
		s += " · " + widgets.T("sync.link.last", map[string]any{"At": at.Format(f)})
	}
	if st.Error != "" && st.Error != "revoked" {
		s += " · " + widgets.T("sync.error."+st.Error, nil)
	}
	if st.Refused > 0 {
		s += " · " + widgets.T("sync.link.refused", map[string]any{"N": st.Refused})
	}
	if st.Problems > 0 {
		s += " · " + widgets.T("sync.link.problems", map[string]any{"N": st.Problems})
	}
	return s
}

func sizeText(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
