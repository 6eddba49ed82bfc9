package dossier

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

// The lifecycle written out independently of the transitions table: every
// pair of statuses that some action may join. Everything else is refused.
var wantMoves = map[Status][]Status{
	StatusSubmitted:  {StatusReceived, StatusRefused, StatusWithdrawn},
	StatusReceived:   {StatusReceived, StatusProcessing, StatusSupplement, StatusRefused, StatusWithdrawn},
	StatusProcessing: {StatusProcessing, StatusSupplement, StatusPayment, StatusDone, StatusRefused, StatusWithdrawn, StatusStopped},
	StatusSupplement: {StatusSupplement, StatusProcessing, StatusRefused, StatusWithdrawn, StatusStopped},
	StatusPayment:    {StatusPayment, StatusProcessing, StatusWithdrawn, StatusStopped},
	StatusDone:       {StatusReturned},
	StatusRefused:    nil,
	StatusWithdrawn:  nil,
	StatusStopped:    nil,
	StatusReturned:   nil,
}

func TestEveryPairOfStatusesIsAllowedOrRefusedAsTheLifecycleSays(t *testing.T) {
	all := append([]Status{0, 11}, Statuses...)
	for _, from := range all {
		for _, to := range all {
			want := false
			for _, s := range wantMoves[from] {
				want = want || s == to
			}
			t.Run(fmt.Sprintf("from %d to %d", from, to), func(t *testing.T) {
				if got := CanMove(from, to); got != want {
					t.Fatalf("CanMove(%d, %d) = %v, want %v", from, to, got, want)
				}
			})
		}
	}
}

func TestEveryActionFromEveryStatusEitherMovesAsTheTableSaysOrIsRefusedClearly(t *testing.T) {
	want := map[Action]string{
		// action: "from>to" pairs
		ActionReceive:      "1>2",
		ActionStart:        "2>4",
		ActionTransfer:     "2>4 4>4",
		ActionSupplement:   "2>5 4>5",
		ActionSupplemented: "5>4",
		ActionRequestFee:   "4>6",
		ActionPaid:         "6>4",
		ActionResult:       "4>9",
		ActionReturn:       "9>10",
		ActionRefuse:       "1>3 2>3 4>3 5>3",
		ActionWithdraw:     "1>7 2>7 4>7 5>7 6>7",
		ActionStop:         "4>8 5>8 6>8",
		ActionExtend:       "2>2 4>4 5>5 6>6",
	}
	for _, a := range append(Actions, "delete") {
		for _, from := range Statuses {
			t.Run(fmt.Sprintf("%s from %d", a, from), func(t *testing.T) {
				to, err := Next(from, a)
				pair := fmt.Sprintf("%d>%d", from, to)
				allowed := false
				for _, p := range strings.Fields(want[a]) {
					if strings.HasPrefix(p, fmt.Sprintf("%d>", from)) {
						allowed = true
						if p != pair || err != nil {
							t.Fatalf("Next(%d, %s) = %d, %v; want %s", from, a, to, err, p)
						}
					}
				}
				if allowed {
					return
				}
				var te *TransitionError
				if !errors.Is(err, ErrStatusTransition) || !errors.As(err, &te) || te.From != from || te.Action != a {
					t.Fatalf("Next(%d, %s) = %d, %v; want a TransitionError", from, a, to, err)
				}
				if !strings.Contains(err.Error(), string(a)) {
					t.Fatalf("message %q does not name the action", err)
				}
			})
		}
	}
}

func TestFinalStatusesAllowNothingAndOpenOnesCanBeExtended(t *testing.T) {
	for _, s := range Statuses {
		if s.Final() != (len(wantMoves[s]) == 0) {
			t.Errorf("status %d: Final = %v", s, s.Final())
		}
		extend := false
		for _, a := range Allowed(s) {
			extend = extend || a == ActionExtend
		}
		if extend != (s.Open() || s.Paused()) {
			t.Errorf("status %d: extendable %v, open %v, paused %v", s, extend, s.Open(), s.Paused())
		}
	}
}

func TestAWaitForASupplementPausesTheClock(t *testing.T) {
	due := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	after := due.Add(48 * time.Hour)
	for _, s := range Statuses {
		d := Dossier{Status: s, DueAt: due}
		want := s == StatusReceived || s == StatusProcessing || s == StatusPayment
		if got := d.Overdue(after); got != want {
			t.Errorf("status %d past its appointment: overdue %v, want %v", s, got, want)
		}
		if s.Paused() != (s == StatusSupplement) || (s.Paused() && s.Open()) {
			t.Errorf("status %d: paused %v open %v", s, s.Paused(), s.Open())
		}
	}
	l := Lifecycle{Supplements: []SupplementRequest{{At: due.Add(-time.Hour), SuppliedAt: due}, {At: due.Add(time.Hour)}}}
	if p, ok := l.PendingSupplement(); !ok || !p.At.Equal(due.Add(time.Hour)) {
		t.Errorf("pending supplement %+v %v", p, ok)
	}
	l.Supplements[1].SuppliedAt = after
	if _, ok := l.PendingSupplement(); ok {
		t.Error("a supplied request still pending")
	}
}

func TestOnTimeComparesTheResultWithTheAppointment(t *testing.T) {
	due := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		name       string
		done       time.Time
		onTime, ok bool
	}{
		{"a result before the appointment is on time", due.Add(-time.Hour), true, true},
		{"a result at the appointment is on time", due, true, true},
		{"a result after the appointment is late", due.Add(time.Minute), false, true},
		{"no result yet is not judged", time.Time{}, false, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			on, ok := Lifecycle{DoneAt: c.done}.OnTime(due)
			if on != c.onTime || ok != c.ok {
				t.Fatalf("OnTime = %v, %v", on, ok)
			}
		})
	}
}
