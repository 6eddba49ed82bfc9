package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

const testAgency = "000.00.06.H56"

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) != "" {
		os.Exit(crashChild())
	}
	os.Exit(m.Run())
}

// clock is a settable clock for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock(t time.Time) *clock { return &clock{t: t} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// openTest opens a store in dir provisioned as slot of testAgency and closes
// it when the test ends.
func openTest(t testing.TB, dir string, slot int, now func() time.Time) *Store {
	t.Helper()
	s, err := Open(context.Background(), dir, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if slot > 0 {
		provision(t, s, slot)
	}
	return s
}

func provision(t testing.TB, s *Store, slot int) {
	t.Helper()
	err := s.SaveSettings(context.Background(), Settings{
		AgencyID: testAgency, AgencyName: "UBND xã Tân Phú", DeviceSlot: slot, Language: "vi", Provisioned: true,
	}, "tech")
	if err != nil {
		t.Fatal(err)
	}
}

// vnTime is a wall-clock time in Vietnam.
func vnTime(y int, m time.Month, d, hh, mm int) time.Time {
	return time.Date(y, m, d, hh, mm, 0, 0, vnZone)
}

func putBytes(t testing.TB, s *Store, b []byte) string {
	t.Helper()
	sha, size, err := s.PutFile(context.Background(), bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	if size != int64(len(b)) {
		t.Fatalf("PutFile size %d, want %d", size, len(b))
	}
	return sha
}

func TestReceiveStoresTheWholeDossier(t *testing.T) {
	ctx := context.Background()
	clk := newClock(vnTime(2026, 11, 23, 9, 30))
	s := openTest(t, t.TempDir(), 3, clk.Now)
	scan1, scan2 := putBytes(t, s, []byte("scan one")), putBytes(t, s, []byte("scan two"))

	r := rand.New(rand.NewPCG(1, 2))
	d := fakeDossier(r, clk.Now(), 3)
	d.Papers[0].Files = []string{scan1, scan2}
	d.Papers[2].Files = []string{scan1}
	d.Note = "ghi chú"
	want := *d
	if err := s.Receive(ctx, d, "clerk1"); err != nil {
		t.Fatal(err)
	}
	if d.ID == 0 || d.Code.String() != testAgency+"-261123-3001" || d.TrackingNo != 1 || !d.UpdatedAt.Equal(clk.Now()) {
		t.Fatalf("after Receive: id %d code %s tracking %d updated %v", d.ID, d.Code, d.TrackingNo, d.UpdatedAt)
	}

	got, err := s.Dossier(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	want.ID, want.Code, want.TrackingNo, want.UpdatedAt, want.ReceivedBy = d.ID, d.Code, d.TrackingNo, got.UpdatedAt, "clerk1"
	want.ReceivedAt, want.DueAt = want.ReceivedAt.UTC(), want.DueAt.UTC()
	if !reflect.DeepEqual(got, &want) {
		t.Fatalf("read back\n got %+v\nwant %+v", got, &want)
	}
	byCode, err := s.DossierByCode(ctx, " "+d.Code.String()+"\n")
	if err != nil || byCode.ID != d.ID {
		t.Fatalf("DossierByCode: %v, %v", byCode, err)
	}

	hist, err := s.History(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantHist := []dossier.Event{{At: clk.Now().UTC(), Actor: "clerk1", Action: "receive", From: 0, To: dossier.StatusReceived}}
	if !reflect.DeepEqual(hist, wantHist) {
		t.Fatalf("history %+v, want %+v", hist, wantHist)
	}

	ev, err := s.PendingOutbox(ctx, 10)
	if err != nil || len(ev) != 1 {
		t.Fatalf("outbox %v, %v", ev, err)
	}
	var p payload
	if err := json.Unmarshal(ev[0].Payload, &p); err != nil {
		t.Fatal(err)
	}
	if ev[0].Kind != KindReceived || ev[0].Seq != 1 || ev[0].DossierID != d.ID || p.Code != d.Code.String() ||
		!reflect.DeepEqual(p.Papers[0].Files, []string{scan1, scan2}) || p.Applicant.FullName != d.Applicant.FullName {
		t.Fatalf("outbox event %+v payload %+v", ev[0], p)
	}
	if err := s.MarkOutboxSent(ctx, []string{ev[0].UUID}); err != nil {
		t.Fatal(err)
	}
	if ev, _ := s.PendingOutbox(ctx, 10); len(ev) != 0 {
		t.Fatalf("outbox still pending after MarkOutboxSent: %v", ev)
	}

	n, err := s.VerifyAudit(ctx)
	if err != nil || n != 2 { // settings + receive
		t.Fatalf("VerifyAudit = %d, %v; want 2 records", n, err)
	}
	var detail string
	if err := s.r.QueryRow(`SELECT detail FROM audit WHERE action = 'dossier.receive'`).Scan(&detail); err != nil {
		t.Fatal(err)
	}
	for _, personal := range []string{d.Applicant.FullName, d.Applicant.IDNumber, d.Applicant.Phone} {
		if bytes.Contains([]byte(detail), []byte(personal)) {
			t.Fatalf("audit detail %s carries personal data %q", detail, personal)
		}
	}
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestReceiveRefuses(t *testing.T) {
	ctx := context.Background()
	at := vnTime(2026, 11, 23, 9, 0)
	tests := []struct {
		name    string
		slot    int
		prepare func(*dossier.Dossier)
		want    error
	}{
		{"a dossier that already has a code", 1, func(d *dossier.Dossier) {
			d.Code, _ = dossier.NewCode(testAgency, at, 1, 5)
		}, ErrCodeSet},
		{"a device without agency and slot", 0, func(*dossier.Dossier) {}, ErrNotProvisioned},
		{"a paper whose file was never put", 1, func(d *dossier.Dossier) {
			d.Papers[0].Files = []string{hex.EncodeToString(make([]byte, 32))}
		}, ErrFileMissing},
		{"a file name that is not a SHA-256", 1, func(d *dossier.Dossier) {
			d.Papers[0].Files = []string{"../../etc/passwd"}
		}, ErrFileMissing},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t, t.TempDir(), tt.slot, func() time.Time { return at })
			d := fakeDossier(rand.New(rand.NewPCG(3, 4)), at, 2)
			tt.prepare(d)
			if err := s.Receive(ctx, d, "clerk1"); !errors.Is(err, tt.want) {
				t.Fatalf("Receive error = %v, want %v", err, tt.want)
			}
			if n, err := s.Count(ctx, dossier.Query{}); err != nil || n != 0 {
				t.Fatalf("Count after refusal = %d, %v", n, err)
			}
			if tt.slot == 0 {
				return
			}
			// Nothing was consumed: the next good dossier gets the first number.
			good := fakeDossier(rand.New(rand.NewPCG(5, 6)), at, 1)
			if err := s.Receive(ctx, good, "clerk1"); err != nil {
				t.Fatal(err)
			}
			if good.Code.Number != 1001 || good.TrackingNo != 1 {
				t.Fatalf("after a refusal the next code is %s, tracking %d", good.Code, good.TrackingNo)
			}
		})
	}
}

func TestDossierNotFound(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), 1, time.Now)
	if _, err := s.Dossier(ctx, 42); !errors.Is(err, ErrNotFound) {
		t.Errorf("Dossier(42) error = %v", err)
	}
	if _, err := s.DossierByCode(ctx, testAgency+"-261123-1001"); !errors.Is(err, ErrNotFound) {
		t.Errorf("DossierByCode error = %v", err)
	}
	if _, err := s.DossierByCode(ctx, "garbage"); !errors.Is(err, ErrNotFound) {
		t.Errorf("DossierByCode(garbage) error = %v", err)
	}
	if _, err := s.History(ctx, 42); !errors.Is(err, ErrNotFound) {
		t.Errorf("History(42) error = %v", err)
	}
}

