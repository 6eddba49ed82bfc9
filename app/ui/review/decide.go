package review

import (
	"errors"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
)

// DecisionForm is the dialog of one decision. Its inputs live as long as the
// dossier view, so that what was typed is still there when the hub refused
// the decision or could not be reached.
type DecisionForm struct {
	Outcome string
	Items   *widget.CheckGroup // supplement: the papers asked for
	Other   *widgets.Entry     // supplement: a paper not in the list
	Reason  *widgets.Entry     // supplement and refuse
	Result  *widgets.Entry     // done
	Error   *widget.Label
	Confirm *widget.Button
	Cancel  *widget.Button
	Dialog  dialog.Dialog
	busy    bool
}

// forms keeps one form per outcome of the dossier view.
func (v *DossierView) form(outcome string) *DecisionForm {
	if v.forms == nil {
		v.forms = map[string]*DecisionForm{}
	}
	if f := v.forms[outcome]; f != nil {
		return f
	}
	f := &DecisionForm{Outcome: outcome, Error: widgets.NewErrorLabel()}
	f.Error.Wrapping = fyne.TextWrapWord
	switch outcome {
	case Supplement:
		var names []string
		for _, p := range v.D.Papers {
			names = append(names, p.Name)
		}
		for _, m := range v.D.Missing {
			if !contains(names, m) {
				names = append(names, m)
			}
		}
		f.Items = widget.NewCheckGroup(names, nil)
		f.Items.SetSelected(append([]string{}, v.D.Missing...)) // what is missing, ticked at once
		f.Other = widgets.NewEntry()
		f.Other.SetPlaceHolder(lang.L("review.form.other_hint"))
		f.Reason = widgets.NewMultiLineEntry()
	case Refuse:
		f.Reason = widgets.NewMultiLineEntry()
	case Done:
		f.Result = widgets.NewEntry()
		f.Result.SetPlaceHolder(lang.L("review.form.result_hint"))
	}
	f.Confirm = widget.NewButtonWithIcon(lang.L("review.form.confirm"), theme.ConfirmIcon(), func() { v.submit(f) })
	f.Confirm.Importance = widget.HighImportance
	if outcome == Refuse {
		f.Confirm.Importance = widget.DangerImportance
	}
	f.Cancel = widget.NewButtonWithIcon(lang.L("review.form.cancel"), theme.CancelIcon(), func() { f.Dialog.Hide() })
	v.forms[outcome] = f
	return f
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// openDecision shows the dialog of outcome, with what was typed before.
func (v *DossierView) openDecision(outcome string) {
	if v.s.offline || !v.loaded {
		return
	}
	f := v.form(outcome)
	question := widget.NewLabel(widgets.T("review.form.question."+outcome, map[string]any{"Code": v.D.Code, "Name": v.D.Applicant}))
	question.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(question)
	switch outcome {
	case Supplement:
		box.Add(widget.NewLabelWithStyle(lang.L("review.form.items"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		box.Add(f.Items)
		box.Add(f.Other)
		box.Add(widget.NewLabelWithStyle(lang.L("review.form.reason"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		box.Add(f.Reason)
	case Refuse:
		box.Add(widget.NewLabelWithStyle(lang.L("review.form.refuse_reason"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		box.Add(f.Reason)
	case Done:
		box.Add(widget.NewLabelWithStyle(lang.L("review.form.result"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		box.Add(f.Result)
	}
	box.Add(f.Error)
	box.Add(container.NewGridWithColumns(2, f.Cancel, f.Confirm))
	sized := container.NewGridWrap(fyne.NewSize(620, box.MinSize().Height), box)
	f.Dialog = dialog.NewCustomWithoutButtons(lang.L("review.decide."+outcome), sized, v.s.win)
	f.Dialog.Show()
}

// request reads the form; a translated message for what is missing.
func (f *DecisionForm) request() (Decision, string) {
	d := Decision{Outcome: f.Outcome}
	switch f.Outcome {
	case Supplement:
		d.Items = append(d.Items, f.Items.Selected...)
		if o := strings.TrimSpace(f.Other.Text); o != "" {
			d.Items = append(d.Items, o)
		}
		d.Reason = strings.TrimSpace(f.Reason.Text)
		if len(d.Items) == 0 {
			return d, lang.L("review.form.err.items")
		}
		if d.Reason == "" {
			return d, lang.L("review.form.err.reason")
		}
	case Refuse:
		d.Reason = strings.TrimSpace(f.Reason.Text)
		if d.Reason == "" {
			return d, lang.L("review.form.err.refuse_reason")
		}
	case Done:
		d.Result = strings.TrimSpace(f.Result.Text)
		if d.Result == "" {
			return d, lang.L("review.form.err.result")
		}
	}
	return d, ""
}

// submit sends the decision; on success the dialog closes and the dossier
// and the queue reload, on error the dialog stays with everything typed and
// says why in Vietnamese. Nothing is queued when the hub is unreachable.
func (v *DossierView) submit(f *DecisionForm) {
	if f.busy {
		return
	}
	d, bad := f.request()
	if bad != "" {
		say(f.Error, bad)

		return
	}
	f.busy = true
	f.Confirm.Disable()
	say(f.Error, lang.L("review.form.sending"))
	svc, code := v.s.svc, v.D.Code
	v.s.tasks.Go(func() {
		ctx, cancel := loadCtx()
		defer cancel()
		err := svc.Decide(ctx, code, d)
		fyne.Do(func() {
			f.busy = false
			f.Confirm.Enable()
			if err != nil {
				msg := v.s.errText(err)
				if errors.Is(err, ErrUnreachable) {
					msg = lang.L("review.form.err.unreachable")
				}
				say(f.Error, msg)
				return
			}
			say(f.Error, "")
			f.Dialog.Hide()
			delete(v.forms, f.Outcome) // a later decision starts blank
			say(v.Message, "")
			v.s.notice(widgets.T("review.form.done."+f.Outcome, map[string]any{"Code": code}))
			v.Load()
			if v.s.Queue != nil {
				v.s.Queue.load()
			}
		})
	})
}

// notice tells the reviewer something went well.
func (s *Screen) notice(msg string) {
	s.LastNotice = msg
	if s.Dossier != nil {
		say(s.Dossier.Notice, msg)
	}
}

// Form is the dialog of outcome as last opened, nil if never opened.
func (v *DossierView) Form(outcome string) *DecisionForm { return v.forms[outcome] }
