package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/app/cli"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/provision"
)

func TestBackupToAFolderThenRestoreIntoANewOne(t *testing.T) {
	ctx := context.Background()
	env := openEnv(t, t.TempDir())
	var out, errw bytes.Buffer
	if code := cli.Demo(ctx, []string{"--dossiers", "30", "--seed", "1"}, &out, &errw, env); code != 0 {
		t.Fatalf("demo: %s", errw.String())
	}
	folder := t.TempDir()
	out.Reset()
	if code := cli.Backup(ctx, []string{folder + string(os.PathSeparator)}, &out, &errw, env); code != 0 {
		t.Fatalf("backup exit %d: %s", code, errw.String())
	}
	archives, _ := filepath.Glob(filepath.Join(folder, "motcua-000.00.06.H56-*-manual.tar.gz"))
	if len(archives) != 1 || !strings.Contains(out.String(), "30 dossiers") {
		t.Fatalf("archives %v, output %q", archives, out.String())
	}
	if log, err := env.Store.Backups(ctx, 5); err != nil || len(log) != 1 || log[0].Kind != "manual" {
		t.Fatalf("backup log %+v, %v", log, err)
	}
	out.Reset()
	if code := cli.Backup(ctx, []string{"--check", archives[0]}, &out, &errw, env); code != 0 || !strings.Contains(out.String(), "OK") {
		t.Fatalf("backup --check exit %d: %s %s", code, out.String(), errw.String())
	}
	target := filepath.Join(t.TempDir(), "new")
	out.Reset()
	if code := cli.Restore(ctx, []string{archives[0]}, target, &out, &errw, nil); code != 0 {
		t.Fatalf("restore exit %d: %s", code, errw.String())
	}
	restored := openEnv(t, target)
	if n, err := restored.Store.Count(ctx, dossier.Query{}); err != nil || n != 30 {
		t.Fatalf("restored %d dossiers, %v", n, err)
	}
	errw.Reset()
	if code := cli.Restore(ctx, []string{archives[0]}, target, &out, &errw, nil); code != 1 || !strings.Contains(errw.String(), "not empty") {
		t.Fatalf("restore over data: exit %d, %q", code, errw.String())
	}
}