func TestCodeAllocation(t *testing.T) {
	tests := []struct {
		name string
		at   []time.Time // receipt instants, in order
		want []string    // date and number part of each code
	}{
		{"the sequence counts up within a day",
			[]time.Time{vnTime(2026, 11, 23, 7, 0), vnTime(2026, 11, 23, 9, 0), vnTime(2026, 11, 23, 16, 59)},
			[]string{"261123-2001", "261123-2002", "261123-2003"}},
		{"the sequence restarts on the next day",
			[]time.Time{vnTime(2026, 11, 23, 23, 59), vnTime(2026, 11, 24, 0, 1), vnTime(2026, 11, 24, 8, 0)},
			[]string{"261123-2001", "261124-2001", "261124-2002"}},
		{"the day is the Vietnamese date, not the UTC date",
			[]time.Time{time.Date(2026, 11, 23, 16, 30, 0, 0, time.UTC), time.Date(2026, 11, 23, 17, 30, 0, 0, time.UTC)},
			[]string{"261123-2001", "261124-2001"}},
		{"a late receipt for an earlier day continues that day's sequence",
			[]time.Time{vnTime(2026, 11, 23, 9, 0), vnTime(2026, 11, 24, 9, 0), vnTime(2026, 11, 23, 10, 0)},
			[]string{"261123-2001", "261124-2001", "261123-2002"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := openTest(t, t.TempDir(), 2, time.Now)
			for i, at := range tt.at {
				d := fakeDossier(rand.New(rand.NewPCG(uint64(i), 9)), at, 1)
				if err := s.Receive(context.Background(), d, "clerk1"); err != nil {
					t.Fatal(err)
				}
				if got := d.Code.String(); got != testAgency+"-"+tt.want[i] {
					t.Errorf("receipt %d at %v: code %s, want …-%s", i, at, got, tt.want[i])
				}
			}
		})
	}
}

