package main

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
	"github.com/motcua/motcua/sync/hub"
)

// serveHub runs "motcua-hub --data DIR [args] serve" on loopback and
// returns its URL; it stops with the test.
func serveHub(t *testing.T, data string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan int, 1)
	var serr bytes.Buffer
	go func() {
		done <- run(ctx, append(append([]string{"--data", data, "--listen", "127.0.0.1:0"}, args...), "serve"), &bytes.Buffer{}, &serr, ready)
	}()
	select {
	case addr := <-ready:
		t.Cleanup(func() {
			cancel()
			if c := <-done; c != 0 {
				t.Errorf("hub %s exited %d: %s", data, c, serr.String())
			}
		})
		return "http://" + addr
	case c := <-done:
		t.Fatalf("hub exited %d: %s", c, serr.String())
	}
	return ""
}

func cmd(t *testing.T, data string, args ...string) string {
	t.Helper()
	var out, errb bytes.Buffer
	if code := run(context.Background(), append([]string{"--data", data}, args...), &out, &errb, nil); code != 0 {
		t.Fatalf("motcua-hub %v: exit %d: %s%s", args, code, out.String(), errb.String())
	}
	return out.String()
}

func TestAnOfficeRelayRunFromTheCommandLineForwardsToTheProvince(t *testing.T) {
	ctx := context.Background()
	const office = "000.00.06.H56"
	prov, rel := t.TempDir(), t.TempDir()
	cmd(t, prov, "office", "add", office, "UBND phường Ba Đình")
	provURL := serveHub(t, prov)
	tok := strings.TrimSpace(cmd(t, prov, "token", "new", "--office", office, "--role", "relay"))
	if out := cmd(t, rel, "relay", "enrol", "--upstream", provURL, "--token", tok, "--name", "máy chủ văn phòng"); !strings.Contains(out, "for office "+office) {
		t.Fatalf("relay enrol: %s", out)
	}
	// Serving with another upstream than the enrolled one is refused.
	var errb bytes.Buffer
	if code := run(ctx, []string{"--data", rel, "--listen", "127.0.0.1:0", "--upstream", "http://127.0.0.1:1"}, &bytes.Buffer{}, &errb, nil); code != 1 ||
		!strings.Contains(errb.String(), "enrolled with "+provURL) {
		t.Fatalf("wrong upstream: exit %d: %s", code, errb.String())
	}
	relURL := serveHub(t, rel, "--upstream", provURL)
	devTok := strings.TrimSpace(cmd(t, rel, "token", "new", "--office", office))
	dev, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer dev.Close()
	if err := dev.SaveSettings(ctx, store.Settings{AgencyID: office, AgencyName: "UBND phường Ba Đình", DeviceSlot: 1, Provisioned: true}, "tech"); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Enrol(ctx, dev, relURL, devTok, "quầy 1", nil); err != nil {
		t.Fatal(err)
	}
	d := &dossier.Dossier{ProcedureCode: "1.001612", ProcedureName: "Đăng ký khai sinh", CatalogVersion: "2025.07",
		Applicant: dossier.Applicant{FullName: "Nguyễn Văn An", IDNumber: "001200000001", Phone: "0912345678", Address: "Số 1 Phố Huế"},
		Sets:      1, ProcessingTime: "3 ngày", DueAt: time.Now().Add(72 * time.Hour), Status: dossier.StatusReceived,
		Papers: []dossier.Paper{{Name: "Tờ khai", Form: dossier.FormOriginal, Count: 1, Required: true}}}
	if err := dev.Receive(ctx, d, "canbo"); err != nil {
		t.Fatal(err)
	}
	if n, err := client.New(dev, client.Options{}).Push(ctx); err != nil || n != 1 {
		t.Fatalf("push to the relay: %d, %v", n, err)
	}
	// The relay's loop forwards it (it wakes on the push).
	pst, err := hub.OpenSQLite(ctx, filepath.Join(prov, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer pst.Close()
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if _, err := pst.Dossier(ctx, d.Code.String()); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the province did not get %s: %s", d.Code, cmd(t, rel, "relay", "status"))
		}
	}
	// The relay records the forward just after the province's answer.
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		out := cmd(t, rel, "relay", "status")
		if strings.Contains(out, "waiting:      0 events") && strings.Contains(out, "upstream:     "+provURL) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("relay status: %s", out)
		}
	}
}
