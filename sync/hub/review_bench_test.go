package hub_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

// The reviewer's queue and dashboard over many dossiers from 500 communes
// (MOTCUA_BENCH_DOSSIERS, default 20,000; the recorded figure uses
// 1,000,000), SQLite and PostgreSQL. Rows are bulk-loaded into the review
// index with SQL. Each query's time is reported with its ratio to a
// baseline measured in the same run: a plain indexed count of one
// commune's dossiers.
//
//	MOTCUA_BENCH_DOSSIERS=1000000 go test -tags migrated_fynedo -run XXX -bench BenchmarkReview -benchtime 20x ./sync/hub/

const benchCommunes = 500

var benchNow = time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)

func benchOffice(i int) string { return fmt.Sprintf("000.%02d.%02d.H56", i/100, i%100) }

func benchDossiers() int {
	if n, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_DOSSIERS")); err == nil && n > 0 {
		return n
	}
	return 20000
}

// loadFixture fills the review index (then the rollup is rebuilt) with n dossiers: received over the
// last 365 days, newest first; older than 30 days mostly returned; 3–15
// days to process; 1–4 papers, some digitised; some votes.
func loadFixture(b testing.TB, db *sql.DB, postgres bool, n int) {
	ctx := context.Background()
	now := benchNow.UnixMilli()
	step := int64(365*86400000) / int64(n)
	recent := n * 30 / 365
	var q string
	if postgres {
		q = fmt.Sprintf(`INSERT INTO review_dossiers (code, office, status, procedure_code, procedure_name, applicant, applicant_fold,
			id_number, received_at, due_at, done_at, papers, papers_digitised, vote, decided)
		SELECT office || '-' || i, office, st, 'P' || (r %% 40), 'Thủ tục ' || (r %% 40), name, name, lpad((i * 7919 %% 1000000000000)::text, 12, '0'),
			rec, rec + (3 + r %% 13) * 86400000, CASE WHEN st IN (9, 10) THEN rec + (1 + r %% 17) * 86400000 END, 1 + r %% 4, (r / 7) %% (1 + r %% 4 + 1),
			r %% 4, 0
		FROM (SELECT i, format('000.%%s.%%s.H56', lpad(((i %% 500) / 100)::text, 2, '0'), lpad(((i %% 500) %% 100)::text, 2, '0')) AS office,
			%d - i::bigint * %d AS rec, r,
			(ARRAY['nguyen van an','tran thi binh','le hoang cuong','pham thu dung','hoang minh duc','vu thi ha','dang van khoa','bui thi lan'])[1 + r %% 8] || ' ' || (i %% 997) AS name,
			CASE WHEN i >= %d AND r < 97 THEN 10 WHEN r < 40 THEN 10 WHEN r < 50 THEN 9 WHEN r < 65 THEN 2 WHEN r < 80 THEN 4 WHEN r < 88 THEN 5 WHEN r < 92 THEN 6 WHEN r < 96 THEN 3 ELSE 2 END AS st
			FROM (SELECT i, (i * 2654435761) %% 100 AS r FROM generate_series(0::bigint, %d) AS i) g) x`, now, step, recent, n-1)
	} else {
		q = fmt.Sprintf(`WITH RECURSIVE g(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM g WHERE i < %d)
		INSERT INTO review_dossiers (code, office, status, procedure_code, procedure_name, applicant, applicant_fold,
			id_number, received_at, due_at, done_at, papers, papers_digitised, vote, decided)
		SELECT office || '-' || i, office, st, 'P' || (r %% 40), 'Thủ tục ' || (r %% 40), name, name, printf('%%012d', i * 7919 %% 1000000000000),
			rec, rec + (3 + r %% 13) * 86400000, CASE WHEN st IN (9, 10) THEN rec + (1 + r %% 17) * 86400000 END, 1 + r %% 4, (r / 7) %% (1 + r %% 4 + 1),
			r %% 4, 0
		FROM (SELECT i, printf('000.%%02d.%%02d.H56', (i %% 500) / 100, (i %% 500) %% 100) AS office, %d - i * %d AS rec, r,
			CASE r %% 8 WHEN 0 THEN 'nguyen van an' WHEN 1 THEN 'tran thi binh' WHEN 2 THEN 'le hoang cuong' WHEN 3 THEN 'pham thu dung'
				WHEN 4 THEN 'hoang minh duc' WHEN 5 THEN 'vu thi ha' WHEN 6 THEN 'dang van khoa' ELSE 'bui thi lan' END || ' ' || (i %% 997) AS name,
			CASE WHEN i >= %d AND r < 97 THEN 10 WHEN r < 40 THEN 10 WHEN r < 50 THEN 9 WHEN r < 65 THEN 2 WHEN r < 80 THEN 4 WHEN r < 88 THEN 5 WHEN r < 92 THEN 6 WHEN r < 96 THEN 3 ELSE 2 END AS st
			FROM (SELECT i, (i * 2654435761) %% 100 AS r FROM g))`, n-1, now, step, recent)
	}
	start := time.Now()
	if _, err := db.ExecContext(ctx, q); err != nil {
		b.Fatalf("fixture: %v", err)
	}
	if _, err := db.ExecContext(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("loaded %d dossiers in %v", n, time.Since(start).Round(time.Millisecond))
}

type benchStore struct {
	name string
	open func(b testing.TB) (hub.Store, *sql.DB, bool)
}

var benchStores = []benchStore{
	{"sqlite", func(b testing.TB) (hub.Store, *sql.DB, bool) {
		path := filepath.Join(b.TempDir(), "hub.db")
		st, err := hub.OpenSQLite(context.Background(), path)
		if err != nil {
			b.Fatal(err)
		}
		db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(OFF)")
		if err != nil {
			b.Fatal(err)
		}
		db.SetMaxOpenConns(1)
		b.Cleanup(func() { db.Close(); st.Close() })
		return st, db, false
	}},
	{"postgres", func(b testing.TB) (hub.Store, *sql.DB, bool) {
		u := postgresURL(b)
		st, err := hub.OpenPostgres(context.Background(), u)
		if err != nil {
			b.Fatal(err)
		}
		db, err := sql.Open("pgx", u)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { db.Close(); st.Close() })
		return st, db, true
	}},
}

