package kiosk

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
	journey "github.com/motcua/motcua/internal/kiosk"
)

// Button is a touch button at least MinTarget high and wide.
type Button struct {
	widget.Button
	Min fyne.Size
}

// NewButton builds a large touch button.
func NewButton(label string, icon fyne.Resource, tapped func()) *Button {
	b := &Button{Min: fyne.NewSize(MinTarget, MinTarget)}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// MinSize is at least Min.
func (b *Button) MinSize() fyne.Size { return b.Button.MinSize().Max(b.Min) }

// tapArea is a full-screen tappable background (the screen saver).
type tapArea struct {
	widget.BaseWidget
	content fyne.CanvasObject
	onTap   func()
}

func newTapArea(content fyne.CanvasObject, onTap func()) *tapArea {
	t := &tapArea{content: content, onTap: onTap}
	t.ExtendBaseWidget(t)
	return t
}

func (t *tapArea) Tapped(*fyne.PointEvent) { t.onTap() }

func (t *tapArea) CreateRenderer() fyne.WidgetRenderer { return widget.NewSimpleRenderer(t.content) }

// Saver is the screen saver's tap target (tests tap it).
func (k *Kiosk) Saver() fyne.Tappable {
	if len(k.root.Objects) == 1 {
		if t, ok := k.root.Objects[0].(*tapArea); ok {
			return t
		}
	}
	return nil
}

func (k *Kiosk) saver() fyne.CanvasObject {
	k.Texts = nil
	bg := canvas.NewRectangle(navy)
	line := func(s string, size float32, bold bool) *canvas.Text {
		t := canvas.NewText(k.text(s), white)
		t.TextSize = size * k.scale()
		t.TextStyle.Bold = bold
		t.Alignment = fyne.TextAlignCenter
		return t
	}
	o := k.office
	items := []fyne.CanvasObject{
		line(o.ParentName, 28, false), line(o.Name, 52, true), line(lang.L("kiosk.header"), 32, false),
		layoutSpacer(40),
		line(o.Address, 26, false),
		line(widgets.T("kiosk.saver.phone", map[string]any{"Phone": o.Phone}), 26, false),
		line(widgets.T("kiosk.saver.hours", map[string]any{"Hours": o.Hours}), 26, false),
		layoutSpacer(80),
		line(lang.L("kiosk.saver.touch"), 40, true),
	}
	box := container.NewCenter(container.NewVBox(items...))
	if calls := k.callBanner(); calls != nil { // the hall still hears its numbers
		return newTapArea(container.NewBorder(calls, nil, nil, nil, container.NewStack(bg, box)), k.do(k.Machine.Wake))
	}
	return newTapArea(container.NewStack(bg, box), k.do(k.Machine.Wake))
}

func layoutSpacer(h float32) fyne.CanvasObject {
	r := canvas.NewRectangle(nil)
	r.SetMinSize(fyne.NewSize(1, h))
	return r
}

func (k *Kiosk) home() fyne.CanvasObject {
	type item struct {
		id, key string
		icon    fyne.Resource
		step    journey.Step
	}
	items := []item{
		{"lookup", "kiosk.home.lookup", theme.SearchIcon(), journey.StepLookupCode},
		{"verify", "kiosk.home.verify", theme.ConfirmIcon(), journey.StepVerifyScan},
		{"procedures", "kiosk.home.procedures", theme.DocumentIcon(), journey.StepProcedures},
		{"ticket", "kiosk.home.ticket", theme.ListIcon(), journey.StepTicketServices},
		{"rate", "kiosk.home.rate", theme.AccountIcon(), journey.StepRate},
	}
	var bs []fyne.CanvasObject
	for _, it := range items {
		step := it.step
		b := k.button(it.id, lang.L(it.key), it.icon, widget.HighImportance, k.do(func() { k.Machine.Start(step) }))
		b.Min = fyne.NewSize(MinTarget*4, MinTarget*2)
		bs = append(bs, b)
	}
	cols := 3
	if k.portrait() {
		cols = 1
	}
	top := container.NewVBox(k.title("kiosk.home.title"), k.Message)
	return container.NewBorder(container.NewPadded(top), nil, nil, nil,
		container.NewPadded(container.NewGridWithColumns(cols, bs...)))
}

// codeDisplay shows the agency id and the digits typed so far:
// "000.00.06.H56 - 261123 - 10__".
func (k *Kiosk) codeDisplay(in string) string {
	pad := in + strings.Repeat("_", max(journey.ShortCodeLen-len(in), 0))
	return k.office.AgencyID + " - " + pad[:6] + " - " + pad[6:]
}

// dots shows n typed digits as dots and the rest of want as blanks.
func dots(in string, want int) string {
	var b strings.Builder
	for i := 0; i < max(want, len(in)); i++ {
		if i > 0 {
			b.WriteString(" ")
		}
		if i < len(in) {
			b.WriteString("●")
		} else {
			b.WriteString("_")
		}
	}
	if b.Len() == 0 {
		return " "
	}
	return b.String()
}

// keypadScreen is a title, a hint, what was typed, the message and a
// numeric keypad with a submit button.
func (k *Kiosk) keypadScreen(titleKey, hintKey, display, submitKey string, st journey.State) fyne.CanvasObject {
	k.Display = canvas.NewText(k.text(display), black)
	k.Display.TextSize = 48 * k.scale()
	k.Display.TextStyle = fyne.TextStyle{Bold: true}
	k.Display.Alignment = fyne.TextAlignCenter
	hint := lang.L(hintKey)
	if st.Step == journey.StepLookupConfirm && st.Code != "" {
		hint = widgets.T(hintKey, map[string]any{"Code": st.Code})
	}
	info := container.NewVBox(k.title(titleKey), k.label(hint, theme.SizeNameSubHeadingText, false),
		container.NewPadded(k.Display), k.Message)
	if st.Busy {
		info.Add(k.label(lang.L("kiosk.busy"), theme.SizeNameSubHeadingText, false))
	}
	keys := make([]fyne.CanvasObject, 0, 12)
	for _, r := range "123456789" {
		keys = append(keys, k.key(r))
	}
	clear := k.button("clear", lang.L("kiosk.key.clear"), nil, widget.MediumImportance, k.do(k.Machine.Clear))
	bs := k.button("backspace", lang.L("kiosk.key.backspace"), theme.ContentUndoIcon(), widget.MediumImportance,
		k.do(k.Machine.Backspace))
	keys = append(keys, clear, k.key('0'), bs)
	pad := container.NewGridWithColumns(3, keys...)
	submit := k.button("submit", lang.L(submitKey), theme.ConfirmIcon(), widget.HighImportance,
		func() { k.io(k.Machine.Submit) })
	submit.Min = fyne.NewSize(MinTarget*4, MinTarget*1.5)
	if k.portrait() {
		return container.NewPadded(container.NewVBox(info, pad, submit))
	}
	right := container.NewVBox(pad, submit)
	return container.NewPadded(container.NewGridWithColumns(2, info, right))
}

func (k *Kiosk) key(r rune) *Button {
	b := k.button("key"+string(r), string(r), nil, widget.MediumImportance, k.do(func() { k.Machine.Key(r) }))
	b.Min = fyne.NewSize(MinTarget*2, MinTarget*1.4)
	return b
}

// wrapButton is a full-width button whose (long) label wraps: a button
// without text under a wrapping label, which taps pass through.
func (k *Kiosk) wrapButton(id, label string, tapped func()) fyne.CanvasObject {
	b := k.button(id, "", nil, widget.MediumImportance, tapped)
	l := k.label(label, theme.SizeNameText, true)
	return container.NewStack(b, container.NewPadded(l))
}

// row is a "label: value" line.
func (k *Kiosk) row(labelKey, value string) fyne.CanvasObject {
	l := k.label(lang.L(labelKey), theme.SizeNameText, false)
	v := k.label(value, theme.SizeNameSubHeadingText, true)
	return container.NewVBox(l, v)
}

// facts lays label/value pairs out in two columns.
func (k *Kiosk) facts(pairs ...string) *fyne.Container {
	var objs []fyne.CanvasObject
	for i := 0; i+1 < len(pairs); i += 2 {
		name := k.label(lang.L(pairs[i]), theme.SizeNameText, false)
		name.Wrapping = fyne.TextWrapOff // the form's label column takes its width from it
		objs = append(objs, name, k.label(pairs[i+1], theme.SizeNameSubHeadingText, true))
	}
	return container.New(layout.NewFormLayout(), objs...)
}

func (k *Kiosk) result(st journey.State) fyne.CanvasObject {
	d := st.Details
	status := k.label(lang.L(d.StatusKey), theme.SizeNameHeadingText, true)
	status.Importance = widget.HighImportance
	left := container.NewVBox(k.title("kiosk.result.title"), status)
	if d.Overdue {
		l := k.label(lang.L("kiosk.result.overdue"), theme.SizeNameSubHeadingText, true)
		l.Importance = widget.DangerImportance
		left.Add(l)
	}
	left.Add(k.label(lang.L(d.NextKey), theme.SizeNameSubHeadingText, false))
	due := ""
	if !d.DueAt.IsZero() {
		due = widgets.Appointment(d.DueAt)
	}
	facts := k.facts(
		"kiosk.result.code", d.Code,
		"kiosk.result.name", d.Name,
		"kiosk.result.procedure", d.Procedure,
		"kiosk.result.received", widgets.DateTime(d.ReceivedAt),
		"kiosk.result.due", due,
		"kiosk.result.return", lang.L(d.ReturnKey),
		"kiosk.result.fee", widgets.Money(d.Fee),
	)
	rate := k.button("rate_dossier", lang.L("kiosk.result.rate"), theme.AccountIcon(), widget.HighImportance,
		k.do(k.Machine.RateDossier))
	var body fyne.CanvasObject = container.NewVBox(left, widget.NewSeparator(), facts)
	if !k.portrait() {
		body = container.NewGridWithColumns(2, left, facts)
	}
	return container.NewBorder(nil, container.NewPadded(rate), nil, nil,
		container.NewVScroll(container.NewPadded(body)))
}

func (k *Kiosk) verifyScan() fyne.CanvasObject {
	icon := widget.NewIcon(theme.ViewFullScreenIcon())
	iconBox := container.NewCenter(container.NewGridWrap(fyne.NewSize(240, 240), icon))
	return container.NewPadded(container.NewVBox(k.title("kiosk.verify.title"),
		k.label(lang.L("kiosk.verify.hint"), theme.SizeNameSubHeadingText, false), iconBox, k.Message))
}

func (k *Kiosk) verifyResult(st journey.State) fyne.CanvasObject {
	v := st.Verification
	msg := k.label(lang.L(v.Result.Key()), theme.SizeNameHeadingText, true)
	icon := theme.ErrorIcon()
	msg.Importance = widget.DangerImportance
	if v.Result == journey.VerifyValid {
		msg.Importance = widget.SuccessImportance
		icon = theme.ConfirmIcon()
	} else if v.Result == journey.VerifyUnknownKey {
		msg.Importance = widget.WarningImportance
		icon = theme.WarningIcon()
	}
	items := []fyne.CanvasObject{k.title("kiosk.verify.title"),
		container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(96, 96), widget.NewIcon(icon)), nil, msg),
		k.label(lang.L(v.Result.Key()+"_detail"), theme.SizeNameSubHeadingText, false),
	}
	if v.Result == journey.VerifyValid {
		items = append(items,
			k.row("kiosk.result.code", v.Code),
			k.row("kiosk.result.received", widgets.DateTime(v.ReceivedAt)),
			k.row("kiosk.verify.promised", widgets.Appointment(v.DueAt)))
		if v.Known {
			b := k.button("verify_lookup", lang.L("kiosk.verify.lookup"), theme.SearchIcon(), widget.HighImportance,
				func() { k.io(k.Machine.VerifyLookup) })
			items = append(items, b)
		} else {
			items = append(items, k.label(lang.L("kiosk.verify.not_here"), theme.SizeNameText, false))
		}
	}
	items = append(items, k.Message)
	return container.NewVScroll(container.NewPadded(container.NewVBox(items...)))
}

