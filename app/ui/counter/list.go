package counter

import (
	"context"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/dossier"
)

// ListPageSize is how many rows one page of the dossier list loads.
const ListPageSize = 50

// DueSoon is how far ahead "Sắp đến hạn" looks (two working days, taken as
// 48 hours).
const DueSoon = 48 * time.Hour

// ListCountCap is where the list stops counting matches: counting every one
// of a million rows at each search would cost seconds on an old PC, and "more
// than 10.000" tells the clerk to narrow the search just as well.
const ListCountCap = 10_000

// SearchDelay is how long the list waits after the last key before searching.
const SearchDelay = 300 * time.Millisecond

// ListScreen is the dossier list ("Danh sách hồ sơ"): search, status filter,
// due-soon and overdue toggles, and a list that loads one page at a time as
// the clerk scrolls, never every row.
type ListScreen struct {
	Search  *widgets.Entry
	Status  *widget.Select
	Today   *widget.Check
	DueSoon *widget.Check
	Overdue *widget.Check
	Total   *widget.Label
	List    *widget.List

	dossiers Dossiers
	tasks    *widgets.Tasks
	now      func() time.Time
	onOpen   func(id int64)
	// AfterFunc schedules the debounced search; tests replace it.
	AfterFunc func(d time.Duration, f func()) (stop func() bool)

	items   []dossier.Summary
	next    *dossier.Cursor
	query   dossier.Query
	gen     int // bumps on every new search; stale pages are dropped
	loading bool
	timerMu sync.Mutex
	stop    func() bool
	filters *fyne.Container
	content fyne.CanvasObject
}

var allStatusesKey = "list.status.all"

// NewListScreen builds the list; onOpen runs on the UI goroutine when a row
// is chosen. Call Reload to load the first page.
func NewListScreen(d Dossiers, tasks *widgets.Tasks, now func() time.Time, onOpen func(id int64)) *ListScreen {
	l := &ListScreen{dossiers: d, tasks: tasks, now: now, onOpen: onOpen,
		AfterFunc: func(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }}
	l.Search = widgets.NewEntry()
	l.Search.SetPlaceHolder(lang.L("list.search.placeholder"))
	l.Search.OnChanged = func(string) { l.debounce() }
	l.Search.OnSubmitted = func(string) { l.cancelTimer(); l.Reload() }
	opts := []string{lang.L(allStatusesKey)}
	for _, s := range dossier.Statuses {
		opts = append(opts, lang.L(s.Key()))
	}
	l.Status = widget.NewSelect(opts, func(string) { widgets.Touch(); l.Reload() })
	l.Status.Selected = opts[0]
	l.Today = widget.NewCheck(lang.L("list.today"), func(bool) { widgets.Touch(); l.Reload() })
	l.DueSoon = widget.NewCheck(lang.L("list.due_soon"), func(bool) { widgets.Touch(); l.Reload() })
	l.Overdue = widget.NewCheck(lang.L("list.overdue"), func(bool) { widgets.Touch(); l.Reload() })
	l.Total = widget.NewLabel("")
	l.List = widget.NewList(
		func() int { return len(l.items) },
		func() fyne.CanvasObject {
			icon := widget.NewIcon(theme.WarningIcon())
			code := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			proc := widget.NewLabel("")
			status := widget.NewLabel("")
			due := widget.NewLabel("")
			for _, lb := range []*widget.Label{code, name, proc, status, due} {
				lb.Truncation = fyne.TextTruncateEllipsis
			}
			return container.New(rowLayout{}, icon, code, name, proc, status, due)
		},
		l.updateRow,
	)
	l.List.OnSelected = func(id widget.ListItemID) {
		widgets.Touch()
		l.List.UnselectAll()
		if id < len(l.items) && l.onOpen != nil {
			l.onOpen(l.items[id].ID)
		}
	}
	l.filters = container.NewHBox(container.NewGridWrap(fyne.NewSize(240, l.Status.MinSize().Height), l.Status),
		l.Today, l.DueSoon, l.Overdue, l.Total)
	l.content = container.NewBorder(container.NewVBox(l.Search, l.filters), nil, nil, nil, l.List)
	return l
}

// Content is the screen's canvas object.
func (l *ListScreen) Content() fyne.CanvasObject { return l.content }

// Items are the rows loaded so far.
func (l *ListScreen) Items() []dossier.Summary { return l.items }

// HasMore reports whether another page can be loaded.
func (l *ListScreen) HasMore() bool { return l.next != nil }

