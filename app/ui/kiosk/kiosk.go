package kiosk

import (
	"context"
	"slices"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
	journey "github.com/motcua/motcua/internal/kiosk"
)

// MinTarget is the smallest touch target the kiosk draws, in Fyne's
// device-independent pixels (≥ 48 px at 96 dpi, about 9 mm).
const MinTarget = 64

// Orientation of the kiosk's screen.
const (
	Portrait  = "portrait"
	Landscape = "landscape"
)

// Options tune the kiosk; the zero value suits production.
type Options struct {
	Now func() time.Time // nil = time.Now
	// Orientation is Portrait, Landscape or "" (from the window's shape).
	Orientation string
	// FontScale multiplies the kiosk's (already large) type; 0 = 1.
	FontScale float32
	// OnExit runs on the UI goroutine when the technician's PIN matched.
	OnExit func()
}

// Kiosk is the kiosk window's content.
type Kiosk struct {
	Tasks   widgets.Tasks
	Machine *journey.Machine

	// The widgets of the screen shown, for tests: buttons by name
	// ("lookup", "verify", "procedures", "ticket", "rate", "tech", "home",
	// "back", "submit", "clear", "backspace", "key0"…"key9", "service0"…,
	// "proc0"…, "field0"…, "rate1"…"rate3", "wake", "verify_lookup",
	// "rate_dossier"), the keypad display, the message line, and every text
	// shown (Texts).
	Buttons map[string]*Button
	Display *canvas.Text
	Message *widget.Label
	Texts   []string
	// Calls are the numbers the counters called, as the hall is told
	// ("Mời số A012 đến quầy 1"); the newest first.
	Calls []journey.Call
	// Link is the device's link to the hub; when it is down a band says
	// that answers may be out of date.
	Link journey.LinkStatus

	win    fyne.Window
	dir    journey.Directory
	opts   Options
	root   *fyne.Container
	themed *container.ThemeOverride
	office journey.Office

	scanMu  sync.Mutex
	scanBuf strings.Builder
	exited  bool
}

// New builds the kiosk for win over dir, with its journey machine m (see
// journey.NewMachine). Put Content in the window, full screen.
func New(win fyne.Window, dir journey.Directory, m *journey.Machine, opts Options) *Kiosk {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	k := &Kiosk{win: win, dir: dir, Machine: m, opts: opts}
	k.office = dir.Office(context.Background())
	k.root = container.NewStack()
	k.themed = container.NewThemeOverride(k.root, NewTheme(opts.FontScale))
	k.listenScanner()
	k.render()
	return k
}

// Content is what the window shows.
func (k *Kiosk) Content() fyne.CanvasObject { return k.themed }

// Wait blocks until every task started so far has finished.
func (k *Kiosk) Wait() { k.Tasks.Wait() }

// State is the journey's current state.
func (k *Kiosk) State() journey.State { return k.Machine.State() }

// RunIdle checks the idle time on every tick until ctx ends (the
// composition root runs it in a goroutine with a time.Ticker's channel).
func (k *Kiosk) RunIdle(ctx context.Context, tick <-chan time.Time) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick:
			if k.Machine.Tick(k.opts.Now()) {
				fyne.Do(k.render)
			}
			k.RefreshCalls(ctx)
		}
	}
}

// maxCallsShown is how many counters' calls the header lists.
const maxCallsShown = 3

// RefreshCalls reads the numbers the counters called and the link to the
// hub, and shows them when they changed. It reads on the caller's goroutine
// (RunIdle's) and renders with fyne.Do.
func (k *Kiosk) RefreshCalls(ctx context.Context) {
	cs, err := k.dir.Calls(ctx)
	if err != nil {
		fyne.LogError("kiosk calls", err) // the last calls stay shown
	}
	if len(cs) > maxCallsShown {
		cs = cs[:maxCallsShown]
	}
	link := k.dir.Link(ctx)
	fyne.Do(func() {
		changed := link != k.Link
		k.Link = link
		if err == nil && !slices.Equal(cs, k.Calls) {
			k.Calls, changed = cs, true
		}
		if changed {
			k.render()
		}
	})
}

