package counter

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/dossier"
)

// Detail shows one dossier: every field, its papers and its history, with a
// reprint of the receipt.
type Detail struct {
	Title   *widget.Label
	Overdue *widget.Label
	Form    *widget.Form
	Papers  *fyne.Container
	History *fyne.Container
	Back    *widget.Button
	Reprint *widget.Button
	// Steps holds a button per step the clerk may take now and Record what
	// happened after reception (lifecycle.go); both stay empty without a
	// lifecycle service.
	Steps  *fyne.Container
	Record *fyne.Container
	steps  *detailSteps

	dossiers  Dossiers
	tasks     *widgets.Tasks
	now       func() time.Time
	onReprint func(*dossier.Dossier)
	dossier   *dossier.Dossier
	top       *fyne.Container
	content   fyne.CanvasObject
}

// NewDetail builds the detail view of dossier id and starts loading it.
func NewDetail(d Dossiers, tasks *widgets.Tasks, now func() time.Time, id int64, onBack func(), onReprint func(*dossier.Dossier)) *Detail {
	v := &Detail{dossiers: d, tasks: tasks, now: now, onReprint: onReprint}
	v.Title = widget.NewLabelWithStyle(lang.L("detail.loading"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	v.Overdue = widget.NewLabel(lang.L("list.overdue.mark"))
	v.Overdue.Importance = widget.DangerImportance
	v.Overdue.Hide()
	v.Form = widget.NewForm()
	v.Papers = container.NewVBox()
	v.History = container.NewVBox()
	v.Back = widget.NewButtonWithIcon(lang.L("detail.back"), theme.NavigateBackIcon(), widgets.Act(onBack))
	v.Reprint = widget.NewButtonWithIcon(lang.L("detail.reprint"), theme.DocumentPrintIcon(), widgets.Act(func() {
		if v.dossier != nil {
			v.onReprint(v.dossier)
		}
	}))
	v.Reprint.Disable()
	v.top = container.NewHBox(v.Back, v.Title, v.Overdue, layout.NewSpacer(), v.Reprint)
	v.Steps = container.NewHBox()
	v.Record = container.NewVBox()
	body := container.NewVBox(
		v.Form,
		widget.NewLabelWithStyle(lang.L("detail.papers"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.Papers,
		widget.NewLabelWithStyle(lang.L("detail.history"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), v.History,
		v.Record,
	)
	v.content = container.NewBorder(container.NewVBox(v.top, v.Steps), nil, nil, nil, container.NewVScroll(body))
	v.load(id)
	return v
}

// Content is the screen's canvas object.
func (v *Detail) Content() fyne.CanvasObject { return v.content }

// Dossier is the dossier shown, nil while loading.
func (v *Detail) Dossier() *dossier.Dossier { return v.dossier }

func (v *Detail) load(id int64) {
	v.tasks.Go(func() {
		ctx := context.Background()
		d, err := v.dossiers.Dossier(ctx, id)
		var hist []dossier.Event
		if err == nil {
			hist, err = v.dossiers.History(ctx, id)
		}
		fyne.Do(func() {
			if err != nil {
				fyne.LogError("load dossier", err)
				v.Title.SetText(lang.L("err.load.failed"))
				return
			}
			v.show(d, hist)
		})
	})
}

func (v *Detail) row(key, value string) {
	l := widget.NewLabel(value)
	l.Wrapping = fyne.TextWrapWord
	l.Selectable = true
	v.Form.Append(lang.L(key), l)
}

func sexText(s dossier.Sex) string {
	if s == dossier.SexUnknown {
		return ""
	}
	return lang.L("sex." + strconv.Itoa(int(s)))
}

func (v *Detail) show(d *dossier.Dossier, hist []dossier.Event) {
	v.dossier = d
	v.Title.SetText(widgets.T("detail.title", map[string]any{"Code": d.Code.String()}))
	if d.Overdue(v.now()) {
		v.Overdue.Show()
	}
	a := d.Applicant
	v.row("detail.procedure", d.ProcedureName+" ("+d.ProcedureCode+")")
	v.row("detail.status", lang.L(d.Status.Key()))
	v.row("reception.name", a.FullName)
	v.row("reception.id_number", a.IDNumber)
	v.row("reception.birth_date", widgets.Date(a.BirthDate))
	v.row("reception.sex", sexText(a.Sex))
	v.row("reception.address", a.Address)
	v.row("reception.phone", a.Phone)
	v.row("reception.email", a.Email)
	v.row("reception.sets", strconv.Itoa(d.Sets))
	v.row("detail.fee", widgets.Money(d.Fee))
	v.row("detail.processing_time", d.ProcessingTime)
	v.row("detail.received_at", widgets.DateTime(d.ReceivedAt))
	due := widgets.Appointment(d.DueAt)
	if d.Status.Paused() {
		due += " (" + lang.L("lifecycle.detail.paused") + ")"
	}
	v.row("detail.due_at", due)
	ret := lang.L("return." + strconv.Itoa(int(d.ReturnMethod)))
	if d.ReturnMethod == dossier.ReturnByPost && d.ReturnAddress != "" {
		ret += ": " + d.ReturnAddress
	}
	v.row("reception.return_method", ret)
	v.row("detail.received_by", d.ReceivedBy)
	v.row("detail.tracking_no", strconv.Itoa(d.TrackingNo))
	v.row("reception.note", d.Note)
	v.Form.Refresh()

	for i, p := range d.Papers {
		v.Papers.Add(widget.NewLabel(widgets.T("detail.paper", map[string]any{
			"N": i + 1, "Name": p.Name, "Form": lang.L(p.Form.Key()), "Count": p.Count, "Files": len(p.Files)})))
	}
	for _, e := range hist {
		parts := []string{widgets.DateTime(e.At), e.Actor, lang.X("lifecycle.action."+e.Action, lang.X("action."+e.Action, e.Action))}
		if e.From != 0 {
			parts = append(parts, fmt.Sprintf("%s → %s", lang.L(e.From.Key()), lang.L(e.To.Key())))
		} else if e.To != 0 {
			parts = append(parts, lang.L(e.To.Key()))
		}
		if e.Note != "" {
			parts = append(parts, e.Note)
		}
		v.History.Add(widget.NewLabel(strings.Join(parts, " · ")))
	}
	v.Reprint.Enable()
	v.top.Refresh()
	if v.steps != nil {
		v.steps.shown(d)
	}
}
