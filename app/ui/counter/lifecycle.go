package counter

import (
	"context"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/reception"
)

// Lifecycle is the steps of a dossier after reception;
// *reception.Lifecycle implements it.
type Lifecycle interface {
	Step(ctx context.Context, actor auth.Account, id int64, from dossier.Status, a dossier.Action, note string) (*dossier.Dossier, error)
	RequestSupplement(ctx context.Context, actor auth.Account, id int64, from dossier.Status, s dossier.Supplement) (*dossier.Dossier, error)
	Transfer(ctx context.Context, actor auth.Account, id int64, from dossier.Status, agency, note string) (*dossier.Dossier, error)
	ReturnResult(ctx context.Context, actor auth.Account, id int64, from dossier.Status, c dossier.Collector) (*dossier.Dossier, error)
	Close(ctx context.Context, actor auth.Account, id int64, from dossier.Status, a dossier.Action, reason string) (*dossier.Dossier, error)
	Apologise(ctx context.Context, actor auth.Account, id int64, from dossier.Status, newDue time.Time, reason string, override bool) (*dossier.Dossier, error)
	ProposedDue(d *dossier.Dossier, days int) time.Time
	History(ctx context.Context, id int64) (dossier.Lifecycle, error)
}

var _ Lifecycle = (*reception.Lifecycle)(nil)

// Forms renders the lifecycle's paper forms of a saved dossier: "02"
// supplement request, "03" refusal, "04" apology, "06" control slip. The
// composition root assembles it from internal/receipt.
type Forms interface {
	FormPDF(ctx context.Context, form string, d *dossier.Dossier) ([]byte, error)
}

// dueLayout is how the apology dialog reads and shows a new appointment.
const dueLayout = "02/01/2006 15:04"

// detailSteps is the detail view's step buttons, their dialogs and the
// record of what happened after reception.
type detailSteps struct {
	v        *Detail
	win      fyne.Window
	svc      Lifecycle
	forms    Forms
	receipts Receipts
	account  func() auth.Account
	now      func() time.Time

	buttons map[dossier.Action]*widget.Button
	prints  map[string]*widget.Button
	dialog  *StepDialog
	message *widget.Label
}

// EnableSteps gives the detail view its step buttons (one per step the
// account may take on the dossier's status), their dialogs and the print
// buttons of forms 02, 03, 04 and 06. forms and receipts may be nil.
func (v *Detail) EnableSteps(win fyne.Window, svc Lifecycle, forms Forms, receipts Receipts, account func() auth.Account) {
	if svc == nil {
		return
	}
	v.steps = &detailSteps{v: v, win: win, svc: svc, forms: forms, receipts: receipts, account: account, now: v.now,
		message: widget.NewLabel("")}
	if v.dossier != nil {
		v.steps.shown(v.dossier)
	}
}

// StepButton is the button of step a, nil when it is not offered.
func (v *Detail) StepButton(a dossier.Action) *widget.Button {
	if v.steps == nil {
		return nil
	}
	return v.steps.buttons[a]
}

// PrintButton is the print button of form ("02", "03", "04", "06"), nil
// when it is not offered.
func (v *Detail) PrintButton(form string) *widget.Button {
	if v.steps == nil {
		return nil
	}
	return v.steps.prints[form]
}

// StepDialog is the dialog open for a step, nil when none is.
func (v *Detail) StepDialog() *StepDialog {
	if v.steps == nil {
		return nil
	}
	return v.steps.dialog
}

// StepMessage is the line that says what the last step or print did.
func (v *Detail) StepMessage() string {
	if v.steps == nil {
		return ""
	}
	return v.steps.message.Text
}

// reload reads the dossier again after a step.
func (v *Detail) reload() {
	if v.dossier == nil {
		return
	}
	id := v.dossier.ID
	v.Form.Items = nil
	v.Form.Refresh()
	v.Papers.RemoveAll()
	v.History.RemoveAll()
	v.Overdue.Hide()
	v.load(id)
}