func (l *ListScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	if id >= len(l.items) {
		return
	}
	s := l.items[id]
	b := o.(*fyne.Container)
	icon := b.Objects[0].(*widget.Icon)
	code := b.Objects[1].(*widget.Label)
	name := b.Objects[2].(*widget.Label)
	proc := b.Objects[3].(*widget.Label)
	status := b.Objects[4].(*widget.Label)
	due := b.Objects[5].(*widget.Label)

	overdue := s.Overdue(l.now())
	imp := widget.MediumImportance
	if overdue {
		imp = widget.DangerImportance
		icon.Show()
	} else {
		icon.Hide()
	}
	for _, lb := range []*widget.Label{code, name, status, due} {
		lb.Importance = imp
	}
	code.SetText(s.Code)
	name.SetText(s.ApplicantName)
	proc.SetText(s.ProcedureName)
	st := lang.L(s.Status.Key())
	if overdue {
		st = lang.L("list.overdue.mark") + " · " + st
	}
	status.SetText(st)
	due.SetText(widgets.DateTime(s.DueAt))
	if id >= len(l.items)-10 {
		l.loadMore()
	}
}

// Query is the query the current filters give.
func (l *ListScreen) Query() dossier.Query {
	now := l.now()
	q := dossier.Query{Text: l.Search.Text, Limit: ListPageSize, Now: now}
	if i := l.Status.SelectedIndex(); i > 0 {
		q.Statuses = []dossier.Status{dossier.Statuses[i-1]}
	}
	if l.Today.Checked {
		y, m, d := now.In(widgets.Zone).Date()
		q.ReceivedFrom = time.Date(y, m, d, 0, 0, 0, 0, widgets.Zone)
		q.ReceivedTo = q.ReceivedFrom.AddDate(0, 0, 1)
	}
	if l.DueSoon.Checked {
		q.DueBefore = now.Add(DueSoon)
	}
	q.Overdue = l.Overdue.Checked
	return q
}

func (l *ListScreen) debounce() {
	widgets.Touch()
	l.timerMu.Lock()
	defer l.timerMu.Unlock()
	if l.stop != nil {
		l.stop()
	}
	l.stop = l.AfterFunc(SearchDelay, func() { fyne.Do(l.Reload) })
}

func (l *ListScreen) cancelTimer() {
	l.timerMu.Lock()
	defer l.timerMu.Unlock()
	if l.stop != nil {
		l.stop()
		l.stop = nil
	}
}

// Clear empties the search and the rows (at logout: they hold personal data).
func (l *ListScreen) Clear() {
	l.Search.SetText("")
	l.cancelTimer()
	l.gen++
	l.items, l.next, l.loading = nil, nil, false
	l.Total.SetText("")
	l.List.Refresh()
}

// Reload runs the search again from the first page.
func (l *ListScreen) Reload() {
	l.gen++
	l.query = l.Query()
	l.items, l.next, l.loading = nil, nil, true
	l.List.Refresh()
	gen, q := l.gen, l.query
	l.tasks.Go(func() {
		ctx := context.Background()
		page, err := l.dossiers.List(ctx, q)
		var (
			total int
			more  bool
		)
		if err == nil {
			cq := q
			cq.Limit, cq.After = 0, nil
			total, more, err = l.dossiers.CountUpTo(ctx, cq, ListCountCap)
		}
		fyne.Do(func() {
			if gen != l.gen {
				return
			}
			l.loading = false
			if err != nil {
				fyne.LogError("list dossiers", err)
				l.Total.SetText(lang.L("err.load.failed"))
				return
			}
			l.items, l.next = page.Items, page.Next
			key := "list.total"
			if more {
				key = "list.total.more"
			}
			l.Total.SetText(widgets.T(key, map[string]any{"N": widgets.Thousands(int64(total))}))
			l.filters.Refresh()
			l.List.Refresh()
			l.List.ScrollToTop()
		})
	})
}

// loadMore fetches the page after the last row, once at a time.
func (l *ListScreen) loadMore() {
	if l.loading || l.next == nil {
		return
	}
	l.loading = true
	q := l.query
	q.After = l.next
	gen := l.gen
	l.tasks.Go(func() {
		page, err := l.dossiers.List(context.Background(), q)
		fyne.Do(func() {
			if gen != l.gen {
				return
			}
			l.loading = false
			if err != nil {
				fyne.LogError("list more dossiers", err)
				return
			}
			l.items = append(l.items, page.Items...)
			l.next = page.Next
			l.List.Refresh()
		})
	})
}

// rowLayout lays a list row out in aligned columns: icon, code, name,
// procedure (takes what is left), status, appointment.
type rowLayout struct{}

var rowWidths = [...]float32{24, 250, 210, 0, 230, 140}

func (rowLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	w := float32(120) // room for the procedure
	for i, o := range objs {
		h = fyne.Max(h, o.MinSize().Height)
		w += rowWidths[i]
	}
	return fyne.NewSize(w, h)
}

func (rowLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	fixed := float32(0)
	for _, w := range rowWidths {
		fixed += w
	}
	x := float32(0)
	for i, o := range objs {
		w := rowWidths[i]
		if w == 0 {
			w = fyne.Max(size.Width-fixed, 0)
		}
		h := size.Height
		if i == 0 { // the icon keeps its size, centred
			h = fyne.Min(h, w)
			o.Move(fyne.NewPos(x, (size.Height-h)/2))
		} else {
			o.Move(fyne.NewPos(x, 0))
		}
		o.Resize(fyne.NewSize(w, h))
		x += w
	}
}
