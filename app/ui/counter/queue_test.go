package counter_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/counter"
	uikiosk "github.com/motcua/motcua/app/ui/kiosk"
	"github.com/motcua/motcua/app/ui/uitest"
	journey "github.com/motcua/motcua/internal/kiosk"
)

// hall is the kiosk in the office's hall, on the same store as the counter.
type hall struct {
	w fyne.Window
	k *uikiosk.Kiosk
}

func openHall(t *testing.T, env *uitest.Env) *hall {
	t.Helper()
	svc, _, err := env.Kiosk(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m := journey.NewMachine(svc, uitest.Office.AgencyID, env.Clock.Now)
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1920, 1080))
	k := uikiosk.New(w, svc, m, uikiosk.Options{Now: env.Clock.Now, Orientation: uikiosk.Landscape})
	k.Tasks.Inline = true
	w.SetContent(k.Content())
	return &hall{w: w, k: k}
}

func (h *hall) tap(t *testing.T, id string) {
	t.Helper()
	b, ok := h.k.Buttons[id]
	if !ok {
		t.Fatalf("kiosk: no button %q on %v", id, h.k.State().Step)
	}
	test.Tap(b)
	h.k.Wait()
}

// takeTicket takes a number for the kiosk's service i and returns its label.
func (h *hall) takeTicket(t *testing.T, i int) string {
	t.Helper()
	if h.k.State().Step != journey.StepHome {
		h.tap(t, "home")
	}
	h.tap(t, "ticket")
	h.tap(t, "service"+string(rune('0'+i)))
	st := h.k.State()
	if st.Step != journey.StepTicket {
		t.Fatalf("kiosk: ticket not issued: %v %q", st.Step, st.Msg)
	}
	return st.Ticket.Label
}

// shows reports whether the kiosk shows a text containing s.
func (h *hall) shows(s string) bool {
	for _, x := range h.k.Texts {
		if strings.Contains(x, s) {
			return true
		}
	}
	return false
}

// openQueueCounter opens the counter with its queue page on env.
func openQueueCounter(t *testing.T, env *uitest.Env) (fyne.Window, *counter.Counter) {
	t.Helper()
	q, err := env.CounterQueue(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	svcs := env.Services()
	svcs.Queue = q
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1280, 800))
	c := counter.New(w, svcs, counter.Options{Now: env.Clock.Now})
	c.Tasks.Inline = true
	w.SetContent(c.Content())
	login(t, c)
	// Ctrl+G from the reception search (focused after login) opens the page
	w.Canvas().Focused().(fyne.Shortcutable).TypedShortcut(
		&desktop.CustomShortcut{KeyName: fyne.KeyG, Modifier: fyne.KeyModifierShortcutDefault})
	c.Wait()
	if c.QueueScreen == nil || !showing(w, c.QueueScreen.CallNext) {
		t.Fatal("the queue page is not shown")
	}
	return w, c
}

