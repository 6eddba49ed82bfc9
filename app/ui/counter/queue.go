package counter

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/kiosk"
)

// QueueService is the kiosk's queue as one counter calls it;
// kiosk.CounterQueue implements it over the device's store.
type QueueService interface {
	// Board is this counter's view of today's queue, the waiting numbers
	// of service only unless service is "".
	Board(ctx context.Context, service string) (kiosk.Board, error)
	// CallNext calls the next waiting number (of service, or of any) to this
	// counter; kiosk.ErrQueueEmpty when nobody waits.
	CallNext(ctx context.Context, service string) (kiosk.Call, error)
	// Recall calls this counter's current number again;
	// kiosk.ErrNothingToRecall when it has called none today.
	Recall(ctx context.Context) (kiosk.Call, error)
	// Name is the counter's number as the hall is told ("1").
	Name() string
	// ServiceList returns the queue's services in the kiosk's order.
	ServiceList() []string
}

var _ QueueService = kiosk.CounterQueue{}

// maxWaitingShown is how many waiting numbers the page lists.
const maxWaitingShown = 15

// QueueScreen is the counter's queue page: the number being served, the
// numbers waiting, and the buttons that call the next number or call the
// current one again. The kiosk in the hall shows each call.
type QueueScreen struct {
	Title    *widget.Label
	Serving  *canvas.Text  // "A012", or "—" before the first call
	Service  *widget.Label // the service of the number served
	Count    *widget.Label // "Đang chờ: 3 số"
	Waiting  *fyne.Container
	Filter   *widget.Select // "Tất cả dịch vụ" or one service
	CallNext *widget.Button
	Recall   *widget.Button
	Reload   *widget.Button
	Message  *widget.Label

	// Board is the board shown.
	Board kiosk.Board

	svc      QueueService
	tasks    *widgets.Tasks
	services []string
	service  string // "" = every service
	content  fyne.CanvasObject
}

// NewQueueScreen builds the queue page; call Load to fill it.
func NewQueueScreen(svc QueueService, tasks *widgets.Tasks) *QueueScreen {
	q := &QueueScreen{svc: svc, tasks: tasks, services: svc.ServiceList()}
	q.Title = widget.NewLabelWithStyle(widgets.T("kiosk.queue.title", map[string]any{"Counter": svc.Name()}),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	q.Title.SizeName = theme.SizeNameHeadingText
	q.Serving = canvas.NewText("—", theme.Color(theme.ColorNamePrimary))
	q.Serving.TextSize = 96
	q.Serving.TextStyle.Bold = true
	q.Serving.Alignment = fyne.TextAlignCenter
	q.Service = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{})
	q.Count = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	q.Waiting = container.NewVBox()
	q.Message = widget.NewLabel("")
	q.Message.Wrapping = fyne.TextWrapWord
	all := lang.L("kiosk.queue.all")
	q.Filter = widget.NewSelect(append([]string{all}, q.services...), func(s string) {
		if s == all {
			s = ""
		}
		if s != q.service {
			q.service = s
			q.Load()
		}
	})
	q.Filter.SetSelectedIndex(0)
	q.CallNext = widget.NewButtonWithIcon(lang.L("kiosk.queue.call_next"), theme.MediaSkipNextIcon(), widgets.Act(q.callNext))
	q.CallNext.Importance = widget.HighImportance
	q.Recall = widget.NewButtonWithIcon(lang.L("kiosk.queue.recall"), theme.MediaReplayIcon(), widgets.Act(q.recall))
	q.Reload = widget.NewButtonWithIcon(lang.L("kiosk.queue.reload"), theme.ViewRefreshIcon(), widgets.Act(q.Load))

	serving := widget.NewCard(lang.L("kiosk.queue.serving"), "",
		container.NewVBox(q.Serving, q.Service, container.NewGridWithColumns(2, q.CallNext, q.Recall)))
	waiting := container.NewBorder(q.Count, nil, nil, nil, container.NewVScroll(q.Waiting))
	top := container.NewHBox(q.Title, layout.NewSpacer(),
		widget.NewLabel(lang.L("kiosk.queue.filter")),
		container.NewGridWrap(fyne.NewSize(260, q.Filter.MinSize().Height), q.Filter), q.Reload)
	q.content = container.NewBorder(top, q.Message, nil, nil,
		container.NewGridWithColumns(2, serving, widget.NewCard(lang.L("kiosk.queue.waiting_title"), "", waiting)))
	q.show(kiosk.Board{})
	return q
}

// Content is the screen's canvas object.
func (q *QueueScreen) Content() fyne.CanvasObject { return q.content }

