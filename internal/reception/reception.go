package reception

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/citizen"
	"github.com/motcua/motcua/internal/dossier"
)

// Repository saves dossiers. internal/store implements it.
type Repository interface {
	Receive(ctx context.Context, d *dossier.Dossier, actor string) error
}

// Calendar computes appointments in working time. internal/calendar
// implements it.
type Calendar interface {
	AddWorkingDays(from time.Time, n int) time.Time
	AddWorkingHours(from time.Time, hours int) time.Time
	SameDay(from time.Time) time.Time
}

// Service is the reception use case.
type Service struct {
	Repo     Repository
	Catalog  *catalog.Catalog
	Calendar Calendar
	Now      func() time.Time
}

// Draft is what the clerk has entered so far.
type Draft struct {
	ProcedureCode string
	Applicant     dossier.Applicant
	Papers        []dossier.Paper
	Sets          int
	FeeUnits      int // pages, copies… when the procedure's fee is per unit
	ReturnMethod  dossier.ReturnMethod
	ReturnAddress string
	Note          string
}

// Quote is the fee and appointment a draft would get if saved now.
type Quote struct {
	Procedure  catalog.Procedure
	Fee        int64
	ReceivedAt time.Time
	DueAt      time.Time
}

// ErrNotAllowed is returned when the actor's role may not receive dossiers.
var ErrNotAllowed = errors.New("not allowed")

// ErrUnknownProcedure is returned for a procedure code not in force.
var ErrUnknownProcedure = errors.New("unknown procedure")

// FieldError is one invalid input.
type FieldError struct {
	Field string // "procedure", "name", "id_number", …
	Err   error
	Key   string // translation key of the message, "err.<field>.<reason>"
}

// ValidationError lists every invalid input of a draft.
type ValidationError []FieldError

func (v ValidationError) Error() string {
	parts := make([]string, len(v))
	for i, f := range v {
		parts[i] = f.Field + ": " + f.Err.Error()
	}
	return "invalid dossier: " + strings.Join(parts, "; ")
}

