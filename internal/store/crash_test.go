package store

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// The crash test runs this test binary again as a child that receives
// dossiers in a loop, and kills it with SIGKILL at random instants.
const (
	crashChildEnv = "MOTCUA_STORE_CRASH_CHILD" // the store directory
	crashDayEnv   = "MOTCUA_STORE_CRASH_DAY"   // Unix seconds of the receipt day, VN midnight
	crashSeedEnv  = "MOTCUA_STORE_CRASH_SEED"
)

// crashChild is the child's main: open, say "ready", then forever put three
// files and receive a dossier referring to them, printing each committed
// code. It only stops by being killed.
func crashChild() int {
	ctx := context.Background()
	fail := func(err error) int {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		return 2
	}
	dir := os.Getenv(crashChildEnv)
	day, err := strconv.ParseInt(os.Getenv(crashDayEnv), 10, 64)
	if err != nil {
		return fail(err)
	}
	seed, _ := strconv.ParseUint(os.Getenv(crashSeedEnv), 10, 64)
	r := rand.New(rand.NewPCG(seed, 99))
	s, err := Open(ctx, dir, Options{})
	if err != nil {
		return fail(err)
	}
	st, err := s.Settings(ctx)
	if err != nil {
		return fail(err)
	}
	if st.AgencyID == "" {
		err := s.SaveSettings(ctx, Settings{AgencyID: testAgency, DeviceSlot: 7, Provisioned: true}, "tech")
		if err != nil {
			return fail(err)
		}
	}
	fmt.Println("ready")
	base := time.Unix(day, 0)
	for {
		d := fakeDossier(r, base.Add(time.Duration(r.IntN(24*3600))*time.Second), 3)
		for i := range d.Papers {
			b := make([]byte, 1+r.IntN(64<<10))
			for j := range b {
				b[j] = byte(r.Uint32())
			}
			sha, _, err := s.PutFile(ctx, strings.NewReader(string(b)))
			if err != nil {
				return fail(err)
			}
			d.Papers[i].Files = []string{sha}
		}
		err := s.Receive(ctx, d, "clerk")
		if errors.Is(err, ErrCodesExhausted) {
			fmt.Println("exhausted")
			select {} // wait to be killed
		}
		if err != nil {
			return fail(err)
		}
		fmt.Println("committed", d.Code)
	}
}

func TestCrashAtAnyInstantLeavesWholeDossiersOrNone(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test re-executes the test binary")
	}
	ctx := context.Background()
	dir := t.TempDir()
	seed := uint64(time.Now().UnixNano())
	if v := os.Getenv(crashSeedEnv); v != "" {
		seed, _ = strconv.ParseUint(v, 10, 64)
	}
	t.Logf("seed %d (set %s to repeat)", seed, crashSeedEnv)
	rng := rand.New(rand.NewPCG(seed, 1))
	const rounds = 36
	budget := time.Now().Add(25 * time.Second)

	committed := map[string]bool{}
	counters := map[string]int{}
	var cleaned CleanupStats
	done := 0
	for round := 0; round < rounds && time.Now().Before(budget); round++ {
		day := vnTime(2026, 11, 2, 0, 0).AddDate(0, 0, round/3) // three rounds share a day
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(),
			crashChildEnv+"="+dir,
			crashDayEnv+"="+strconv.FormatInt(day.Unix(), 10),
			crashSeedEnv+"="+strconv.FormatUint(rng.Uint64(), 10))
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		lines := make(chan string)
		go func() {
			defer close(lines)
			sc := bufio.NewScanner(out)
			for sc.Scan() {
				lines <- sc.Text()
			}
		}()
		killed := false
		for line := range lines {
			switch {
			case line == "ready" && !killed:
				// Kill somewhere in the next 0–150 ms: during PutFile, during
				// a commit or between two dossiers. Lines keep being read
				// meanwhile, so the child never blocks on its stdout.
				timer := time.NewTimer(time.Duration(rng.IntN(150_000)) * time.Microsecond)
				go func(p *os.Process) {
					<-timer.C
					p.Kill()
				}(cmd.Process)
				killed = true
			case strings.HasPrefix(line, "committed "):
				committed[strings.TrimPrefix(line, "committed ")] = true
			}
		}
		werr := cmd.Wait()
		if !killed {
			t.Fatalf("round %d: child exited by itself: %v", round, werr)
		}
		var ee *exec.ExitError
		if !errors.As(werr, &ee) || ee.ExitCode() != -1 {
			t.Fatalf("round %d: child did not die of the signal: %v", round, werr)
		}
		done++

		// Reopen as the application would after the power comes back.
		s, err := Open(ctx, dir, Options{})
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		c := s.Cleanup()
		cleaned.TempFiles += c.TempFiles
		cleaned.OrphanedFiles += c.OrphanedFiles
		now := readCounters(t, s)
		for k, v := range counters {
			if now[k] < v {
				t.Fatalf("round %d: counter %s went back from %d to %d", round, k, v, now[k])
			}
		}
		counters = now
		s.Close()
	}
	if done < 30 {
		t.Fatalf("only %d rounds in the time budget", done)
	}

	s := openTest(t, dir, 0, time.Now)
	if c := s.Cleanup(); c != (CleanupStats{}) {
		t.Fatalf("a second start still cleaned %+v", c)
	}
	n := checkConsistent(t, s, dir)
	for code := range committed {
		if _, err := s.DossierByCode(ctx, code); err != nil {
			t.Fatalf("dossier %s was reported committed but is gone: %v", code, err)
		}
	}
	t.Logf("%d rounds killed, %d dossiers in the store (%d seen committed by the child), "+
		"%d orphaned blobs and %d temp files cleaned at start-up", done, n, len(committed),
		cleaned.OrphanedFiles, cleaned.TempFiles)
	if n == 0 {
		t.Fatal("no dossier was ever committed: the child did no work")
	}
}