// Load reads the board off the UI goroutine and shows it.
func (q *QueueScreen) Load() {
	service := q.service
	q.tasks.Go(func() {
		b, err := q.svc.Board(context.Background(), service)
		fyne.Do(func() {
			if err != nil {
				fyne.LogError("queue board", err)
				q.Message.SetText(lang.L("kiosk.queue.failed"))
				return
			}
			q.show(b)
		})
	})
}

func (q *QueueScreen) callNext() {
	service := q.service
	q.CallNext.Disable()
	q.tasks.Go(func() {
		c, err := q.svc.CallNext(context.Background(), service)
		fyne.Do(func() {
			q.CallNext.Enable()
			q.called(c, err, "kiosk.queue.called")
		})
	})
}

func (q *QueueScreen) recall() {
	q.tasks.Go(func() {
		c, err := q.svc.Recall(context.Background())
		fyne.Do(func() { q.called(c, err, "kiosk.queue.recalled") })
	})
}

// called shows the outcome of a call and reloads the board.
func (q *QueueScreen) called(c kiosk.Call, err error, key string) {
	switch {
	case err == nil:
		q.Message.SetText(widgets.T(key, map[string]any{"Label": c.Label, "Counter": c.Counter}))
	case errors.Is(err, kiosk.ErrQueueEmpty):
		q.Message.SetText(lang.L("kiosk.queue.empty"))
	case errors.Is(err, kiosk.ErrNothingToRecall):
		q.Message.SetText(lang.L("kiosk.queue.nothing_to_recall"))
	default:
		fyne.LogError("queue call", err)
		q.Message.SetText(lang.L("kiosk.queue.failed"))
	}
	q.Load()
}

func (q *QueueScreen) show(b kiosk.Board) {
	q.Board = b
	if b.Serving != nil {
		q.Serving.Text = b.Serving.Label
		q.Service.SetText(widgets.T("kiosk.queue.serving_detail", map[string]any{
			"Service": b.Serving.Service, "At": b.Serving.At.In(widgets.Zone).Format("15:04"), "Served": b.Served}))
		q.Recall.Enable()
	} else {
		q.Serving.Text = "—"
		q.Service.SetText(lang.L("kiosk.queue.none_called"))
		q.Recall.Disable()
	}
	q.Serving.Refresh()
	q.Count.SetText(widgets.T("kiosk.queue.count", map[string]any{"N": len(b.Waiting)}))
	q.Waiting.RemoveAll()
	for i, w := range b.Waiting {
		if i == maxWaitingShown {
			q.Waiting.Add(widget.NewLabel(widgets.T("kiosk.queue.more", map[string]any{"N": len(b.Waiting) - i})))
			break
		}
		q.Waiting.Add(widget.NewLabel(widgets.T("kiosk.queue.item", map[string]any{
			"Label": w.Label, "Service": w.Service, "At": w.TakenAt.In(widgets.Zone).Format("15:04")})))
	}
	if len(b.Waiting) == 0 {
		q.Waiting.Add(widget.NewLabel(lang.L("kiosk.queue.nobody")))
	}
	if len(b.Waiting) == 0 {
		q.CallNext.Disable()
	} else {
		q.CallNext.Enable()
	}
}

// addQueueTab adds the queue page when the composition root gave a queue;
// the board reloads each time the tab is selected.
func (c *Counter) addQueueTab() {
	if c.svc.Queue == nil {
		return
	}
	c.QueueScreen = NewQueueScreen(c.svc.Queue, &c.Tasks)
	c.win.Canvas().AddShortcut(&desktop.CustomShortcut{KeyName: fyne.KeyG, Modifier: fyne.KeyModifierShortcutDefault},
		func(fyne.Shortcut) { c.ShowQueue() })
	c.Tabs.Append(container.NewTabItemWithIcon(lang.L("kiosk.queue.nav"), theme.AccountIcon(), c.QueueScreen.Content()))
	prev := c.Tabs.OnSelected
	c.Tabs.OnSelected = func(ti *container.TabItem) {
		if prev != nil {
			prev(ti)
		}
		if ti.Content == c.QueueScreen.Content() {
			c.QueueScreen.Load()
		}
	}
}

// queueTab is the index of the queue tab, -1 if none.
func (c *Counter) queueTab() int {
	if c.QueueScreen == nil {
		return -1
	}
	return c.tabOf(c.QueueScreen.Content())
}

// queueLoggedIn opens the queue page to accounts that receive dossiers.
func (c *Counter) queueLoggedIn() {
	if c.QueueScreen != nil {
		c.gateTab(c.QueueScreen.Content(), auth.PermDossierReceive, c.QueueScreen.Load)
	}
}

// ShowQueue (Ctrl+G, "gọi số") switches to the queue page and reloads it.
func (c *Counter) ShowQueue() {
	if i := c.queueTab(); i >= 0 && c.loggedInNow() && c.canReceive() {
		c.Tabs.SelectIndex(i)
		c.QueueScreen.Load()
	}
}
