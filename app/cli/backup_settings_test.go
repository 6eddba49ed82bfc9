package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/app/cli"
	"github.com/motcua/motcua/internal/backup"
)

func TestBackupSettingsShowAndChange(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env := openEnv(t, dir)
	var out, errw bytes.Buffer
	if code := cli.Backup(ctx, []string{"settings"}, &out, &errw, env); code != 0 {
		t.Fatalf("show: exit %d: %s", code, errw.String())
	}
	for _, want := range []string{"daily backup: on", "folder: " + filepath.Join(dir, "backups"), "time: 12:00", "keep: 14"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("defaults: %q lacks %q", out.String(), want)
		}
	}
	usb := filepath.Join(t.TempDir(), "USB", "motcua")
	out.Reset()
	if code := cli.Backup(ctx, []string{"settings", "--dir", usb, "--at", "17:30", "--keep", "30"}, &out, &errw, env); code != 0 {
		t.Fatalf("change: exit %d: %s", code, errw.String())
	}
	set, err := backup.Load(ctx, env.Store)
	if err != nil || set.Folder != usb || set.Hour != 17 || set.Minute != 30 || set.Keep != 30 || set.Disabled {
		t.Fatalf("saved %+v, %v", set, err)
	}
	if fi, err := os.Stat(usb); err != nil || !fi.IsDir() {
		t.Fatalf("folder not created: %v", err)
	}
	if !strings.Contains(out.String(), "time: 17:30") || !strings.Contains(out.String(), "keep: 30") {
		t.Fatalf("output %q", out.String())
	}
	// Bad input is refused and changes nothing.
	for _, args := range [][]string{{"--at", "25:00"}, {"--at", "trưa"}, {"--keep", "0"}, {"--off", "--on"}, {"extra"}} {
		errw.Reset()
		if code := cli.Backup(ctx, append([]string{"settings"}, args...), &out, &errw, env); code != 2 {
			t.Fatalf("%v: exit %d", args, code)
		}
	}
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, []byte("x"), 0o600)
	errw.Reset()
	if code := cli.Backup(ctx, []string{"settings", "--dir", filepath.Join(file, "sub")}, &out, &errw, env); code != 1 || !strings.Contains(errw.String(), "cannot be created") {
		t.Fatalf("unwritable folder: exit %d, %q", code, errw.String())
	}
	if got, _ := backup.Load(ctx, env.Store); got != set {
		t.Fatalf("bad input changed the settings: %+v", got)
	}
	out.Reset()
	if code := cli.Backup(ctx, []string{"settings", "--off"}, &out, &errw, env); code != 0 || !strings.Contains(out.String(), "daily backup: off") {
		t.Fatalf("off: exit %d %q", code, out.String())
	}
	if got, _ := backup.Load(ctx, env.Store); !got.Disabled || got.Folder != usb {
		t.Fatalf("off saved %+v", got)
	}
}