// median runs fn k times and returns the median duration.
func median(b *testing.B, k int, fn func() error) time.Duration {
	ds := make([]time.Duration, k)
	for i := range ds {
		t := time.Now()
		if err := fn(); err != nil {
			b.Fatal(err)
		}
		ds[i] = time.Since(t)
	}
	sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
	return ds[k/2]
}

func BenchmarkReview(b *testing.B) {
	n := benchDossiers()
	for _, bs := range benchStores {
		b.Run(bs.name, func(b *testing.B) {
			ctx := context.Background()
			st, db, pg := bs.open(b)
			var province, district []string
			for i := range benchCommunes {
				c := benchOffice(i)
				if err := st.CreateOffice(ctx, hub.Office{Code: c, Name: "UBND xã " + strconv.Itoa(i), CreatedAt: benchNow}); err != nil {
					b.Fatal(err)
				}
				province = append(province, c)
				if i < 25 {
					district = append(district, c)
				}
			}
			loadFixture(b, db, pg, n)
			t0 := time.Now()
			if err := st.RebuildReviewRollup(ctx); err != nil {
				b.Fatal(err)
			}
			// PostgreSQL: as autovacuum leaves a live hub (visibility map
			// set, so index-only scans read no heap).
			analyze := "ANALYZE"
			if pg {
				analyze = "VACUUM ANALYZE"
			}
			if _, err := db.ExecContext(ctx, analyze); err != nil {
				b.Fatal(err)
			}
			b.Logf("rollup rebuilt and %s in %v", analyze, time.Since(t0).Round(time.Millisecond))
			if k := os.Getenv("MOTCUA_BENCH_KEEP"); k != "" && !pg {
				db.ExecContext(ctx, "VACUUM INTO '"+k+"'")
			}
			ph := "?"
			if pg {
				ph = "$1"
			}
			baselineQ := `SELECT count(*) FROM review_dossiers WHERE office = ` + ph
			baseline := median(b, 21, func() error {
				var c int
				return db.QueryRowContext(ctx, baselineQ, benchOffice(7)).Scan(&c)
			})
			due2 := benchNow.Add(4 * 24 * time.Hour)
			cases := []struct {
				name string
				fn   func() error
			}{
				{"queue-new-province", func() error {
					p, err := st.ReviewQueue(ctx, province, protocol.QueueQuery{Queue: protocol.QueueNew}, benchNow, due2)
					if err == nil && len(p.Items) != 50 {
						err = fmt.Errorf("%d items", len(p.Items))
					}
					return err
				}},
				{"queue-new-province-page3", func() error {
					q := protocol.QueueQuery{Queue: protocol.QueueNew}
					for range 3 {
						p, err := st.ReviewQueue(ctx, province, q, benchNow, due2)
						if err != nil {
							return err
						}
						q.After = p.Next
					}
					return nil
				}},
				{"queue-overdue-district", func() error {
					_, err := st.ReviewQueue(ctx, district, protocol.QueueQuery{Queue: protocol.QueueOverdue}, benchNow, due2)
					return err
				}},
				{"queue-due2-province", func() error {
					_, err := st.ReviewQueue(ctx, province, protocol.QueueQuery{Queue: protocol.QueueDue2}, benchNow, due2)
					return err
				}},
				{"queue-one-commune-procedure", func() error {
					_, err := st.ReviewQueue(ctx, province, protocol.QueueQuery{Office: benchOffice(42), Procedure: "P7"}, benchNow, due2)
					return err
				}},
				{"search-name-province", func() error {
					_, err := st.ReviewQueue(ctx, province, protocol.QueueQuery{Q: "Nguyễn Văn An 12"}, benchNow, due2)
					return err
				}},
				{"search-id-province", func() error {
					p, err := st.ReviewQueue(ctx, province, protocol.QueueQuery{Q: fmt.Sprintf("%012d", 4242*7919)}, benchNow, due2)
					if err == nil && len(p.Items) != 1 {
						err = fmt.Errorf("%d items", len(p.Items))
					}
					return err
				}},
				{"dashboard-30d-province", func() error {
					d, err := st.ReviewDashboard(ctx, province, protocol.DashboardQuery{}, benchNow)
					if err == nil && d.Overall.Received == 0 {
						err = fmt.Errorf("empty dashboard")
					}
					return err
				}},
				{"dashboard-30d-district-weekly", func() error {
					_, err := st.ReviewDashboard(ctx, district, protocol.DashboardQuery{Bucket: protocol.BucketWeek}, benchNow)
					return err
				}},
				{"dashboard-365d-province", func() error {
					_, err := st.ReviewDashboard(ctx, province, protocol.DashboardQuery{From: benchNow.AddDate(-1, 0, 0), Bucket: protocol.BucketWeek}, benchNow)
					return err
				}},
				{"dashboard-365d-province-asked-daily", func() error { // answered by week (MaxDailyRange)
					_, err := st.ReviewDashboard(ctx, province, protocol.DashboardQuery{From: benchNow.AddDate(-1, 0, 0)}, benchNow)
					return err
				}},
			}
			b.Logf("baseline (indexed count of one commune): %v", baseline)
			for _, c := range cases {
				b.Run(c.name, func(b *testing.B) {
					if err := c.fn(); err != nil { // warm
						b.Fatal(err)
					}
					b.ResetTimer()
					for b.Loop() {
						if err := c.fn(); err != nil {
							b.Fatal(err)
						}
					}
					per := b.Elapsed() / time.Duration(b.N)
					b.ReportMetric(float64(per.Microseconds())/1000, "ms/query")
					b.ReportMetric(float64(per)/float64(baseline), "x-baseline")
				})
			}
		})
	}
}

