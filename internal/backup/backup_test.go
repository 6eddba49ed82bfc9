package backup_test

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/backup"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
)

const agency = "000.00.06.H56"

var vn = time.FixedZone("ICT", 7*3600)

func openStore(t testing.TB, dir string) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func provision(t testing.TB, s *store.Store) {
	t.Helper()
	err := s.SaveSettings(context.Background(), store.Settings{AgencyID: agency, AgencyName: "UBND xã Tân Phú",
		DeviceSlot: 1, Language: "vi", Provisioned: true}, "tech")
	if err != nil {
		t.Fatal(err)
	}
}

// receive saves a dossier whose first paper carries n fresh scans.
func receive(ctx context.Context, s *store.Store, i, n int) (string, error) {
	at := time.Date(2026, 11, 23, 9, 0, 0, 0, vn).Add(time.Duration(i) * time.Second)
	d := &dossier.Dossier{
		ProcedureCode: "1.001612", ProcedureName: "Chứng thực bản sao từ bản chính", CatalogVersion: "2025.07",
		Applicant: dossier.Applicant{FullName: fmt.Sprintf("Nguyễn Văn %d", i), IDNumber: "001090012345", Phone: "0912345678"},
		Sets:      1, ProcessingTime: "Trong ngày", ReceivedAt: at, DueAt: at.Add(24 * time.Hour),
		Status: dossier.StatusReceived, Channel: dossier.ChannelInPerson, ReturnMethod: dossier.ReturnAtCounter,
		Papers: []dossier.Paper{{Name: "Bản chính", Form: 1, Count: 1, Required: true}, {Name: "Bản sao", Form: 3, Count: 2}},
	}
	for k := range n {
		sha, _, err := s.PutFile(ctx, bytes.NewReader(fmt.Appendf(nil, "scan %d of dossier %d %s", k, i, bytes.Repeat([]byte{byte(i)}, 3000))))
		if err != nil {
			return "", err
		}
		d.Papers[0].Files = append(d.Papers[0].Files, sha)
	}
	if err := s.Receive(ctx, d, "canbo"); err != nil {
		return "", err
	}
	return d.Code.String(), nil
}

func TestABackupTakenUnderWriteLoadRestoresToAnEqualStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	provision(t, s)
	for i := range 40 {
		if _, err := receive(ctx, s, i, 2); err != nil {
			t.Fatal(err)
		}
	}

	// Two clerks keep saving dossiers while the backup runs.
	var stop atomic.Bool
	var wg sync.WaitGroup
	var written atomic.Int64
	errs := make(chan error, 2)
	for w := range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 1000 * (w + 1); !stop.Load(); i++ {
				if _, err := receive(ctx, s, i, 1); err != nil {
					errs <- err
					return
				}
				written.Add(1)
			}
		}()
	}
	for written.Load() < 10 && len(errs) == 0 {
		runtime.Gosched() // the snapshot starts while both are writing
	}
	out := filepath.Join(t.TempDir(), "b", backup.FileName(agency, time.Now(), "manual"))
	res, err := backup.Create(ctx, dir, out, backup.Options{AppVersion: "test"})
	// Let the writers go on a little after the snapshot, then stop them.
	for w := written.Load(); written.Load() < w+5; {
		if len(errs) > 0 {
			break
		}
	}
	stop.Store(true)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	m := res.Manifest
	if m.Dossiers < 40 || m.AgencyID != agency || m.SchemaVersion != store.SchemaVersion || len(m.Files) < 80 {
		t.Fatalf("manifest: %d dossiers, agency %q, schema %d, %d files", m.Dossiers, m.AgencyID, m.SchemaVersion, len(m.Files))
	}
	t.Logf("backup: %d dossiers, %d files, %d bytes; %d dossiers written during the test", m.Dossiers, len(m.Files), res.Size, written.Load())

	target := filepath.Join(t.TempDir(), "restored")
	rep, err := backup.Restore(ctx, out, target, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Dossiers != m.Dossiers || rep.AuditRecords != m.AuditRecords || rep.Files < 40*2 {
		t.Fatalf("restore report %+v", rep)
	}
	r := openStore(t, target)
	if _, err := r.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
	// Every restored dossier is the original's, field by field, files included.
	page, err := r.List(ctx, dossier.Query{Limit: 10000})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Items) != m.Dossiers {
		t.Fatalf("restored list has %d dossiers, manifest %d", len(page.Items), m.Dossiers)
	}
	for _, it := range page.Items {
		got, err := r.Dossier(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		want, err := s.Dossier(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("dossier %d differs:\n got %+v\nwant %+v", it.ID, got, want)
		}
		for _, p := range got.Papers {
			for _, sha := range p.Files {
				a, b := readBlob(t, r, sha), readBlob(t, s, sha)
				if !bytes.Equal(a, b) {
					t.Fatalf("file %s differs", sha)
				}
			}
		}
	}
	// The original has gone on; its audit chain still verifies.
	if _, err := s.VerifyAudit(ctx); err != nil {
		t.Fatal(err)
	}
}

