package counter

import (
	"context"
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/counter/wizard"
	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/reception"
)

// ReceptionScreen is the reception wizard ("Tiếp nhận hồ sơ"). It renders
// a wizard.Wizard and forwards every edit to it; fee and appointment are
// quoted again on every change.
type ReceptionScreen struct {
	Wizard *wizard.Wizard

	// step 1
	Search     *widgets.Entry
	Procedures *widget.List
	Chosen     *widget.Label
	ProcField  *widgets.Field
	// step 2
	Name, IDNumber, BirthDate, Address, Phone, Email *widgets.Entry
	Sex                                              *widget.RadioGroup
	Fields                                           map[string]*widgets.Field // by FieldError.Field
	// step 3
	PaperRows   []*PaperRow
	ExtraName   *widgets.Entry
	AddPaper    *widget.Button
	Sets        *widgets.Entry
	FeeUnits    *widgets.Entry
	FeeUnitsBox *fyne.Container
	// step 4
	ReturnMethod  *widget.RadioGroup
	ReturnAddress *widgets.Entry
	Note          *widgets.Entry
	Save          *widget.Button
	Progress      *widget.ProgressBarInfinite
	SummaryText   *widget.Label
	// always visible once a procedure is chosen
	StepTitle *widget.Label
	Fee       *widget.Label
	Due       *widget.Label
	Back      *widget.Button
	Next      *widget.Button

	win     fyne.Window
	svc     Reception
	tasks   *widgets.Tasks
	actor   func() auth.Account
	onSaved func(*dossier.Dossier)

	results   []catalog.Procedure
	pages     map[wizard.Step]fyne.CanvasObject
	body      *fyne.Container
	papersBox *fyne.Container
	footer    *fyne.Container
	content   fyne.CanvasObject
	loading   bool              // true while widgets are filled from the wizard
	dev       *receptionDevices // card reader, wedge scanner, scanner (reception_devices.go)
}

// PaperRow is one line of the papers checklist.
type PaperRow struct {
	Check  *widget.Check
	Form   *widget.Select
	Count  *widgets.Entry
	Remove *widget.Button // extra papers only
	// Scan and Import digitise the paper (nil without devices); Scanned
	// marks it digitised (reception_devices.go).
	Scan, Import *widget.Button
	Scanned      *widget.Label
	box          *fyne.Container
}

var (
	sexOptions    = []string{"sex.1", "sex.2"}
	returnOptions = []string{"return.1", "return.2"}
	formOptions   = []dossier.PaperForm{dossier.FormOriginal, dossier.FormCertifiedCopy, dossier.FormCopy}
)

func translated(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = lang.L(k)
	}
	return out
}

func formNames() []string {
	out := make([]string, len(formOptions))
	for i, f := range formOptions {
		out[i] = lang.L(f.Key())
	}
	return out
}

// NewReceptionScreen builds the wizard. actor gives the logged-in clerk;
// onSaved runs on the UI goroutine once the dossier is durably saved.
func NewReceptionScreen(win fyne.Window, svc Reception, tasks *widgets.Tasks, actor func() auth.Account, onSaved func(*dossier.Dossier)) *ReceptionScreen {
	r := &ReceptionScreen{win: win, svc: svc, tasks: tasks, actor: actor, onSaved: onSaved, Wizard: wizard.New(),
		Fields: map[string]*widgets.Field{}, pages: map[wizard.Step]fyne.CanvasObject{}}
	r.pages[wizard.StepProcedure] = r.buildProcedure()
	r.pages[wizard.StepApplicant] = r.buildApplicant()
	r.pages[wizard.StepPapers] = r.buildPapers()
	r.pages[wizard.StepSummary] = r.buildSummary()

	r.StepTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	r.Fee = widget.NewLabel("")
	r.Due = widget.NewLabel("")
	r.Back = widget.NewButtonWithIcon(lang.L("wizard.back"), theme.NavigateBackIcon(), widgets.Act(r.back))
	r.Next = widget.NewButtonWithIcon(lang.L("wizard.next"), theme.NavigateNextIcon(), widgets.Act(r.next))
	r.Next.IconPlacement = widget.ButtonIconTrailingText
	r.Next.Importance = widget.HighImportance

	r.body = container.NewStack()
	header := container.NewVBox(r.StepTitle, widget.NewSeparator())
	r.footer = container.NewHBox(r.Fee, r.Due, layout.NewSpacer(), r.Back, r.Next)
	footer := container.NewVBox(widget.NewSeparator(), r.footer)
	r.content = container.NewBorder(header, footer, nil, nil, r.body)
	r.filter("")
	r.render()
	return r
}

