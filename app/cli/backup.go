package cli

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/backup"
	"github.com/motcua/motcua/internal/provision"
	"github.com/motcua/motcua/internal/store"
)

// Backup makes a verified backup of the data directory while the counter
// may be working:
//
//	motcua backup FILE|FOLDER      FOLDER gets motcua-<agency>-<time>-manual.tar.gz
//	motcua backup --check FILE     reads an archive through and prints its manifest
func Backup(ctx context.Context, args []string, stdout, stderr io.Writer, env *wire.Env) int {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	fs.SetOutput(stderr)
	check := fs.Bool("check", false, "only verify the archive FILE (hashes and database integrity)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: motcua backup FILE|FOLDER\n       motcua backup --check FILE")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	target := fs.Arg(0)
	if *check {
		m, err := backup.Verify(ctx, target)
		if err != nil {
			fmt.Fprintln(stderr, "backup check:", err)
			return 1
		}
		printManifest(stdout, m)
		fmt.Fprintln(stdout, "OK: every file matches its SHA-256 and the database passes its integrity check")
		return 0
	}
	set, err := env.Store.Settings(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "backup:", err)
		return 1
	}
	now := env.Now()
	if fi, err := os.Stat(target); (err == nil && fi.IsDir()) || strings.HasSuffix(target, string(os.PathSeparator)) || strings.HasSuffix(target, "/") {
		target = filepath.Join(target, backup.FileName(set.AgencyID, now, "manual"))
	}
	res, err := backup.Create(ctx, env.Dir, target, backup.Options{Kind: "manual", AppVersion: wire.AppVersion, Now: env.Now})
	if err != nil {
		fmt.Fprintln(stderr, "backup:", err)
		return 1
	}
	m := res.Manifest
	if err := env.Store.RecordBackup(ctx, store.BackupRecord{At: now, Kind: "manual", File: res.Path, SHA256: res.SHA256,
		Size: res.Size, SchemaVersion: m.SchemaVersion, Dossiers: m.Dossiers, Files: len(m.Files)}, "technician"); err != nil {
		fmt.Fprintln(stderr, "backup: made, but not recorded in the backup log:", err)
	}
	fmt.Fprintf(stdout, "backup written and verified: %s\n", res.Path)
	fmt.Fprintf(stdout, "  %d dossiers, %d files, %s, SHA-256 %s\n", m.Dossiers, len(m.Files), humanBytes(res.Size), res.SHA256)
	return 0
}

// Restore unpacks a backup into the data directory dataDir, which must not
// exist or be empty, and checks it (motcua --data NEWDIR restore FILE). It
// runs before anything opens dataDir.
func Restore(ctx context.Context, args []string, dataDir string, stdout, stderr io.Writer, log *slog.Logger) int {
	fs := flag.NewFlagSet("restore", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: motcua --data NEW_FOLDER restore FILE\n\n"+
			"The data folder must not exist or be empty. To replace a device's data, close motcua,\n"+
			"rename its data folder (keep it until the restored data is checked), then restore.")
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 1 {
		fs.Usage()
		return 2
	}
	rep, err := backup.Restore(ctx, fs.Arg(0), dataDir, log)
	if err != nil {
		fmt.Fprintln(stderr, "restore:", err)
		return 1
	}
	printManifest(stdout, rep.Manifest)
	fmt.Fprintf(stdout, "restored into %s and checked: %d dossiers, %d files re-hashed, audit chain of %d records verifies, schema %d\n",
		dataDir, rep.Dossiers, rep.Files, rep.AuditRecords, rep.SchemaVersion)
	return 0
}

func printManifest(w io.Writer, m backup.Manifest) {
	fmt.Fprintf(w, "backup of %s (slot %d), %s, made %s by motcua %s, schema %d\n", orDash(m.AgencyID), m.DeviceSlot, m.Kind,
		m.CreatedAt.In(time.FixedZone("ICT", 7*3600)).Format("02/01/2006 15:04"), orDash(m.AppVersion), m.SchemaVersion)
	fmt.Fprintf(w, "  %d dossiers, %d files, %d audit records\n", m.Dossiers, len(m.Files), m.AuditRecords)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}

// IsBundleCommand reports whether the provision arguments are the bundle
// subcommands (export, apply) rather than the flags of Provision.
func IsBundleCommand(args []string) bool {
	return len(args) > 0 && (args[0] == "export" || args[0] == "apply")
}