func readBlob(t *testing.T, s *store.Store, sha string) []byte {
	t.Helper()
	f, err := s.OpenFile(sha)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	b, err := io.ReadAll(f)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// rewrite copies the archive at src to dst passing every member through edit.
func rewrite(t *testing.T, src, dst string, edit func(h *tar.Header, body []byte) (*tar.Header, []byte)) {
	t.Helper()
	f, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	tr := tar.NewReader(gz)
	var buf bytes.Buffer
	gw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(gw)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(tr)
		h2, body2 := edit(h, body)
		if h2 == nil {
			continue
		}
		h2.Size = int64(len(body2))
		tw.WriteHeader(h2)
		tw.Write(body2)
	}
	tw.Close()
	gw.Close()
	if err := os.WriteFile(dst, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestADamagedArchiveIsRefusedAndLeavesNothingBehind(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	provision(t, s)
	for i := range 3 {
		if _, err := receive(ctx, s, i, 1); err != nil {
			t.Fatal(err)
		}
	}
	work := t.TempDir()
	good := filepath.Join(work, "good.tar.gz")
	if _, err := backup.Create(ctx, dir, good, backup.Options{}); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		edit func(h *tar.Header, body []byte) (*tar.Header, []byte)
		want error
	}{
		{"a scan with one byte changed", func(h *tar.Header, b []byte) (*tar.Header, []byte) {
			if filepath.Dir(h.Name) != "." && len(b) > 0 {
				b = append([]byte{b[0] ^ 1}, b[1:]...)
			}
			return h, b
		}, backup.ErrDamaged},
		{"a scan left out", func(h *tar.Header, b []byte) (*tar.Header, []byte) {
			if filepath.Dir(filepath.Dir(h.Name)) == "files" {
				return nil, nil
			}
			return h, b
		}, backup.ErrDamaged},
		{"the database altered", func(h *tar.Header, b []byte) (*tar.Header, []byte) {
			if h.Name == store.DBFile {
				b = append(b, 0)
			}
			return h, b
		}, backup.ErrDamaged},
		{"a member that escapes the data directory", func(h *tar.Header, b []byte) (*tar.Header, []byte) {
			if filepath.Dir(filepath.Dir(h.Name)) == "files" {
				h.Name = "../../evil"
			}
			return h, b
		}, backup.ErrDamaged},
		{"no manifest", func(h *tar.Header, b []byte) (*tar.Header, []byte) {
			if h.Name == "manifest.json" {
				return nil, nil
			}
			return h, b
		}, backup.ErrFormat},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.tar.gz")
			rewrite(t, good, bad, c.edit)
			if _, err := backup.Verify(ctx, bad); !errors.Is(err, c.want) {
				t.Fatalf("Verify: %v, want %v", err, c.want)
			}
			parent := t.TempDir()
			if _, err := backup.Restore(ctx, bad, filepath.Join(parent, "data"), nil); !errors.Is(err, c.want) {
				t.Fatalf("Restore: %v, want %v", err, c.want)
			}
			if ents, _ := os.ReadDir(parent); len(ents) != 0 {
				t.Fatalf("a failed restore left %v behind", ents[0].Name())
			}
		})
	}
	t.Run("a data directory that is not empty", func(t *testing.T) {
		if _, err := backup.Restore(ctx, good, dir, nil); !errors.Is(err, backup.ErrNotEmpty) {
			t.Fatalf("Restore over live data: %v", err)
		}
	})
}

