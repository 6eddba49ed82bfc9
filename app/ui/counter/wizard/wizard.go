// Package wizard is the reception wizard's flow, without Fyne: which step the
// clerk is on, what has been entered, which errors are shown and whether the
// clerk may go on. The screen (app/ui/counter) only renders this state and
// forwards input to it; the rules about the dossier itself stay in
// internal/reception, whose Validate result the wizard filters per step.
package wizard

import (
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/reception"
)

// Step is one page of the wizard.
type Step int

const (
	StepProcedure Step = iota + 1 // choose the procedure
	StepApplicant                 // who submits
	StepPapers                    // papers handed in, sets, fee units
	StepSummary                   // fee, appointment, return method, save
)

// Steps lists the steps in order.
var Steps = []Step{StepProcedure, StepApplicant, StepPapers, StepSummary}

// Key is the translation key of the step's title.
func (s Step) Key() string { return "wizard.step." + strconv.Itoa(int(s)) }

// fieldOrder is the order fields appear on screen: the first bad one is
// focused.
var fieldOrder = []string{"procedure", "name", "id_number", "birth_date", "sex", "address", "phone",
	"email", "papers", "sets", "fee_units", "return_address"}

// StepOf is the step where field is entered.
func StepOf(field string) Step {
	switch field {
	case "procedure":
		return StepProcedure
	case "name", "id_number", "birth_date", "sex", "address", "phone", "email":
		return StepApplicant
	case "papers", "sets", "fee_units":
		return StepPapers
	}
	return StepSummary
}

func fieldRank(field string) int {
	for i, f := range fieldOrder {
		if f == field {
			return i
		}
	}
	return len(fieldOrder)
}

// PaperItem is one line of the papers checklist.
type PaperItem struct {
	Paper  dossier.Paper // Count is the count entered, kept while unticked
	Ticked bool          // handed in
	Extra  bool          // added by the clerk, not listed by the procedure
}

// Wizard is the state of one reception.
type Wizard struct {
	Step  Step
	Draft reception.Draft // Papers is rebuilt from Papers by Current
	// ProcedureName is shown in the steps after the first.
	ProcedureName string
	Papers        []PaperItem
	// HasFeeUnits is set when the procedure's fee is per unit (pages, copies):
	// the papers step then asks for FeeUnits.
	HasFeeUnits bool

	local  map[string]reception.FieldError // input the screen could not parse
	shown  reception.ValidationError       // errors on screen
	Saving bool
	Saved  *dossier.Dossier
}

// New starts a reception: first step, one set, result returned at the counter.
func New() *Wizard {
	w := &Wizard{}
	w.Reset()
	return w
}

// Reset empties the wizard for the next citizen.
func (w *Wizard) Reset() {
	*w = Wizard{
		Step:  StepProcedure,
		Draft: reception.Draft{Sets: 1, ReturnMethod: dossier.ReturnAtCounter},
		local: map[string]reception.FieldError{},
	}
}

// ChooseProcedure selects the procedure and replaces the checklist by its
// papers (none ticked). hasFeeUnits tells whether its fee is per unit.
func (w *Wizard) ChooseProcedure(code, name string, papers []dossier.Paper, hasFeeUnits bool) {
	if code == w.Draft.ProcedureCode {
		return
	}
	w.Draft.ProcedureCode = code
	w.ProcedureName = name
	w.HasFeeUnits = hasFeeUnits
	if !hasFeeUnits {
		w.Draft.FeeUnits = 0
	}
	w.Papers = w.Papers[:0]
	for _, p := range papers {
		if p.Count < 1 {
			p.Count = 1
		}
		if !p.Form.Valid() {
			p.Form = dossier.FormCopy
		}
		w.Papers = append(w.Papers, PaperItem{Paper: p})
	}
}

// Tick marks paper i as handed in or not.
func (w *Wizard) Tick(i int, on bool) {
	if i >= 0 && i < len(w.Papers) {
		w.Papers[i].Ticked = on
	}
}

// SetPaperForm sets the form of paper i.
func (w *Wizard) SetPaperForm(i int, f dossier.PaperForm) {
	if i >= 0 && i < len(w.Papers) {
		w.Papers[i].Paper.Form = f
	}
}

