package wizard

import (
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/reception"
)

func fe(field, reason string) reception.FieldError {
	return reception.FieldError{Field: field, Err: errors.New(reason), Key: "err." + field + "." + reason}
}

func TestStepOfPlacesEveryFieldOnItsPage(t *testing.T) {
	for _, tt := range []struct {
		field string
		want  Step
	}{
		{"procedure", StepProcedure}, {"name", StepApplicant}, {"id_number", StepApplicant},
		{"birth_date", StepApplicant}, {"sex", StepApplicant}, {"address", StepApplicant},
		{"phone", StepApplicant}, {"email", StepApplicant}, {"papers", StepPapers},
		{"sets", StepPapers}, {"return_address", StepSummary}, {"something new", StepSummary},
	} {
		if got := StepOf(tt.field); got != tt.want {
			t.Errorf("StepOf(%q) = %d, want %d", tt.field, got, tt.want)
		}
	}
}

func TestNext(t *testing.T) {
	for _, tt := range []struct {
		name     string
		from     Step
		errs     reception.ValidationError
		wantOK   bool
		wantStep Step
		wantErr  string // key of the first error returned
	}{
		{"no procedure keeps the clerk on step 1", StepProcedure,
			reception.ValidationError{fe("procedure", "required"), fe("name", "required")}, false, StepProcedure, "err.procedure.required"},
		{"a chosen procedure moves on even though later fields are empty", StepProcedure,
			reception.ValidationError{fe("name", "required"), fe("papers", "none")}, true, StepApplicant, ""},
		{"a bad ID number keeps the clerk on the applicant", StepApplicant,
			reception.ValidationError{fe("papers", "none"), fe("id_number", "format")}, false, StepApplicant, "err.id_number.format"},
		{"errors are reported in screen order", StepApplicant,
			reception.ValidationError{fe("email", "format"), fe("name", "chars")}, false, StepApplicant, "err.name.chars"},
		{"a valid applicant moves on to papers", StepApplicant,
			reception.ValidationError{fe("papers", "none"), fe("return_address", "required")}, true, StepPapers, ""},
		{"no paper ticked keeps the clerk on papers", StepPapers,
			reception.ValidationError{fe("papers", "none")}, false, StepPapers, "err.papers.none"},
		{"papers ok moves to the summary", StepPapers,
			reception.ValidationError{fe("return_address", "required")}, true, StepSummary, ""},
		{"an earlier bad field sends the clerk back to it", StepPapers,
			reception.ValidationError{fe("phone", "format")}, false, StepApplicant, "err.phone.format"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := New()
			w.Step = tt.from
			first, ok := w.Next(tt.errs)
			if ok != tt.wantOK || w.Step != tt.wantStep || first.Key != tt.wantErr {
				t.Fatalf("Next = (%q, %v), step %d; want (%q, %v), step %d", first.Key, ok, w.Step, tt.wantErr, tt.wantOK, tt.wantStep)
			}
			if !ok && w.ErrorFor(first.Field) != tt.wantErr {
				t.Fatalf("error for %s not shown: %v", first.Field, w.Errors())
			}
			if ok && len(w.Errors()) != 0 {
				t.Fatalf("errors still shown after moving on: %v", w.Errors())
			}
		})
	}
}

func TestSummaryIsTheLastStep(t *testing.T) {
	w := New()
	w.Step = StepSummary
	if w.CanNext() {
		t.Fatal("CanNext on the summary")
	}
	if _, ok := w.Next(nil); ok || w.Step != StepSummary {
		t.Fatal("Next moved past the summary")
	}
}

func TestBackStopsAtTheFirstStep(t *testing.T) {
	w := New()
	if w.CanBack() {
		t.Fatal("CanBack on step 1")
	}
	w.Step = StepPapers
	w.Back()
	w.Back()
	w.Back()
	if w.Step != StepProcedure {
		t.Fatalf("step %d after three Backs", w.Step)
	}
}

func TestSave(t *testing.T) {
	for _, tt := range []struct {
		name      string
		errs      reception.ValidationError
		wantOK    bool
		wantStep  Step
		wantFirst string
	}{
		{"a valid draft starts saving", nil, true, StepSummary, ""},
		{"a bad ID number goes back to the applicant and names it first", reception.ValidationError{
			fe("return_address", "required"), fe("id_number", "province")}, false, StepApplicant, "id_number"},
		{"a missing postal address stays on the summary", reception.ValidationError{
			fe("return_address", "required")}, false, StepSummary, "return_address"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			w := New()
			w.Step = StepSummary
			if !w.CanSave() {
				t.Fatal("save not usable on the summary")
			}
			first, ok := w.Save(tt.errs)
			if ok != tt.wantOK || w.Step != tt.wantStep || first.Field != tt.wantFirst {
				t.Fatalf("Save = (%q, %v) step %d", first.Field, ok, w.Step)
			}
			if ok {
				if !w.Saving || w.CanSave() || w.CanBack() {
					t.Fatal("saving wizard still allows save or back")
				}
				w.Done(&dossier.Dossier{ID: 1})
				if w.Saved == nil || w.Saving || w.CanNext() {
					t.Fatal("done wizard not finished")
				}
			} else if len(w.Errors()) != len(tt.errs) {
				t.Fatalf("Save shows %d errors, want every one (%d)", len(w.Errors()), len(tt.errs))
			}
		})
	}
}

