package dossier

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Action is one step of a dossier's life after reception. Its string is the
// history's action name ("supplement", "result", …) and the suffix of its
// translation key ("action.<name>").
type Action string

const (
	ActionReceive      Action = "receive"      // an online submission is received at the counter (1 → 2)
	ActionStart        Action = "start"        // processing starts at the commune (2 → 4)
	ActionTransfer     Action = "transfer"     // handed to the processing authority (2/4 → 4)
	ActionSupplement   Action = "supplement"   // supplement requested, form 02 (2/4 → 5)
	ActionSupplemented Action = "supplemented" // the citizen brought the missing papers (5 → 4)
	ActionRequestFee   Action = "payment"      // payment requested (4 → 6)
	ActionPaid         Action = "paid"         // payment received (6 → 4)
	ActionResult       Action = "result"       // result ready (4 → 9)
	ActionReturn       Action = "return"       // result handed to the citizen (9 → 10)
	ActionRefuse       Action = "refuse"       // refused with a reason, form 03
	ActionWithdraw     Action = "withdraw"     // the citizen withdraws the dossier
	ActionStop         Action = "stop"         // processing stopped
	ActionExtend       Action = "extend"       // apology and new appointment, form 04 (status unchanged)
)

// Actions lists every action in the order a detail screen offers them.
var Actions = []Action{ActionReceive, ActionStart, ActionTransfer, ActionSupplement, ActionSupplemented,
	ActionRequestFee, ActionPaid, ActionResult, ActionReturn, ActionExtend, ActionRefuse, ActionWithdraw, ActionStop}

// Key is the translation key of the action's name.
func (a Action) Key() string { return "action." + string(a) }

// transitions is the one table of the lifecycle: for each action, the status
// it moves a dossier to from each status it may start from. Anything not
// listed is refused. ActionExtend keeps the status (it moves the appointment).
var transitions = map[Action]map[Status]Status{
	ActionReceive: {StatusSubmitted: StatusReceived},
	ActionStart:   {StatusReceived: StatusProcessing},
	ActionTransfer: {
		StatusReceived:   StatusProcessing,
		StatusProcessing: StatusProcessing,
	},
	ActionSupplement: {
		StatusReceived:   StatusSupplement,
		StatusProcessing: StatusSupplement,
	},
	ActionSupplemented: {StatusSupplement: StatusProcessing},
	ActionRequestFee:   {StatusProcessing: StatusPayment},
	ActionPaid:         {StatusPayment: StatusProcessing},
	ActionResult:       {StatusProcessing: StatusDone},
	ActionReturn:       {StatusDone: StatusReturned},
	ActionRefuse: {
		StatusSubmitted:  StatusRefused,
		StatusReceived:   StatusRefused,
		StatusProcessing: StatusRefused,
		StatusSupplement: StatusRefused,
	},
	ActionWithdraw: {
		StatusSubmitted:  StatusWithdrawn,
		StatusReceived:   StatusWithdrawn,
		StatusProcessing: StatusWithdrawn,
		StatusSupplement: StatusWithdrawn,
		StatusPayment:    StatusWithdrawn,
	},
	ActionStop: {
		StatusProcessing: StatusStopped,
		StatusSupplement: StatusStopped,
		StatusPayment:    StatusStopped,
	},
	ActionExtend: {
		StatusReceived:   StatusReceived,
		StatusProcessing: StatusProcessing,
		StatusSupplement: StatusSupplement,
		StatusPayment:    StatusPayment,
	},
}

// TransitionError explains a refused step: the action, the status the
// dossier is in, and the statuses the action could start from.
type TransitionError struct {
	Action Action
	From   Status
}

func (e *TransitionError) Error() string {
	var from []string
	for _, s := range Statuses {
		if _, ok := transitions[e.Action][s]; ok {
			from = append(from, itoa(int(s)))
		}
	}
	if len(from) == 0 {
		return fmt.Sprintf("status transition not allowed: unknown action %q", string(e.Action))
	}
	return fmt.Sprintf("status transition not allowed: %s from status %d (only from %s)",
		e.Action, e.From, strings.Join(from, ", "))
}

// Unwrap makes errors.Is(err, ErrStatusTransition) true.
func (e *TransitionError) Unwrap() error { return ErrStatusTransition }

// Next returns the status action a moves a dossier in status from to, or a
// *TransitionError (wrapping ErrStatusTransition).
func Next(from Status, a Action) (Status, error) {
	if to, ok := transitions[a][from]; ok {
		return to, nil
	}
	return 0, &TransitionError{Action: a, From: from}
}

// Allowed lists the actions that may be taken on a dossier in status s, in
// the order of Actions.
func Allowed(s Status) []Action {
	var out []Action
	for _, a := range Actions {
		if _, ok := transitions[a][s]; ok {
			out = append(out, a)
		}
	}
	return out
}