func TestABundleExportedByOneDeviceProvisionsTheNext(t *testing.T) {
	ctx := context.Background()
	first := openEnv(t, t.TempDir())
	var out, errw bytes.Buffer
	if code := cli.Demo(ctx, []string{"--dossiers", "1"}, &out, &errw, first); code != 0 {
		t.Fatalf("demo: %s", errw.String())
	}
	dir := t.TempDir()
	tok := filepath.Join(dir, "token")
	os.WriteFile(tok, []byte("tok_9f8e7d\n"), 0o600)
	file := filepath.Join(dir, "quay2.json")
	key := filepath.Join(dir, "tinh.key")
	if code := cli.ProvisionBundle(ctx, []string{"keygen", key}, nil, &out, &errw, first); code != 0 {
		t.Fatalf("keygen exit %d: %s", code, errw.String())
	}
	if fi, err := os.Stat(key); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("key file %v %v", fi, err)
	}
	args := []string{"export", file, "--slot", "2", "--hub-url", "https://hub.example.vn", "--token-file", tok, "--by", "kythuat"}
	if code := cli.ProvisionBundle(ctx, args, nil, &out, &errw, first); code != 2 || !strings.Contains(errw.String(), "--sign-key") {
		t.Fatalf("export without a key or --unsigned: exit %d %q", code, errw.String())
	}
	args = append(args, "--sign-key", key)
	if code := cli.ProvisionBundle(ctx, args, nil, &out, &errw, first); code != 0 {
		t.Fatalf("export exit %d: %s", code, errw.String())
	}
	if code := cli.ProvisionBundle(ctx, args, nil, &out, &errw, first); code != 1 {
		t.Fatalf("export over an existing file: exit %d", code)
	}

	second := openEnv(t, t.TempDir())
	errw.Reset()
	if code := cli.ProvisionBundle(ctx, []string{"apply", file}, strings.NewReader(""), &out, &errw, second); code != 2 {
		t.Fatalf("apply on a new device without the first account: exit %d %s", code, errw.String())
	}
	apply := []string{"apply", file, "--admin", "lanhdao2", "--admin-name", "Phạm Thị Lan"}
	// Without --trust-key the new device trusts no key: refused, nothing changes.
	errw.Reset()
	if code := cli.ProvisionBundle(ctx, apply, strings.NewReader("Mat-khau-2026!\n"), &out, &errw, second); code != 1 ||
		!strings.Contains(errw.String(), "chưa tin cậy") || !strings.Contains(errw.String(), "--trust-key") {
		t.Fatalf("apply of an untrusted signature: exit %d %q", code, errw.String())
	}
	if ok, _ := second.Provisioned(ctx); ok {
		t.Fatal("an untrusted bundle provisioned the device")
	}
	// A tampered copy (another hub) is refused even with --allow-unsigned.
	data, _ := os.ReadFile(file)
	tampered := filepath.Join(dir, "tampered.json")
	os.WriteFile(tampered, bytes.Replace(data, []byte("hub.example.vn"), []byte("hub.evil.vn"), 1), 0o600)
	errw.Reset()
	if code := cli.ProvisionBundle(ctx, []string{"apply", tampered, "--trust-key", key + ".pub", "--allow-unsigned", "--admin", "a", "--admin-name", "A"},
		strings.NewReader("Mat-khau-2026!\n"), &out, &errw, second); code != 1 || !strings.Contains(errw.String(), "checksum") {
		t.Fatalf("tampered bundle: exit %d %q", code, errw.String())
	}
	// An unsigned bundle needs --allow-unsigned.
	unsignedFile := filepath.Join(dir, "unsigned.json")
	if code := cli.ProvisionBundle(ctx, []string{"export", unsignedFile, "--slot", "3", "--unsigned"}, nil, &out, &errw, first); code != 0 {
		t.Fatalf("export --unsigned: exit %d %s", code, errw.String())
	}
	errw.Reset()
	if code := cli.ProvisionBundle(ctx, []string{"apply", unsignedFile, "--trust-key", key + ".pub", "--admin", "a", "--admin-name", "A"},
		strings.NewReader("Mat-khau-2026!\n"), &out, &errw, second); code != 1 || !strings.Contains(errw.String(), "không có chữ ký") {
		t.Fatalf("unsigned bundle: exit %d %q", code, errw.String())
	}
	apply = append(apply, "--trust-key", key+".pub")
	if code := cli.ProvisionBundle(ctx, apply, strings.NewReader("Mat-khau-2026!\n"), &out, &errw, second); code != 0 {
		t.Fatalf("apply exit %d: %s", code, errw.String())
	}
	set, _ := second.Store.Settings(ctx)
	if !set.Provisioned || set.AgencyID != "000.00.06.H56" || set.DeviceSlot != 2 {
		t.Fatalf("settings after apply: %+v", set)
	}
	dp, err := second.DeviceProvision(ctx)
	if err != nil || dp.HubURL != "https://hub.example.vn" || dp.EnrolToken != "tok_9f8e7d" || dp.Mode != provision.ModeCounter {
		t.Fatalf("device provision %+v, %v", dp, err)
	}
	if _, err := second.Auth.Login(ctx, "lanhdao2", "Mat-khau-2026!"); err != nil {
		t.Fatalf("first account: %v", err)
	}
	if n, err := second.Store.VerifyAudit(ctx); err != nil || n == 0 {
		t.Fatalf("audit %d %v", n, err)
	}
	// Applied again (a new token): same office and slot is an update; another slot is refused.
	if code := cli.ProvisionBundle(ctx, []string{"apply", file}, nil, &out, &errw, second); code != 0 {
		t.Fatalf("re-apply exit %d: %s", code, errw.String())
	}
	errw.Reset()
	if code := cli.ProvisionBundle(ctx, []string{"apply", file, "--trust-key", key + ".pub"}, nil, &out, &errw, first); code != 1 || !strings.Contains(errw.String(), "slot") {
		t.Fatalf("apply of slot 2 on slot 1: exit %d %q", code, errw.String())
	}
}