func (k *Kiosk) procedures(st journey.State) fyne.CanvasObject {
	fields := []string{""}
	seen := map[string]bool{}
	for _, p := range k.dir.Procedures("") {
		if !seen[p.Field] {
			seen[p.Field] = true
			fields = append(fields, p.Field)
		}
	}
	var fb []fyne.CanvasObject
	for i, f := range fields {
		label := f
		if f == "" {
			label = lang.L("kiosk.procedures.all")
		}
		imp := widget.MediumImportance
		if st.Query == f {
			imp = widget.HighImportance
		}
		f := f
		fb = append(fb, k.button("field"+strconv.Itoa(i), label, nil, imp, k.do(func() { k.Machine.Search(f) })))
	}
	cols := 4
	if k.portrait() {
		cols = 2
	}
	var list []fyne.CanvasObject
	for i, p := range st.Procedures {
		code := p.Code
		list = append(list, k.wrapButton("proc"+strconv.Itoa(i), p.Name, k.do(func() { k.Machine.Open(code) })))
	}
	top := container.NewVBox(k.title("kiosk.procedures.title"), container.NewGridWithColumns(cols, fb...))
	return container.NewBorder(container.NewPadded(top), nil, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewVBox(list...))))
}

func (k *Kiosk) procedure(st journey.State) fyne.CanvasObject {
	p := st.Procedure
	items := []fyne.CanvasObject{
		k.label(p.Name, theme.SizeNameHeadingText, true),
		k.label(widgets.T("kiosk.procedure.field", map[string]any{"Field": p.Field, "Code": p.Code}), theme.SizeNameText, false),
		k.label(lang.L("kiosk.procedure.papers"), theme.SizeNameSubHeadingText, true),
	}
	for i, pp := range p.Papers {
		need := lang.L("kiosk.procedure.required")
		if !pp.Required {
			need = lang.L("kiosk.procedure.optional")
		}
		line := fmt.Sprintf("%d. %s — %s × %d (%s)", i+1, pp.Name, lang.L(pp.FormKey), pp.Count, need)
		items = append(items, k.label(line, theme.SizeNameText, false))
		if pp.Note != "" {
			n := k.label(pp.Note, theme.SizeNameCaptionText, false)
			n.TextStyle.Italic = true
			items = append(items, n)
		}
	}
	fee := widgets.Money(p.Fee)
	if p.FeeUnit != "" {
		fee = widgets.T("kiosk.procedure.fee_unit", map[string]any{"Fee": fee, "Unit": p.FeeUnit})
	}
	items = append(items, k.row("kiosk.procedure.fee", fee))
	if p.FeeNote != "" {
		items = append(items, k.label(p.FeeNote, theme.SizeNameCaptionText, false))
	}
	items = append(items, k.row("kiosk.procedure.deadline", p.Deadline))
	if p.Result != "" {
		items = append(items, k.row("kiosk.procedure.result", p.Result))
	}
	items = append(items, k.row("kiosk.procedure.where", p.Where))
	return container.NewVScroll(container.NewPadded(container.NewVBox(items...)))
}

