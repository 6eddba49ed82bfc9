package reception

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/citizen"
	"github.com/motcua/motcua/internal/dossier"
)

// LifecycleRepository records the steps of a dossier after reception;
// internal/store implements it. Apply is one durable transaction (status,
// history, audit, outbox) that re-checks the status and the transition.
type LifecycleRepository interface {
	Dossier(ctx context.Context, id int64) (*dossier.Dossier, error)
	Apply(ctx context.Context, id int64, ch dossier.Change) (*dossier.Dossier, error)
	Lifecycle(ctx context.Context, id int64) (dossier.Lifecycle, error)
}

// Lifecycle is the use cases of a dossier after reception: supplement
// request and supplement, start of processing, transfer, result, return of
// the result to its collector, refusal, withdrawal, stop, and the apology
// with a new appointment. Each checks the actor's role, validates the input
// and calls the repository once.
type Lifecycle struct {
	Repo     LifecycleRepository
	Calendar LifecycleCalendar
	Now      func() time.Time
}

// LifecycleCalendar is the office calendar the lifecycle counts working
// time on; *calendar.Calendar implements it.
type LifecycleCalendar interface {
	Calendar
	WorkingMinutesBetween(a, b time.Time) int
	AddWorkingMinutes(from time.Time, n int) time.Time
}

// permissions is who may take each step (auth.Role.Can).
var permissions = map[dossier.Action]auth.Permission{
	dossier.ActionReceive:      auth.PermDossierReceive,
	dossier.ActionStart:        auth.PermDossierProcess,
	dossier.ActionTransfer:     auth.PermDossierProcess,
	dossier.ActionSupplement:   auth.PermDossierSupplement,
	dossier.ActionSupplemented: auth.PermDossierSupplement,
	dossier.ActionRequestFee:   auth.PermDossierProcess,
	dossier.ActionPaid:         auth.PermDossierProcess,
	dossier.ActionResult:       auth.PermDossierProcess,
	dossier.ActionReturn:       auth.PermDossierReturn,
	dossier.ActionRefuse:       auth.PermDossierRefuse,
	dossier.ActionWithdraw:     auth.PermDossierProcess,
	dossier.ActionStop:         auth.PermDossierStop,
	dossier.ActionExtend:       auth.PermDossierApology,
}

// May reports whether role r may take action a (on a dossier whose status
// allows it).
func May(r auth.Role, a dossier.Action) bool {
	p, ok := permissions[a]
	return ok && r.Can(p)
}

// Actions lists what actor may do now on a dossier in status s: the
// transitions the lifecycle allows from s that the actor's role grants.
func Actions(actor auth.Account, s dossier.Status) []dossier.Action {
	var out []dossier.Action
	for _, a := range dossier.Allowed(s) {
		if a != dossier.ActionReceive && May(actor.Role, a) {
			out = append(out, a)
		}
	}
	return out
}

func (l *Lifecycle) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

func fieldErr(field, reason string, err error) ValidationError {
	return ValidationError{{Field: field, Err: err, Key: "lifecycle.err." + field + "." + reason}}
}