// Tick checks the idle time once, on the UI goroutine (tests).
func (k *Kiosk) Tick() {
	if k.Machine.Tick(k.opts.Now()) {
		k.render()
	}
}

// listenScanner reads a keyboard-wedge scanner: characters typed into the
// window's canvas (no entry has the focus on a kiosk) up to Enter.
func (k *Kiosk) listenScanner() {
	c := k.win.Canvas()
	c.SetOnTypedRune(func(r rune) {
		k.scanMu.Lock()
		defer k.scanMu.Unlock()
		if k.scanBuf.Len() < journey.MaxInput+8 {
			k.scanBuf.WriteRune(r)
		}
	})
	c.SetOnTypedKey(func(ev *fyne.KeyEvent) {
		if ev.Name != fyne.KeyReturn && ev.Name != fyne.KeyEnter {
			return
		}
		k.scanMu.Lock()
		s := k.scanBuf.String()
		k.scanBuf.Reset()
		k.scanMu.Unlock()
		if strings.TrimSpace(s) != "" {
			k.scanned(s)
		}
	})
}

// ScanInput hands the kiosk what a serial QR scanner read; safe from any
// goroutine.
func (k *Kiosk) ScanInput(text string) {
	fyne.Do(func() { k.scanned(text) })
}

func (k *Kiosk) scanned(text string) {
	k.io(func(ctx context.Context) { k.Machine.Scan(ctx, text) })
}

// io shows the busy state and runs f off the UI goroutine, then renders.
func (k *Kiosk) io(f func(ctx context.Context)) {
	k.Tasks.Go(func() {
		f(context.Background())
		fyne.Do(k.render)
	})
}

// do runs a pure machine event and renders.
func (k *Kiosk) do(f func()) func() {
	return func() {
		f()
		k.render()
	}
}

func (k *Kiosk) portrait() bool {
	switch k.opts.Orientation {
	case Portrait:
		return true
	case Landscape:
		return false
	}
	s := k.win.Canvas().Size()
	return s.Height > s.Width
}

// render rebuilds the screen from the machine's state.
func (k *Kiosk) render() {
	st := k.Machine.State()
	if st.Step == journey.StepExit {
		if !k.exited && k.opts.OnExit != nil {
			k.exited = true
			k.opts.OnExit()
		}
		return
	}
	k.Buttons = map[string]*Button{}
	k.Display = nil
	k.Texts = nil
	k.Message = widget.NewLabel("")
	k.Message.Wrapping = fyne.TextWrapWord
	k.Message.TextStyle.Bold = true
	k.Message.Importance = widget.DangerImportance
	if st.Msg != "" {
		k.Message.SetText(k.text(widgets.T(st.Msg, st.MsgData)))
	}
	var body fyne.CanvasObject
	switch st.Step {
	case journey.StepSaver:
		k.root.Objects = []fyne.CanvasObject{k.saver()}
		k.themed.Refresh()
		return
	case journey.StepHome:
		body = k.home()
	case journey.StepLookupCode:
		body = k.keypadScreen("kiosk.lookup.title", "kiosk.lookup.hint", k.codeDisplay(st.Input), "kiosk.lookup.submit", st)
	case journey.StepLookupConfirm:
		body = k.keypadScreen("kiosk.confirm.title", "kiosk.confirm.hint", dots(st.Input, journey.DigitsLen), "kiosk.confirm.submit", st)
	case journey.StepLookupResult:
		body = k.result(st)
	case journey.StepVerifyScan:
		body = k.verifyScan()
	case journey.StepVerifyResult:
		body = k.verifyResult(st)
	case journey.StepProcedures:
		body = k.procedures(st)
	case journey.StepProcedure:
		body = k.procedure(st)
	case journey.StepTicketServices:
		body = k.services(st)
	case journey.StepTicket:
		body = k.ticket(st)
	case journey.StepRate:
		body = k.rate(st)
	case journey.StepRateDone:
		body = k.rateDone()
	case journey.StepPIN:
		body = k.keypadScreen("kiosk.pin.title", "kiosk.pin.hint", dots(st.Input, len(st.Input)), "kiosk.pin.submit", st)
	}
	k.root.Objects = []fyne.CanvasObject{container.NewBorder(k.header(), k.footer(st), nil, nil, body)}
	k.themed.Refresh()
}

