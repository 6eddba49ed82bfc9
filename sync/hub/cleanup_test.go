package hub_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

func TestAbandonedUploadsAreCleanedAfterTheRetentionPeriod(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		dir := t.TempDir()
		s, err := hub.NewServer(hub.Options{Store: st, Dir: dir, Now: e.clk.Now, UploadRetention: 48 * time.Hour,
			Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(s.Handler())
		defer srv.Close()
		e.srv.URL = srv.URL // the env's requests go to this server
		file := func(n int, seed byte) ([]byte, string) {
			b := bytes.Repeat([]byte{seed}, n)
			h := sha256.Sum256(b)
			return b, hex.EncodeToString(h[:])
		}
		// An upload abandoned half way, one finished, then two days pass and
		// a fresh one starts.
		old, oldSHA := file(3<<20, 1)
		locOld := e.create(&e.a, old, oldSHA)
		if r := e.patch(&e.a, locOld, 0, old[:1<<20], checksum(old[:1<<20])); r.StatusCode != 204 {
			t.Fatalf("patch: %d", r.StatusCode)
		}
		done, doneSHA := file(1000, 2)
		locDone := e.create(&e.a, done, doneSHA)
		if r := e.patch(&e.a, locDone, 0, done, checksum(done)); r.StatusCode != 204 {
			t.Fatalf("patch: %d", r.StatusCode)
		}
		e.clk.Add(49 * time.Hour)
		fresh, freshSHA := file(2<<20, 3)
		locFresh := e.create(&e.a, fresh, freshSHA)
		if r := e.patch(&e.a, locFresh, 0, fresh[:1<<20], checksum(fresh[:1<<20])); r.StatusCode != 204 {
			t.Fatalf("patch: %d", r.StatusCode)
		}
		// A partial file left by a crash before its row was written.
		stray := filepath.Join(dir, "uploads", strings.Repeat("ab", 16)+".part")
		if err := os.WriteFile(stray, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}

		res, err := s.CleanupUploads(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if res.Abandoned != 1 || res.Finished != 1 || res.Strays != 1 || res.Bytes != 1<<20+1 {
			t.Fatalf("cleanup: %+v", res)
		}
		id := func(loc string) string { return loc[strings.LastIndex(loc, "/")+1:] }
		if _, err := os.Stat(filepath.Join(dir, "uploads", id(locOld)+".part")); !os.IsNotExist(err) {
			t.Fatalf("abandoned partial file still there: %v", err)
		}
		if _, err := os.Stat(stray); !os.IsNotExist(err) {
			t.Fatal("stray partial file still there")
		}
		if _, err := st.Upload(ctx, id(locOld)); err == nil {
			t.Fatal("abandoned upload still known")
		}
		// The abandoned URL is gone (404), the fresh upload and the finished
		// file are untouched.
		resp, _ := e.do(e.req(&e.a, "HEAD", locOld, nil, map[string]string{protocol.HeaderTusResumable: protocol.TusVersion}))
		if resp.StatusCode != http.StatusNotFound {
			t.Fatalf("HEAD of a cleaned upload: %d", resp.StatusCode)
		}
		if off := e.offset(locFresh); off != 1<<20 {
			t.Fatalf("fresh upload offset %d", off)
		}
		if b, err := os.ReadFile(s.FilePath(doneSHA)); err != nil || !bytes.Equal(b, done) {
			t.Fatalf("finished file: %v", err)
		}
		// The device that comes back starts the abandoned file again.
		locAgain := e.create(&e.a, old, oldSHA)
		if locAgain == locOld || e.offset(locAgain) != 0 {
			t.Fatalf("abandoned file resumed at %s", locAgain)
		}
		// Nothing more to clean.
		if res, err := s.CleanupUploads(ctx); err != nil || res != (hub.CleanupResult{}) {
			t.Fatalf("second cleanup: %+v, %v", res, err)
		}
	})
}

func metricsText(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url + protocol.PathMetrics)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

func TestMetricsSurviveAHubRestart(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		ev := received(officeA + "-261123-1001")
		e.push(e.a, ev)
		e.push(e.a, ev) // a duplicate
		// The hub stops cleanly: Run saves the counters when its context ends.
		rctx, stop := context.WithCancel(ctx)
		ran := make(chan error, 1)
		go func() { ran <- e.server.Run(rctx, time.Hour) }()
		stop()
		if err := <-ran; err != nil {
			t.Fatal(err)
		}
		// A new server on the same store continues the counters.
		s2, err := hub.NewServer(hub.Options{Store: st, Dir: t.TempDir(), Now: e.clk.Now})
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(s2.Handler())
		defer srv.Close()
		m := metricsText(t, srv.URL)
		for _, want := range []string{
			`motcua_hub_events_total{result="applied"} 1`,
			`motcua_hub_events_total{result="duplicate"} 1`,
			`motcua_hub_office_last_push_seconds{office="` + officeA + `"} ` + itoa(e.clk.Now().Unix()),
			`motcua_hub_office_lag_seconds{office="` + officeA + `"} 3600`,
			`route="/v1/events",code="200"} 2`,
		} {
			if !strings.Contains(m, want) {
				t.Fatalf("after restart the metrics lack %q:\n%s", want, m)
			}
		}
		// Counting goes on from there, and a second flush adds only the new
		// part (no double counting).
		e.srv.URL = srv.URL
		e.push(e.a, ev)
		if err := s2.FlushMetrics(ctx); err != nil {
			t.Fatal(err)
		}
		if err := s2.FlushMetrics(ctx); err != nil {
			t.Fatal(err)
		}
		saved, err := st.LoadCounters(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if saved["events duplicate"] != 2 || saved["events applied"] != 1 {
			t.Fatalf("saved counters: %v", saved)
		}
	})
}
