package cli

import (
	"bufio"
	"context"
	"crypto/ed25519"
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
//	motcua backup settings [--dir D] [--at HH:MM] [--keep N] [--off|--on]
//	                               shows, or changes, the daily backup
func Backup(ctx context.Context, args []string, stdout, stderr io.Writer, env *wire.Env) int {
	if len(args) > 0 && args[0] == "settings" {
		return backupSettings(ctx, args[1:], stdout, stderr, env)
	}
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

// backupSettings shows the daily backup settings, and changes those given.
func backupSettings(ctx context.Context, args []string, stdout, stderr io.Writer, env *wire.Env) int {
	fs := flag.NewFlagSet("backup settings", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("dir", "", "folder of the daily backups, e.g. a USB drive (default <data>/backups)")
	at := fs.String("at", "", "time of day HH:MM, Vietnam time (default 12:00)")
	keep := fs.Int("keep", -1, "daily backups kept; older ones are deleted (default 14)")
	off := fs.Bool("off", false, "stop the daily backup")
	on := fs.Bool("on", false, "start the daily backup again")
	by := fs.String("by", "technician", "who changes the settings (audited)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: motcua backup settings [--dir FOLDER] [--at HH:MM] [--keep N] [--off|--on]\n\nWithout flags: show the current settings.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil || fs.NArg() != 0 || (*off && *on) {
		fs.Usage()
		return 2
	}
	set, err := backup.Load(ctx, env.Store)
	if err != nil {
		fmt.Fprintln(stderr, "backup settings:", err)
		return 1
	}
	changed := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name != "by" {
			changed = true
		}
	})
	if changed {
		if *dir != "" {
			abs, err := filepath.Abs(*dir)
			if err != nil {
				fmt.Fprintln(stderr, "backup settings:", err)
				return 1
			}
			if err := checkFolder(abs); err != nil {
				fmt.Fprintln(stderr, "backup settings:", err)
				return 1
			}
			set.Folder = abs
		}
		if *at != "" {
			if set.Hour, set.Minute, err = backup.ParseAt(*at); err != nil {
				fmt.Fprintln(stderr, "backup settings:", err)
				return 2
			}
		}
		if *keep >= 0 {
			if *keep < 1 || *keep > 3650 {
				fmt.Fprintln(stderr, "backup settings: --keep must be 1 to 3650")
				return 2
			}
			set.Keep = *keep
		}
		if *off {
			set.Disabled = true
		}
		if *on {
			set.Disabled = false
		}
		if err := backup.Save(ctx, env.Store, set, *by); err != nil {
			fmt.Fprintln(stderr, "backup settings:", err)
			return 1
		}
		fmt.Fprintln(stdout, "daily backup settings saved (a running motcua reads them within the hour)")
	}
	d := set.Defaults(env.Dir)
	state := "on"
	if d.Disabled {
		state = "off"
	}
	fmt.Fprintf(stdout, "daily backup: %s\nfolder: %s\ntime: %s (Vietnam time)\nkeep: %d daily backups\n", state, d.Folder, d.At(), d.Keep)
	if recs, err := env.Store.Backups(ctx, 1); err == nil && len(recs) > 0 {
		r := recs[0]
		fmt.Fprintf(stdout, "last backup: %s, %s, %s\n", r.At.In(time.FixedZone("ICT", 7*3600)).Format("02/01/2006 15:04"), r.Kind, r.File)
	}
	return 0
}

// checkFolder makes sure a backup folder exists (creating it) and can be
// written to, so a wrong USB path is found now rather than at noon.
func checkFolder(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("folder %s cannot be created: %w", dir, err)
	}
	f, err := os.CreateTemp(dir, ".motcua-write-test-*")
	if err != nil {
		return fmt.Errorf("folder %s is not writable: %w", dir, err)
	}
	name := f.Name()
	f.Close()
	return os.Remove(name)
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
	return len(args) > 0 && (args[0] == "export" || args[0] == "apply" || args[0] == "keygen")
}

// keyList is a repeatable --trust-key flag.
type keyList []ed25519.PublicKey

func (k *keyList) String() string { return fmt.Sprint(len(*k), " keys") }
func (k *keyList) Set(v string) error {
	pub, err := provision.ParsePublicKey(v)
	if err != nil {
		return err
	}
	*k = append(*k, pub)
	return nil
}