// text records s as shown and returns it.
func (k *Kiosk) text(s string) string {
	k.Texts = append(k.Texts, s)
	return s
}

func (k *Kiosk) label(s string, size fyne.ThemeSizeName, bold bool) *widget.Label {
	l := widget.NewLabel(k.text(s))
	l.Wrapping = fyne.TextWrapWord
	l.SizeName = size
	l.TextStyle.Bold = bold
	return l
}

func (k *Kiosk) title(key string) *widget.Label {
	return k.label(lang.L(key), theme.SizeNameHeadingText, true)
}

// button registers a large button under id.
func (k *Kiosk) button(id, label string, icon fyne.Resource, imp widget.Importance, tapped func()) *Button {
	b := NewButton(k.text(label), icon, tapped)
	b.Importance = imp
	k.Buttons[id] = b
	return b
}

func (k *Kiosk) header() fyne.CanvasObject {
	bg := canvas.NewRectangle(navy)
	name := canvas.NewText(k.text(k.office.Name), white)
	name.TextSize = 30 * k.scale()
	name.TextStyle.Bold = true
	sub := canvas.NewText(k.text(lang.L("kiosk.header")), white)
	sub.TextSize = 20 * k.scale()
	head := container.NewStack(bg, container.NewPadded(container.NewVBox(name, sub)))
	box := container.NewVBox(head)
	if calls := k.callBanner(); calls != nil {
		box.Add(calls)
	}
	if off := k.offlineBand(); off != nil {
		box.Add(off)
	}
	return box
}

// offlineBand says in plain words that the network is down and since when
// the answers are not updated; nil while the link is up.
func (k *Kiosk) offlineBand() fyne.CanvasObject {
	if !k.Link.Offline() {
		return nil
	}
	msg := lang.L("kiosk.offline.never")
	if !k.Link.LastSuccess.IsZero() {
		msg = widgets.T("kiosk.offline.since", map[string]any{"At": widgets.DateTime(k.Link.LastSuccess)})
	}
	l := k.label(msg, theme.SizeNameSubHeadingText, true)
	l.Importance = widget.DangerImportance
	return container.NewPadded(l)
}

// callBanner tells the hall the numbers called: the newest in large type
// ("Mời số A012 đến quầy 1"), the other counters' last calls below it.
func (k *Kiosk) callBanner() fyne.CanvasObject {
	if len(k.Calls) == 0 {
		return nil
	}
	line := func(c journey.Call, size float32) *canvas.Text {
		t := canvas.NewText(k.text(widgets.T("kiosk.call.banner", map[string]any{"Label": c.Label, "Counter": c.Counter})), black)
		t.TextSize = size * k.scale()
		t.TextStyle.Bold = true
		t.Alignment = fyne.TextAlignCenter
		return t
	}
	box := container.NewVBox(line(k.Calls[0], 44))
	for _, c := range k.Calls[1:] {
		box.Add(line(c, 26))
	}
	return container.NewStack(canvas.NewRectangle(amber), container.NewPadded(box))
}

func (k *Kiosk) scale() float32 {
	if k.opts.FontScale <= 0 {
		return 1
	}
	return k.opts.FontScale
}

func (k *Kiosk) footer(st journey.State) fyne.CanvasObject {
	if st.Step == journey.StepHome {
		tech := k.button("tech", lang.L("kiosk.tech"), theme.SettingsIcon(), widget.LowImportance,
			k.do(func() { k.Machine.Start(journey.StepPIN) }))
		hint := k.label(lang.L("kiosk.home.scan_hint"), theme.SizeNameSubHeadingText, false)
		return container.NewPadded(container.NewBorder(nil, nil, nil, tech, hint))
	}
	home := k.button("home", lang.L("kiosk.nav.home"), theme.HomeIcon(), widget.MediumImportance,
		k.do(k.Machine.Home))
	back := k.button("back", lang.L("kiosk.nav.back"), theme.NavigateBackIcon(), widget.MediumImportance,
		k.do(k.Machine.Back))
	return container.NewPadded(container.NewGridWithColumns(2, back, home))
}