func (k *Kiosk) services(st journey.State) fyne.CanvasObject {
	var bs []fyne.CanvasObject
	for i, s := range st.Services {
		s := s
		label := journey.TicketLabel(i, 0)[:1] + " · " + s
		b := k.button("service"+strconv.Itoa(i), label, nil, widget.HighImportance,
			func() { k.io(func(ctx context.Context) { k.Machine.TakeTicket(ctx, s) }) })
		b.Min = fyne.NewSize(MinTarget*4, MinTarget*1.5)
		bs = append(bs, b)
	}
	cols := 2
	if k.portrait() {
		cols = 1
	}
	top := container.NewVBox(k.title("kiosk.ticket.title"), k.label(lang.L("kiosk.ticket.hint"), theme.SizeNameSubHeadingText, false), k.Message)
	if st.Busy {
		top.Add(k.label(lang.L("kiosk.busy"), theme.SizeNameSubHeadingText, false))
	}
	return container.NewBorder(container.NewPadded(top), nil, nil, nil,
		container.NewVScroll(container.NewPadded(container.NewGridWithColumns(cols, bs...))))
}

func (k *Kiosk) ticket(st journey.State) fyne.CanvasObject {
	t := st.Ticket
	num := canvas.NewText(k.text(t.Label), navy)
	num.TextSize = 180 * k.scale()
	num.TextStyle.Bold = true
	num.Alignment = fyne.TextAlignCenter
	items := []fyne.CanvasObject{
		k.title("kiosk.ticket.your_number"),
		num,
		k.label(t.Service, theme.SizeNameHeadingText, true),
		k.label(widgets.T("kiosk.ticket.taken", map[string]any{"Time": widgets.DateTime(t.TakenAt)}), theme.SizeNameSubHeadingText, false),
		k.label(widgets.T("kiosk.ticket.waiting", map[string]any{"N": t.Waiting}), theme.SizeNameSubHeadingText, false),
	}
	if st.PrinterError {
		items = append(items, k.Message)
	} else {
		items = append(items, k.label(lang.L("kiosk.ticket.printed"), theme.SizeNameSubHeadingText, false))
	}
	return container.NewVScroll(container.NewPadded(container.NewVBox(items...)))
}