// provisionKeygen writes a new signing key (PEM, mode 0600) and prints the
// public key devices are told to trust.
func provisionKeygen(file string, stdout, stderr io.Writer) int {
	_, pemData, err := provision.GenerateKey()
	if err != nil {
		fmt.Fprintln(stderr, "provision keygen:", err)
		return 1
	}
	f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err == nil {
		_, err = f.Write(pemData)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "provision keygen:", err)
		return 1
	}
	priv, _ := provision.ParsePrivateKey(pemData)
	pub := priv.Public().(ed25519.PublicKey)
	if err := os.WriteFile(file+".pub", []byte(provision.FormatPublicKey(pub)+"\n"), 0o644); err != nil {
		fmt.Fprintln(stderr, "provision keygen:", err)
		return 1
	}
	fmt.Fprintf(stdout, "signing key written to %s (keep it secret); public key (key %s) in %s:\n%s\n",
		file, provision.KeyID(pub), file+".pub", provision.FormatPublicKey(pub))
	return 0
}

// ProvisionBundle runs "provision export" and "provision apply":
//
//	motcua provision keygen KEYFILE     a signing key, and KEYFILE.pub
//	motcua provision export FILE --slot N --sign-key KEYFILE [--mode kiosk] [--hub-url URL] [--token-file F]
//	motcua provision apply FILE [--trust-key KEY] [--admin LOGIN --admin-name NAME] < password
//
// A bundle is applied only when it is signed by a trusted key (given with
// --trust-key, or one whose bundle this device applied before); an
// unsigned bundle only with --allow-unsigned; a tampered one never.
func ProvisionBundle(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env *wire.Env) int {
	sub, args := args[0], args[1:]
	if sub == "keygen" {
		if len(args) != 1 || strings.HasPrefix(args[0], "-") {
			fmt.Fprintln(stderr, "usage: motcua provision keygen KEYFILE")
			return 2
		}
		return provisionKeygen(args[0], stdout, stderr)
	}
	var trust keyList
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
		signKey               = fs.String("sign-key", "", "export: the province's or technician's signing key (provision keygen)")
		unsigned              = fs.Bool("unsigned", false, "export: write an unsigned bundle (devices refuse it unless --allow-unsigned)")
		allowUnsigned         = fs.Bool("allow-unsigned", false, "apply: accept a bundle without a signature (never a tampered one)")
	)
	fs.Var(&trust, "trust-key", "apply: public key (ed25519:… or a .pub file) whose signature is trusted; repeatable")
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
		fmt.Fprintln(stderr, "usage: motcua provision keygen KEYFILE\n"+
			"       motcua provision export FILE --slot N --sign-key KEYFILE [--mode kiosk] [--hub-url URL] [--token-file F]\n"+
			"       motcua provision apply FILE [--trust-key KEY] [--allow-unsigned] [--admin LOGIN --admin-name NAME [--password-file F]]")
		return 2
	}
	switch sub {
	case "export":
		if *slot == 0 {
			fmt.Fprintln(stderr, "provision export: --slot is required (the slot of the device the bundle is for)")
			return 2
		}
		if (*signKey == "") == !*unsigned {
			fmt.Fprintln(stderr, "provision export: give --sign-key KEYFILE (make one with: motcua provision keygen KEYFILE), or --unsigned")
			return 2
		}
		var key ed25519.PrivateKey
		if *signKey != "" {
			pemData, err := os.ReadFile(*signKey)
			if err == nil {
				key, err = provision.ParsePrivateKey(pemData)
			}
			if err != nil {
				fmt.Fprintln(stderr, "provision export:", err)
				return 1
			}
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
		var data []byte
		if key != nil {
			data, err = provision.MarshalSigned(b, key)
		} else {
			data, err = provision.Marshal(b)
		}
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
		if key != nil {
			pub := key.Public().(ed25519.PublicKey)
			fmt.Fprintf(stdout, "signed with key %s (%s)\n", provision.KeyID(pub), provision.FormatPublicKey(pub))
		} else {
			fmt.Fprintln(stdout, "UNSIGNED: devices apply it only with --allow-unsigned")
		}
		return 0
	case "apply":
		data, err := os.ReadFile(file)
		if err != nil {
			fmt.Fprintln(stderr, "provision apply:", err)
			return 1
		}
		b, err := provision.Parse(data) // format, checksum, signature: before asking for a password
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
		o, err := env.ApplySigned(ctx, data, trust, *allowUnsigned, admin)
		if err != nil {
			fmt.Fprintln(stderr, "provision apply:", err)
			return 1
		}
		if o.Signer == nil {
			fmt.Fprintln(stdout, "WARNING: the bundle was unsigned (--allow-unsigned)")
		} else {
			fmt.Fprintf(stdout, "signature verified: key %s (trusted for later bundles)\n", provision.KeyID(o.Signer))
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
