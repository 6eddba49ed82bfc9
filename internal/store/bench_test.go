package store

import (
	"bufio"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// receiveDossiers returns n dossiers with five papers each, spread over
// enough days that no day runs out of codes.
func receiveDossiers(n int) []*dossier.Dossier {
	r := rand.New(rand.NewPCG(42, 42))
	start := vnTime(2026, 1, 5, 7, 0)
	ds := make([]*dossier.Dossier, n)
	for i := range ds {
		ds[i] = fakeDossier(r, start.AddDate(0, 0, i/900).Add(time.Duration(i%900)*time.Second), 5)
	}
	return ds
}

func BenchmarkReceive(b *testing.B) {
	ctx := context.Background()
	s := openTest(b, b.TempDir(), 1, time.Now)
	ds := receiveDossiers(b.N)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for _, d := range ds {
		if err := s.Receive(ctx, d, "clerk"); err != nil {
			b.Fatal(err)
		}
	}
	receive := time.Since(start)
	b.StopTimer()
	// The same rows with bare INSERTs, same durability, same number of
	// commits, to report the cost of audit + outbox + FTS + history.
	bare := bareInsert(b, b.N)
	same := sameRowsInsert(b, b.N)
	b.ReportMetric(float64(receive.Microseconds())/1000/float64(b.N), "ms/receive")
	b.ReportMetric(float64(bare.Microseconds())/1000/float64(b.N), "ms/bare")
	b.ReportMetric(float64(receive)/float64(bare), "x-bare")
	b.ReportMetric(float64(same.Microseconds())/1000/float64(b.N), "ms/same-rows")
	b.ReportMetric(float64(receive)/float64(same), "x-same-rows")
}

func BenchmarkSameRowsInsert(b *testing.B) {
	b.ReportAllocs()
	d := sameRowsInsert(b, b.N)
	b.ReportMetric(float64(d.Microseconds())/1000/float64(b.N), "ms/same-rows")
}

// sameRowsInsert writes, for each of n dossiers, exactly the rows Receive
// writes (the two counters, the dossier, five papers, history, audit,
// outbox, full-text index) into the real schema with plain statements whose
// values were all computed beforehand, one synchronous=FULL transaction per
// dossier: the baseline for what Receive's own work costs (code allocation,
// validation, the audit hash, the outbox JSON, prepared statements).
func sameRowsInsert(b *testing.B, n int) time.Duration {
	ctx := context.Background()
	s := openTest(b, b.TempDir(), 1, time.Now)
	db := s.w
	ds := receiveDossiers(n)
	type rows struct {
		d               *dossier.Dossier
		code, day, name string
		detail, payload string
		hash, prev      string
		uuid            string
		at              any
	}
	pre := make([]rows, n)
	prev := strings.Repeat("0", 64)
	for i, d := range ds {
		day := codeDay(d.ReceivedAt)
		code, err := dossier.NewCode("000.00.06.H56", day, 1, i%999+1)
		if err != nil {
			b.Fatal(err)
		}
		d.Code = code
		h := sha256.Sum256([]byte(prev + code.String()))
		payload, _ := json.Marshal(toPayload(d))
		pre[i] = rows{d: d, code: code.String() + "-" + strconv.Itoa(i), day: day.Format(time.DateOnly),
			name: searchForm(d.Applicant.FullName), detail: `{"papers":5}`, payload: string(payload),
			prev: prev, hash: hex.EncodeToString(h[:]), uuid: fmt.Sprintf("0190a0b0-0000-7000-8000-%012d", i),
			at: millis(d.ReceivedAt)}
		prev = pre[i].hash
	}
	var auditID int64
	if err := db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM audit`).Scan(&auditID); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	for i, r := range pre {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		d, a := r.d, r.d.Applicant
		exec := func(q string, args ...any) sql.Result {
			res, err := tx.ExecContext(ctx, q, args...)
			if err != nil {
				b.Fatalf("%s: %v", q, err)
			}
			return res
		}
		exec(`INSERT INTO counters (agency, day, slot, last_seq) VALUES (?, ?, 1, 1)
			ON CONFLICT (agency, day, slot) DO UPDATE SET last_seq = last_seq + 1`, "000.00.06.H56", r.day)
		exec(`INSERT INTO tracking_counters (year, last_no) VALUES (2026, 1)
			ON CONFLICT (year) DO UPDATE SET last_no = last_no + 1`)
		res := exec(sqlDossierInsert, r.code, "000.00.06.H56", r.day, i%9999+1,
			d.ProcedureCode, d.ProcedureName, d.CatalogVersion, a.FullName, r.name, a.IDNumber,
			dateOnly(a.BirthDate), int(a.Sex), a.Address, a.Phone, a.Phone, a.Email,
			d.Sets, d.Fee, d.ProcessingTime, r.at, millis(d.DueAt), 2, 1, 1, "", "clerk", i+1, "", r.at)
		id, _ := res.LastInsertId()
		for j, p := range d.Papers {
			exec(sqlPaperInsert, id, j, p.Name, int(p.Form), p.Count, p.Required)
		}
		exec(sqlHistory, id, r.at, "clerk", "receive", 0, 2, "")
		auditID++
		exec(sqlAuditInsert, auditID, r.at, "clerk", "dossier.receive", "dossier:"+r.code, r.detail, r.prev, r.hash)
		exec(sqlOutboxInsert, r.uuid, id, 1, KindReceived, r.payload, r.at)
		exec(sqlFTSInsert, id, r.code, r.name, a.IDNumber, a.Phone)
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start)
}

func BenchmarkBareInsert(b *testing.B) {
	b.ReportAllocs()
	d := bareInsert(b, b.N)
	b.ReportMetric(float64(d.Microseconds())/1000/float64(b.N), "ms/bare")
}

// bareInsert inserts n dossiers of five papers with plain INSERTs, one
// transaction each, on a synchronous=FULL WAL database with the same
// columns but no index, trigger, audit, outbox or history, and returns the
// time it took.
func bareInsert(b *testing.B, n int) time.Duration {
	ctx := context.Background()
	db, err := openDB(filepath.Join(b.TempDir(), "bare.db"), "FULL", "immediate", false, 1)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`CREATE TABLE dossiers (id INTEGER PRIMARY KEY, code TEXT, procedure_code TEXT, procedure_name TEXT,
		catalog_version TEXT, name TEXT, id_number TEXT, birth_date TEXT, sex INTEGER, address TEXT, phone TEXT,
		email TEXT, sets INTEGER, fee INTEGER, processing_time TEXT, received_at INTEGER, due_at INTEGER,
		status INTEGER, channel INTEGER, return_method INTEGER, return_address TEXT, received_by TEXT,
		tracking_no INTEGER, note TEXT, updated_at INTEGER);
		CREATE TABLE papers (id INTEGER PRIMARY KEY, dossier_id INTEGER, position INTEGER, name TEXT, form INTEGER,
		count INTEGER, required INTEGER)`)
	if err != nil {
		b.Fatal(err)
	}
	ds := receiveDossiers(n)
	start := time.Now()
	for i, d := range ds {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		a := d.Applicant
		res, err := tx.Exec(`INSERT INTO dossiers VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			strconv.Itoa(i), d.ProcedureCode, d.ProcedureName, d.CatalogVersion, a.FullName, a.IDNumber,
			dateOnly(a.BirthDate), int(a.Sex), a.Address, a.Phone, a.Email, d.Sets, d.Fee, d.ProcessingTime,
			millis(d.ReceivedAt), millis(d.DueAt), int(d.Status), int(d.Channel), int(d.ReturnMethod),
			d.ReturnAddress, "clerk", i, d.Note, millis(d.ReceivedAt))
		if err != nil {
			b.Fatal(err)
		}
		id, _ := res.LastInsertId()
		for j, p := range d.Papers {
			if _, err := tx.Exec(`INSERT INTO papers VALUES (NULL, ?, ?, ?, ?, ?, ?)`, id, j, p.Name, int(p.Form), p.Count, p.Required); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start)
}