func (k *Kiosk) rate(st journey.State) fyne.CanvasObject {
	top := container.NewVBox(k.title("kiosk.rate.title"))
	if st.RateCode != "" {
		top.Add(k.label(widgets.T("kiosk.rate.about", map[string]any{"Code": st.RateCode}), theme.SizeNameSubHeadingText, false))
	}
	top.Add(k.Message)
	icons := map[journey.Rating]fyne.Resource{journey.VerySatisfied: theme.ConfirmIcon(),
		journey.Satisfied: theme.CheckButtonCheckedIcon(), journey.NotSatisfied: theme.CancelIcon()}
	var bs []fyne.CanvasObject
	for _, r := range []journey.Rating{journey.VerySatisfied, journey.Satisfied, journey.NotSatisfied} {
		r := r
		id := "rate" + strconv.Itoa(int(r))
		b := k.button(id, lang.L("kiosk."+id), icons[r], widget.HighImportance,
			func() { k.io(func(ctx context.Context) { k.Machine.Rate(ctx, r) }) })
		b.Min = fyne.NewSize(MinTarget*4, MinTarget*2.5)
		bs = append(bs, b)
	}
	cols := 3
	if k.portrait() {
		cols = 1
	}
	return container.NewBorder(container.NewPadded(top), nil, nil, nil,
		container.NewPadded(container.NewGridWithColumns(cols, bs...)))
}

func (k *Kiosk) rateDone() fyne.CanvasObject {
	// no Center here: a wrapping label in a Center container has no width
	// and grows the window instead
	t := k.title("kiosk.rate.thanks")
	t.Alignment = fyne.TextAlignCenter
	d := k.label(lang.L("kiosk.rate.thanks_detail"), theme.SizeNameSubHeadingText, false)
	d.Alignment = fyne.TextAlignCenter
	return container.NewPadded(container.NewVBox(layoutSpacer(120), t, d))
}