// apply checks the role and hands the step to the repository.
func (l *Lifecycle) apply(ctx context.Context, actor auth.Account, id int64, ch dossier.Change) (*dossier.Dossier, error) {
	if !May(actor.Role, ch.Action) {
		return nil, fmt.Errorf("%s as %s: %w", ch.Action, actor.Role, ErrNotAllowed)
	}
	if _, err := dossier.Next(ch.From, ch.Action); err != nil {
		return nil, err
	}
	ch.Actor = actor.Login
	ch.Note = strings.TrimSpace(ch.Note)
	d, err := l.Repo.Apply(ctx, id, ch)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Step takes an action that needs nothing but an optional note: start,
// supplemented, payment requested, paid, result.
func (l *Lifecycle) Step(ctx context.Context, actor auth.Account, id int64, from dossier.Status, a dossier.Action, note string) (*dossier.Dossier, error) {
	switch a {
	case dossier.ActionStart, dossier.ActionSupplemented, dossier.ActionRequestFee, dossier.ActionPaid, dossier.ActionResult:
	default:
		return nil, fmt.Errorf("step %s: needs its own use case", a)
	}
	ch := dossier.Change{Action: a, From: from, Note: note}
	if a == dossier.ActionSupplemented && May(actor.Role, a) {
		due, left, err := l.Resume(ctx, id)
		if err != nil {
			return nil, err
		}
		ch.NewDue, ch.Remaining = due, left
	}
	return l.apply(ctx, actor, id, ch)
}

// Resume computes the appointment of a dossier whose supplement arrives
// now: the processing clock stopped when the supplement was requested, so
// the working time that was left then (office hours on working days,
// holidays excluded) is counted again from now. It returns the new
// appointment and the working minutes that were left. A dossier already
// late when the clock stopped keeps its appointment (zero time): waiting
// for the citizen does not excuse the office's delay.
func (l *Lifecycle) Resume(ctx context.Context, id int64) (time.Time, int, error) {
	d, err := l.Repo.Dossier(ctx, id)
	if err != nil {
		return time.Time{}, 0, err
	}
	lc, err := l.Repo.Lifecycle(ctx, id)
	if err != nil {
		return time.Time{}, 0, err
	}
	req, ok := lc.PendingSupplement()
	if !ok || d.DueAt.IsZero() {
		return time.Time{}, 0, nil
	}
	due := req.DueBefore
	if due.IsZero() || d.DueAt.After(due) { // an apology during the wait moved it
		due = d.DueAt
	}
	left := l.Calendar.WorkingMinutesBetween(req.At, due)
	if left <= 0 {
		return time.Time{}, 0, nil
	}
	return l.Calendar.AddWorkingMinutes(l.now(), left), left, nil
}

// RequestSupplement asks the citizen to add papers (form 02): at least one
// item and a reason; the contact official and phone are printed on the form.
func (l *Lifecycle) RequestSupplement(ctx context.Context, actor auth.Account, id int64, from dossier.Status, s dossier.Supplement) (*dossier.Dossier, error) {
	var items []string
	for _, it := range s.Items {
		if it = strings.TrimSpace(it); it != "" {
			items = append(items, it)
		}
	}
	s.Items = items
	s.Reason, s.Official, s.Phone = strings.TrimSpace(s.Reason), strings.TrimSpace(s.Official), strings.TrimSpace(s.Phone)
	var v ValidationError
	if len(items) == 0 {
		v = append(v, fieldErr("items", "required", dossier.ErrNoItems)...)
	}
	if s.Reason == "" {
		v = append(v, fieldErr("reason", "required", dossier.ErrNoteRequired)...)
	}
	if s.Phone != "" {
		if p, err := citizen.NormalizePhone(s.Phone); err != nil {
			v = append(v, fieldErr("phone", "format", err)...)
		} else {
			s.Phone = p
		}
	}
	if v != nil && May(actor.Role, dossier.ActionSupplement) {
		return nil, v
	}
	return l.apply(ctx, actor, id, dossier.Change{Action: dossier.ActionSupplement, From: from, Note: s.Reason, Supplement: &s})
}

// Transfer hands the dossier to the processing authority.
func (l *Lifecycle) Transfer(ctx context.Context, actor auth.Account, id int64, from dossier.Status, agency, note string) (*dossier.Dossier, error) {
	agency = strings.TrimSpace(agency)
	if agency == "" && May(actor.Role, dossier.ActionTransfer) {
		return nil, fieldErr("agency", "required", dossier.ErrAgencyRequired)
	}
	return l.apply(ctx, actor, id, dossier.Change{Action: dossier.ActionTransfer, From: from, Agency: agency, Note: note})
}

// ReturnResult records that the result was handed over: to the applicant or
// an authorised person, named, with a valid personal ID number, and what
// was handed over.
func (l *Lifecycle) ReturnResult(ctx context.Context, actor auth.Account, id int64, from dossier.Status, c dossier.Collector) (*dossier.Dossier, error) {
	c.FullName = citizen.NormalizeName(c.FullName)
	c.IDNumber = strings.TrimSpace(c.IDNumber)
	c.Items = strings.TrimSpace(c.Items)
	var v ValidationError
	if err := citizen.ValidateName(c.FullName); err != nil {
		v = append(v, fieldErr("collector_name", "required", dossier.ErrCollectorName)...)
	}
	if err := citizen.ValidateID(c.IDNumber, time.Time{}, dossier.SexUnknown); err != nil {
		v = append(v, fieldErr("collector_id", "format", fmt.Errorf("%w: %w", dossier.ErrCollectorID, err))...)
	}
	if c.Items == "" {
		v = append(v, fieldErr("items", "required", dossier.ErrNoItems)...)
	}
	if v != nil && May(actor.Role, dossier.ActionReturn) {
		return nil, v
	}
	return l.apply(ctx, actor, id, dossier.Change{Action: dossier.ActionReturn, From: from, Collector: &c})
}

// Close ends a dossier with a reason: refusal (form 03), withdrawal at the
// citizen's request, or stop of processing.
func (l *Lifecycle) Close(ctx context.Context, actor auth.Account, id int64, from dossier.Status, a dossier.Action, reason string) (*dossier.Dossier, error) {
	switch a {
	case dossier.ActionRefuse, dossier.ActionWithdraw, dossier.ActionStop:
	default:
		return nil, fmt.Errorf("close with %s: not a closing action", a)
	}
	if strings.TrimSpace(reason) == "" && May(actor.Role, a) {
		return nil, fieldErr("reason", "required", dossier.ErrNoteRequired)
	}
	return l.apply(ctx, actor, id, dossier.Change{Action: a, From: from, Note: reason})
}

// Apologise issues form 04: a reason and a new appointment later than the
// current one and than now. Once per dossier; a further apology needs
// override, which only a leader may give.
func (l *Lifecycle) Apologise(ctx context.Context, actor auth.Account, id int64, from dossier.Status, newDue time.Time, reason string, override bool) (*dossier.Dossier, error) {
	if override && !actor.Role.Can(auth.PermDossierApologyOverride) {
		return nil, fmt.Errorf("apology override as %s: %w", actor.Role, ErrNotAllowed)
	}
	if May(actor.Role, dossier.ActionExtend) {
		var v ValidationError
		if strings.TrimSpace(reason) == "" {
			v = append(v, fieldErr("reason", "required", dossier.ErrNoteRequired)...)
		}
		if newDue.IsZero() || !newDue.After(l.now()) {
			v = append(v, fieldErr("new_due", "future", dossier.ErrNewDue)...)
		}
		if v != nil {
			return nil, v
		}
	}
	return l.apply(ctx, actor, id, dossier.Change{Action: dossier.ActionExtend, From: from, NewDue: newDue,
		Note: reason, Override: override})
}

// ProposedDue is a default new appointment for an apology: days working
// days after the later of now and the current appointment.
func (l *Lifecycle) ProposedDue(d *dossier.Dossier, days int) time.Time {
	from := l.now()
	if d.DueAt.After(from) {
		from = d.DueAt
	}
	return l.Calendar.AddWorkingDays(from, days)
}

// History is the dossier's lifecycle record (apologies, supplements, the
// collector, timestamps).
func (l *Lifecycle) History(ctx context.Context, id int64) (dossier.Lifecycle, error) {
	return l.Repo.Lifecycle(ctx, id)
}

// ErrorKey is the translation key of the message a screen shows for an
// error of these use cases ("" when it is not one the clerk can act on).
func ErrorKey(err error) string {
	var v ValidationError
	switch {
	case err == nil:
		return ""
	case errors.As(err, &v) && len(v) > 0:
		return v[0].Key
	case errors.Is(err, ErrNotAllowed):
		return "lifecycle.err.not_allowed"
	case errors.Is(err, dossier.ErrApologyLimit):
		return "lifecycle.err.apology_limit"
	case errors.Is(err, dossier.ErrNewDue):
		return "lifecycle.err.new_due.future"
	case errors.Is(err, dossier.ErrStatusChanged):
		return "lifecycle.err.status_changed"
	case errors.Is(err, dossier.ErrStatusTransition):
		return "lifecycle.err.transition"
	}
	return "lifecycle.err.failed"
}
