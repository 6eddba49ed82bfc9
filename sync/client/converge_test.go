package client_test

import (
	"bufio"
	"context"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
	"github.com/motcua/motcua/sync/protocol"
)

// TestSyncChild is the child of TestEverythingConvergesUnderFaultsRestartsAndKills:
// it receives dossiers with scans and syncs them through the fault proxy
// until it is killed.
func TestSyncChild(t *testing.T) {
	dir := os.Getenv("MOTCUA_SYNC_CHILD")
	if dir == "" {
		t.Skip("child process of the convergence test")
	}
	seed, _ := strconv.ParseUint(os.Getenv("MOTCUA_SYNC_SEED"), 10, 64)
	ctx := context.Background()
	s, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	c := client.New(s, client.Options{Backoff: fastBackoff, Chunk: 128 << 10, Wait: time.Second, Interval: 50 * time.Millisecond})
	go c.Serve(ctx)
	r := mrand.New(mrand.NewPCG(seed, 7))
	fmt.Println("ready")
	for i := 0; ; i++ {
		codes, _ := receive(t, s, r, 1, r.IntN(3), 100<<10+r.IntN(400<<10))
		c.Notify()
		fmt.Println("committed", codes[0])
	}
}

func TestEverythingConvergesUnderFaultsRestartsAndKills(t *testing.T) {
	if testing.Short() {
		t.Skip("long")
	}
	ctx := context.Background()
	th := newTestHub(t)
	dir := t.TempDir()
	dev := device(t, dir, 1)
	enrol(t, th, dev)
	proxy := newFaultProxy(t, th.URL, 42, 0.3)
	if _, err := dev.UpdateSync(ctx, "t", func(c *store.SyncConfig) { c.HubURL = proxy.URL() }); err != nil {
		t.Fatal(err)
	}
	dev.Close()

	r := mrand.New(mrand.NewPCG(2026, 11))
	rounds, kills, hubRestarts := 10, 0, 0
	committed := map[string]bool{}
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestSyncChild$", "-test.v=false")
		cmd.Env = append(os.Environ(), "MOTCUA_SYNC_CHILD="+dir, "MOTCUA_SYNC_SEED="+strconv.Itoa(round+1))
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ls := lines(bufio.NewScanner(out))
		want := 1 + r.IntN(6)
		n := 0
		for l := range ls {
			if code, ok := strings.CutPrefix(l, "committed "); ok {
				committed[code] = true
				n++
				if n == 2 && r.IntN(3) == 0 {
					th.Down() // the hub restarts while the child syncs
					th.Up()
					hubRestarts++
				}
				if n >= want {
					break
				}
			} else if strings.HasPrefix(l, "error") {
				t.Fatal(l)
			}
		}
		// Kill at a random instant after the last commit seen.
		timer := time.NewTimer(time.Duration(r.IntN(150)) * time.Millisecond)
		<-timer.C
		cmd.Process.Signal(syscall.SIGKILL)
		for l := range ls { // lines printed before the kill
			if code, ok := strings.CutPrefix(l, "committed "); ok {
				committed[code] = true
			}
		}
		cmd.Wait()
		kills++
	}

	// Converge: faults continue; the client retries until the outbox is empty.
	dev2, err := store.Open(ctx, dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dev2.Close()
	c := client.New(dev2, client.Options{Backoff: fastBackoff, Chunk: 128 << 10})
	start := time.Now()
	for {
		if _, err := c.Push(ctx); err == nil {
			break
		}
		c.Stats.Retries.Add(1)
		if time.Since(start) > time.Minute {
			t.Fatal("no convergence within a minute")
		}
	}
	proxy.disabled.Store(true)

	// The hub holds exactly the office's dossiers and files.
	rv := th.reviewer()
	list, err := rv.List(ctx, office, 0, false, 1000)
	if err != nil {
		t.Fatal(err)
	}
	page, err := dev2.PendingSync(ctx, 10)
	if err != nil || len(page) != 0 {
		t.Fatalf("outbox not empty: %d, %v", len(page), err)
	}
	local := localCodes(t, dir)
	if len(list) != len(local) {
		t.Fatalf("hub holds %d dossiers, the office %d", len(list), len(local))
	}
	for code := range committed {
		if !local[code] {
			t.Fatalf("committed dossier %s lost on the device", code)
		}
	}
	files, events := 0, 0
	for _, sm := range list {
		if !local[sm.Code] {
			t.Fatalf("hub holds %s, which the office never created", sm.Code)
		}
		d, err := rv.Show(ctx, sm.Code)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Events) != 1 {
			t.Fatalf("%s has %d events at the hub", sm.Code, len(d.Events))
		}
		events += len(d.Events)
		ld, err := dev2.DossierByCode(ctx, sm.Code)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ld.Papers {
			for _, sha := range p.Files {
				if got := hubFileSHA(th, sha); got != sha {
					held, size, _ := th.store.HasFile(ctx, sha)
					t.Fatalf("%s: file %s at the hub hashes to %q (registered %v, %d bytes)", sm.Code, sha, got, held, size)
				}
				files++
			}
		}
	}
	metrics := hubMetrics(t, th)
	t.Logf("convergence: %d kills, %d hub restarts, %d dossiers (%d committed lines seen), %d events, %d files (SHA-256 equal); "+
		"faults injected %v; hub (since its last restart) saw %s duplicates, %s replays refused, %s upload cuts; final client %d retries, %d duplicates acknowledged, %d resumes, converged in %v",
		kills, hubRestarts, len(list), len(committed), events, files, proxy.Counts(), metrics["duplicate"], metrics["replay"],
		metrics["upload_cut"], c.Stats.Retries.Load(), c.Stats.Duplicates.Load(), c.Stats.Resumes.Load(), time.Since(start).Round(time.Millisecond))
}

// localCodes lists the device's dossier codes.
func localCodes(t *testing.T, dir string) map[string]bool {
	s, err := store.Open(context.Background(), dir, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	out := map[string]bool{}
	n, err := s.SyncCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_ = n
	// Every dossier has exactly one outbox event; the sent ones carry codes.
	for id := int64(1); ; id++ {
		d, err := s.Dossier(context.Background(), id)
		if err != nil {
			break
		}
		out[d.Code.String()] = true
	}
	return out
}

var metricLine = regexp.MustCompile(`^motcua_hub_(?:events|refused)_total\{(?:result|reason)="([a-z_]+)"\} (\d+)$`)

func hubMetrics(t *testing.T, th *testHub) map[string]string {
	resp, err := th.srv.Client().Get(th.URL() + protocol.PathMetrics)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]string{"duplicate": "0", "replay": "0", "upload_cut": "0"}
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if m := metricLine.FindStringSubmatch(sc.Text()); m != nil {
			out[m[1]] = m[2]
		}
	}
	return out
}