func readCounters(t *testing.T, s *Store) map[string]int {
	t.Helper()
	rows, err := s.r.Query(`SELECT agency, day, slot, last_seq FROM counters`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]int{}
	for rows.Next() {
		var agency, day string
		var slot, last int
		if err := rows.Scan(&agency, &day, &slot, &last); err != nil {
			t.Fatal(err)
		}
		m[fmt.Sprintf("%s/%s/%d", agency, day, slot)] = last
	}
	return m
}

// checkConsistent verifies every invariant the crash test promises and
// returns the number of dossiers.
func checkConsistent(t *testing.T, s *Store, dir string) int {
	t.Helper()
	ctx := context.Background()
	if err := s.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	audited, err := s.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.r.QueryRow(`SELECT count(*) FROM dossiers`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	// Each query counts dossiers (or rows) that break an invariant.
	invariants := []struct{ name, query string }{
		{"every dossier has its three papers", `SELECT count(*) FROM dossiers d WHERE (SELECT count(*) FROM papers WHERE dossier_id = d.id) != 3`},
		{"every paper has its file", `SELECT count(*) FROM papers p WHERE (SELECT count(*) FROM paper_files WHERE paper_id = p.id) != 1`},
		{"every referenced file is registered", `SELECT count(*) FROM paper_files f WHERE NOT EXISTS (SELECT 1 FROM files WHERE sha256 = f.sha256)`},
		{"every dossier has one receive event", `SELECT count(*) FROM dossiers d WHERE (SELECT count(*) FROM history WHERE dossier_id = d.id AND action = 'receive') != 1`},
		{"every dossier has one outbox event", `SELECT count(*) FROM dossiers d WHERE (SELECT count(*) FROM outbox WHERE dossier_id = d.id AND seq = 1 AND kind = 'dossier.received' AND json_extract(payload, '$.code') = d.code) != 1`},
		{"every dossier has one audit record", `SELECT count(*) FROM dossiers d WHERE (SELECT count(*) FROM audit WHERE entity = 'dossier:' || d.code AND action = 'dossier.receive') != 1`},
		{"every dossier is in the search index", `SELECT count(*) FROM dossiers d WHERE NOT EXISTS (SELECT 1 FROM dossier_fts WHERE dossier_fts MATCH 'code:"' || d.code || '"' AND rowid = d.id)`},
		{"codes are unique", `SELECT count(*) FROM (SELECT code FROM dossiers GROUP BY code HAVING count(*) > 1)`},
		{"each day's counter equals its number of dossiers (no gap, no reuse)", `SELECT count(*) FROM counters c WHERE c.last_seq != (SELECT count(*) FROM dossiers WHERE agency = c.agency AND code_day = c.day AND code_number / 1000 = c.slot) OR c.last_seq != (SELECT max(code_number % 1000) FROM dossiers WHERE agency = c.agency AND code_day = c.day AND code_number / 1000 = c.slot)`},
		{"no dossier without its counter", `SELECT count(*) FROM dossiers d WHERE NOT EXISTS (SELECT 1 FROM counters WHERE agency = d.agency AND day = d.code_day AND slot = d.code_number / 1000)`},
	}
	for _, inv := range invariants {
		var bad int
		if err := s.r.QueryRow(inv.query).Scan(&bad); err != nil {
			t.Fatalf("%s: %v", inv.name, err)
		}
		if bad != 0 {
			t.Errorf("%s: %d violations", inv.name, bad)
		}
	}
	var receives int
	if err := s.r.QueryRow(`SELECT count(*) FROM audit WHERE action = 'dossier.receive'`).Scan(&receives); err != nil || receives != n {
		t.Errorf("%d receive audit records for %d dossiers (%v); %d records in the chain", receives, n, err, audited)
	}

	// Files on disk: nothing left in tmp, every blob referenced and whole,
	// every referenced blob present.
	if left, _ := os.ReadDir(filepath.Join(dir, "files", "tmp")); len(left) != 0 {
		t.Errorf("%d temporary files survived start-up", len(left))
	}
	onDisk := map[string]bool{}
	subs, _ := os.ReadDir(filepath.Join(dir, "files"))
	for _, sub := range subs {
		if sub.Name() == "tmp" {
			continue
		}
		blobs, _ := os.ReadDir(filepath.Join(dir, "files", sub.Name()))
		for _, b := range blobs {
			onDisk[b.Name()] = true
			used, err := blobUsed(ctx, s.r, b.Name())
			if err != nil || !used {
				t.Errorf("blob %s on disk is not referenced (%v)", b.Name(), err)
			}
			f, err := os.Open(filepath.Join(dir, "files", sub.Name(), b.Name()))
			if err != nil {
				t.Fatal(err)
			}
			h := sha256.New()
			io.Copy(h, f)
			f.Close()
			if hex.EncodeToString(h.Sum(nil)) != b.Name() {
				t.Errorf("blob %s does not hash to its name", b.Name())
			}
		}
	}
	rows, err := s.r.Query(`SELECT DISTINCT sha256 FROM paper_files`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var sha string
		rows.Scan(&sha)
		if !onDisk[sha] {
			t.Errorf("referenced blob %s is missing", sha)
		}
	}
	// And the search path a clerk uses finds each dossier by its code.
	page, err := s.List(ctx, dossier.Query{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range page.Items[:min(len(page.Items), 50)] {
		p, err := s.List(ctx, dossier.Query{Text: it.Code})
		if err != nil || len(p.Items) != 1 || p.Items[0].ID != it.ID {
			t.Errorf("search by code %s: %+v, %v", it.Code, p.Items, err)
		}
	}
	return n
}
