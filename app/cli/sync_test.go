package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/app/cli"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/sync/hub"
)

func TestEnrolThenSyncStatusAndNowAgainstARealHub(t *testing.T) {
	ctx := context.Background()
	hs, err := hub.OpenSQLite(ctx, filepath.Join(t.TempDir(), "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer hs.Close()
	srv, err := hub.NewServer(hub.Options{Store: hs, Dir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	hs.CreateOffice(ctx, hub.Office{Code: "000.00.06.H56", Name: "UBND phường Ba Đình", CreatedAt: time.Now()})
	tok, _ := hub.NewToken(ctx, hs, "000.00.06.H56", hub.RoleDevice, time.Now().Add(time.Hour))

	env := openEnv(t, t.TempDir())
	var out, errw bytes.Buffer
	if code := cli.Demo(ctx, []string{"--dossiers", "5", "--seed", "1"}, &out, &errw, env); code != 0 {
		t.Fatalf("demo: %s", errw.String())
	}
	// the demo's dossiers come with their later steps: one event each
	pending, err := env.Store.PendingOutbox(ctx, 1000)
	if err != nil || len(pending) < 5 {
		t.Fatalf("%d events waiting after the demo: %v", len(pending), err)
	}
	waiting := fmt.Sprintf("%d events", len(pending))
	steps := []struct {
		name string
		run  func(o, e *bytes.Buffer) int
		code int
		out  string
	}{
		{"status before enrolment says so", func(o, e *bytes.Buffer) int { return cli.Sync(ctx, []string{"status"}, o, e, env) }, 0, "not enrolled"},
		{"a wrong token is refused in plain words", func(o, e *bytes.Buffer) int {
			return cli.Enrol(ctx, []string{"--hub", ts.URL, "--token", "NOPE"}, o, e, env)
		}, 1, ""},
		{"enrolment with the technician's token", func(o, e *bytes.Buffer) int {
			return cli.Enrol(ctx, []string{"--hub", ts.URL, "--token", tok, "--name", "quầy 1"}, o, e, env)
		}, 0, "office 000.00.06.H56"},
		{"status shows the waiting events", func(o, e *bytes.Buffer) int { return cli.Sync(ctx, []string{"status"}, o, e, env) }, 0, "waiting:      " + waiting},
		{"sync now pushes them", func(o, e *bytes.Buffer) int { return cli.Sync(ctx, []string{"now"}, o, e, env) }, 0, "pushed " + waiting},
		{"and nothing waits any more", func(o, e *bytes.Buffer) int { return cli.Sync(ctx, []string{"status"}, o, e, env) }, 0, "waiting:      0 events"},
	}
	for _, s := range steps {
		var o, e bytes.Buffer
		if code := s.run(&o, &e); code != s.code || !strings.Contains(o.String(), s.out) {
			t.Fatalf("%s: exit %d\n%s\n%s", s.name, code, o.String(), e.String())
		}
	}
	list, _ := hs.ListDossiers(ctx, hub.ReviewFilter{Office: "000.00.06.H56", Now: time.Now()})
	n, _ := env.Store.Count(ctx, dossier.Query{})
	if len(list) != n {
		t.Fatalf("hub holds %d dossiers, the device %d", len(list), n)
	}
}