func TestABlobDamagedOnDiskFailsTheBackupInsteadOfBeingSaved(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	provision(t, s)
	if _, err := receive(ctx, s, 1, 1); err != nil {
		t.Fatal(err)
	}
	if n, err := s.VerifyFiles(ctx); err != nil || n != 1 {
		t.Fatalf("VerifyFiles = %d, %v", n, err)
	}
	blobs, _ := filepath.Glob(filepath.Join(dir, "files", "??", "*"))
	b, _ := os.ReadFile(blobs[0])
	b[0] ^= 0xff
	os.WriteFile(blobs[0], b, 0o600)
	out := filepath.Join(t.TempDir(), "x.tar.gz")
	if _, err := backup.Create(ctx, dir, out, backup.Options{}); !errors.Is(err, backup.ErrSourceBad) {
		t.Fatalf("Create: %v, want ErrSourceBad", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Fatal("a failed backup left an archive")
	}
	var fe *store.FileError
	if _, err := s.VerifyFiles(ctx); !errors.As(err, &fe) {
		t.Fatalf("VerifyFiles: %v", err)
	}
}

func TestTheDailyBackupRunsOnceADayAndKeepsTheNewest(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	s := openStore(t, dir)
	provision(t, s)
	folder := filepath.Join(t.TempDir(), "usb")
	if err := backup.Save(ctx, s, backup.Settings{Folder: folder, Keep: 2, Hour: 12}, "kythuat"); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	now := time.Date(2026, 11, 23, 13, 5, 0, 0, vn) // started after noon, no backup yet today
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	waits := make(chan time.Duration)
	fire := make(chan time.Time)
	done := make(chan error)
	sch := &backup.Scheduler{DataDir: dir, Store: s, Now: clock,
		After: func(d time.Duration) <-chan time.Time { waits <- d; return fire },
		Done:  func(_ backup.Result, err error) { done <- err }}
	go sch.Serve(ctx)

	steps := []struct {
		name     string
		at       time.Time
		backup   bool
		nextWait time.Duration
	}{
		{"a start after noon with no backup today makes one at once", now, true, 22*time.Hour + 55*time.Minute},
		{"the next noon makes the second", time.Date(2026, 11, 24, 12, 0, 0, 0, vn), true, 24 * time.Hour},
		{"a wake-up the same afternoon makes none", time.Date(2026, 11, 24, 15, 0, 0, 0, vn), false, 21 * time.Hour},
		{"the third day makes the third and the first is pruned", time.Date(2026, 11, 25, 12, 30, 0, 0, vn), true, 23*time.Hour + 30*time.Minute},
	}
	for i, st := range steps {
		if i > 0 {
			mu.Lock()
			now = st.at
			mu.Unlock()
			fire <- st.at
		}
		if st.backup {
			if err := <-done; err != nil {
				t.Fatalf("%s: %v", st.name, err)
			}
		}
		if w := <-waits; w != st.nextWait {
			t.Fatalf("%s: waits %v, want %v", st.name, w, st.nextWait)
		}
	}
	ents, _ := os.ReadDir(folder)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	want := []string{"motcua-000.00.06.H56-20261124-120000-daily.tar.gz", "motcua-000.00.06.H56-20261125-123000-daily.tar.gz"}
	if !reflect.DeepEqual(names, want) {
		t.Fatalf("folder holds %v, want %v", names, want)
	}
	log, err := s.Backups(ctx, 10)
	if err != nil || len(log) != 3 || log[0].Kind != "daily" || log[0].File != want[1] {
		t.Fatalf("backup log %+v, %v", log, err)
	}
}

func TestTheDailyBackupWaitsOnAnUnprovisionedDevice(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir := t.TempDir()
	s := openStore(t, dir)
	folder := filepath.Join(t.TempDir(), "usb")
	if err := backup.Save(ctx, s, backup.Settings{Folder: folder, Keep: 2, Hour: 12, Minute: 30}, "kythuat"); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	now := time.Date(2026, 11, 23, 13, 5, 0, 0, vn) // past the backup time, no backup yet
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	waits := make(chan time.Duration)
	fire := make(chan time.Time)
	done := make(chan error, 1)
	sch := &backup.Scheduler{DataDir: dir, Store: s, Now: clock,
		After: func(d time.Duration) <-chan time.Time { waits <- d; return fire },
		Done:  func(_ backup.Result, err error) { done <- err }}
	go sch.Serve(ctx)
	for i := range 3 { // hourly looks, no backup while not provisioned
		if w := <-waits; w != time.Hour {
			t.Fatalf("look %d: unprovisioned device waits %v, want 1h", i, w)
		}
		select {
		case err := <-done:
			t.Fatalf("a backup was attempted on an unprovisioned device: %v", err)
		default:
		}
		if _, err := os.Stat(folder); !errors.Is(err, os.ErrNotExist) {
			t.Fatalf("backup folder created on an unprovisioned device: %v", err)
		}
		fire <- now
	}
	provision(t, s) // the technician provisions it: the next look backs up
	if w := <-waits; w != time.Hour {
		t.Fatalf("waits %v", w)
	}
	fire <- now
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if w := <-waits; w != 23*time.Hour+25*time.Minute {
		t.Fatalf("after the first backup waits %v, want until tomorrow 12:30", w)
	}
	ents, _ := os.ReadDir(folder)
	if len(ents) != 1 || ents[0].Name() != "motcua-000.00.06.H56-20261123-130500-daily.tar.gz" {
		t.Fatalf("folder holds %v", ents)
	}
}

func TestBackupTimeParses(t *testing.T) {
	for in, want := range map[string][2]int{"12:00": {12, 0}, "7:45": {7, 45}, "23:59": {23, 59}, "18": {18, 0}} {
		h, m, err := backup.ParseAt(in)
		if err != nil || h != want[0] || m != want[1] {
			t.Errorf("ParseAt(%q) = %d:%d, %v", in, h, m, err)
		}
	}
	for _, in := range []string{"", "00:30", "24:00", "12:60", "noon", "12h", "-1"} {
		if _, _, err := backup.ParseAt(in); err == nil {
			t.Errorf("ParseAt(%q) accepted", in)
		}
	}
}

func TestBackupReportsProgressUpToTheEnd(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openStore(t, dir)
	provision(t, s)
	for i := range 5 {
		if _, err := receive(ctx, s, i, 3); err != nil {
			t.Fatal(err)
		}
	}
	var calls [][2]int64
	_, err := backup.Create(ctx, dir, filepath.Join(t.TempDir(), "b.tar.gz"), backup.Options{
		Progress: func(done, total int64) { calls = append(calls, [2]int64{done, total}) }})
	if err != nil {
		t.Fatal(err)
	}
	// first 0, then one call per member (database + 15 blobs), then the check
	if len(calls) != 1+1+15+1 {
		t.Fatalf("%d progress calls: %v", len(calls), calls)
	}
	last := calls[len(calls)-1]
	if calls[0][0] != 0 || last[0] != last[1] || last[1] <= 0 {
		t.Fatalf("progress %v", calls)
	}
	for i := 1; i < len(calls); i++ {
		if calls[i][0] < calls[i-1][0] || calls[i][1] != last[1] {
			t.Fatalf("progress goes back or total changes: %v", calls)
		}
	}
	if mid := calls[len(calls)-2]; mid[0]*2 != mid[1] {
		t.Fatalf("after writing, half done: %v", mid)
	}
}