// shown rebuilds the buttons and the record for the dossier just shown.
func (s *detailSteps) shown(d *dossier.Dossier) {
	acc := s.account()
	s.buttons = map[dossier.Action]*widget.Button{}
	s.prints = map[string]*widget.Button{}
	var objs []fyne.CanvasObject
	for _, a := range reception.Actions(acc, d.Status) {
		b := widget.NewButtonWithIcon(lang.L("lifecycle.action."+string(a)), stepIcon(a), widgets.Act(func() { s.open(a) }))
		if a == dossier.ActionRefuse || a == dossier.ActionStop || a == dossier.ActionWithdraw {
			b.Importance = widget.DangerImportance
		} else if a == dossier.ActionReturn || a == dossier.ActionResult {
			b.Importance = widget.HighImportance
		}
		s.buttons[a] = b
		objs = append(objs, b)
	}
	objs = append(objs, layout.NewSpacer(), s.message)
	s.v.Steps.Objects = objs
	s.v.Steps.Refresh()
	s.v.Record.RemoveAll()
	id := d.ID
	s.v.tasks.Go(func() {
		lc, err := s.svc.History(context.Background(), id)
		fyne.Do(func() {
			if err != nil {
				fyne.LogError("load lifecycle", err)
				return
			}
			if s.v.dossier == nil || s.v.dossier.ID != id {
				return
			}
			s.showRecord(s.v.dossier, lc)
		})
	})
}

func stepIcon(a dossier.Action) fyne.Resource {
	switch a {
	case dossier.ActionSupplement:
		return theme.DocumentCreateIcon()
	case dossier.ActionRefuse, dossier.ActionStop, dossier.ActionWithdraw:
		return theme.CancelIcon()
	case dossier.ActionExtend:
		return theme.HistoryIcon()
	case dossier.ActionReturn:
		return theme.ConfirmIcon()
	case dossier.ActionTransfer:
		return theme.MailSendIcon()
	}
	return theme.NavigateNextIcon()
}

