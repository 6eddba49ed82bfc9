package demo_test

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/citizen"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/report"
	"github.com/motcua/motcua/internal/store"
)

func generator(t *testing.T, seed uint64) (*demo.Generator, *calendar.Calendar) {
	t.Helper()
	data, err := os.ReadFile("../../assets/catalog/default.json")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := catalog.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	cal := calendar.New(calendar.DefaultHours())
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, calendar.VN)
	return demo.New(seed, cat.InForce(now), cal, "phường Ba Đình", []string{"canbo"}, calendar.VN), cal
}

func TestSyntheticApplicantsPassTheCounterValidation(t *testing.T) {
	g, _ := generator(t, 1)
	for i := 0; i < 2000; i++ {
		a := g.Person()
		if err := citizen.ValidateID(a.IDNumber, a.BirthDate, a.Sex); err != nil {
			t.Fatalf("%+v: %v", a, err)
		}
		if err := citizen.ValidateName(a.FullName); err != nil {
			t.Fatalf("%q: %v", a.FullName, err)
		}
		if _, err := citizen.NormalizePhone(a.Phone); err != nil {
			t.Fatalf("%q: %v", a.Phone, err)
		}
	}
}

func TestDossiersFallOnWorkingDaysInOrderWithTheirAppointments(t *testing.T) {
	g, cal := generator(t, 2)
	end := time.Date(2026, 11, 23, 16, 0, 0, 0, calendar.VN)
	ds := g.Dossiers(500, 40, end)
	if len(ds) != 500 {
		t.Fatalf("got %d dossiers", len(ds))
	}
	statuses := map[dossier.Status]int{}
	for i, d := range ds {
		if !cal.IsWorkingDay(d.ReceivedAt) {
			t.Fatalf("dossier %d received on a day off: %s", i, d.ReceivedAt)
		}
		if d.ReceivedAt.After(end) || !d.DueAt.After(d.ReceivedAt) {
			t.Fatalf("dossier %d: received %s due %s (end %s)", i, d.ReceivedAt, d.DueAt, end)
		}
		if i > 0 && !ds[i-1].ReceivedAt.Before(d.ReceivedAt) {
			t.Fatalf("dossiers not oldest first at %d: %s then %s", i, ds[i-1].ReceivedAt, d.ReceivedAt)
		}
		if len(d.Papers) == 0 || d.ProcedureName == "" {
			t.Fatalf("dossier %d has no papers or procedure", i)
		}
		statuses[d.Status]++
	}
	if statuses[dossier.StatusReturned] == 0 || statuses[dossier.StatusReceived] == 0 {
		t.Fatalf("statuses %v: want old dossiers returned and recent ones still received", statuses)
	}
}

func TestTheSameSeedMakesTheSameDossiers(t *testing.T) {
	end := time.Date(2026, 11, 23, 16, 0, 0, 0, calendar.VN)
	g1, _ := generator(t, 42)
	g2, _ := generator(t, 42)
	a, b := g1.Dossiers(50, 10, end), g2.Dossiers(50, 10, end)
	for i := range a {
		if a[i].Applicant != b[i].Applicant || !a[i].ReceivedAt.Equal(b[i].ReceivedAt) {
			t.Fatalf("dossier %d differs", i)
		}
	}
}

