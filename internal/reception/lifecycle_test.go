package reception_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/reception"
	"github.com/motcua/motcua/internal/store"
)

var (
	leader   = auth.Account{Login: "lanhdao", FullName: "Trần Văn Lãnh", Role: auth.RoleLeader}
	reviewer = auth.Account{Login: "thamtra", Role: auth.RoleReviewer}
	kiosk    = auth.Account{Login: "kiosk", Role: auth.RoleKiosk}
)

// newMovingEnv is newEnv with the store's clock following e.now.
func newMovingEnv(t *testing.T, now time.Time) *env {
	t.Helper()
	e := newEnv(t, now)
	st, err := store.Open(context.Background(), t.TempDir(), store.Options{Now: func() time.Time { return e.now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	set, _ := e.store.Settings(context.Background())
	if err := st.SaveSettings(context.Background(), set, "test"); err != nil {
		t.Fatal(err)
	}
	e.store = st
	e.svc.Repo = st
	return e
}

func (e *env) lifecycle() *reception.Lifecycle {
	return &reception.Lifecycle{Repo: e.store, Calendar: e.svc.Calendar.(reception.LifecycleCalendar), Now: func() time.Time { return e.now }}
}

func (e *env) receive(t *testing.T) *dossier.Dossier {
	t.Helper()
	d, err := e.svc.Receive(context.Background(), clerk, birthDraft())
	if err != nil {
		t.Fatal(err)
	}
	return d
}

var collector = dossier.Collector{FullName: "Nguyễn Văn Bình", IDNumber: "001085001234", Authorised: true,
	Items: "Giấy khai sinh (bản chính), 01 bản sao"}

// do takes action a on d as actor with valid inputs.
func do(ctx context.Context, l *reception.Lifecycle, actor auth.Account, d *dossier.Dossier, a dossier.Action, override bool) (*dossier.Dossier, error) {
	switch a {
	case dossier.ActionSupplement:
		return l.RequestSupplement(ctx, actor, d.ID, d.Status, dossier.Supplement{
			Items: []string{"Giấy chứng sinh (bản chính)"}, Reason: "Thiếu giấy chứng sinh", Official: "Trần Thị Nhung", Phone: "0912345678"})
	case dossier.ActionTransfer:
		return l.Transfer(ctx, actor, d.ID, d.Status, "Phòng Tư pháp", "")
	case dossier.ActionReturn:
		return l.ReturnResult(ctx, actor, d.ID, d.Status, collector)
	case dossier.ActionRefuse, dossier.ActionWithdraw, dossier.ActionStop:
		return l.Close(ctx, actor, d.ID, d.Status, a, "Không đủ điều kiện")
	case dossier.ActionExtend:
		return l.Apologise(ctx, actor, d.ID, d.Status, d.DueAt.Add(72*time.Hour), "Cần xác minh thêm", override)
	default:
		return l.Step(ctx, actor, d.ID, d.Status, a, "")
	}
}

func TestEachRoleMayTakeExactlyItsSteps(t *testing.T) {
	// role × action → allowed, written out independently of the code.
	want := map[auth.Role]string{
		auth.RoleClerk:      "start transfer supplement supplemented payment paid result return extend withdraw",
		auth.RoleLeader:     "refuse stop extend",
		auth.RoleTechnician: "",
		auth.RoleKiosk:      "",
		auth.RoleReviewer:   "",
	}
	// A dossier in a status from which the action is allowed.
	from := map[dossier.Action][]dossier.Action{
		dossier.ActionStart: nil, dossier.ActionTransfer: nil, dossier.ActionSupplement: nil,
		dossier.ActionSupplemented: {dossier.ActionSupplement}, dossier.ActionRequestFee: {dossier.ActionStart},
		dossier.ActionPaid: {dossier.ActionStart, dossier.ActionRequestFee}, dossier.ActionResult: {dossier.ActionStart},
		dossier.ActionReturn: {dossier.ActionStart, dossier.ActionResult}, dossier.ActionRefuse: nil,
		dossier.ActionWithdraw: nil, dossier.ActionStop: {dossier.ActionStart}, dossier.ActionExtend: nil,
	}
	ctx := context.Background()
	for _, role := range auth.Roles {
		e := newEnv(t, vn("2026-11-23T09:15")) // one store per role, a fresh dossier per action
		l := e.lifecycle()
		for _, a := range dossier.Actions {
			if a == dossier.ActionReceive {
				continue
			}
			allowed := slices.Contains(splitFields(want[role]), string(a))
			t.Run(fmt.Sprintf("a %s %s %s", role, map[bool]string{true: "may", false: "may not"}[allowed], a), func(t *testing.T) {
				d := e.receive(t)
				var err error
				for _, pre := range from[a] {
					if d, err = do(ctx, l, clerk, d, pre, false); err != nil {
						t.Fatalf("prepare %s: %v", pre, err)
					}
				}
				if got := reception.May(role, a); got != allowed {
					t.Fatalf("May = %v", got)
				}
				after, err := do(ctx, l, auth.Account{Login: "x", Role: role}, d, a, false)
				if allowed {
					if err != nil {
						t.Fatalf("denied: %v", err)
					}
					if want, _ := dossier.Next(d.Status, a); after.Status != want {
						t.Fatalf("status %d, want %d", after.Status, want)
					}
					return
				}
				if !errors.Is(err, reception.ErrNotAllowed) {
					t.Fatalf("err = %v, want ErrNotAllowed", err)
				}
				got, _ := e.store.Dossier(ctx, d.ID)
				if got.Status != d.Status {
					t.Fatalf("a denied step changed the status to %d", got.Status)
				}
			})
		}
	}
}

func splitFields(s string) []string {
	var out []string
	start := -1
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ' ' {
			if start >= 0 {
				out = append(out, s[start:i])
			}
			start = -1
		} else if start < 0 {
			start = i
		}
	}
	return out
}

func TestActionsOfferOnlyWhatTheStatusAndRoleAllow(t *testing.T) {
	tests := []struct {
		name   string
		actor  auth.Account
		status dossier.Status
		want   []dossier.Action
	}{
		{"a clerk on a received dossier", clerk, dossier.StatusReceived,
			[]dossier.Action{dossier.ActionStart, dossier.ActionTransfer, dossier.ActionSupplement, dossier.ActionExtend, dossier.ActionWithdraw}},
		{"a leader on a received dossier", leader, dossier.StatusReceived,
			[]dossier.Action{dossier.ActionExtend, dossier.ActionRefuse}},
		{"a clerk on a done dossier", clerk, dossier.StatusDone, []dossier.Action{dossier.ActionReturn}},
		{"a leader on a returned dossier", leader, dossier.StatusReturned, nil},
		{"a technician on a received dossier", auth.Account{Role: auth.RoleTechnician}, dossier.StatusReceived, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := reception.Actions(tt.actor, tt.status); !slices.Equal(got, tt.want) {
				t.Fatalf("Actions = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestInvalidInputsAreRefusedWithTheirFieldAndNothingIsWritten(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, vn("2026-11-23T09:15"))
	l := e.lifecycle()
	d := e.receive(t)
	tests := []struct {
		name string
		call func() error
		key  string
	}{
		{"a supplement request without items", func() error {
			_, err := l.RequestSupplement(ctx, clerk, d.ID, d.Status, dossier.Supplement{Items: []string{"  "}, Reason: "x"})
			return err
		}, "lifecycle.err.items.required"},
		{"a supplement request without a reason", func() error {
			_, err := l.RequestSupplement(ctx, clerk, d.ID, d.Status, dossier.Supplement{Items: []string{"a"}})
			return err
		}, "lifecycle.err.reason.required"},
		{"a refusal without a reason", func() error {
			_, err := l.Close(ctx, leader, d.ID, d.Status, dossier.ActionRefuse, " ")
			return err
		}, "lifecycle.err.reason.required"},
		{"a transfer without an agency", func() error {
			_, err := l.Transfer(ctx, clerk, d.ID, d.Status, "", "")
			return err
		}, "lifecycle.err.agency.required"},
		{"an apology with a date in the past", func() error {
			_, err := l.Apologise(ctx, clerk, d.ID, d.Status, e.now.Add(-time.Hour), "x", false)
			return err
		}, "lifecycle.err.new_due.future"},
		{"an apology that does not move the appointment later", func() error {
			_, err := l.Apologise(ctx, clerk, d.ID, d.Status, d.DueAt, "x", false)
			return err
		}, "lifecycle.err.new_due.future"},
		{"a clerk's override of the apology limit", func() error {
			_, err := l.Apologise(ctx, clerk, d.ID, d.Status, d.DueAt.Add(time.Hour), "x", true)
			return err
		}, "lifecycle.err.not_allowed"},
		{"a return of a result that is not ready", func() error {
			_, err := l.ReturnResult(ctx, clerk, d.ID, d.Status, collector)
			return err
		}, "lifecycle.err.transition"},
		{"a return to a collector with a bad ID number", func() error {
			c := collector
			c.IDNumber = "12345"
			_, err := l.ReturnResult(ctx, clerk, d.ID, dossier.StatusDone, c)
			return err
		}, "lifecycle.err.collector_id.format"},
		{"a step decided on a status the dossier no longer has", func() error {
			_, err := l.Step(ctx, clerk, d.ID, dossier.StatusProcessing, dossier.ActionResult, "")
			return err
		}, "lifecycle.err.status_changed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			if got := reception.ErrorKey(err); got != tt.key {
				t.Fatalf("err %v: key %q, want %q", err, got, tt.key)
			}
			h, _ := e.store.History(ctx, d.ID)
			if len(h) != 1 {
				t.Fatalf("history has %d events", len(h))
			}
		})
	}
}

func TestASecondApologyNeedsTheLeadersOverride(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t, vn("2026-11-23T09:15"))
	l := e.lifecycle()
	d := e.receive(t)
	first := l.ProposedDue(d, 3)
	d, err := l.Apologise(ctx, clerk, d.ID, d.Status, first, "Chờ xác minh của công an xã", false)
	if err != nil {
		t.Fatal(err)
	}
	if !d.DueAt.Equal(first) {
		t.Fatalf("due %s, want %s", d.DueAt, first)
	}
	second := d.DueAt.Add(48 * time.Hour)
	if _, err := l.Apologise(ctx, leader, d.ID, d.Status, second, "Lần hai", false); !errors.Is(err, dossier.ErrApologyLimit) {
		t.Fatalf("second apology without override: %v", err)
	}
	if d, err = l.Apologise(ctx, leader, d.ID, d.Status, second, "Lần hai", true); err != nil {
		t.Fatal(err)
	}
	lc, err := l.History(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(lc.Apologies) != 2 || !lc.Apologies[1].Override || !lc.Apologies[1].OldDue.Equal(first) || !d.DueAt.Equal(second) {
		t.Fatalf("apologies %+v, due %s", lc.Apologies, d.DueAt)
	}
}

func TestReturningAResultRecordsTheCollectorAndTheTimes(t *testing.T) {
	ctx := context.Background()
	e := newMovingEnv(t, vn("2026-11-23T09:15"))
	l := e.lifecycle()
	d := e.receive(t)
	for _, a := range []dossier.Action{dossier.ActionStart, dossier.ActionResult} {
		var err error
		if d, err = do(ctx, l, clerk, d, a, false); err != nil {
			t.Fatal(err)
		}
	}
	e.now = e.now.Add(26 * time.Hour)
	d, err := l.ReturnResult(ctx, clerk, d.ID, d.Status, collector)
	if err != nil {
		t.Fatal(err)
	}
	lc, err := l.History(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != dossier.StatusReturned || lc.Return == nil || *lc.Return != collector || lc.ReturnedBy != clerk.Login {
		t.Fatalf("status %d, return %+v by %q", d.Status, lc.Return, lc.ReturnedBy)
	}
	if !lc.DoneAt.Equal(vn("2026-11-23T09:15")) || !lc.ReturnedAt.Equal(vn("2026-11-24T11:15")) || !lc.ClosedAt.Equal(lc.ReturnedAt) {
		t.Fatalf("times done %s returned %s closed %s", lc.DoneAt, lc.ReturnedAt, lc.ClosedAt)
	}
	if on, ok := lc.OnTime(d.DueAt); !on || !ok {
		t.Fatalf("a result ready on the day of reception is late?")
	}
}

func TestAWaitForASupplementPausesTheClockAndTheAppointmentIsRecomputed(t *testing.T) {
	ctx := context.Background()
	e := newMovingEnv(t, vn("2026-11-23T09:15")) // Monday; birth registration: due the same day 17:00
	l := e.lifecycle()
	d := e.receive(t)
	if !d.DueAt.Equal(vn("2026-11-23T17:00")) {
		t.Fatalf("due %s", d.DueAt)
	}
	e.now = vn("2026-11-23T10:15") // 285 working minutes left: 10:15–11:30 and 13:30–17:00
	d, err := l.RequestSupplement(ctx, clerk, d.ID, d.Status, dossier.Supplement{Items: []string{"Giấy chứng sinh"}, Reason: "Thiếu giấy chứng sinh"})
	if err != nil {
		t.Fatal(err)
	}
	e.now = vn("2026-11-25T10:00") // Wednesday: past the appointment, but the clock is paused
	if d.Overdue(e.now) {
		t.Error("a dossier waiting for a supplement is overdue")
	}
	f, err := e.store.Figures(ctx, e.now, 30)
	if err != nil {
		t.Fatal(err)
	}
	if f.Overdue != 0 {
		t.Errorf("dashboard counts %d overdue while the clock is paused", f.Overdue)
	}
	e.now = vn("2026-11-26T14:00") // Thursday afternoon: the papers arrive
	d, err = l.Step(ctx, clerk, d.ID, d.Status, dossier.ActionSupplemented, "Đã nhận giấy chứng sinh")
	if err != nil {
		t.Fatal(err)
	}
	// 180 minutes on Thursday (14:00–17:00), the other 105 on Friday from 07:00
	if want := vn("2026-11-27T08:45"); d.Status != dossier.StatusProcessing || !d.DueAt.Equal(want) {
		t.Fatalf("status %d, new appointment %s, want %s", d.Status, d.DueAt.In(time.Local), want)
	}
	lc, err := l.History(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	sp := lc.Supplements[0]
	if !sp.SuppliedAt.Equal(e.now) || !sp.DueBefore.Equal(vn("2026-11-23T17:00")) || !sp.DueAfter.Equal(d.DueAt) || sp.Remaining != 285 {
		t.Fatalf("supplement record %+v", sp)
	}
	if _, waiting := lc.PendingSupplement(); waiting {
		t.Error("still waiting after the supplement arrived")
	}
	if d.Overdue(vn("2026-11-27T08:00")) || !d.Overdue(vn("2026-11-27T09:00")) {
		t.Error("the recomputed appointment does not decide lateness")
	}

	// A dossier already late when the supplement is requested stays late.
	e.now = vn("2026-11-30T09:00")
	late := e.receive(t)
	e.now = vn("2026-12-01T09:00")
	late, err = l.RequestSupplement(ctx, clerk, late.ID, late.Status, dossier.Supplement{Items: []string{"Tờ khai"}, Reason: "Sai tên"})
	if err != nil {
		t.Fatal(err)
	}
	e.now = vn("2026-12-03T09:00")
	late, err = l.Step(ctx, clerk, late.ID, late.Status, dossier.ActionSupplemented, "")
	if err != nil {
		t.Fatal(err)
	}
	if !late.DueAt.Equal(vn("2026-11-30T17:00")) || !late.Overdue(e.now) {
		t.Fatalf("late dossier: appointment %s, overdue %v", late.DueAt, late.Overdue(e.now))
	}
}

// TestAnySequenceOfStepsKeepsHistoryAuditAndOutboxConsistent is the
// property test: random sequences of use-case calls by random roles, on a
// few dossiers, seeded. After each sequence: the audit chain verifies, each
// dossier's history replays from status 0 to its current status through
// allowed transitions only, and it has exactly one outbox event per change
// (reception included), numbered 1…n, and one audit record per change.
func TestAnySequenceOfStepsKeepsHistoryAuditAndOutboxConsistent(t *testing.T) {
	ctx := context.Background()
	actors := []auth.Account{clerk, leader, reviewer, kiosk, technician}
	for seed := uint64(1); seed <= 20; seed++ {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 4))
			e := newMovingEnv(t, vn("2026-11-23T08:00"))
			l := e.lifecycle()
			ds := []*dossier.Dossier{e.receive(t), e.receive(t), e.receive(t), e.receive(t)}
			changes := map[int64]int{}
			for step := 0; step < 60; step++ {
				e.now = e.now.Add(time.Duration(r.IntN(180)) * time.Minute)
				k := r.IntN(len(ds))
				d := ds[k]
				// mostly steps the status allows, by a clerk or a leader;
				// sometimes anything by anyone
				a := dossier.Actions[r.IntN(len(dossier.Actions))]
				if ok := dossier.Allowed(d.Status); len(ok) > 0 && r.IntN(5) > 0 {
					a = ok[r.IntN(len(ok))]
				}
				actor := actors[r.IntN(2)]
				if r.IntN(5) == 0 {
					actor = actors[r.IntN(len(actors))]
				}
				stale := r.IntN(10) == 0
				seen := d
				if stale { // a screen that shows an older status
					cp := *d
					cp.Status = dossier.Statuses[r.IntN(len(dossier.Statuses))]
					seen = &cp
				}
				got, err := do(ctx, l, actor, seen, a, r.IntN(3) == 0)
				if err != nil {
					now, _ := e.store.Dossier(ctx, d.ID)
					if now.Status != d.Status || !now.DueAt.Equal(d.DueAt) {
						t.Fatalf("step %d: %s by %s failed (%v) but changed the dossier", step, a, actor.Role, err)
					}
					continue
				}
				if _, nextErr := dossier.Next(d.Status, a); nextErr != nil || !reception.May(actor.Role, a) {
					t.Fatalf("step %d: %s by %s from %d was applied", step, a, actor.Role, d.Status)
				}
				ds[k] = got
				changes[d.ID]++
			}
			applied := 0
			for _, c := range changes {
				applied += c
			}
			if applied < 4 {
				t.Fatalf("only %d steps applied: the sequence tests nothing", applied)
			}
			n, err := e.store.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			total := 0
			events, err := e.store.PendingOutbox(ctx, 10000)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				total += 1 + changes[d.ID]
				h, err := e.store.History(ctx, d.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(h) != 1+changes[d.ID] {
					t.Fatalf("dossier %d: %d history events for %d changes", d.ID, len(h), changes[d.ID])
				}
				cur := dossier.Status(0)
				for i, ev := range h {
					if ev.From != cur {
						t.Fatalf("dossier %d event %d starts from %d, the status was %d", d.ID, i, ev.From, cur)
					}
					if i > 0 {
						if to, err := dossier.Next(ev.From, dossier.Action(ev.Action)); err != nil || to != ev.To {
							t.Fatalf("dossier %d event %d: %s %d→%d is not in the table", d.ID, i, ev.Action, ev.From, ev.To)
						}
					}
					cur = ev.To
				}
				final, _ := e.store.Dossier(ctx, d.ID)
				if final.Status != cur {
					t.Fatalf("dossier %d is %d, its history ends at %d", d.ID, final.Status, cur)
				}
				var seqs []int
				for _, ev := range events {
					if ev.DossierID == d.ID {
						seqs = append(seqs, ev.Seq)
					}
				}
				if len(seqs) != len(h) {
					t.Fatalf("dossier %d: %d outbox events for %d history events", d.ID, len(seqs), len(h))
				}
				for i, s := range seqs {
					if s != i+1 {
						t.Fatalf("dossier %d: outbox seqs %v", d.ID, seqs)
					}
				}
			}
			// one audit record per change, plus the settings saved by newEnv
			if n != total+1 {
				t.Fatalf("%d audit records for %d changes (+1 settings)", n, total)
			}
		})
	}
}