func TestCodesRunOutAfter999ADay(t *testing.T) {
	ctx := context.Background()
	day := vnTime(2026, 11, 23, 8, 0)
	s := openTest(t, t.TempDir(), 9, time.Now)
	r := rand.New(rand.NewPCG(7, 7))
	var ds []*dossier.Dossier
	for i := range dossier.MaxSeq {
		ds = append(ds, fakeDossier(r, day.Add(time.Duration(i)*time.Second), 1))
	}
	if err := s.BulkReceive(ctx, ds, "seed"); err != nil {
		t.Fatal(err)
	}
	if last := ds[len(ds)-1].Code.String(); last != testAgency+"-261123-9999" {
		t.Fatalf("999th code %s", last)
	}
	extra := fakeDossier(r, day.Add(time.Hour), 1)
	if err := s.Receive(ctx, extra, "clerk1"); !errors.Is(err, ErrCodesExhausted) {
		t.Fatalf("1000th receipt of the day: %v, want ErrCodesExhausted", err)
	}
	if !extra.Code.IsZero() || extra.ID != 0 {
		t.Fatalf("a refused Receive changed the dossier: %+v", extra)
	}
	next := fakeDossier(r, day.Add(24*time.Hour), 1)
	if err := s.Receive(ctx, next, "clerk1"); err != nil || next.Code.Number != 9001 {
		t.Fatalf("next day: %v, %s", err, next.Code)
	}
}

func TestTwoDevicesOfOneOfficeNeverIssueTheSameCode(t *testing.T) {
	ctx := context.Background()
	a := openTest(t, t.TempDir(), 1, time.Now)
	b := openTest(t, t.TempDir(), 2, time.Now)
	r := rand.New(rand.NewPCG(11, 12))
	codes := map[string]string{}
	start := vnTime(2026, 11, 23, 7, 0)
	for _, dev := range []struct {
		name string
		s    *Store
	}{{"a", a}, {"b", b}} {
		var ds []*dossier.Dossier
		for i := range 600 {
			// Three days, interleaved the same way on both devices.
			ds = append(ds, fakeDossier(r, start.Add(time.Duration(i%3)*24*time.Hour+time.Duration(i)*time.Minute), 1))
		}
		// Half one by one, half in bulk: both paths allocate the same way.
		for _, d := range ds[:300] {
			if err := dev.s.Receive(ctx, d, "clerk"); err != nil {
				t.Fatal(err)
			}
		}
		if err := dev.s.BulkReceive(ctx, ds[300:], "clerk"); err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			if prev, dup := codes[d.Code.String()]; dup {
				t.Fatalf("device %s issued %s, already issued by device %s", dev.name, d.Code, prev)
			}
			codes[d.Code.String()] = dev.name
		}
	}
	if len(codes) != 1200 {
		t.Fatalf("%d distinct codes, want 1200", len(codes))
	}
}

func TestTrackingNumbersRestartEachYear(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), 1, time.Now)
	r := rand.New(rand.NewPCG(1, 1))
	ats := []time.Time{vnTime(2026, 12, 31, 16, 0), vnTime(2026, 12, 31, 16, 30), vnTime(2027, 1, 1, 0, 30), vnTime(2027, 1, 2, 8, 0)}
	var got []int
	for _, at := range ats {
		d := fakeDossier(r, at, 1)
		if err := s.Receive(ctx, d, "clerk"); err != nil {
			t.Fatal(err)
		}
		got = append(got, d.TrackingNo)
	}
	if want := []int{1, 2, 1, 2}; !reflect.DeepEqual(got, want) {
		t.Fatalf("tracking numbers %v, want %v", got, want)
	}
}