// Content is the screen's canvas object.
func (r *ReceptionScreen) Content() fyne.CanvasObject { return r.content }

// ---- step 1: procedure

func (r *ReceptionScreen) buildProcedure() fyne.CanvasObject {
	r.Search = widgets.NewEntry()
	r.Search.SetPlaceHolder(lang.L("reception.search.placeholder"))
	r.Search.OnChanged = r.filter
	r.Search.OnSubmitted = func(string) {
		if len(r.results) > 0 {
			r.Procedures.Select(0)
		}
	}
	r.Procedures = widget.NewList(
		func() int { return len(r.results) },
		func() fyne.CanvasObject {
			name := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			name.Truncation = fyne.TextTruncateEllipsis
			info := widget.NewLabel("")
			info.Truncation = fyne.TextTruncateEllipsis
			return container.NewVBox(name, info)
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			if id >= len(r.results) {
				return
			}
			p := r.results[id]
			box := o.(*fyne.Container)
			box.Objects[0].(*widget.Label).SetText(p.Name)
			box.Objects[1].(*widget.Label).SetText(p.Field + " · " + p.Deadline.Text)
		})
	r.Procedures.OnSelected = func(id widget.ListItemID) {
		widgets.Touch()
		if id < len(r.results) {
			r.choose(r.results[id])
		}
	}
	r.Chosen = widget.NewLabel("")
	r.Chosen.Wrapping = fyne.TextWrapWord
	r.ProcField = widgets.NewField(lang.L("reception.procedure"), r.Search)
	r.Fields["procedure"] = r.ProcField
	return container.NewBorder(r.ProcField.Object(), r.Chosen, nil, nil, r.Procedures)
}

func (r *ReceptionScreen) filter(q string) {
	widgets.Touch()
	r.results = r.svc.Procedures(q) // in-memory catalog search, microseconds
	r.Procedures.UnselectAll()
	r.Procedures.Refresh()
	r.Procedures.ScrollToTop()
}

// Results are the procedures the list shows now.
func (r *ReceptionScreen) Results() []catalog.Procedure { return r.results }

func (r *ReceptionScreen) choose(p catalog.Procedure) {
	r.Wizard.ChooseProcedure(p.Code, p.Name, r.svc.PapersFor(p.Code), p.Fee.Unit != "")
	r.Chosen.SetText(widgets.T("reception.chosen", map[string]any{"Name": p.Name, "Code": p.Code}))
	r.FeeUnitsBox.Objects[0].(*widget.Label).SetText(widgets.T("reception.fee_units", map[string]any{"Unit": p.Fee.Unit}))
	r.rebuildPapers()
	r.changed()
}

// ---- step 2: applicant

func (r *ReceptionScreen) field(name, labelKey string, input fyne.CanvasObject) *widgets.Field {
	f := widgets.NewField(lang.L(labelKey), input)
	r.Fields[name] = f
	return f
}