// TestTheDashboardFromWeeklyAndDailyRollupsEqualsTheDailySums checks the
// dashboard (whole weeks from review_weekly, edge days from review_daily)
// against sums of review_daily alone, for ranges spanning months, with odd
// edges, and shorter than a week, on both stores.
func TestTheDashboardFromWeeklyAndDailyRollupsEqualsTheDailySums(t *testing.T) {
	for _, bs := range benchStores {
		t.Run(bs.name, func(t *testing.T) {
			ctx := context.Background()
			st, db, pg := bs.open(t)
			var province []string
			for i := range benchCommunes {
				c := benchOffice(i)
				if err := st.CreateOffice(ctx, hub.Office{Code: c, Name: "UBND xã " + strconv.Itoa(i), CreatedAt: benchNow}); err != nil {
					t.Fatal(err)
				}
				province = append(province, c)
			}
			loadFixture(t, db, pg, 4000)
			if err := st.RebuildReviewRollup(ctx); err != nil {
				t.Fatal(err)
			}
			ph := func(q string) string {
				if pg {
					return strings.Replace(strings.Replace(q, "?", "$1", 1), "?", "$2", 1)
				}
				return q
			}
			vn := time.FixedZone("ICT", 7*3600)
			for _, r := range []struct {
				from, to time.Time
				bucket   string
			}{
				{benchNow.AddDate(-1, 0, 0), benchNow, protocol.BucketWeek},
				{benchNow.AddDate(-1, 0, 0), benchNow, protocol.BucketDay},
				{time.Date(2026, 7, 29, 15, 0, 0, 0, vn), time.Date(2026, 10, 3, 9, 0, 0, 0, vn), protocol.BucketWeek},
				{time.Date(2026, 7, 29, 15, 0, 0, 0, vn), time.Date(2026, 10, 3, 9, 0, 0, 0, vn), protocol.BucketDay},
				{time.Date(2026, 8, 31, 0, 0, 0, 0, vn), time.Date(2026, 9, 14, 0, 0, 0, 0, vn), protocol.BucketWeek},
				{time.Date(2026, 9, 2, 0, 0, 0, 0, vn), time.Date(2026, 9, 8, 0, 0, 0, 0, vn), protocol.BucketWeek},
				{time.Date(2026, 9, 2, 0, 0, 0, 0, vn), time.Date(2026, 9, 2, 1, 0, 0, 0, vn), protocol.BucketDay},
			} {
				got, err := st.ReviewDashboard(ctx, province, protocol.DashboardQuery{From: r.from, To: r.to, Bucket: r.bucket}, benchNow)
				if err != nil {
					t.Fatal(err)
				}
				fromDay := (r.from.UnixMilli() + 7*3600000) / 86400000
				toDay := (r.to.UnixMilli() - 1 + 7*3600000) / 86400000
				rows, err := db.QueryContext(ctx, ph(`SELECT office, sum(received), sum(done), sum(on_time), sum(late), sum(done_ms),
					sum(votes_good), sum(votes_ok), sum(votes_bad), sum(papers), sum(papers_digitised)
					FROM review_daily WHERE day >= ? AND day <= ? GROUP BY office HAVING sum(received) > 0 ORDER BY office`), fromDay, toDay)
				if err != nil {
					t.Fatal(err)
				}
				var want []protocol.DashboardRow
				for rows.Next() {
					var w protocol.DashboardRow
					var ms int64
					if err := rows.Scan(&w.Office, &w.Received, &w.Done, &w.OnTime, &w.Late, &ms, &w.VotesGood, &w.VotesOK, &w.VotesBad,
						&w.Papers, &w.PapersDigitised); err != nil {
						t.Fatal(err)
					}
					if w.Done > 0 {
						w.AvgHours = float64(ms) / float64(w.Done) / 3.6e6
					}
					if w.Papers > 0 {
						w.DigitisedShare = float64(w.PapersDigitised) / float64(w.Papers)
					}
					want = append(want, w)
				}
				rows.Close()
				var sums []protocol.DashboardRow
				for _, c := range got.Communes {
					if c.Received > 0 {
						c.Name, c.OverdueNow = "", 0
						sums = append(sums, c)
					}
				}
				if len(want) == 0 || !reflect.DeepEqual(sums, want) {
					t.Fatalf("%v–%v %s: communes %d, want %d\n%+v\n%+v", r.from, r.to, r.bucket, len(sums), len(want), sums, want)
				}
				// A period longer than MaxDailyRange asked by day comes by week.
				wantBucket := r.bucket
				if r.bucket == protocol.BucketDay && r.to.Sub(r.from) > hub.MaxDailyRange {
					wantBucket = protocol.BucketWeek
				}
				if got.Bucket != wantBucket {
					t.Fatalf("%v–%v asked by %s: answered by %s, want %s", r.from, r.to, r.bucket, got.Bucket, wantBucket)
				}
				key := "day"
				if got.Bucket == protocol.BucketWeek {
					key = "(day + 3) / 7"
				}
				rows, err = db.QueryContext(ctx, ph(`SELECT sum(received), sum(finished) FROM review_daily WHERE day >= ? AND day <= ?
					GROUP BY `+key+` HAVING sum(received) > 0 OR sum(finished) > 0 ORDER BY `+key), fromDay, toDay)
				if err != nil {
					t.Fatal(err)
				}
				var series [][2]int64
				for rows.Next() {
					var p [2]int64
					if err := rows.Scan(&p[0], &p[1]); err != nil {
						t.Fatal(err)
					}
					series = append(series, p)
				}
				rows.Close()
				var gotSeries [][2]int64
				for _, p := range got.Series {
					gotSeries = append(gotSeries, [2]int64{p.Received, p.Done})
				}
				if !reflect.DeepEqual(gotSeries, series) {
					t.Fatalf("%v–%v %s: series %v, want %v", r.from, r.to, r.bucket, gotSeries, series)
				}
			}
		})
	}
}
