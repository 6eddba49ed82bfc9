package review

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
)

// QueueView is the work queues: the five queues, the filters, the search box,
// the list and the paging buttons.
type QueueView struct {
	s       *Screen
	content fyne.CanvasObject

	Queue   string // the queue shown
	Buttons map[string]*widget.Button

	Commune   *widget.Select
	Procedure *widgets.Entry
	From, To  *widgets.Entry
	Status    *widget.Select
	Search    *widgets.Entry
	Apply     *widget.Button
	Clear     *widget.Button
	Message   *widget.Label // filter errors and load errors

	List      *widget.List
	Rows      []Row
	Prev      *widget.Button
	Next      *widget.Button
	PageLabel *widget.Label

	cursors []string // After of each page shown so far; the last is the current page
	next    string
	loading bool
}

// statusChoices are the statuses a reviewer filters by.
var statusChoices = []int{0, 2, 4, 5, 3, 9, 10}

func statusText(st int) string {
	if st == 0 {
		return lang.L("review.filter.all_statuses")
	}
	return lang.L("status." + strconv.Itoa(st))
}

func newQueueView(s *Screen) *QueueView {
	v := &QueueView{s: s, Queue: QueueNew, Buttons: map[string]*widget.Button{}}
	var tabs []fyne.CanvasObject
	for _, q := range Queues {
		b := widget.NewButton(lang.L("review.queue."+q), func() { v.SetQueue(q) })
		v.Buttons[q] = b
		tabs = append(tabs, b)
	}
	communes := []string{lang.L("review.filter.all_communes")}
	for _, c := range s.session.Communes {
		communes = append(communes, communeLabel(c))
	}
	v.Commune = widget.NewSelect(communes, nil)
	v.Commune.SetSelectedIndex(0)
	v.Procedure = widgets.NewEntry()
	v.Procedure.SetPlaceHolder(lang.L("review.filter.procedure_hint"))
	v.From, v.To = widgets.NewEntry(), widgets.NewEntry()
	v.From.SetPlaceHolder("dd/mm/yyyy")
	v.To.SetPlaceHolder("dd/mm/yyyy")
	var sts []string
	for _, st := range statusChoices {
		sts = append(sts, statusText(st))
	}
	v.Status = widget.NewSelect(sts, nil)
	v.Status.SetSelectedIndex(0)
	v.Search = widgets.NewEntry()
	v.Search.SetPlaceHolder(lang.L("review.filter.search_hint"))
	v.Search.OnSubmitted = func(string) { v.Load() }
	v.Apply = widget.NewButtonWithIcon(lang.L("review.filter.apply"), theme.SearchIcon(), v.Load)
	v.Apply.Importance = widget.HighImportance
	v.Clear = widget.NewButton(lang.L("review.filter.clear"), v.clearFilters)
	v.Message = widgets.NewErrorLabel()

	v.List = widget.NewList(func() int { return len(v.Rows) }, newRowTemplate, func(id widget.ListItemID, o fyne.CanvasObject) {
		if id < len(v.Rows) {
			fillRow(o, v.Rows[id])
		}
	})
	v.List.OnSelected = func(id widget.ListItemID) {
		v.List.UnselectAll()
		if id < len(v.Rows) {
			s.openDossier(v.Rows[id].Code)
		}
	}
	v.Prev = widget.NewButtonWithIcon(lang.L("review.page.prev"), theme.NavigateBackIcon(), v.prevPage)
	v.Next = widget.NewButtonWithIcon(lang.L("review.page.next"), theme.NavigateNextIcon(), v.nextPage)
	v.PageLabel = widget.NewLabel("")

	filters := container.NewGridWithColumns(4,
		labelled("review.filter.commune", v.Commune),
		labelled("review.filter.procedure", v.Procedure),
		labelled("review.filter.from", v.From),
		labelled("review.filter.to", v.To),
		labelled("review.filter.status", v.Status),
		labelled("review.filter.search", v.Search),
		container.NewVBox(widget.NewLabel(" "), container.NewGridWithColumns(2, v.Apply, v.Clear)),
	)
	header := newRowHeader()
	top := container.NewVBox(container.NewGridWithColumns(len(tabs), tabs...), filters, v.Message, header)
	bottom := container.NewHBox(v.Prev, v.PageLabel, v.Next)
	v.content = container.NewBorder(top, container.NewCenter(bottom), nil, nil, v.List)
	v.paint()
	return v
}