// Field returns the error of one field, if any.
func (v ValidationError) Field(name string) (FieldError, bool) {
	for _, f := range v {
		if f.Field == name {
			return f, true
		}
	}
	return FieldError{}, false
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Procedures searches the procedures in force, ignoring case and diacritics.
func (s *Service) Procedures(query string) []catalog.Procedure {
	return s.Catalog.Search(query, s.now())
}

// PapersFor returns the procedure's papers as defaults for the checklist, not
// yet ticked (Count 0 means not handed in).
func (s *Service) PapersFor(code string) []dossier.Paper {
	p, ok := s.Catalog.Find(code, s.now())
	if !ok {
		return nil
	}
	out := make([]dossier.Paper, len(p.Papers))
	for i, ps := range p.Papers {
		out[i] = dossier.Paper{Name: ps.Name, Form: ps.Form, Count: ps.Count, Required: ps.Required}
	}
	return out
}

// Quote computes the fee and appointment of d as if it were received now.
func (s *Service) Quote(d Draft) (Quote, error) {
	return s.quote(d, s.now())
}

func (s *Service) quote(d Draft, now time.Time) (Quote, error) {
	p, ok := s.Catalog.Find(d.ProcedureCode, now)
	if !ok {
		return Quote{}, fmt.Errorf("%w: %q", ErrUnknownProcedure, d.ProcedureCode)
	}
	return Quote{Procedure: p, Fee: p.Fee.Compute(d.FeeUnits), ReceivedAt: now, DueAt: s.due(p.Deadline, now)}, nil
}

func (s *Service) due(dl catalog.Deadline, from time.Time) time.Time {
	switch dl.Kind {
	case catalog.DeadlineHours:
		return s.Calendar.AddWorkingHours(from, dl.N)
	case catalog.DeadlineSameDay:
		return s.Calendar.SameDay(from)
	default:
		return s.Calendar.AddWorkingDays(from, dl.N)
	}
}

// Validate checks every field of d; it returns nil when d can be saved.
func (s *Service) Validate(d Draft) ValidationError {
	return s.validate(d, s.now())
}

func (s *Service) validate(d Draft, now time.Time) ValidationError {
	var v ValidationError
	add := func(field, reason string, err error) {
		v = append(v, FieldError{Field: field, Err: err, Key: "err." + field + "." + reason})
	}
	if _, ok := s.Catalog.Find(d.ProcedureCode, now); !ok {
		add("procedure", "required", dossier.ErrProcedure)
	}
	a := d.Applicant
	if err := citizen.ValidateName(a.FullName); err != nil {
		if errors.Is(err, citizen.ErrNameEmpty) {
			add("name", "required", err)
		} else {
			add("name", "chars", err)
		}
	}
	if !a.BirthDate.IsZero() && a.BirthDate.After(now) {
		add("birth_date", "future", errors.New("birth date in the future"))
	}
	if err := citizen.ValidateID(a.IDNumber, a.BirthDate, a.Sex); err != nil {
		switch {
		case errors.Is(err, citizen.ErrIDProvince):
			add("id_number", "province", err)
		case errors.Is(err, citizen.ErrIDBirthYear):
			add("id_number", "birth_year", err)
		case errors.Is(err, citizen.ErrIDSex):
			add("id_number", "sex", err)
		default:
			add("id_number", "format", err)
		}
	}
	if strings.TrimSpace(a.Address) == "" {
		add("address", "required", errors.New("address required"))
	}
	if strings.TrimSpace(a.Phone) != "" {
		if _, err := citizen.NormalizePhone(a.Phone); err != nil {
			add("phone", "format", err)
		}
	}
	if strings.TrimSpace(a.Email) != "" {
		if err := citizen.ValidateEmail(a.Email); err != nil {
			add("email", "format", err)
		}
	}
	handed := 0
	for _, p := range d.Papers {
		if p.Count == 0 {
			continue // listed but not handed in
		}
		handed++
		switch {
		case strings.TrimSpace(p.Name) == "":
			add("papers", "name", dossier.ErrPaperName)
		case p.Count < 0:
			add("papers", "count", dossier.ErrPaperCount)
		case !p.Form.Valid():
			add("papers", "form", dossier.ErrPaperForm)
		}
	}
	if handed == 0 {
		add("papers", "none", dossier.ErrNoPapers)
	}
	if d.Sets < 1 {
		add("sets", "min", dossier.ErrSets)
	}
	if d.ReturnMethod == dossier.ReturnByPost && strings.TrimSpace(d.ReturnAddress) == "" {
		add("return_address", "required", dossier.ErrReturnAddress)
	}
	return v
}

// Receive validates d, computes its fee and appointment and saves it durably.
// The returned dossier carries its code and tracking-book number; only then
// may a receipt be printed.
func (s *Service) Receive(ctx context.Context, actor auth.Account, d Draft) (*dossier.Dossier, error) {
	if !actor.Role.Can(auth.PermDossierReceive) {
		return nil, fmt.Errorf("receive as %s: %w", actor.Role, ErrNotAllowed)
	}
	now := s.now()
	if v := s.validate(d, now); v != nil {
		return nil, v
	}
	q, err := s.quote(d, now)
	if err != nil {
		return nil, err
	}
	a := d.Applicant
	a.FullName = citizen.NormalizeName(a.FullName)
	a.IDNumber = strings.TrimSpace(a.IDNumber)
	a.Address = strings.TrimSpace(a.Address)
	a.Email = strings.TrimSpace(a.Email)
	if a.Phone != "" {
		a.Phone, _ = citizen.NormalizePhone(a.Phone) // validated above
	}
	var papers []dossier.Paper
	for _, p := range d.Papers {
		if p.Count > 0 {
			p.Name = strings.TrimSpace(p.Name)
			papers = append(papers, p)
		}
	}
	ret := d.ReturnMethod
	if ret == 0 {
		ret = dossier.ReturnAtCounter
	}
	out := &dossier.Dossier{
		ProcedureCode:  q.Procedure.Code,
		ProcedureName:  q.Procedure.Name,
		CatalogVersion: q.Procedure.Version,
		Applicant:      a,
		Papers:         papers,
		Sets:           d.Sets,
		Fee:            q.Fee,
		ProcessingTime: q.Procedure.Deadline.Text,
		ReceivedAt:     now,
		DueAt:          q.DueAt,
		Status:         dossier.StatusReceived,
		Channel:        dossier.ChannelInPerson,
		ReturnMethod:   ret,
		ReturnAddress:  strings.TrimSpace(d.ReturnAddress),
		ReceivedBy:     actor.Login,
		Note:           strings.TrimSpace(d.Note),
	}
	if err := s.Repo.Receive(ctx, out, actor.Login); err != nil {
		return nil, fmt.Errorf("save dossier: %w", err)
	}
	return out, nil
}