func (r *ReceptionScreen) buildApplicant() fyne.CanvasObject {
	a := &r.Wizard.Draft.Applicant
	entry := func(set func(string)) *widgets.Entry {
		e := widgets.NewEntry()
		e.OnChanged = func(s string) {
			if r.loading {
				return
			}
			set(s)
			r.changed()
		}
		return e
	}
	submit := func(string) { r.next() } // Enter on the last step-2 field moves on
	r.Name = entry(func(s string) { a.FullName = s })
	r.IDNumber = entry(func(s string) { a.IDNumber = s })
	r.IDNumber.SetPlaceHolder(lang.L("reception.id_number.placeholder"))
	r.BirthDate = entry(func(s string) { r.Wizard.SetBirthDate(s) })
	r.BirthDate.SetPlaceHolder(lang.L("reception.birth_date.placeholder"))
	r.Address = entry(func(s string) { a.Address = s })
	r.Phone = entry(func(s string) { a.Phone = s })
	r.Email = entry(func(s string) { a.Email = s })
	for _, e := range []*widgets.Entry{r.Name, r.IDNumber, r.BirthDate, r.Address, r.Phone, r.Email} {
		r.watchWedge(e, submit) // a keyboard-wedge card scanner fills the form (reception_devices.go)
	}
	r.Sex = widget.NewRadioGroup(translated(sexOptions), func(s string) {
		if r.loading {
			return
		}
		widgets.Touch()
		a.Sex = dossier.SexUnknown
		for i, o := range translated(sexOptions) {
			if o == s {
				a.Sex = dossier.Sex(i + 1)
			}
		}
		r.changed()
	})
	r.Sex.Horizontal = true
	left := container.NewVBox(
		r.field("name", "reception.name", r.Name).Object(),
		r.field("id_number", "reception.id_number", r.IDNumber).Object(),
		r.field("birth_date", "reception.birth_date", r.BirthDate).Object(),
		r.field("sex", "reception.sex", r.Sex).Object(),
	)
	right := container.NewVBox(
		r.field("address", "reception.address", r.Address).Object(),
		r.field("phone", "reception.phone", r.Phone).Object(),
		r.field("email", "reception.email", r.Email).Object(),
	)
	return container.NewVScroll(container.NewVBox(r.cardBar(), container.NewGridWithColumns(2, left, right)))
}

// ---- step 3: papers

func (r *ReceptionScreen) buildPapers() fyne.CanvasObject {
	r.papersBox = container.NewVBox()
	r.ExtraName = widgets.NewEntry()
	r.ExtraName.SetPlaceHolder(lang.L("reception.papers.extra.placeholder"))
	r.AddPaper = widget.NewButtonWithIcon(lang.L("reception.papers.add"), theme.ContentAddIcon(), widgets.Act(r.addPaper))
	r.ExtraName.OnSubmitted = func(string) { r.addPaper() }
	r.Sets = widgets.NewEntry()
	r.Sets.SetText("1")
	r.Sets.OnSubmitted = func(string) { r.next() }
	r.Sets.OnChanged = func(s string) {
		if !r.loading {
			r.Wizard.SetSets(s)
			r.changed()
		}
	}
	r.FeeUnits = widgets.NewEntry()
	r.FeeUnits.SetText("0")
	r.FeeUnits.OnChanged = func(s string) {
		if !r.loading {
			r.Wizard.SetFeeUnits(s)
			r.changed()
		}
	}
	papers := r.field("papers", "reception.papers", r.papersBox)
	sets := r.field("sets", "reception.sets", container.NewGridWrap(fyne.NewSize(120, r.Sets.MinSize().Height), r.Sets))
	units := r.field("fee_units", "reception.fee_units.title", container.NewGridWrap(fyne.NewSize(120, r.FeeUnits.MinSize().Height), r.FeeUnits))
	r.FeeUnitsBox = container.NewVBox(widget.NewLabel(""), units.Object())
	return container.NewVScroll(container.NewVBox(
		papers.Object(),
		container.NewBorder(nil, nil, nil, r.AddPaper, r.ExtraName),
		sets.Object(),
		r.FeeUnitsBox,
	))
}

func (r *ReceptionScreen) rebuildPapers() {
	r.PaperRows = r.PaperRows[:0]
	r.papersBox.Objects = nil
	for i := range r.Wizard.Papers {
		row := r.paperRow(i)
		r.PaperRows = append(r.PaperRows, row)
		r.papersBox.Objects = append(r.papersBox.Objects, row.box)
	}
	r.papersBox.Refresh()
}