// SetPaperCount sets the count of paper i from what was typed.
func (w *Wizard) SetPaperCount(i int, text string) {
	if i < 0 || i >= len(w.Papers) {
		return
	}
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil || n < 1 {
		w.local["papers"] = reception.FieldError{Field: "papers", Err: dossier.ErrPaperCount, Key: "err.papers.count"}
		return
	}
	delete(w.local, "papers")
	w.Papers[i].Paper.Count = n
}

// AddPaper adds a paper the procedure does not list, ticked, and returns its
// index.
func (w *Wizard) AddPaper(name string) int {
	w.Papers = append(w.Papers, PaperItem{
		Paper:  dossier.Paper{Name: strings.TrimSpace(name), Form: dossier.FormCopy, Count: 1},
		Ticked: true, Extra: true,
	})
	return len(w.Papers) - 1
}

// RemovePaper removes an extra paper; listed papers can only be unticked.
func (w *Wizard) RemovePaper(i int) {
	if i >= 0 && i < len(w.Papers) && w.Papers[i].Extra {
		w.Papers = append(w.Papers[:i], w.Papers[i+1:]...)
	}
}

// SetBirthDate parses the date of birth as typed (dd/mm/yyyy); "" clears it.
func (w *Wizard) SetBirthDate(text string) {
	t, err := ParseDate(text)
	if err != nil {
		w.Draft.Applicant.BirthDate = time.Time{}
		w.local["birth_date"] = reception.FieldError{Field: "birth_date", Err: err, Key: "err.birth_date.format"}
		return
	}
	delete(w.local, "birth_date")
	w.Draft.Applicant.BirthDate = t
}

// SetSets sets the number of sets from what was typed.
func (w *Wizard) SetSets(text string) {
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil {
		n = 0
	}
	w.Draft.Sets = n
}

// SetFeeUnits sets the number of fee units (pages, copies) from what was
// typed.
func (w *Wizard) SetFeeUnits(text string) {
	n, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil || n < 0 {
		w.local["fee_units"] = reception.FieldError{Field: "fee_units", Err: err, Key: "err.fee_units.format"}
		return
	}
	delete(w.local, "fee_units")
	w.Draft.FeeUnits = n
}

// Current is the draft to validate, quote or save: unticked papers have
// Count 0 (listed but not handed in).
func (w *Wizard) Current() reception.Draft {
	d := w.Draft
	d.Papers = make([]dossier.Paper, len(w.Papers))
	for i, it := range w.Papers {
		p := it.Paper
		if !it.Ticked {
			p.Count = 0
		}
		d.Papers[i] = p
	}
	return d
}