// The million-dossier fixture: built once per machine and schema (version
// and a hash of the migration files) under os.TempDir()
// (MOTCUA_BENCH_DOSSIERS lowers the count), reused by later runs.
var (
	fixtureOnce sync.Once
	fixtureDir  string
	fixtureErr  error
)

// migrationsHash is a short hash of the embedded migrations, so that a
// fixture built with an earlier draft of a migration is not reused.
func migrationsHash() string {
	names, _ := fs.Glob(migrationFS, "migrations/*.sql")
	slices.Sort(names)
	h := sha256.New()
	for _, n := range names {
		b, _ := migrationFS.ReadFile(n)
		h.Write([]byte(n))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))[:8]
}

func benchDossiers() int {
	if v, err := strconv.Atoi(os.Getenv("MOTCUA_BENCH_DOSSIERS")); err == nil && v > 0 {
		return v
	}
	return 1_000_000
}

func fixture(b *testing.B) string {
	b.Helper()
	fixtureOnce.Do(func() {
		n := benchDossiers()
		fixtureDir = filepath.Join(os.TempDir(), fmt.Sprintf("motcua-bench-v%d-%s-n%d", SchemaVersion, migrationsHash(), n))
		if _, err := os.Stat(filepath.Join(fixtureDir, "complete")); err == nil {
			return
		}
		var took time.Duration
		took, fixtureErr = buildFixture(fixtureDir, n)
		if fixtureErr == nil {
			fmt.Fprintf(os.Stderr, "store bench: seeded %d dossiers in %s (%.0f/s) into %s\n",
				n, took.Round(time.Second), float64(n)/took.Seconds(), fixtureDir)
		}
	})
	if fixtureErr != nil {
		b.Fatal(fixtureErr)
	}
	return fixtureDir
}