func TestTheCounterCallsTheKioskNumbersAndTheHallIsTold(t *testing.T) {
	test.NewTempApp(t)
	env := uitest.NewEnv(t)
	ctx := context.Background()
	h := openHall(t, env)

	a1 := h.takeTicket(t, 0)
	env.Clock.Advance(time.Minute)
	b1 := h.takeTicket(t, 1)
	env.Clock.Advance(time.Minute)
	a2 := h.takeTicket(t, 0)
	if a1 != "A001" || b1 != "B001" || a2 != "A002" {
		t.Fatalf("tickets %s %s %s, want A001 B001 A002", a1, b1, a2)
	}

	_, c := openQueueCounter(t, env)
	q := c.QueueScreen
	if q.Serving.Text != "—" || len(q.Board.Waiting) != 3 || !q.Recall.Disabled() || q.CallNext.Disabled() {
		t.Fatalf("before any call: serving %q, %d waiting, recall disabled %v, call disabled %v",
			q.Serving.Text, len(q.Board.Waiting), q.Recall.Disabled(), q.CallNext.Disabled())
	}
	if q.Count.Text != "Đang chờ: 3 số" || !strings.Contains(q.Title.Text, "Quầy 1") {
		t.Fatalf("count %q, title %q", q.Count.Text, q.Title.Text)
	}
	h.k.RefreshCalls(ctx)
	if len(h.k.Calls) != 0 || h.shows("Mời số") {
		t.Fatalf("the hall is told a number before any call: %v", h.k.Calls)
	}

	// the first call takes the oldest number of any service
	env.Clock.Advance(time.Minute)
	test.Tap(q.CallNext)
	c.Wait()
	if q.Serving.Text != "A001" || q.Message.Text != "Đã gọi: mời số A001 đến quầy 1." || len(q.Board.Waiting) != 2 {
		t.Fatalf("after calling: serving %q, message %q, %d waiting", q.Serving.Text, q.Message.Text, len(q.Board.Waiting))
	}
	h.k.RefreshCalls(ctx)
	if !h.shows("Mời số A001 đến quầy 1") {
		t.Fatalf("the kiosk does not tell the hall: %q", h.k.Texts)
	}

	// calling for one service skips the others' numbers
	q.Filter.SetSelectedIndex(2) // 0 is every service, 1 the kiosk's first
	c.Wait()
	if len(q.Board.Waiting) != 1 || q.Board.Waiting[0].Label != "B001" {
		t.Fatalf("waiting for the second service: %+v", q.Board.Waiting)
	}
	env.Clock.Advance(time.Minute)
	test.Tap(q.CallNext)
	c.Wait()
	if q.Serving.Text != "B001" {
		t.Fatalf("after calling the second service: serving %q (%q)", q.Serving.Text, q.Message.Text)
	}
	if !q.CallNext.Disabled() {
		t.Fatal("call next stays enabled with nobody of that service waiting")
	}
	h.k.RefreshCalls(ctx)
	if len(h.k.Calls) != 1 || h.k.Calls[0].Label != "B001" || !h.shows("Mời số B001 đến quầy 1") {
		t.Fatalf("hall after the second call: %+v", h.k.Calls)
	}

	// the citizen did not come: call the same number again
	env.Clock.Advance(time.Minute)
	test.Tap(q.Recall)
	c.Wait()
	if q.Serving.Text != "B001" || q.Message.Text != "Đã gọi lại: mời số B001 đến quầy 1." {
		t.Fatalf("after recall: serving %q, message %q", q.Serving.Text, q.Message.Text)
	}
	h.k.RefreshCalls(ctx)
	if len(h.k.Calls) != 1 || !h.k.Calls[0].At.Equal(env.Clock.Now()) {
		t.Fatalf("the recall is not told to the hall anew: %+v (now %v)", h.k.Calls, env.Clock.Now())
	}

	// back to every service: A002, then nobody is left
	q.Filter.SetSelectedIndex(0)
	c.Wait()
	test.Tap(q.CallNext)
	c.Wait()
	if q.Serving.Text != "A002" || len(q.Board.Waiting) != 0 || q.Board.Served != 3 {
		t.Fatalf("last call: serving %q, %d waiting, %d served", q.Serving.Text, len(q.Board.Waiting), q.Board.Served)
	}
	if !q.CallNext.Disabled() {
		t.Fatal("call next stays enabled with nobody waiting")
	}
	// the screen cannot call, but the service still answers plainly
	if _, err := env.Store.CallNextTicket(ctx, "", "1"); err == nil {
		t.Fatal("a call with nobody waiting succeeded")
	}

	// the hall shows the screen saver: it still shows the numbers called
	for range 2 { // idle: back to the start screen, then the saver
		env.Clock.Advance(time.Hour)
		h.k.Tick()
	}
	h.k.RefreshCalls(ctx)
	if h.k.State().Step != journey.StepSaver || !h.shows("Mời số A002 đến quầy 1") {
		t.Fatalf("saver: %v %q", h.k.State().Step, h.k.Texts)
	}

	// a restart of the counter keeps the queue: the number served and the count
	_, c2 := openQueueCounter(t, env)
	if c2.QueueScreen.Serving.Text != "A002" || c2.QueueScreen.Board.Served != 3 {
		t.Fatalf("after a restart: serving %q, %d served", c2.QueueScreen.Serving.Text, c2.QueueScreen.Board.Served)
	}
}

func TestTheQueuePageSaysWhenNobodyWaitsAndNothingCanBeRecalled(t *testing.T) {
	test.NewTempApp(t)
	env := uitest.NewEnv(t)
	_, c := openQueueCounter(t, env)
	q := c.QueueScreen
	if q.Count.Text != "Đang chờ: 0 số" || q.Service.Text != "Quầy chưa gọi số nào hôm nay." {
		t.Fatalf("empty queue: count %q, serving %q", q.Count.Text, q.Service.Text)
	}
	if !q.CallNext.Disabled() || !q.Recall.Disabled() {
		t.Fatal("buttons enabled on an empty queue")
	}
	// a ticket taken at the kiosk while the page is open shows on reload
	h := openHall(t, env)
	label := h.takeTicket(t, 0)
	test.Tap(q.Reload)
	c.Wait()
	if len(q.Board.Waiting) != 1 || q.Board.Waiting[0].Label != label || q.CallNext.Disabled() {
		t.Fatalf("after a ticket and a reload: %+v", q.Board.Waiting)
	}
}