func TestPutFileIsContentAddressedAndIdempotent(t *testing.T) {
	dir := t.TempDir()
	s := openTest(t, dir, 1, time.Now)
	content := bytes.Repeat([]byte("trang scan "), 10000)
	sum := sha256.Sum256(content)
	first := putBytes(t, s, content)
	if first != hex.EncodeToString(sum[:]) {
		t.Fatalf("sha %s, want %x", first, sum)
	}
	if again := putBytes(t, s, content); again != first {
		t.Fatalf("same content gave %s then %s", first, again)
	}
	if other := putBytes(t, s, append(content, '!')); other == first {
		t.Fatal("different content, same sha")
	}
	f, err := s.OpenFile(first)
	if err != nil {
		t.Fatal(err)
	}
	back, err := io.ReadAll(f)
	f.Close()
	if err != nil || !bytes.Equal(back, content) {
		t.Fatalf("OpenFile gave %d bytes, %v", len(back), err)
	}
	if _, err := os.Stat(filepath.Join(dir, "files", first[:2], first)); err != nil {
		t.Fatalf("blob not at files/ab/<sha>: %v", err)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, "files", "tmp")); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
	if _, err := s.OpenFile(hex.EncodeToString(make([]byte, 32))); !errors.Is(err, ErrNotFound) {
		t.Fatalf("OpenFile of unknown sha: %v", err)
	}
	if _, err := s.OpenFile("../motcua.db"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("OpenFile of a path: %v", err)
	}
}

func TestStartUpCleanupDropsUnreferencedFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	provision(t, s, 1)
	kept := putBytes(t, s, []byte("referenced"))
	orphan := putBytes(t, s, []byte("scanned, never saved"))
	d := fakeDossier(rand.New(rand.NewPCG(1, 1)), time.Now(), 1)
	d.Papers[0].Files = []string{kept}
	if err := s.Receive(ctx, d, "clerk"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if err := os.WriteFile(filepath.Join(dir, "files", "tmp", "put-123"), []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}

	s = openTest(t, dir, 0, time.Now)
	if got, want := s.Cleanup(), (CleanupStats{TempFiles: 1, OrphanedFiles: 1}); got != want {
		t.Fatalf("cleanup %+v, want %+v", got, want)
	}
	if _, err := s.OpenFile(orphan); !errors.Is(err, ErrNotFound) {
		t.Fatalf("orphan still there: %v", err)
	}
	f, err := s.OpenFile(kept)
	if err != nil {
		t.Fatalf("referenced file removed: %v", err)
	}
	f.Close()
	var rows int
	if err := s.r.QueryRow(`SELECT count(*) FROM files`).Scan(&rows); err != nil || rows != 1 {
		t.Fatalf("files table has %d rows, %v; want only the referenced one", rows, err)
	}
}

func TestReopenAppliesNoMigrationTwice(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for i := range 3 {
		s, err := Open(ctx, dir, Options{})
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		var n, v int
		if err := s.r.QueryRow(`SELECT count(*), max(version) FROM schema_migrations`).Scan(&n, &v); err != nil {
			t.Fatal(err)
		}
		names, _ := migrationFS.ReadDir("migrations")
		if n != len(names) || v != SchemaVersion {
			t.Fatalf("open %d: %d migrations recorded (newest %d), want %d (newest %d)", i, n, v, len(names), SchemaVersion)
		}
		if i == 0 {
			provision(t, s, 4)
		}
		st, err := s.Settings(ctx)
		if err != nil || st.DeviceSlot != 4 {
			t.Fatalf("open %d: settings %+v, %v", i, st, err)
		}
		s.Close()
	}
}