// buildFixture seeds n dossiers spread evenly over four years, in batches
// of 5,000 through BulkReceive, into a fresh directory renamed into place.
func buildFixture(dir string, n int) (time.Duration, error) {
	ctx := context.Background()
	tmp := dir + ".building-" + strconv.Itoa(os.Getpid())
	os.RemoveAll(tmp)
	start := time.Now()
	s, err := Open(ctx, tmp, Options{})
	if err != nil {
		return 0, err
	}
	defer s.Close()
	err = s.SaveSettings(ctx, Settings{AgencyID: testAgency, DeviceSlot: 1, Provisioned: true}, "tech")
	if err != nil {
		return 0, err
	}
	r := rand.New(rand.NewPCG(2026, 11))
	first := vnTime(2022, 11, 1, 7, 0)
	span := 4 * 365 * 24 * time.Hour
	batch := make([]*dossier.Dossier, 0, 5000)
	for i := range n {
		at := first.Add(time.Duration(int64(span) / int64(n) * int64(i)))
		d := fakeDossier(r, at, 2)
		if at.Before(first.Add(span - 60*24*time.Hour)) {
			d.Status = []dossier.Status{dossier.StatusReturned, dossier.StatusReturned, dossier.StatusDone, dossier.StatusRefused}[r.IntN(4)]
		} else {
			d.Status = []dossier.Status{dossier.StatusReceived, dossier.StatusProcessing, dossier.StatusSupplement, dossier.StatusDone}[r.IntN(4)]
		}
		batch = append(batch, d)
		if len(batch) == cap(batch) || i == n-1 {
			if err := s.BulkReceive(ctx, batch, "seed"); err != nil {
				return 0, err
			}
			batch = batch[:0]
		}
	}
	if err := s.Close(); err != nil {
		return 0, err
	}
	took := time.Since(start)
	if err := os.WriteFile(filepath.Join(tmp, "complete"), []byte(took.String()+"\n"), 0o600); err != nil {
		return 0, err
	}
	os.RemoveAll(dir)
	return took, os.Rename(tmp, dir)
}

