package cli

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"runtime/debug"
	"sort"
	"strings"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/backup"
	"github.com/motcua/motcua/internal/store"
)

// The support bundle ("motcua doctor --support-bundle FILE") is a zip a
// technician sends with a support request. It holds what helps to find a
// fault and nothing about citizens or secrets:
//
//	versions.txt   motcua, Go, OS/architecture, schema (applied and built in), module versions
//	doctor.txt     the doctor checks, as printed
//	settings.json  office settings, backup settings, device settings, hub address;
//	               the enrolment token and the device key are left out
//	backups.txt    the backup log (times, kinds, sizes, counts)
//	logs/*         the rotated log files (already redacted when written), with any
//	               run of 9 or more digits, spaces or dots allowed between them
//	               (ID or phone numbers), replaced again
//
// No dossier, applicant, account or audit row is read.

// digitRuns are ID numbers (12 digits), old ID card numbers (9) and phone
// numbers (10-11) that a log line might hold despite the redaction at write
// time (a free-text error message, for example).
// Dashes are not joined: dossier codes (000.00.06.H56-251120-1001) and
// dates stay readable.
var digitRuns = regexp.MustCompile(`\d[\d .]{7,}\d`)

func scrubLine(s string) string {
	return digitRuns.ReplaceAllStringFunc(s, func(m string) string {
		n := 0
		for _, r := range m {
			if r >= '0' && r <= '9' {
				n++
			}
		}
		if n >= 9 { // dates, times and versions have fewer
			return "[redacted]"
		}
		return m
	})
}

// supportBundle writes the zip.
func supportBundle(ctx context.Context, file string, doctorText []byte, env *wire.Env) error {
	f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	add := func(name string, data []byte) error {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Now()})
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}
	err = func() error {
		if err := add("versions.txt", versions(ctx, env)); err != nil {
			return err
		}
		if err := add("doctor.txt", doctorText); err != nil {
			return err
		}
		set, err := safeSettings(ctx, env)
		if err != nil {
			return err
		}
		if err := add("settings.json", set); err != nil {
			return err
		}
		var b bytes.Buffer
		recs, err := env.Store.Backups(ctx, 50)
		if err != nil {
			fmt.Fprintf(&b, "backup log: %v\n", err)
		}
		for _, r := range recs {
			fmt.Fprintf(&b, "%s\t%s\t%s\t%d bytes\tschema %d\t%d dossiers\t%d files\t%s\n", r.At.UTC().Format(time.RFC3339), r.Kind,
				filepath.Base(r.File), r.Size, r.SchemaVersion, r.Dossiers, r.Files, r.SHA256)
		}
		if err := add("backups.txt", b.Bytes()); err != nil {
			return err
		}
		logs, _ := filepath.Glob(filepath.Join(env.Dir, "logs", "*"))
		sort.Strings(logs)
		for _, l := range logs {
			data, err := scrubFile(l)
			if err != nil {
				return err
			}
			if err := add("logs/"+filepath.Base(l), data); err != nil {
				return err
			}
		}
		return zw.Close()
	}()
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(file)
	}
	return err
}

func scrubFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out bytes.Buffer
	sc := bufio.NewScanner(io.LimitReader(f, 64<<20))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		out.WriteString(scrubLine(sc.Text()))
		out.WriteByte('\n')
	}
	return out.Bytes(), sc.Err()
}

func versions(ctx context.Context, env *wire.Env) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "motcua %s\n%s %s/%s, %d CPUs\n", wire.AppVersion, runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU())
	applied, err := store.AppliedSchema(ctx, filepath.Join(env.Dir, store.DBFile))
	fmt.Fprintf(&b, "schema: applied %d, this build %d", applied, store.SchemaVersion)
	if err != nil {
		fmt.Fprintf(&b, " (%v)", err)
	}
	fmt.Fprintf(&b, "\nmade: %s\n", time.Now().UTC().Format(time.RFC3339))
	if bi, ok := debug.ReadBuildInfo(); ok {
		b.WriteString("\nmodules:\n")
		for _, d := range bi.Deps {
			fmt.Fprintf(&b, "  %s %s\n", d.Path, d.Version)
		}
		for _, s := range bi.Settings {
			if strings.HasPrefix(s.Key, "vcs.") || s.Key == "-tags" || s.Key == "CGO_ENABLED" {
				fmt.Fprintf(&b, "  %s=%s\n", s.Key, s.Value)
			}
		}
	}
	return b.Bytes()
}

// safeSettings are the settings a support request may carry.
func safeSettings(ctx context.Context, env *wire.Env) ([]byte, error) {
	set, err := env.Store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	bs, err := backup.Load(ctx, env.Store)
	if err != nil {
		return nil, err
	}
	dp, err := env.DeviceProvision(ctx)
	if err != nil {
		return nil, err
	}
	devs, err := env.Store.DeviceSettings(ctx)
	if err != nil {
		return nil, err
	}
	keys, _ := env.TrustedKeys(ctx)
	var trusted []string
	for _, k := range keys {
		trusted = append(trusted, fmt.Sprintf("%x", k))
	}
	token := "none"
	if dp.EnrolToken != "" {
		token = "set (not included)"
	}
	return json.MarshalIndent(map[string]any{
		"office":  set,
		"backup":  bs.Defaults(env.Dir),
		"devices": devs,
		"provision": map[string]any{"mode": dp.Mode, "hub_url": dp.HubURL, "enrol_token": token,
			"bundle_sha256": dp.BundleSHA256, "applied_at": dp.AppliedAt, "trusted_bundle_keys": trusted},
		"data_dir": env.Dir,
	}, "", "  ")
}