// labelled puts a label above an input.
func labelled(key string, o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewVBox(widget.NewLabel(lang.L(key)), o)
}

func communeLabel(c Commune) string {
	if c.Name == "" {
		return c.Code
	}
	return c.Name + " (" + c.Code + ")"
}

// paint marks the selected queue's button.
func (v *QueueView) paint() {
	for q, b := range v.Buttons {
		if q == v.Queue {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
}

// SetQueue shows the first page of queue q with the current filters.
func (v *QueueView) SetQueue(q string) {
	v.Queue = q
	v.paint()
	v.Load()
}

func (v *QueueView) clearFilters() {
	v.Commune.SetSelectedIndex(0)
	v.Status.SetSelectedIndex(0)
	v.Procedure.SetText("")
	v.From.SetText("")
	v.To.SetText("")
	v.Search.SetText("")
	v.Load()
}

// ParseDay reads dd/mm/yyyy (or d/m/yyyy) as midnight in Vietnam; "" is the
// zero time.
func ParseDay(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation("2/1/2006", s, widgets.Zone)
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q: %w", s, err)
	}
	return t, nil
}

// query reads the filters; it returns a translated message for a bad field.
func (v *QueueView) query() (Query, string) {
	q := Query{Queue: v.Queue, Procedure: strings.TrimSpace(v.Procedure.Text), Text: strings.TrimSpace(v.Search.Text),
		Limit: v.s.opt.PageSize}
	if i := v.Commune.SelectedIndex(); i > 0 && i-1 < len(v.s.session.Communes) {
		q.Office = v.s.session.Communes[i-1].Code
	}
	if i := v.Status.SelectedIndex(); i > 0 {
		q.Status = statusChoices[i]
	}
	var err error
	if q.From, err = ParseDay(v.From.Text); err != nil {
		return q, lang.L("review.filter.err.from")
	}
	if q.To, err = ParseDay(v.To.Text); err != nil {
		return q, lang.L("review.filter.err.to")
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return q, lang.L("review.filter.err.range")
	}
	return q, ""
}

// Load shows the first page of the queue with the filters as typed.
func (v *QueueView) Load() {
	v.cursors = []string{""}
	v.load()
}

func (v *QueueView) nextPage() {
	if v.next == "" || v.loading {
		return
	}
	v.cursors = append(v.cursors, v.next)
	v.load()
}

func (v *QueueView) prevPage() {
	if len(v.cursors) < 2 || v.loading {
		return
	}
	v.cursors = v.cursors[:len(v.cursors)-1]
	v.load()
}

// Page is the number of the page shown, from 1.
func (v *QueueView) Page() int { return len(v.cursors) }

func (v *QueueView) load() {
	q, bad := v.query()
	if bad != "" {
		say(v.Message, bad)
		v.Message.Show()
		return
	}
	q.After = v.cursors[len(v.cursors)-1]
	v.loading = true
	say(v.Message, lang.L("review.loading"))
	svc, cache, now := v.s.svc, v.s.opt.Cache, v.s.opt.Now
	v.s.tasks.Go(func() {
		ctx, cancel := loadCtx()
		defer cancel()
		page, err := svc.Queue(ctx, q)
		var at time.Time
		offline, cached := false, false
		if err == nil {
			if q.After == "" { // the first page is what is shown offline
				if cerr := cache.PutQueue(q, page, now()); cerr != nil {
					v.s.opt.Log.Warn("review cache", "err", cerr)
				}
			}
		} else if errors.Is(err, ErrUnreachable) {
			offline = true
			if p, _, cat, cerr := cache.Queue(q.Queue); cerr == nil {
				page, at, cached = p, cat, true
			}
		}
		fyne.Do(func() {
			v.loading = false
			switch {
			case err == nil:
				v.s.setOffline(false, time.Time{})
				say(v.Message, "")
			case offline:
				v.s.setOffline(true, at)
				if !cached {
					page = Page{}
					say(v.Message, lang.L("review.offline.nothing"))
				} else {
					say(v.Message, lang.L("review.offline.filters"))
					v.cursors = v.cursors[:1]
				}
			default:
				say(v.Message, v.s.errText(err))
				v.s.expired(err)
				return
			}
			v.Rows = page.Items
			v.next = page.Next
			if offline {
				v.next = ""
			}
			v.List.Refresh()
			v.paintPaging(page)
		})
	})
}

func (v *QueueView) paintPaging(p Page) {
	if len(v.cursors) > 1 {
		v.Prev.Enable()
	} else {
		v.Prev.Disable()
	}
	if v.next != "" {
		v.Next.Enable()
	} else {
		v.Next.Disable()
	}
	data := map[string]any{"Page": v.Page(), "Rows": len(v.Rows)}
	if p.Total > 0 {
		data["Total"] = widgets.Thousands(int64(p.Total))
		v.PageLabel.SetText(widgets.T("review.page.label_total", data))
	} else {
		v.PageLabel.SetText(widgets.T("review.page.label", data))
	}
	if len(v.Rows) == 0 && v.Message.Text == "" {
		say(v.Message, lang.L("review.queue.empty"))
	}
}

// Row columns, in order, and their widths relative to one another.
var rowColumns = []struct {
	key    string
	weight float32
}{
	{"review.col.code", 2.2}, {"review.col.applicant", 2}, {"review.col.procedure", 2.6}, {"review.col.commune", 1.6},
	{"review.col.received", 1.5}, {"review.col.due", 1.5}, {"review.col.status", 1.6},
}

// weightedLayout gives its objects widths in proportion to rowColumns.
type weightedLayout struct{}

func (weightedLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var total float32
	for _, c := range rowColumns {
		total += c.weight
	}
	x := float32(0)
	for i, o := range objs {
		w := size.Width * rowColumns[i].weight / total
		o.Move(fyne.NewPos(x, 0))
		o.Resize(fyne.NewSize(w, size.Height))
		x += w
	}
}

func (weightedLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	h := float32(0)
	for _, o := range objs {
		h = max(h, o.MinSize().Height)
	}
	return fyne.NewSize(float32(len(objs))*60, h)
}

func newRowHeader() fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for _, c := range rowColumns {
		l := widget.NewLabelWithStyle(lang.L(c.key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		objs = append(objs, l)
	}
	return container.New(weightedLayout{}, objs...)
}

func newRowTemplate() fyne.CanvasObject {
	var objs []fyne.CanvasObject
	for range rowColumns {
		l := widget.NewLabel("")
		l.Truncation = fyne.TextTruncateEllipsis
		objs = append(objs, l)
	}
	return container.New(weightedLayout{}, objs...)
}

func fillRow(o fyne.CanvasObject, r Row) {
	labels := o.(*fyne.Container).Objects
	proc := r.ProcedureName
	if proc == "" {
		proc = r.Procedure
	}
	office := r.OfficeName
	if office == "" {
		office = r.Office
	}
	due := widgets.Date(r.DueAt)
	if r.Overdue {
		due += " ⚠"
	}
	for i, t := range []string{r.Code, r.Applicant, proc, office, widgets.Date(r.ReceivedAt), due, statusText(r.Status)} {
		l := labels[i].(*widget.Label)
		l.SetText(t)
		if i == 5 {
			if r.Overdue {
				l.Importance = widget.DangerImportance
			} else {
				l.Importance = widget.MediumImportance
			}
			l.Refresh()
		}
	}
}

// RowTexts is what the list shows for each row (for tests and screenshots).
func (v *QueueView) RowTexts() []string {
	var out []string
	for _, r := range v.Rows {
		out = append(out, r.Code+" "+r.Applicant)
	}
	return out
}