func (r *ReceptionScreen) paperRow(i int) *PaperRow {
	it := r.Wizard.Papers[i]
	label := it.Paper.Name
	if it.Paper.Required {
		label += " " + lang.L("reception.papers.required")
	}
	row := &PaperRow{}
	row.Check = widget.NewCheck(label, func(on bool) {
		if r.loading {
			return
		}
		widgets.Touch()
		r.Wizard.Tick(i, on)
		r.changed()
	})
	row.Check.Checked = it.Ticked
	row.Form = widget.NewSelect(formNames(), func(s string) {
		if r.loading {
			return
		}
		widgets.Touch()
		for j, n := range formNames() {
			if n == s {
				r.Wizard.SetPaperForm(i, formOptions[j])
			}
		}
		r.changed()
	})
	row.Form.Selected = lang.L(it.Paper.Form.Key())
	row.Count = widgets.NewEntry()
	row.Count.Text = strconv.Itoa(it.Paper.Count)
	row.Count.OnChanged = func(s string) {
		if r.loading {
			return
		}
		r.Wizard.SetPaperCount(i, s)
		r.changed()
	}
	right := container.NewHBox(
		container.NewGridWrap(fyne.NewSize(200, row.Form.MinSize().Height), row.Form),
		container.NewGridWrap(fyne.NewSize(70, row.Count.MinSize().Height), row.Count),
	)
	if it.Extra {
		row.Remove = widget.NewButtonWithIcon("", theme.DeleteIcon(), widgets.Act(func() {
			r.Wizard.RemovePaper(i)
			r.rebuildPapers()
			r.changed()
		}))
		right.Add(row.Remove)
	}
	r.paperDevices(i, row, right) // scan / import (reception_devices.go)
	row.box = container.NewBorder(nil, nil, nil, right, row.Check)
	return row
}

func (r *ReceptionScreen) addPaper() {
	name := r.ExtraName.Text
	if name == "" {
		return
	}
	r.Wizard.AddPaper(name)
	r.ExtraName.SetText("")
	r.rebuildPapers()
	r.changed()
}

// ---- step 4: summary

func (r *ReceptionScreen) buildSummary() fyne.CanvasObject {
	r.SummaryText = widget.NewLabel("")
	r.SummaryText.Wrapping = fyne.TextWrapWord
	r.ReturnAddress = widgets.NewEntry()
	r.ReturnAddress.OnChanged = func(s string) {
		if !r.loading {
			r.Wizard.Draft.ReturnAddress = s
			r.changed()
		}
	}
	addr := r.field("return_address", "reception.return_address", r.ReturnAddress)
	r.ReturnMethod = widget.NewRadioGroup(translated(returnOptions), func(s string) {
		if r.loading {
			return
		}
		widgets.Touch()
		r.Wizard.Draft.ReturnMethod = dossier.ReturnAtCounter
		if s == lang.L("return.2") {
			r.Wizard.Draft.ReturnMethod = dossier.ReturnByPost
		}
		r.changed()
	})
	r.ReturnMethod.Required = true
	r.ReturnMethod.Selected = lang.L("return.1")
	r.Note = widgets.NewMultiLineEntry()
	r.Note.SetMinRowsVisible(2)
	r.Note.OnChanged = func(s string) {
		if !r.loading {
			r.Wizard.Draft.Note = s
			r.changed()
		}
	}
	r.Save = widget.NewButtonWithIcon(lang.L("reception.save"), theme.DocumentPrintIcon(), widgets.Act(r.save))
	r.Save.Importance = widget.HighImportance
	r.Progress = widget.NewProgressBarInfinite()
	r.Progress.Stop()
	r.Progress.Hide()
	return container.NewVScroll(container.NewVBox(
		r.SummaryText,
		widget.NewSeparator(),
		r.field("return_method", "reception.return_method", r.ReturnMethod).Object(),
		addr.Object(),
		r.field("note", "reception.note", r.Note).Object(),
		r.Save, r.Progress,
	))
}

