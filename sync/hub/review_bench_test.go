package hub_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
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
func loadFixture(b *testing.B, db *sql.DB, postgres bool, n int) {
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
	open func(b *testing.B) (hub.Store, *sql.DB, bool)
}

var benchStores = []benchStore{
	{"sqlite", func(b *testing.B) (hub.Store, *sql.DB, bool) {
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
	{"postgres", func(b *testing.B) (hub.Store, *sql.DB, bool) {
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