// openFixture opens the fixture read-mostly for one benchmark.
func openFixture(b *testing.B) *Store {
	s, err := Open(context.Background(), fixture(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkSearchName1M(b *testing.B) {
	ctx := context.Background()
	s := openFixture(b)
	queries := []string{"nguyen van an", "tran thi", "le duc", "pham thi lan", "dang", "hoang van nam",
		"ngo thi mai", "nguyen", "vo minh", "huynh thi thao", "bui ngoc anh", "duong"}
	// Warm the cache as a running counter would be.
	for _, q := range queries {
		if _, err := s.List(ctx, dossier.Query{Text: q}); err != nil {
			b.Fatal(err)
		}
	}
	durs := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		page, err := s.List(ctx, dossier.Query{Text: queries[i%len(queries)]})
		durs = append(durs, time.Since(t0))
		if err != nil || len(page.Items) == 0 {
			b.Fatalf("search %q: %d rows, %v", queries[i%len(queries)], len(page.Items), err)
		}
	}
	b.StopTimer()
	reportPercentiles(b, durs)
}

// BenchmarkFilters1M lists the first page of the list screen's filters and
// counts its badge (capped as the list counts it) over the 1M fixture.
func BenchmarkFilters1M(b *testing.B) {
	ctx := context.Background()
	s := openFixture(b)
	var latest time.Time
	if p, err := s.List(ctx, dossier.Query{Limit: 1}); err != nil || len(p.Items) == 0 {
		b.Fatalf("fixture empty: %v", err)
	} else {
		latest = p.Items[0].ReceivedAt
	}
	queries := map[string]dossier.Query{
		"overdue":  {Overdue: true, Now: latest},
		"due-soon": {DueBefore: latest.Add(48 * time.Hour)},
		"status":   {Statuses: []dossier.Status{dossier.StatusProcessing}},
		"today":    {ReceivedFrom: latest.Add(-24 * time.Hour)},
	}
	for name, q := range queries {
		b.Run(name, func(b *testing.B) {
			durs := make([]time.Duration, 0, b.N)
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				if _, err := s.List(ctx, q); err != nil {
					b.Fatal(err)
				}
				if _, _, err := s.CountUpTo(ctx, q, 10_000); err != nil {
					b.Fatal(err)
				}
				durs = append(durs, time.Since(t0))
			}
			b.StopTimer()
			reportPercentiles(b, durs)
		})
	}
}

func reportPercentiles(b *testing.B, durs []time.Duration) {
	slices.Sort(durs)
	pct := func(p float64) float64 {
		return float64(durs[min(len(durs)-1, int(p*float64(len(durs))))].Microseconds()) / 1000
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.95), "p95-ms")
}

func BenchmarkOpen1M(b *testing.B) {
	ctx := context.Background()
	dir := fixture(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s, err := Open(ctx, dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkScrollList1M(b *testing.B) {
	ctx := context.Background()
	s := openFixture(b)
	resetPeakRSS()
	durs := make([]time.Duration, 0, b.N*200)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := dossier.Query{Limit: 50}
		for range 200 {
			t0 := time.Now()
			page, err := s.List(ctx, q)
			durs = append(durs, time.Since(t0))
			if err != nil || page.Next == nil {
				b.Fatalf("list: %v, next %v", err, page.Next)
			}
			q.After = page.Next
		}
	}
	b.StopTimer()
	reportPercentiles(b, durs)
	if mb := peakRSSMB(); mb > 0 {
		b.ReportMetric(mb, "peak-RSS-MB")
	}
}

// resetPeakRSS resets the kernel's high-water mark of this process's RSS
// (Linux), so that seeding does not count in a benchmark's peak.
func resetPeakRSS() {
	_ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSSMB reads VmHWM from /proc/self/status; 0 where there is none.
func peakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// queryPlan returns SQLite's plan for q, for tests that pin index use.
func queryPlan(db *sql.DB, q string, args ...any) (string, error) {
	rows, err := db.Query("EXPLAIN QUERY PLAN "+q, args...)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var id, parent, notused int
		var detail string
		if err := rows.Scan(&id, &parent, &notused, &detail); err != nil {
			return "", err
		}
		lines = append(lines, detail)
	}
	return strings.Join(lines, "\n"), rows.Err()
}

func BenchmarkBulkReceive(b *testing.B) {
	ctx := context.Background()
	s := openTest(b, b.TempDir(), 1, time.Now)
	r := rand.New(rand.NewPCG(1, 2))
	first := vnTime(2020, 1, 1, 7, 0)
	ds := make([]*dossier.Dossier, b.N)
	for i := range ds {
		ds[i] = fakeDossier(r, first.Add(time.Duration(i)*2*time.Minute), 2)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for start := 0; start < len(ds); start += 5000 {
		if err := s.BulkReceive(ctx, ds[start:min(start+5000, len(ds))], "seed"); err != nil {
			b.Fatal(err)
		}
	}
}