// TestTheDemoHistoriesGiveTheDashboardRealFiguresConsistentWithTheBook seeds
// a real store with 1,200 demo dossiers (six weeks at 40 a day) and their
// histories, then checks that the leader's dashboard shows real numbers and
// that each figure is what the tracking book's lines and the histories say.
func TestTheDemoHistoriesGiveTheDashboardRealFiguresConsistentWithTheBook(t *testing.T) {
	ctx := context.Background()
	g, cal := generator(t, 7)
	now := time.Date(2026, 11, 23, 16, 0, 0, 0, calendar.VN)
	st, err := store.Open(ctx, t.TempDir(), store.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.SaveSettings(ctx, store.Settings{AgencyID: "000.00.06.H56", AgencyName: "UBND phường Ba Đình",
		DeviceSlot: 1, Provisioned: true}, "test"); err != nil {
		t.Fatal(err)
	}
	lives := g.Lives(1200, 40, now)
	nsteps, nvotes, err := demo.Seed(ctx, st, lives, "canbo", 500)
	if err != nil {
		t.Fatal(err)
	}
	if nsteps < 2*len(lives) || nvotes < 50 {
		t.Fatalf("%d steps and %d votes for %d dossiers", nsteps, nvotes, len(lives))
	}
	rep := &report.Service{Source: st, Calendar: cal, Now: func() time.Time { return now },
		MinutesPerDay: cal.Hours().MinutesPerDay()}
	f, err := rep.Dashboard(ctx)
	if err != nil {
		t.Fatal(err)
	}
	rate := f.OnTimeRate()
	t.Logf("received today %d, month %d; due today %d; overdue %d; results %d (%.1f %% on time); returned %d; votes %v",
		f.ReceivedToday, f.ReceivedMonth, f.DueToday, f.Overdue, f.DoneMonth, rate*100, f.Returned, f.Votes)
	if f.ReceivedToday == 0 || f.ReceivedMonth == 0 || f.DoneMonth == 0 || f.Returned == 0 || f.Overdue == 0 || f.VoteTotal() == 0 {
		t.Fatalf("empty figures: %+v", f)
	}
	if rate < 0.75 || rate >= 1 {
		t.Errorf("on-time rate %.3f: want most results on time, some late", rate)
	}
	if f.Votes[0] <= f.Votes[1] || f.Votes[1] <= f.Votes[2] || f.Votes[2] == 0 {
		t.Errorf("votes %v: want mostly very satisfied, a few not satisfied", f.Votes)
	}

	// the same figures from the tracking book's lines
	var rows []dossier.TrackingRow
	if err := st.TrackingBook(ctx, time.Time{}, now.Add(time.Hour), func(r dossier.TrackingRow) error {
		rows = append(rows, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(lives) {
		t.Fatalf("%d lines for %d dossiers", len(rows), len(lives))
	}
	month := time.Date(2026, 11, 1, 0, 0, 0, 0, calendar.VN)
	today := time.Date(2026, 11, 23, 0, 0, 0, 0, calendar.VN)
	in := func(t, from time.Time) bool { return !t.IsZero() && !t.Before(from) && t.Before(now.Add(time.Hour)) }
	type figures struct{ ReceivedToday, ReceivedMonth, DoneMonth, OnTimeMonth, Returned, Overdue int }
	var want figures
	statuses := map[dossier.Status]int{}
	for _, r := range rows {
		statuses[r.Status]++
		if in(r.ReceivedAt, today) {
			want.ReceivedToday++
		}
		if in(r.ReceivedAt, month) {
			want.ReceivedMonth++
		}
		if in(r.DoneAt, month) {
			want.DoneMonth++
			if !r.DoneAt.After(r.DueAt) {
				want.OnTimeMonth++
			}
		}
		if in(r.ReturnedAt, month) {
			want.Returned++
		}
		if r.Status.Open() && r.DueAt.Before(now) {
			want.Overdue++
		}
		if (r.Status == dossier.StatusDone || r.Status == dossier.StatusReturned) != !r.DoneAt.IsZero() ||
			(r.Status == dossier.StatusReturned) != !r.ReturnedAt.IsZero() {
			t.Fatalf("line %s: status %d, done %s, returned %s", r.Code, r.Status, r.DoneAt, r.ReturnedAt)
		}
	}
	got := figures{ReceivedToday: f.ReceivedToday, ReceivedMonth: f.ReceivedMonth, DoneMonth: f.DoneMonth,
		OnTimeMonth: f.OnTimeMonth, Returned: f.Returned, Overdue: f.Overdue}
	if got != want {
		t.Errorf("dashboard %+v, from the lines %+v", got, want)
	}
	for _, s := range []dossier.Status{dossier.StatusReceived, dossier.StatusProcessing, dossier.StatusSupplement,
		dossier.StatusDone, dossier.StatusReturned, dossier.StatusRefused, dossier.StatusWithdrawn} {
		if statuses[s] == 0 {
			t.Errorf("no dossier in status %d: %v", s, statuses)
		}
	}
	if statuses[dossier.StatusReturned] < len(rows)/2 {
		t.Errorf("statuses %v: want most old dossiers returned", statuses)
	}

	// each history replays to its status, in time order, and the
	// lifecycle's result time is the history's result step
	var late, apologised, supplemented int
	for k, l := range lives {
		id := l.Dossier.ID
		hist, err := st.History(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		s := dossier.Status(0)
		var doneAt time.Time
		for j, e := range hist {
			if j > 0 && e.At.Before(hist[j-1].At) {
				t.Fatalf("dossier %d: history out of time order at %d", k, j)
			}
			if e.From != s {
				t.Fatalf("dossier %d: step %s from %d, status was %d", k, e.Action, e.From, s)
			}
			s = e.To
			if e.Action == string(dossier.ActionResult) {
				doneAt = e.At
			}
			if e.At.After(now) || (j > 0 && !cal.IsWorkingDay(e.At)) {
				t.Fatalf("dossier %d: step %s at %s (after now or on a day off)", k, e.Action, e.At)
			}
		}
		if s != rows[k].Status || !doneAt.Equal(rows[k].DoneAt) {
			t.Fatalf("dossier %d: history ends at %d done %s, line says %d done %s", k, s, doneAt, rows[k].Status, rows[k].DoneAt)
		}
		if on, ok := (dossier.Lifecycle{DoneAt: rows[k].DoneAt}).OnTime(rows[k].DueAt); ok && !on {
			late++
		}
		if rows[k].Apologies > 0 {
			apologised++
		}
		lc, err := st.Lifecycle(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		for _, sp := range lc.Supplements {
			if !sp.Waiting() {
				supplemented++
				if sp.Remaining > 0 && !sp.DueAfter.Equal(rows[k].DueAt) && rows[k].Apologies == 0 {
					t.Errorf("dossier %d: supplement moved the appointment to %s, it is %s", k, sp.DueAfter, rows[k].DueAt)
				}
			}
		}
	}
	if late == 0 || apologised == 0 || supplemented == 0 {
		t.Errorf("late %d, apologised %d, supplemented %d: want some of each", late, apologised, supplemented)
	}
	if n, err := st.VerifyAudit(ctx); err != nil || n < len(lives)+nsteps {
		t.Fatalf("audit chain: %d records, %v", n, err)
	}
}