// ProvisionBundle runs "provision export" and "provision apply":
//
//	motcua provision export FILE --slot N [--mode kiosk] [--hub-url URL] [--token-file F]
//	motcua provision apply FILE [--admin LOGIN --admin-name NAME] < password
func ProvisionBundle(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env *wire.Env) int {
	sub, args := args[0], args[1:]
	fs := flag.NewFlagSet("provision "+sub, flag.ContinueOnError)
	fs.SetOutput(stderr)
	var (
		slot                  = fs.Int("slot", 0, "export: slot 1-9 of the device the bundle is for (required)")
		mode                  = fs.String("mode", "counter", "export: counter or kiosk")
		hubURL                = fs.String("hub-url", "", "export: hub address (default: this device's)")
		tokenFile             = fs.String("token-file", "", "export: file holding the one-time enrolment token from the hub")
		by                    = fs.String("by", "", "export: the technician's login, recorded in the bundle")
		adminLogin, adminName = fs.String("admin", "", "apply on a new device: login of the first (leader) account"), fs.String("admin-name", "", "apply on a new device: full name of the first account")
		pwFile                = fs.String("password-file", "", "apply: file whose first line is the password (default: stdin)")
		force                 = fs.Bool("force", false, "export: overwrite FILE")
	)
	// FILE first, flags after, as the usage shows; flags first works too.
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if file == "" || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "usage: motcua provision export FILE --slot N [--mode kiosk] [--hub-url URL] [--token-file F]\n"+
			"       motcua provision apply FILE [--admin LOGIN --admin-name NAME [--password-file F]]")
		return 2
	}
	switch sub {
	case "export":
		if *slot == 0 {
			fmt.Fprintln(stderr, "provision export: --slot is required (the slot of the device the bundle is for)")
			return 2
		}
		hub := provision.Hub{URL: *hubURL}
		if *tokenFile != "" {
			tok, err := os.ReadFile(*tokenFile)
			if err != nil {
				fmt.Fprintln(stderr, "provision export:", err)
				return 1
			}
			hub.EnrolToken = strings.TrimSpace(string(tok))
		}
		b, err := env.ExportBundle(ctx, *slot, *mode, hub, *by)
		if err != nil {
			fmt.Fprintln(stderr, "provision export:", err)
			return 1
		}
		data, err := provision.Marshal(b)
		if err != nil {
			fmt.Fprintln(stderr, "provision export:", err)
			return 1
		}
		flags := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
		if !*force {
			flags |= os.O_EXCL
		}
		f, err := os.OpenFile(file, flags, 0o600)
		if err == nil {
			_, err = f.Write(data)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
		}
		if err != nil {
			fmt.Fprintln(stderr, "provision export:", err)
			return 1
		}
		fmt.Fprintf(stdout, "bundle for %s, slot %d (%s) written to %s; it holds the enrolment token: hand it over like a password\n",
			b.Office.AgencyID, b.Slot, b.Mode, file)
		return 0
	case "apply":
		data, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(stderr, "provision apply:", err)
			return 1
		}
		b, err := provision.Parse(data)
		if err != nil {
			fmt.Fprintln(stderr, "provision apply:", err)
			return 1
		}
		admin := wire.Office{AdminLogin: *adminLogin, AdminName: *adminName}
		ok, err := env.Provisioned(ctx)
		if err != nil {
			fmt.Fprintln(stderr, "provision apply:", err)
			return 1
		}
		if !ok {
			if admin.AdminLogin == "" || admin.AdminName == "" {
				fmt.Fprintln(stderr, "provision apply:", wire.ErrNoAdmin, "(--admin, --admin-name, password on stdin)")
				return 2
			}
			if admin.AdminPassword, err = readPassword(stdin, *pwFile); err != nil {
				fmt.Fprintln(stderr, "provision apply:", err)
				return 1
			}
		}
		sum := sha256.Sum256(data)
		if err := env.ApplyBundle(ctx, b, hex.EncodeToString(sum[:]), admin); err != nil {
			fmt.Fprintln(stderr, "provision apply:", err)
			return 1
		}
		fmt.Fprintf(stdout, "device provisioned from %s: %s (%s), slot %d, mode %s\n", filepath.Base(file),
			b.Office.AgencyName, b.Office.AgencyID, b.Slot, b.Mode)
		if b.Hub.URL != "" {
			fmt.Fprintf(stdout, "hub: %s (enrolment token %s)\n", b.Hub.URL, map[bool]string{true: "recorded", false: "none"}[b.Hub.EnrolToken != ""])
		}
		if !ok {
			fmt.Fprintf(stdout, "leader account %q created\n", admin.AdminLogin)
		}
		return 0
	}
	return 2
}

// readPassword reads the first line of the file path, or of stdin.
func readPassword(stdin io.Reader, path string) (string, error) {
	src := stdin
	if path != "" {
		f, err := os.Open(path)
		if err != nil {
			return "", err
		}
		defer f.Close()
		src = f
	}
	line, err := bufio.NewReader(src).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read password: %w", err)
	}
	return strings.TrimRight(line, "\r\n"), nil
}