func TestSettingsRoundTripAndAreAudited(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), 0, time.Now)
	want := Settings{AgencyID: "G22", AgencyName: "UBND xã A", ParentName: "UBND tỉnh B", Address: "Thôn 1",
		Phone: "0203 123 456", ReturnPlace: "Quầy 1", DeviceSlot: 5, OfficeHours: "07:00-11:30,13:30-17:00",
		Language: "vi", IdleLockMinutes: 5, Printer: "escpos:/dev/usb/lp0", Provisioned: true}
	if err := s.SaveSettings(ctx, want, "tech"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Settings(ctx)
	if err != nil || got != want {
		t.Fatalf("Settings = %+v, %v; want %+v", got, err, want)
	}
	if err := s.SaveSettings(ctx, want, "tech"); err != nil { // no change: no audit record
		t.Fatal(err)
	}
	for _, bad := range []Settings{{DeviceSlot: 10}, {AgencyID: "bad id"}, {IdleLockMinutes: -1}} {
		if err := s.SaveSettings(ctx, bad, "tech"); !errors.Is(err, ErrInvalidSettings) {
			t.Errorf("SaveSettings(%+v) = %v", bad, err)
		}
	}
	if n, err := s.VerifyAudit(ctx); err != nil || n != 1 {
		t.Fatalf("VerifyAudit = %d, %v; want 1 record", n, err)
	}
}

func TestDeviceKeyIsCreatedOnceAndKept(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := Open(ctx, dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	k1, err := s.DeviceKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	k2, _ := s.DeviceKey(ctx)
	s.Close()
	s = openTest(t, dir, 0, time.Now)
	k3, err := s.DeviceKey(ctx)
	if err != nil || !k1.Equal(k2) || !k1.Equal(k3) {
		t.Fatalf("device key changed: %v", err)
	}
	if _, err := s.Settings(ctx); err != nil { // the key is not a setting
		t.Fatal(err)
	}
}

func TestAuditChainDetectsTampering(t *testing.T) {
	tests := []struct {
		name   string
		tamper string // SQL run directly against the database
		bad    int64  // first record VerifyAudit must blame
	}{
		{"an edited detail", `UPDATE audit SET detail = '{"id":1}' WHERE id = 3`, 3},
		{"an edited actor", `UPDATE audit SET actor = 'someone' WHERE id = 2`, 2},
		{"an edited time", `UPDATE audit SET at = at + 1 WHERE id = 4`, 4},
		{"a deleted record", `DELETE FROM audit WHERE id = 3`, 4},
		{"a record rehashed without its successor", `UPDATE audit SET detail = '{}', hash = 'x' WHERE id = 2`, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s := openTest(t, t.TempDir(), 1, time.Now)
			r := rand.New(rand.NewPCG(2, 2))
			for range 4 {
				if err := s.Receive(ctx, fakeDossier(r, time.Now(), 1), "clerk"); err != nil {
					t.Fatal(err)
				}
			}
			if n, err := s.VerifyAudit(ctx); err != nil || n != 5 {
				t.Fatalf("before tampering: %d, %v", n, err)
			}
			if _, err := s.w.Exec(tt.tamper); err != nil {
				t.Fatal(err)
			}
			_, err := s.VerifyAudit(ctx)
			var ae *AuditError
			if !errors.Is(err, ErrAuditBroken) || !errors.As(err, &ae) || ae.ID != tt.bad {
				t.Fatalf("VerifyAudit = %v, want record %d blamed", err, tt.bad)
			}
		})
	}
}

func TestConcurrentReceivesAndReadsGetDistinctCodes(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, t.TempDir(), 6, time.Now)
	const workers, each = 4, 15
	at := vnTime(2026, 11, 23, 9, 0)
	var wg sync.WaitGroup
	codes := make(chan string, workers*each)
	errs := make(chan error, workers*2)
	for w := range workers {
		wg.Add(2)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), 3))
			for range each {
				d := fakeDossier(r, at, 2)
				if err := s.Receive(ctx, d, "clerk"); err != nil {
					errs <- err
					return
				}
				codes <- d.Code.String()
			}
		}()
		go func() { // a reader on the side, as the list screen would be
			defer wg.Done()
			for range each {
				if _, err := s.List(ctx, dossier.Query{Text: "nguyen", Limit: 10}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(codes)
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for c := range codes {
		if seen[c] {
			t.Fatalf("code %s issued twice", c)
		}
		seen[c] = true
	}
	if len(seen) != workers*each {
		t.Fatalf("%d codes, want %d", len(seen), workers*each)
	}
	if n, err := s.VerifyAudit(ctx); err != nil || n != workers*each+1 {
		t.Fatalf("VerifyAudit = %d, %v", n, err)
	}
}