// merge adds the wizard's own parse errors to the service's, replacing the
// service's error of the same field (its message would be about the empty
// value), and sorts them in screen order.
func (w *Wizard) merge(v reception.ValidationError) reception.ValidationError {
	var out reception.ValidationError
	for _, f := range v {
		if _, ok := w.local[f.Field]; !ok {
			out = append(out, f)
		}
	}
	for _, f := range fieldOrder {
		if e, ok := w.local[f]; ok {
			out = append(out, e)
		}
	}
	// stable insertion sort by screen order; lists are short
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && fieldRank(out[j].Field) < fieldRank(out[j-1].Field); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func upTo(v reception.ValidationError, s Step) reception.ValidationError {
	var out reception.ValidationError
	for _, f := range v {
		if StepOf(f.Field) <= s {
			out = append(out, f)
		}
	}
	return out
}

// Errors are the errors to show now, in screen order.
func (w *Wizard) Errors() reception.ValidationError { return w.shown }

// ErrorFor is the error key shown for field, "" when none.
func (w *Wizard) ErrorFor(field string) string {
	for _, f := range w.shown {
		if f.Field == field {
			return f.Key
		}
	}
	return ""
}

// Revalidate refreshes the errors on screen after an edit, given the
// service's Validate of Current: errors appear only once the clerk tried to
// go on, and disappear as soon as they are fixed.
func (w *Wizard) Revalidate(v reception.ValidationError) {
	if w.shown == nil {
		return
	}
	all := upTo(w.merge(v), w.Step)
	if len(all) == 0 {
		w.shown = nil
		return
	}
	w.shown = all
}

// CanBack reports whether there is a previous step.
func (w *Wizard) CanBack() bool { return w.Step > StepProcedure && !w.Saving && w.Saved == nil }

// Back goes to the previous step.
func (w *Wizard) Back() {
	if w.CanBack() {
		w.Step--
		w.shown = upTo(w.shown, w.Step)
		if len(w.shown) == 0 {
			w.shown = nil
		}
	}
}

// CanNext reports whether there is a next step (the last one saves instead).
func (w *Wizard) CanNext() bool { return w.Step < StepSummary && !w.Saving && w.Saved == nil }

// Next moves on when the fields of this step and the earlier ones are valid,
// given the service's Validate of Current. Otherwise it stays (or goes back
// to the earliest bad step), shows the errors and returns the first.
func (w *Wizard) Next(v reception.ValidationError) (reception.FieldError, bool) {
	if !w.CanNext() {
		return reception.FieldError{}, false
	}
	bad := upTo(w.merge(v), w.Step)
	if len(bad) > 0 {
		w.shown = bad
		w.Step = StepOf(bad[0].Field)
		return bad[0], false
	}
	w.shown = nil
	w.Step++
	return reception.FieldError{}, true
}

// GoTo jumps to an earlier step (from the summary's "edit" links).
func (w *Wizard) GoTo(s Step) {
	if s >= StepProcedure && s < w.Step && !w.Saving && w.Saved == nil {
		w.Step = s
		w.shown = upTo(w.shown, s)
	}
}

// CanSave reports whether the save button is usable: on the summary, not
// already saving or saved. It stays usable while there are errors; Save then
// shows them.
func (w *Wizard) CanSave() bool { return w.Step == StepSummary && !w.Saving && w.Saved == nil }

// Save starts saving when the whole draft is valid: it returns true and the
// screen must call Receive, then Done or Failed. With errors it returns
// false, moves to the step of the first bad field and shows every error.
func (w *Wizard) Save(v reception.ValidationError) (reception.FieldError, bool) {
	if !w.CanSave() {
		return reception.FieldError{}, false
	}
	bad := w.merge(v)
	if len(bad) > 0 {
		w.shown = bad
		w.Step = StepOf(bad[0].Field)
		return bad[0], false
	}
	w.shown = nil
	w.Saving = true
	return reception.FieldError{}, true
}

// Done records the saved dossier: the wizard is finished.
func (w *Wizard) Done(d *dossier.Dossier) {
	w.Saving = false
	w.Saved = d
}

// Failed ends a save that did not happen; the clerk may try again. A
// validation error from the service is shown like Save's.
func (w *Wizard) Failed(err error) {
	w.Saving = false
	if v, ok := err.(reception.ValidationError); ok && len(v) > 0 {
		w.shown = w.merge(v)
		w.Step = StepOf(w.shown[0].Field)
	}
}

// ParseDate parses a date typed as dd/mm/yyyy. It also accepts d/m/yyyy,
// dots or dashes, and 8 digits ddmmyyyy (as ID card QR codes write it).
// "" gives the zero time and no error.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	var parts []string
	if len(s) == 8 && isDigits(s) {
		parts = []string{s[:2], s[2:4], s[4:]}
	} else {
		parts = strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '.' || r == '-' || r == ' ' })
	}
	if len(parts) != 3 || len(parts[2]) != 4 || len(parts[0]) > 2 || len(parts[1]) > 2 {
		return time.Time{}, ErrDate
	}
	d, err1 := strconv.Atoi(parts[0])
	m, err2 := strconv.Atoi(parts[1])
	y, err3 := strconv.Atoi(parts[2])
	if err1 != nil || err2 != nil || err3 != nil || y < 1900 || m < 1 || m > 12 || d < 1 {
		return time.Time{}, ErrDate
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if t.Day() != d { // 31/02 rolls over
		return time.Time{}, ErrDate
	}
	return t, nil
}

// ErrDate is returned by ParseDate.
var ErrDate = dateError("date is not dd/mm/yyyy")

type dateError string

func (e dateError) Error() string { return string(e) }

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
