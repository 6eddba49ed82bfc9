package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/drivers/devicetest"
	"github.com/motcua/motcua/internal/store"
)

// doctorEnv is a data directory whose devices are real stand-ins: a card
// reader on a socat pty, a scan folder, a loopback thermal printer, SANE's
// test backend, and a recording lpstat with one CUPS printer.
func doctorEnv(t *testing.T, thermal string) *wire.Env {
	t.Helper()
	devicetest.Tool(t, "scanimage", "sane-utils")
	ctx := context.Background()
	env, err := wire.Open(ctx, filepath.Join(t.TempDir(), "data"), wire.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { env.Close() })
	pty := devicetest.NewPtyPair(t)
	scanDir := t.TempDir()
	if err := env.Store.SaveDeviceSettings(ctx, store.DeviceSettings{
		CardReader: store.CardReaderSettings{Port: pty.Device, Baud: 9600},
		Scanner:    store.ScannerSettings{Kind: "folder", Dir: scanDir},
		Thermal:    store.ThermalSettings{URI: thermal, Width: 80},
	}, "test"); err != nil {
		t.Fatal(err)
	}
	sane := t.TempDir()
	os.WriteFile(filepath.Join(sane, "dll.conf"), []byte("test\n"), 0o644)
	t.Setenv("SANE_CONFIG_DIR", sane)
	bin := t.TempDir()
	os.WriteFile(filepath.Join(bin, "lpstat"), []byte("#!/bin/sh\ncase \"$1\" in -e) echo office;; -d) echo 'system default destination: office';; esac\n"), 0o755)
	t.Setenv("PATH", bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return env
}

func TestDoctor(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	t.Run("every configured device answers: exit 0 and one line per check", func(t *testing.T) {
		env := doctorEnv(t, "tcp://"+ln.Addr().String())
		var out, errb bytes.Buffer
		code := Doctor(context.Background(), nil, &out, &errb, env)
		text := out.String()
		if code != 0 {
			t.Fatalf("exit %d:\n%s%s", code, text, errb.String())
		}
		for _, want := range []string{"card     ok", "port opens", "test:0", "folder ", "0 file(s) waiting",
			"office", "system default, used for receipts", "thermal  ok", "reachable", "not provisioned"} {
			if !strings.Contains(text, want) {
				t.Errorf("output lacks %q:\n%s", want, text)
			}
		}
	})
	t.Run("an unreachable thermal printer fails the run with exit 1, in JSON too", func(t *testing.T) {
		dead, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := dead.Addr().String()
		dead.Close()
		env := doctorEnv(t, "tcp://"+addr)
		var out, errb bytes.Buffer
		code := Doctor(context.Background(), []string{"--json"}, &out, &errb, env)
		if code != 1 {
			t.Fatalf("exit %d", code)
		}
		var checks []struct{ Area, Status, Detail string }
		if err := json.Unmarshal(out.Bytes(), &checks); err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range checks {
			if c.Area == "thermal" && c.Status == "fail" && strings.Contains(c.Detail, "not reachable") {
				found = true
			}
		}
		if !found {
			t.Fatalf("no failed thermal check in %s", out.String())
		}
	})
}
