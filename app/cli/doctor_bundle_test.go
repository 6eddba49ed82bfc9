package cli_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/app/cli"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/provision"
)

func TestTheSupportBundleHoldsNoPersonalDataAndNoSecrets(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env := openEnv(t, dir)
	var out, errw bytes.Buffer
	if code := cli.Demo(ctx, []string{"--dossiers", "40", "--seed", "5"}, &out, &errw, env); code != 0 {
		t.Fatalf("demo: %s", errw.String())
	}
	const token = "tok_SECRET_4f9c2a77"
	set, _ := env.Store.Settings(ctx)
	if err := env.ApplyBundle(ctx, provision.Bundle{Office: provision.Office{AgencyID: set.AgencyID, AgencyName: set.AgencyName},
		Mode: "counter", Slot: set.DeviceSlot, Hub: provision.Hub{URL: "https://hub.example.vn", EnrolToken: token}}, "", wire.Office{}); err != nil {
		t.Fatal(err)
	}
	page, err := env.Store.List(ctx, dossier.Query{Limit: 500})
	if err != nil || len(page.Items) != 40 {
		t.Fatalf("list: %d %v", len(page.Items), err)
	}
	// A log as the app writes it, plus a careless free-text line that holds
	// an applicant's ID and phone number (the write-time redaction works on
	// attribute names, not on free text).
	first := page.Items[0]
	os.MkdirAll(filepath.Join(dir, "logs"), 0o700)
	os.WriteFile(filepath.Join(dir, "logs", "motcua.log"), []byte(
		"time=2026-11-23T10:00:00.000+07:00 level=INFO msg=\"dossier received\" code="+first.Code+" applicant=[redacted]\n"+
			"time=2026-11-23T10:00:01.000+07:00 level=ERROR msg=\"card read: "+first.IDNumber+" / "+first.Phone+"\"\n"), 0o600)
	file := filepath.Join(t.TempDir(), "support.zip")
	out.Reset()
	errw.Reset()
	code := cli.Doctor(ctx, []string{"--support-bundle", file}, &out, &errw, env)
	if code != 0 && code != 1 {
		t.Fatalf("doctor exit %d: %s", code, errw.String())
	}
	if !strings.Contains(errw.String(), "support bundle written") {
		t.Fatalf("stderr %q", errw.String())
	}
	zr, err := zip.OpenReader(file)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var all bytes.Buffer
	names := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		names[f.Name] = string(data)
		all.Write(data)
	}
	for _, want := range []string{"versions.txt", "doctor.txt", "settings.json", "backups.txt", "logs/motcua.log"} {
		if _, ok := names[want]; !ok {
			t.Fatalf("bundle lacks %s: %v", want, names)
		}
	}
	if !strings.Contains(names["versions.txt"], "schema: applied") || !strings.Contains(names["doctor.txt"], dir) ||
		!strings.Contains(names["settings.json"], "https://hub.example.vn") || !strings.Contains(names["logs/motcua.log"], first.Code) {
		t.Fatalf("bundle content:\n%v", names)
	}
	text := all.String()
	for _, d := range page.Items {
		for _, p := range []string{d.ApplicantName, d.IDNumber, d.Phone} {
			if p != "" && strings.Contains(text, p) {
				t.Fatalf("the bundle holds personal data %q of dossier %s", p, d.Code)
			}
		}
	}
	seed, err := env.Store.DeviceKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for name, secret := range map[string]string{"enrolment token": token, "device key": string(seed.Seed())} {
		if strings.Contains(text, secret) {
			t.Fatalf("the bundle holds the %s", name)
		}
	}
	if strings.Contains(text, "argon2") || strings.Contains(text, "$argon") {
		t.Fatal("the bundle holds a password hash")
	}
	// An existing file is not overwritten.
	if code := cli.Doctor(ctx, []string{"--support-bundle", file}, io.Discard, &errw, env); code != 1 {
		t.Fatalf("over an existing file: exit %d", code)
	}
}