// CanMove reports whether some action moves a dossier from one status to
// another (to == from only for actions that keep the status).
func CanMove(from, to Status) bool {
	for _, a := range Actions {
		if t, ok := transitions[a][from]; ok && t == to {
			return true
		}
	}
	return false
}

// Final reports whether no action applies to a dossier in status s any more.
func (s Status) Final() bool { return len(Allowed(s)) == 0 }

// Supplement is what form 02 asks the citizen to add.
type Supplement struct {
	Items    []string // papers or corrections asked for, one per line of the form
	Reason   string
	Official string // who the citizen contacts
	Phone    string
}

// Collector is who collected a result, what was handed over and when.
type Collector struct {
	FullName   string
	IDNumber   string // 12-digit personal ID number
	Authorised bool   // an authorised person, not the applicant
	Items      string // what was handed over (decision, certificate, copies…)
}

// Change is one step requested on a dossier: the action and what it needs.
// The store checks From against the dossier's status in the same
// transaction, so a step decided on a stale screen is refused, never
// applied twice.
type Change struct {
	Action Action
	From   Status // the status the actor saw
	Actor  string // login
	Note   string // reason, or what was done; printed on the forms
	// NewDue is the new appointment of ActionExtend, and of
	// ActionSupplemented: the processing time left when the supplement was
	// requested, counted again in working time from the supplement's
	// arrival (zero keeps the appointment).
	NewDue time.Time
	// Remaining is, for ActionSupplemented, the working minutes that were
	// left before the appointment when the clock was paused (recorded with
	// the supplement request).
	Remaining int
	// Override lets a leader issue a second apology (ActionExtend).
	Override bool
	// Agency is where ActionTransfer hands the dossier.
	Agency     string
	Supplement *Supplement // ActionSupplement
	Collector  *Collector  // ActionReturn
}

// Apology is one form 04 issued for a dossier.
type Apology struct {
	At       time.Time
	Actor    string
	OldDue   time.Time
	NewDue   time.Time
	Reason   string
	Override bool
}

// SupplementRequest is one form 02 issued for a dossier. While it waits
// (SuppliedAt zero) the dossier's processing clock is paused.
type SupplementRequest struct {
	At    time.Time
	Actor string
	Supplement
	// SuppliedAt is when the citizen brought the papers (zero while waiting).
	SuppliedAt time.Time
	// DueBefore and DueAfter are the appointment when the clock was paused
	// and as recomputed at SuppliedAt; Remaining is the working minutes
	// that were left of the processing time when the clock was paused.
	DueBefore time.Time
	DueAfter  time.Time
	Remaining int
}

// Waiting reports whether the request still waits for the supplement.
func (r SupplementRequest) Waiting() bool { return r.SuppliedAt.IsZero() }

// PendingSupplement is the supplement request the dossier waits for, if
// any: the last one, while it has not been supplied.
func (l Lifecycle) PendingSupplement() (SupplementRequest, bool) {
	if n := len(l.Supplements); n > 0 && l.Supplements[n-1].Waiting() {
		return l.Supplements[n-1], true
	}
	return SupplementRequest{}, false
}

// Lifecycle is what happened to a dossier after reception, beyond its
// history: the timestamps the service index counts and the forms' data.
type Lifecycle struct {
	DossierID     int64
	DoneAt        time.Time // result ready (first time)
	ReturnedAt    time.Time // result handed over
	ClosedAt      time.Time // refused, withdrawn, stopped or returned
	TransferredTo string
	Apologies     []Apology
	Supplements   []SupplementRequest
	Return        *Collector // nil until returned
	ReturnedBy    string     // login of the clerk who handed the result over
}

// OnTime reports whether a dossier with this appointment was finished in
// time: its result was ready by the (possibly extended) appointment.
// A dossier without a result yet is not judged (ok false).
func (l Lifecycle) OnTime(due time.Time) (onTime, ok bool) {
	if l.DoneAt.IsZero() || due.IsZero() {
		return false, false
	}
	return !l.DoneAt.After(due), true
}

// Errors of the lifecycle's inputs.
var (
	ErrNoteRequired      = errors.New("a reason is required")
	ErrNoItems           = errors.New("at least one item is required")
	ErrCollectorName     = errors.New("collector name required")
	ErrCollectorID       = errors.New("collector ID number is not valid")
	ErrNewDue            = errors.New("the new appointment must be after the current one")
	ErrApologyLimit      = errors.New("an apology was already issued for this dossier")
	ErrAgencyRequired    = errors.New("the receiving agency is required")
	ErrStatusChanged     = errors.New("the dossier's status changed meanwhile")
	ErrDossierHasNoDueAt = errors.New("the dossier has no appointment")
)