func (r *ReceptionScreen) summaryText() string {
	d := r.Wizard.Current()
	handed := 0
	for _, p := range d.Papers {
		if p.Count > 0 {
			handed++
		}
	}
	return widgets.T("reception.summary", map[string]any{
		"Procedure": r.Wizard.ProcedureName, "Name": d.Applicant.FullName,
		"IDNumber": d.Applicant.IDNumber, "Papers": handed, "Sets": d.Sets,
	})
}

// ---- flow

// changed runs after every edit: quote again, refresh errors, re-render.
func (r *ReceptionScreen) changed() {
	widgets.Touch()
	r.Wizard.Revalidate(r.svc.Validate(r.Wizard.Current()))
	r.render()
}

func (r *ReceptionScreen) quote() {
	if r.Wizard.Draft.ProcedureCode == "" {
		r.Fee.SetText("")
		r.Due.SetText("")
		return
	}
	q, err := r.svc.Quote(r.Wizard.Current())
	if err != nil {
		r.Fee.SetText("")
		r.Due.SetText("")
		r.footer.Refresh()
		return
	}
	r.Fee.SetText(widgets.T("reception.fee", map[string]any{"Fee": widgets.Money(q.Fee)}))
	r.Due.SetText(widgets.T("reception.due", map[string]any{"Due": widgets.Appointment(q.DueAt)}))
	r.footer.Refresh()
}

// render shows the wizard's state.
func (r *ReceptionScreen) render() {
	w := r.Wizard
	title := widgets.T("wizard.title", map[string]any{
		"N": int(w.Step), "Total": len(wizard.Steps), "Title": lang.L(w.Step.Key())})
	if w.Step > wizard.StepProcedure && w.ProcedureName != "" {
		title += " — " + w.ProcedureName // the clerk always sees which procedure this is
	}
	r.StepTitle.SetText(title)
	page := r.pages[w.Step]
	if len(r.body.Objects) != 1 || r.body.Objects[0] != page {
		r.body.Objects = []fyne.CanvasObject{page}
		r.body.Refresh()
	}
	for name, f := range r.Fields {
		msg := ""
		if key := w.ErrorFor(name); key != "" {
			msg = lang.L(key)
		}
		if f.ErrorText() != msg {
			f.SetError(msg)
		}
	}
	if w.HasFeeUnits {
		r.FeeUnitsBox.Show()
	} else {
		r.FeeUnitsBox.Hide()
	}
	if w.Draft.ReturnMethod == dossier.ReturnByPost {
		r.ReturnAddress.Enable()
	} else {
		r.ReturnAddress.Disable()
	}
	r.SummaryText.SetText(r.summaryText())
	setEnabled(r.Back, w.CanBack())
	setEnabled(r.Next, w.CanNext())
	setEnabled(r.Save, w.CanSave())
	if w.Saving {
		r.Progress.Show()
		r.Progress.Start()
	} else {
		r.Progress.Stop()
		r.Progress.Hide()
	}
	r.quote()
}

func setEnabled(b *widget.Button, on bool) {
	if on && b.Disabled() {
		b.Enable()
	} else if !on && !b.Disabled() {
		b.Disable()
	}
}

func (r *ReceptionScreen) back() {
	r.Wizard.Back()
	r.render()
	r.focusStep()
}

func (r *ReceptionScreen) next() {
	first, ok := r.Wizard.Next(r.svc.Validate(r.Wizard.Current()))
	r.render()
	if ok {
		r.focusStep()
		return
	}
	r.focusField(first.Field)
}

func (r *ReceptionScreen) save() {
	first, ok := r.Wizard.Save(r.svc.Validate(r.Wizard.Current()))
	r.render()
	if !ok {
		r.focusField(first.Field)
		return
	}
	d := r.Wizard.Current()
	actor := r.actor()
	r.tasks.Go(func() {
		saved, err := r.svc.Receive(context.Background(), actor, d)
		fyne.Do(func() {
			if err != nil {
				r.Wizard.Failed(err)
				r.render()
				if _, invalid := err.(reception.ValidationError); !invalid {
					r.showError(SaveError(err))
				}
				return
			}
			r.Wizard.Done(saved)
			r.render()
			if r.onSaved != nil {
				r.onSaved(saved)
			}
		})
	})
}