func TestFailedSaveAllowsRetry(t *testing.T) {
	w := New()
	w.Step = StepSummary
	if _, ok := w.Save(nil); !ok {
		t.Fatal("Save refused")
	}
	w.Failed(errors.New("disk full"))
	if !w.CanSave() {
		t.Fatal("cannot retry after a failed save")
	}
	w.Save(nil)
	w.Failed(reception.ValidationError{fe("name", "required")})
	if w.Step != StepApplicant || w.ErrorFor("name") == "" {
		t.Fatalf("service validation error not shown: step %d errors %v", w.Step, w.Errors())
	}
}

func TestBirthDateTypedBadlyIsAnError(t *testing.T) {
	w := New()
	w.Step = StepApplicant
	w.SetBirthDate("31/02/1990")
	first, ok := w.Next(nil)
	if ok || first.Key != "err.birth_date.format" {
		t.Fatalf("Next = %q, %v", first.Key, ok)
	}
	w.SetBirthDate("05/03/1990")
	w.Revalidate(nil)
	if len(w.Errors()) != 0 {
		t.Fatalf("fixed date still shows %v", w.Errors())
	}
	if got := w.Current().Applicant.BirthDate; !got.Equal(time.Date(1990, 3, 5, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("birth date %v", got)
	}
}

func TestRevalidateShowsNothingBeforeTheFirstAttempt(t *testing.T) {
	w := New()
	w.Step = StepApplicant
	w.Revalidate(reception.ValidationError{fe("name", "required")})
	if len(w.Errors()) != 0 {
		t.Fatal("errors shown while the clerk is still typing")
	}
	w.Next(reception.ValidationError{fe("name", "required"), fe("id_number", "format")})
	w.Revalidate(reception.ValidationError{fe("id_number", "format")})
	if w.ErrorFor("name") != "" || w.ErrorFor("id_number") == "" {
		t.Fatalf("errors after fixing the name: %v", w.Errors())
	}
}

func TestPapers(t *testing.T) {
	w := New()
	w.ChooseProcedure("1.001193", "Đăng ký khai sinh", []dossier.Paper{
		{Name: "Tờ khai đăng ký khai sinh", Form: dossier.FormOriginal, Count: 1, Required: true},
		{Name: "Giấy chứng sinh", Form: dossier.FormOriginal, Count: 0, Required: true},
	}, false)
	d := w.Current()
	if len(d.Papers) != 2 || d.Papers[0].Count != 0 || d.Papers[1].Count != 0 {
		t.Fatalf("unticked papers must have count 0: %+v", d.Papers)
	}
	w.Tick(1, true)
	w.SetPaperCount(1, "2")
	w.SetPaperForm(1, dossier.FormCertifiedCopy)
	i := w.AddPaper(" Giấy ủy quyền ")
	d = w.Current()
	if d.Papers[1].Count != 2 || d.Papers[1].Form != dossier.FormCertifiedCopy || d.Papers[i].Name != "Giấy ủy quyền" || d.Papers[i].Count != 1 {
		t.Fatalf("papers %+v", d.Papers)
	}
	w.SetPaperCount(1, "x")
	w.Step = StepPapers
	if first, ok := w.Next(nil); ok || first.Key != "err.papers.count" {
		t.Fatalf("bad count accepted: %q %v", first.Key, ok)
	}
	w.RemovePaper(0) // listed: stays
	w.RemovePaper(i)
	if len(w.Papers) != 2 {
		t.Fatalf("%d papers after removals", len(w.Papers))
	}
	w.ChooseProcedure("1.001193", "Đăng ký khai sinh", nil, false)
	if len(w.Papers) != 2 {
		t.Fatal("choosing the same procedure again lost the ticks")
	}
}

var dateCases = []struct {
	in   string
	want string // yyyy-mm-dd, "" for error
}{
	{"05/03/1990", "1990-03-05"},
	{"5/3/1990", "1990-03-05"},
	{"05.03.1990", "1990-03-05"},
	{"05031990", "1990-03-05"},
	{"29/02/2000", "2000-02-29"},
	{"29/02/2001", ""},
	{"31/04/1990", ""},
	{"1990-03-05", ""},
	{"05/13/1990", ""},
	{"05/03/90", ""},
	{"abc", ""},
}

func TestParseDate(t *testing.T) {
	for _, tt := range dateCases {
		got, err := ParseDate(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParseDate(%q) = %v, want error", tt.in, got)
			}
			continue
		}
		if err != nil || got.Format("2006-01-02") != tt.want {
			t.Errorf("ParseDate(%q) = %v, %v; want %s", tt.in, got, err, tt.want)
		}
	}
	if got, err := ParseDate("  "); err != nil || !got.IsZero() {
		t.Errorf("empty date: %v %v", got, err)
	}
}

func FuzzParseDate(f *testing.F) {
	for _, tt := range dateCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil || d.IsZero() {
			return
		}
		back, err := ParseDate(d.Format("02/01/2006"))
		if err != nil || !back.Equal(d) {
			t.Fatalf("%q → %v does not round trip", s, d)
		}
	})
}
