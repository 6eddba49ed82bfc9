package cli_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/app/cli"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
)

var fastHash = auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func openEnv(t *testing.T, dir string) *wire.Env {
	t.Helper()
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, calendar.VN)
	env, err := wire.Open(context.Background(), dir, wire.Options{Now: func() time.Time { return now }, Params: &fastHash})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	return env
}

func TestDemoProvisionsAnOfficeAndSeedsDossiers(t *testing.T) {
	ctx := context.Background()
	env := openEnv(t, t.TempDir())
	var out, errw bytes.Buffer
	if code := cli.Demo(ctx, []string{"--dossiers", "120", "--seed", "3"}, &out, &errw, env); code != 0 {
		t.Fatalf("exit %d: %s", code, errw.String())
	}
	if n, err := env.Store.Count(ctx, dossier.Query{}); err != nil || n != 120 {
		t.Fatalf("store holds %d dossiers (%v), want 120", n, err)
	}
	for _, login := range []string{cli.DemoClerk, cli.DemoLeader} {
		if _, err := env.Auth.Login(ctx, login, cli.DemoPassword); err != nil {
			t.Errorf("demo account %s: %v", login, err)
		}
	}
	out.Reset()
	if code := cli.Demo(ctx, []string{"--dossiers", "50", "--if-empty"}, &out, &errw, env); code != 0 {
		t.Fatalf("second run exit %d", code)
	}
	if n, _ := env.Store.Count(ctx, dossier.Query{}); n != 120 {
		t.Fatalf("--if-empty added dossiers: %d", n)
	}
	if !strings.Contains(out.String(), "none added") {
		t.Fatalf("--if-empty said %q", out.String())
	}
}

func TestProvisionReadsThePasswordFromStdinAndRefusesASecondTime(t *testing.T) {
	ctx := context.Background()
	env := openEnv(t, t.TempDir())
	args := []string{"--agency-id", "000.00.07.h56", "--agency-name", "UBND xã Tả Thanh Oai",
		"--slot", "2", "--admin", "lanhdao", "--admin-name", "Lê Thị Mai"}
	var out, errw bytes.Buffer
	if code := cli.Provision(ctx, args, strings.NewReader("Mat-khau-2026\n"), &out, &errw, env); code != 0 {
		t.Fatalf("exit %d: %s", code, errw.String())
	}
	set, err := env.Store.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if set.AgencyID != "000.00.07.H56" || set.DeviceSlot != 2 || !set.Provisioned {
		t.Fatalf("settings %+v", set)
	}
	a, err := env.Auth.Login(ctx, "lanhdao", "Mat-khau-2026")
	if err != nil || a.Role != auth.RoleLeader {
		t.Fatalf("leader login: %+v %v", a, err)
	}
	errw.Reset()
	if code := cli.Provision(ctx, args, strings.NewReader("Mat-khau-2026\n"), &out, &errw, env); code != 1 ||
		!strings.Contains(errw.String(), "already provisioned") {
		t.Fatalf("second provision: exit %d, %q", code, errw.String())
	}
}

func TestProvisionRejectsBadInput(t *testing.T) {
	tests := []struct {
		name string
		args []string
		pw   string
		code int
	}{
		{"missing flags", []string{"--agency-id", "G22"}, "Mat-khau-2026\n", 2},
		{"bad agency id", []string{"--agency-id", "G 22", "--agency-name", "X", "--slot", "1", "--admin", "abc", "--admin-name", "A B"}, "Mat-khau-2026\n", 1},
		{"slot out of range", []string{"--agency-id", "G22", "--agency-name", "X", "--slot", "10", "--admin", "abc", "--admin-name", "A B"}, "Mat-khau-2026\n", 1},
		{"weak password", []string{"--agency-id", "G22", "--agency-name", "X", "--slot", "1", "--admin", "abc", "--admin-name", "A B"}, "123\n", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := openEnv(t, t.TempDir())
			var out, errw bytes.Buffer
			if code := cli.Provision(context.Background(), tt.args, strings.NewReader(tt.pw), &out, &errw, env); code != tt.code {
				t.Fatalf("exit %d, want %d: %s", code, tt.code, errw.String())
			}
			if ok, _ := env.Provisioned(context.Background()); ok {
				t.Fatal("a refused provision left the device provisioned")
			}
		})
	}
}