func (r *ReceptionScreen) showError(msg string) {
	dialog.ShowInformation(lang.L("dialog.error"), msg, r.win)
}

// SaveError is the translated message for a failed save.
func SaveError(err error) string {
	if isNotAllowed(err) {
		return lang.L("err.not_allowed")
	}
	return lang.L("err.save.failed")
}

func isNotAllowed(err error) bool {
	for e := err; e != nil; {
		if e == reception.ErrNotAllowed {
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}

// Reset starts a new reception (Ctrl+N), unless one is being saved.
func (r *ReceptionScreen) Reset() {
	if r.Wizard.Saving {
		return
	}
	r.Wizard.Reset()
	r.loading = true
	for _, e := range []*widgets.Entry{r.Name, r.IDNumber, r.BirthDate, r.Address, r.Phone, r.Email, r.ReturnAddress, r.Note, r.ExtraName} {
		e.SetText("")
	}
	r.Sets.SetText("1")
	r.FeeUnits.SetText("0")
	r.Sex.SetSelected("")
	r.ReturnMethod.SetSelected(lang.L("return.1"))
	r.Chosen.SetText("")
	r.Search.SetText("")
	r.loading = false
	r.filter("")
	r.rebuildPapers()
	r.render()
	r.focusStep()
}

// FillApplicant fills the applicant step from an identity read elsewhere (the
// ID card reader's CCCD QR or MRZ), as if the clerk had typed it.
func (r *ReceptionScreen) FillApplicant(a dossier.Applicant) {
	set := func(e *widgets.Entry, v string) {
		if v != "" {
			e.SetText(v)
		}
	}
	set(r.Name, a.FullName)
	set(r.IDNumber, a.IDNumber)
	if !a.BirthDate.IsZero() {
		r.BirthDate.SetText(a.BirthDate.Format("02/01/2006"))
	}
	if a.Sex != dossier.SexUnknown {
		r.Sex.SetSelected(lang.L("sex." + strconv.Itoa(int(a.Sex))))
	}
	set(r.Address, a.Address)
	set(r.Phone, a.Phone)
	set(r.Email, a.Email)
}

// focusStep focuses the first input of the current step.
func (r *ReceptionScreen) focusStep() {
	switch r.Wizard.Step {
	case wizard.StepProcedure:
		r.focus(r.Search)
	case wizard.StepApplicant:
		r.focus(r.Name)
	case wizard.StepPapers:
		if len(r.PaperRows) > 0 {
			r.focus(r.PaperRows[0].Check)
		}
	case wizard.StepSummary:
		r.focus(r.Note)
	}
}

// focusField focuses the input of a field with an error.
func (r *ReceptionScreen) focusField(field string) {
	var target fyne.Focusable
	switch field {
	case "procedure":
		target = r.Search
	case "name":
		target = r.Name
	case "id_number":
		target = r.IDNumber
	case "birth_date":
		target = r.BirthDate
	case "address":
		target = r.Address
	case "phone":
		target = r.Phone
	case "email":
		target = r.Email
	case "sets":
		target = r.Sets
	case "fee_units":
		target = r.FeeUnits
	case "return_address":
		target = r.ReturnAddress
	case "papers":
		if len(r.PaperRows) > 0 {
			target = r.PaperRows[0].Check
		}
	}
	if target != nil {
		r.focus(target)
	}
}

// Focused is the object with the keyboard focus, for tests.
func (r *ReceptionScreen) Focused() fyne.Focusable { return r.win.Canvas().Focused() }

func (r *ReceptionScreen) focus(o fyne.Focusable) {
	if o != nil {
		r.win.Canvas().Focus(o)
	}
}
