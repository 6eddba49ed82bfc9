package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// lifecycleFixture opens the 1M fixture with lifecycle timestamps filled
// in once (the seeding path records receptions only): every done or
// returned dossier gets a result time, one in seven after its appointment,
// and returned ones a return time. A marker file records that it was done.
func lifecycleFixture(b *testing.B) *Store {
	b.Helper()
	dir := fixture(b)
	marker := filepath.Join(dir, "lifecycle-backfilled")
	s := openFixture(b)
	if _, err := os.Stat(marker); err == nil {
		return s
	}
	t0 := time.Now()
	_, err := s.w.Exec(`UPDATE dossiers SET
		done_at = CASE WHEN id % 7 = 0 THEN due_at + 86400000 ELSE received_at + (due_at - received_at) * 4 / 5 END,
		returned_at = CASE WHEN status = 10 THEN coalesce(due_at, received_at) + 90000000 END
		WHERE status IN (9, 10) AND due_at IS NOT NULL`)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.w.Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
	fmt.Fprintf(os.Stderr, "store bench: lifecycle times backfilled in %s\n", time.Since(t0).Round(time.Second))
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		b.Fatal(err)
	}
	return s
}

// latestReceived is the newest reception of the fixture: the benchmarks'
// "now".
func latestReceived(b *testing.B, s *Store) time.Time {
	p, err := s.List(context.Background(), dossier.Query{Limit: 1})
	if err != nil || len(p.Items) == 0 {
		b.Fatalf("fixture empty: %v", err)
	}
	return p.Items[0].ReceivedAt
}

// BenchmarkDashboard1M computes the leader's home screen (today, month,
// due today, overdue, on-time rate, by procedure, 30 days) over 10^6
// dossiers. Goal: ≤ 100 ms.
func BenchmarkDashboard1M(b *testing.B) {
	ctx := context.Background()
	s := lifecycleFixture(b)
	now := latestReceived(b, s).Add(2 * time.Hour)
	f, err := s.Figures(ctx, now, 30)
	if err != nil {
		b.Fatal(err)
	}
	if f.ReceivedMonth == 0 || f.DoneMonth == 0 || len(f.ByProcedure) == 0 {
		b.Fatalf("figures look empty: %+v", f)
	}
	if os.Getenv("MOTCUA_BENCH_PLANS") != "" { // the plans on the real data, for docs/PERFORMANCE.md
		for _, q := range []string{sqlFigReceived, sqlFigDue, sqlFigOverdue, sqlFigDone, sqlFigReturned, sqlFigByProc,
			sqlFigDaysReceived, sqlFigDaysDone, sqlFigVotes, sqlTrackingBook} {
			plan, err := explain(s, q, 1, 2, 3)
			if err != nil {
				plan, err = explain(s, q, 1, 2)
			}
			if err != nil {
				plan, err = explain(s, q, 1)
			}
			if err != nil {
				b.Fatal(err)
			}
			fmt.Fprintf(os.Stderr, "%s\n  %s\n", strings.Join(strings.Fields(q), " "), strings.Join(plan, "\n  "))
		}
	}
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := s.Figures(ctx, now, 30); err != nil {
			b.Fatal(err)
		}
		durs = append(durs, time.Since(t0))
	}
	b.StopTimer()
	reportPercentiles(b, durs)
	b.ReportMetric(float64(f.ReceivedMonth), "month-dossiers")
}

// BenchmarkTrackingBookMonth1M reads one month of the tracking book (every
// line, with paper and scan counts) over 10^6 dossiers.
func BenchmarkTrackingBookMonth1M(b *testing.B) {
	ctx := context.Background()
	s := lifecycleFixture(b)
	now := latestReceived(b, s)
	y, m, _ := now.In(vnZone).Date()
	from := time.Date(y, m, 1, 0, 0, 0, 0, vnZone).AddDate(0, -1, 0) // the last full month
	to := from.AddDate(0, 1, 0)
	rows := 0
	durs := make([]time.Duration, 0, b.N)
	for i := 0; i < b.N; i++ {
		rows = 0
		t0 := time.Now()
		err := s.TrackingBook(ctx, from, to, func(dossier.TrackingRow) error { rows++; return nil })
		durs = append(durs, time.Since(t0))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportPercentiles(b, durs)
	b.ReportMetric(float64(rows), "rows")
}

// explain returns the lines of EXPLAIN QUERY PLAN for a statement.
func explain(s *Store, q string, args ...any) ([]string, error) {
	rows, err := s.r.Query(`EXPLAIN QUERY PLAN `+q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return nil, err
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}

// TestDashboardQueriesReadIndexesOnly checks the query plans of the
// dashboard and the tracking book: no statement scans the dossiers table;
// each reads a range of one of its indexes (covering for the counts).
// `go test -run DashboardQueries -v ./internal/store` prints the plans
// (pasted in docs/PERFORMANCE.md).
func TestDashboardQueriesReadIndexesOnly(t *testing.T) {
	s := openTest(t, t.TempDir(), 1, time.Now)
	queries := map[string]struct {
		sql  string
		args []any
	}{
		"received in a range":  {sqlFigReceived, []any{0, 1}},
		"due in a range":       {sqlFigDue, []any{0, 1}},
		"overdue":              {sqlFigOverdue, []any{1}},
		"results in a range":   {sqlFigDone, []any{0, 1}},
		"returned in a range":  {sqlFigReturned, []any{0, 1}},
		"by procedure":         {sqlFigByProc, []any{1, 0, 1}},
		"received per day":     {sqlFigDaysReceived, []any{0, 1}},
		"results per day":      {sqlFigDaysDone, []any{0, 1}},
		"satisfaction votes":   {sqlFigVotes, []any{0, 1}},
		"tracking book months": {sqlTrackingBook, []any{0, 1}},
	}
	for name, q := range queries {
		t.Run(name, func(t *testing.T) {
			plan, err := explain(s, q.sql, q.args...)
			if err != nil {
				t.Fatal(err)
			}
			t.Logf("%s:\n  %s", name, strings.Join(plan, "\n  "))
			for _, p := range plan {
				if strings.HasPrefix(p, "SCAN ") && !strings.Contains(p, "INDEX") {
					t.Errorf("full scan: %s", p)
				}
			}
		})
	}
}
