package app

import (
	"bufio"
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

// TestKioskModeSyncsWithTheHub runs the real binary in kiosk mode in a real
// X window (Xvfb) on an enrolled device store holding a vote cast without a
// dossier, and waits until a real hub on loopback has applied that vote:
// kiosk mode starts the sync client as the counter does.
func TestKioskModeSyncsWithTheHub(t *testing.T) {
	for _, tool := range []string{"Xvfb", "xdpyinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing (apt-get install xvfb x11-utils): this test needs a real X server", tool)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	const office = "000.00.06.H56"
	hdir := t.TempDir()
	hst, err := hub.OpenSQLite(ctx, filepath.Join(hdir, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	hs, err := hub.NewServer(hub.Options{Store: hst, Dir: hdir})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hs.Handler())
	defer srv.Close()
	defer hst.Close()
	if err := hst.CreateOffice(ctx, hub.Office{Code: office, Name: "UBND phường Ba Đình", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	tok, err := hub.NewToken(ctx, hst, office, hub.RoleDevice, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}

	data := filepath.Join(t.TempDir(), "data")
	env, err := wire.Open(ctx, data, wire.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Store.SaveSettings(ctx, store.Settings{AgencyID: office, AgencyName: "UBND phường Ba Đình", DeviceSlot: 2,
		Provisioned: true}, "tech"); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Enrol(ctx, env.Store, srv.URL, tok, "ki-ốt sảnh", nil); err != nil {
		t.Fatal(err)
	}
	if _, err := env.Store.RecordVote(ctx, store.Vote{Rating: store.RatingVerySatisfied, Source: "kiosk"}); err != nil {
		t.Fatal(err)
	}
	if err := env.Close(); err != nil {
		t.Fatal(err)
	}

	bin := filepath.Join(t.TempDir(), "motcua")
	if out, err := exec.CommandContext(ctx, "go", "build", "-tags", "migrated_fynedo", "-o", bin, "..").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	disp := ":" + strconv.Itoa(200+os.Getpid()%300)
	xvfb := exec.CommandContext(ctx, "Xvfb", disp, "-screen", "0", "1920x1080x24")
	if err := xvfb.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { xvfb.Process.Kill(); xvfb.Wait() }()
	for i := 0; exec.Command("xdpyinfo", "-display", disp).Run() != nil; i++ {
		if i > 100 {
			t.Fatal("Xvfb did not start")
		}
		time.Sleep(100 * time.Millisecond)
	}
	logPath := filepath.Join(t.TempDir(), "kiosk.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	app := exec.CommandContext(ctx, bin, "--data", data, "--mode", "kiosk")
	app.Env = append(os.Environ(), "DISPLAY="+disp)
	app.Stdout, app.Stderr = logf, logf
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { app.Process.Kill(); app.Wait() }()

	deadline := time.Now().Add(90 * time.Second)
	for {
		m := hubEvents(t, srv)
		if m["rejected"] != "" && m["rejected"] != "0" {
			t.Fatalf("the hub refused the kiosk's vote: %v", m)
		}
		if m["applied"] == "1" {
			break
		}
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(logPath)
			t.Fatalf("the kiosk never pushed its vote (hub events %v); kiosk log:\n%s", m, b)
		}
		time.Sleep(250 * time.Millisecond)
	}
	if app.ProcessState != nil {
		t.Fatalf("kiosk exited: %v", app.ProcessState)
	}
}

// hubEvents reads the hub's pushed-event counters by result.
func hubEvents(t *testing.T, srv *httptest.Server) map[string]string {
	t.Helper()
	resp, err := srv.Client().Get(srv.URL + protocol.PathMetrics)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(resp.Body)
	const pfx = `motcua_hub_events_total{result="`
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), pfx); ok {
			if k, v, ok := strings.Cut(rest, `"} `); ok {
				out[k] = v
			}
		}
	}
	return out
}