// showRecord lists supplements, apologies and the collector, and offers the
// forms there is something to print for.
func (s *detailSteps) showRecord(d *dossier.Dossier, lc dossier.Lifecycle) {
	bold := func(key string) *widget.Label {
		return widget.NewLabelWithStyle(lang.L(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	line := func(text string) *widget.Label {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	r := s.v.Record
	if len(lc.Supplements) > 0 {
		r.Add(bold("lifecycle.record.supplements"))
		for _, sp := range lc.Supplements {
			r.Add(line(widgets.T("lifecycle.record.supplement", map[string]any{
				"At": widgets.DateTime(sp.At), "Items": strings.Join(sp.Items, "; "), "Reason": sp.Reason})))
			switch {
			case sp.Waiting() && d.Status.Paused():
				due := sp.DueBefore
				if due.IsZero() {
					due = d.DueAt
				}
				r.Add(line(widgets.T("lifecycle.record.paused", map[string]any{
					"At": widgets.DateTime(sp.At), "Due": widgets.DateTime(due)})))
			case !sp.Waiting() && sp.Remaining > 0:
				r.Add(line(widgets.T("lifecycle.record.supplied", map[string]any{
					"At": widgets.DateTime(sp.SuppliedAt), "Left": workTime(sp.Remaining),
					"Old": widgets.DateTime(sp.DueBefore), "New": widgets.DateTime(sp.DueAfter)})))
			case !sp.Waiting():
				r.Add(line(widgets.T("lifecycle.record.supplied_late", map[string]any{
					"At": widgets.DateTime(sp.SuppliedAt), "Old": widgets.DateTime(sp.DueAfter)})))
			}
		}
	}
	if len(lc.Apologies) > 0 {
		r.Add(bold("lifecycle.record.apologies"))
		for _, a := range lc.Apologies {
			r.Add(line(widgets.T("lifecycle.record.apology", map[string]any{
				"At": widgets.DateTime(a.At), "Old": widgets.DateTime(a.OldDue), "New": widgets.DateTime(a.NewDue),
				"Reason": a.Reason})))
		}
	}
	if lc.Return != nil {
		r.Add(bold("lifecycle.record.return"))
		who := "lifecycle.record.applicant"
		if lc.Return.Authorised {
			who = "lifecycle.record.authorised"
		}
		r.Add(line(widgets.T("lifecycle.record.collector", map[string]any{
			"At": widgets.DateTime(lc.ReturnedAt), "Name": lc.Return.FullName, "ID": lc.Return.IDNumber,
			"Who": lang.L(who), "Items": lc.Return.Items})))
	}
	if s.forms == nil || s.receipts == nil {
		return
	}
	var forms []string
	if len(lc.Supplements) > 0 {
		forms = append(forms, "02")
	}
	if d.Status == dossier.StatusRefused {
		forms = append(forms, "03")
	}
	if len(lc.Apologies) > 0 {
		forms = append(forms, "04")
	}
	forms = append(forms, "06")
	var btns []fyne.CanvasObject
	for _, f := range forms {
		b := widget.NewButtonWithIcon(lang.L(printKeys[f]), theme.DocumentPrintIcon(), widgets.Act(func() { s.print(f) }))
		s.prints[f] = b
		btns = append(btns, b)
	}
	r.Add(container.NewHBox(btns...))
}

// workTime is a span of working minutes as the record shows it.
func workTime(minutes int) string {
	return widgets.T("lifecycle.worktime", map[string]any{"H": minutes / 60, "M": minutes % 60})
}

// printKeys are the print buttons' labels by form.
var printKeys = map[string]string{"02": "lifecycle.print.form02", "03": "lifecycle.print.form03",
	"04": "lifecycle.print.form04", "06": "lifecycle.print.form06"}

// print renders and prints a form of the dossier shown; the step it
// records is already committed.
func (s *detailSteps) print(form string) {
	d := s.v.dossier
	if d == nil {
		return
	}
	s.message.SetText(lang.L("lifecycle.printing"))
	s.v.tasks.Go(func() {
		ctx := context.Background()
		pdf, err := s.forms.FormPDF(ctx, form, d)
		if err == nil {
			err = s.receipts.Print(ctx, pdf)
		}
		fyne.Do(func() {
			if err != nil {
				fyne.LogError("print form "+form, err)
				s.message.SetText(lang.L("err.print.failed"))
				return
			}
			s.message.SetText(widgets.T("lifecycle.printed", map[string]any{"Form": form}))
		})
	})
}

// StepDialog is the dialog of one step: the inputs the step needs, an
// error line and the confirm and cancel buttons.
type StepDialog struct {
	Action dossier.Action

	Items      *widgets.Entry // supplement: one item per line
	Reason     *widgets.Entry
	Official   *widgets.Entry
	Phone      *widgets.Entry
	Agency     *widgets.Entry
	NewDue     *widgets.Entry // apology, "dd/mm/yyyy hh:mm"
	Override   *widget.Check
	Name       *widgets.Entry // collector
	IDNumber   *widgets.Entry
	Authorised *widget.Check
	HandedOver *widgets.Entry
	Note       *widgets.Entry

	Error   *widget.Label
	Confirm *widget.Button
	Cancel  *widget.Button

	dlg dialog.Dialog
}

// open shows the dialog of step a for the dossier shown.
func (s *detailSteps) open(a dossier.Action) {
	d := s.v.dossier
	if d == nil {
		return
	}
	acc := s.account()
	sd := &StepDialog{Action: a, Error: widgets.NewErrorLabel()}
	form := widget.NewForm()
	entry := func(label string, multi bool, text string) *widgets.Entry {
		e := widgets.NewEntry()
		if multi {
			e = widgets.NewMultiLineEntry()
			e.SetMinRowsVisible(3)
		}
		e.SetText(text)
		form.Append(lang.L(label), e)
		return e
	}
	switch a {
	case dossier.ActionSupplement:
		sd.Items = entry("lifecycle.field.items", true, "")
		sd.Items.SetPlaceHolder(lang.L("lifecycle.field.items.hint"))
		sd.Reason = entry("lifecycle.field.reason", true, "")
		sd.Official = entry("lifecycle.field.official", false, acc.FullName)
		sd.Phone = entry("lifecycle.field.phone", false, "")
	case dossier.ActionRefuse, dossier.ActionWithdraw, dossier.ActionStop:
		sd.Reason = entry("lifecycle.field.reason", true, "")
	case dossier.ActionExtend:
		sd.NewDue = entry("lifecycle.field.new_due", false, s.svc.ProposedDue(d, 3).In(widgets.Zone).Format(dueLayout))
		sd.Reason = entry("lifecycle.field.reason", true, "")
		if acc.Role.Can(auth.PermDossierApologyOverride) {
			sd.Override = widget.NewCheck(lang.L("lifecycle.field.override"), nil)
			form.Append("", sd.Override)
		}
	case dossier.ActionReturn:
		sd.Name = entry("lifecycle.field.collector_name", false, d.Applicant.FullName)
		sd.IDNumber = entry("lifecycle.field.collector_id", false, d.Applicant.IDNumber)
		sd.Authorised = widget.NewCheck(lang.L("lifecycle.field.authorised"), nil)
		form.Append("", sd.Authorised)
		sd.HandedOver = entry("lifecycle.field.handed_over", true, lang.L("lifecycle.field.handed_over.default"))
	case dossier.ActionTransfer:
		sd.Agency = entry("lifecycle.field.agency", false, "")
		sd.Note = entry("lifecycle.field.note", true, "")
	default:
		sd.Note = entry("lifecycle.field.note", true, "")
	}
	sd.Confirm = widget.NewButtonWithIcon(lang.L("lifecycle.confirm"), theme.ConfirmIcon(), widgets.Act(func() { s.submit(sd, d) }))
	sd.Confirm.Importance = widget.HighImportance
	sd.Cancel = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), widgets.Act(func() {
		sd.dlg.Hide()
		s.dialog = nil
	}))
	title := widgets.T("lifecycle.dialog.title", map[string]any{
		"Action": lang.L("lifecycle.action." + string(a)), "Code": d.Code.String()})
	content := container.NewBorder(nil, container.NewVBox(sd.Error, container.NewHBox(layout.NewSpacer(), sd.Cancel, sd.Confirm)),
		nil, nil, form)
	sd.dlg = dialog.NewCustomWithoutButtons(title, content, s.win)
	sd.dlg.Resize(fyne.NewSize(640, 0))
	s.dialog = sd
	sd.dlg.Show()
}

func text(e *widgets.Entry) string {
	if e == nil {
		return ""
	}
	return e.Text
}

// submit runs the step off the UI goroutine and closes the dialog when it
// is recorded; an error stays in the dialog, translated.
func (s *detailSteps) submit(sd *StepDialog, d *dossier.Dossier) {
	acc := s.account()
	var newDue time.Time
	if sd.NewDue != nil {
		t, err := time.ParseInLocation(dueLayout, strings.TrimSpace(sd.NewDue.Text), widgets.Zone)
		if err != nil {
			sd.Error.SetText(lang.L("lifecycle.err.new_due.format"))
			return
		}
		newDue = t
	}
	in := struct {
		items                                 []string
		reason, official, phone, agency, note string
		name, id, handed                      string
		override, authorised                  bool
	}{
		items: strings.Split(text(sd.Items), "\n"), reason: text(sd.Reason), official: text(sd.Official),
		phone: text(sd.Phone), agency: text(sd.Agency), note: text(sd.Note), name: text(sd.Name),
		id: text(sd.IDNumber), handed: text(sd.HandedOver),
		override: sd.Override != nil && sd.Override.Checked, authorised: sd.Authorised != nil && sd.Authorised.Checked,
	}
	sd.Confirm.Disable()
	sd.Error.SetText("")
	s.v.tasks.Go(func() {
		ctx := context.Background()
		var err error
		switch sd.Action {
		case dossier.ActionSupplement:
			_, err = s.svc.RequestSupplement(ctx, acc, d.ID, d.Status, dossier.Supplement{
				Items: in.items, Reason: in.reason, Official: in.official, Phone: in.phone})
		case dossier.ActionRefuse, dossier.ActionWithdraw, dossier.ActionStop:
			_, err = s.svc.Close(ctx, acc, d.ID, d.Status, sd.Action, in.reason)
		case dossier.ActionExtend:
			_, err = s.svc.Apologise(ctx, acc, d.ID, d.Status, newDue, in.reason, in.override)
		case dossier.ActionReturn:
			_, err = s.svc.ReturnResult(ctx, acc, d.ID, d.Status, dossier.Collector{
				FullName: in.name, IDNumber: in.id, Authorised: in.authorised, Items: in.handed})
		case dossier.ActionTransfer:
			_, err = s.svc.Transfer(ctx, acc, d.ID, d.Status, in.agency, in.note)
		default:
			_, err = s.svc.Step(ctx, acc, d.ID, d.Status, sd.Action, in.note)
		}
		fyne.Do(func() {
			sd.Confirm.Enable()
			if err != nil {
				fyne.LogError("lifecycle step", err)
				key := reception.ErrorKey(err)
				sd.Error.SetText(lang.L(key))
				return
			}
			sd.dlg.Hide()
			if s.dialog == sd {
				s.dialog = nil
			}
			s.message.SetText(widgets.T("lifecycle.recorded", map[string]any{
				"Action": lang.L("lifecycle.action." + string(sd.Action))}))
			s.v.reload()
		})
	})
}
