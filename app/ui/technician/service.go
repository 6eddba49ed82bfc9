package technician

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/backup"
	"github.com/motcua/motcua/internal/provision"
	"github.com/motcua/motcua/internal/store"
)

// Archive is one backup file found in the backup folders.
type Archive struct {
	Path string
	Name string
	At   time.Time
	Kind string // manual, daily, pre-upgrade
	Size int64
}

// Restored is what a restore from the screen did.
type Restored struct {
	Report backup.Report
	Dir    string // the new folder, switched in at the next start
}

// ExportInput is the bundle the technician asks for.
type ExportInput struct {
	File     string // where to write it
	Slot     int
	Mode     string // counter or kiosk
	HubURL   string
	Token    string // one-time enrolment token from the hub
	KeyFile  string // signing key (PEM); "" only with Unsigned
	Unsigned bool
}

// Service is what the screen needs.
type Service interface {
	// Settings are the daily backup's settings, defaults filled in.
	Settings(ctx context.Context) (backup.Settings, error)
	SaveSettings(ctx context.Context, s backup.Settings) error
	// BackupNow writes a manual backup into the backup folder.
	BackupNow(ctx context.Context, progress func(done, total int64)) (backup.Result, error)
	// Archives lists the backups in the backup folder and in <data>/backups, newest first.
	Archives(ctx context.Context) ([]Archive, error)
	Verify(ctx context.Context, path string) (backup.Manifest, error)
	// Restore unpacks and checks path into a new folder and asks the next
	// start to use it.
	Restore(ctx context.Context, path string) (Restored, error)
	Export(ctx context.Context, in ExportInput) (provision.Bundle, error)
	// Apply applies a bundle file to this (provisioned) device; trustKey
	// ("" = none) is a public key trusted for this bundle.
	Apply(ctx context.Context, file, trustKey string, allowUnsigned bool) (provision.Opened, error)
}

// EnvService is the Service over the production composition.
type EnvService struct {
	Env   *wire.Env
	Actor func() string   // login of the account at the screen
	Wake  chan<- struct{} // tells the daily backup its settings changed (may be nil)
	Log   *slog.Logger
	// OnQuit closes the app (after a restore); nil = the button does nothing.
	OnQuit func()
}

// Quit closes the app so that the restored data is used at the next start.
func (s *EnvService) Quit() {
	if s.OnQuit != nil {
		s.OnQuit()
	}
}

var _ Service = (*EnvService)(nil)

func (s *EnvService) actor() string {
	if s.Actor != nil {
		if a := s.Actor(); a != "" {
			return a
		}
	}
	return "technician"
}

func (s *EnvService) Settings(ctx context.Context) (backup.Settings, error) {
	set, err := backup.Load(ctx, s.Env.Store)
	return set.Defaults(s.Env.Dir), err
}

func (s *EnvService) SaveSettings(ctx context.Context, set backup.Settings) error {
	if err := os.MkdirAll(set.Folder, 0o700); err != nil {
		return fmt.Errorf("%w: %v", ErrFolder, err)
	}
	f, err := os.CreateTemp(set.Folder, ".motcua-write-test-*")
	if err != nil {
		return fmt.Errorf("%w: %v", ErrFolder, err)
	}
	f.Close()
	os.Remove(f.Name())
	if set.Folder == wire.BackupDir(s.Env.Dir) {
		set.Folder = "" // the default follows the data folder
	}
	if err := backup.Save(ctx, s.Env.Store, set, s.actor()); err != nil {
		return err
	}
	if s.Wake != nil {
		select {
		case s.Wake <- struct{}{}:
		default:
		}
	}
	return nil
}

func (s *EnvService) BackupNow(ctx context.Context, progress func(done, total int64)) (backup.Result, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return backup.Result{}, err
	}
	st, err := s.Env.Store.Settings(ctx)
	if err != nil {
		return backup.Result{}, err
	}
	now := s.Env.Now()
	out := filepath.Join(set.Folder, backup.FileName(st.AgencyID, now, "manual"))
	res, err := backup.Create(ctx, s.Env.Dir, out, backup.Options{Kind: "manual", AppVersion: wire.AppVersion,
		Now: func() time.Time { return now }, Progress: progress})
	if err != nil {
		return res, err
	}
	m := res.Manifest
	if err := s.Env.Store.RecordBackup(ctx, store.BackupRecord{At: now, Kind: "manual", File: res.Path, SHA256: res.SHA256,
		Size: res.Size, SchemaVersion: m.SchemaVersion, Dossiers: m.Dossiers, Files: len(m.Files)}, s.actor()); err != nil && s.Log != nil {
		s.Log.Warn("backup made, not recorded in the backup log", "err", err)
	}
	return res, nil
}

func (s *EnvService) Archives(ctx context.Context) ([]Archive, error) {
	set, err := s.Settings(ctx)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var out []Archive
	var firstErr error
	for _, dir := range []string{set.Folder, wire.BackupDir(s.Env.Dir)} {
		ents, err := os.ReadDir(dir)
		if err != nil {
			if !errors.Is(err, os.ErrNotExist) && firstErr == nil {
				firstErr = fmt.Errorf("%w: %v", ErrFolder, err)
			}
			continue
		}
		for _, e := range ents {
			n := e.Name()
			if !e.Type().IsRegular() || !strings.HasPrefix(n, "motcua-") || !strings.HasSuffix(n, ".tar.gz") {
				continue
			}
			p := filepath.Join(dir, n)
			if seen[p] {
				continue
			}
			seen[p] = true
			fi, err := e.Info()
			if err != nil {
				continue
			}
			a := Archive{Path: p, Name: n, Size: fi.Size(), At: fi.ModTime()}
			base := strings.TrimSuffix(n, ".tar.gz")
			if i := strings.LastIndexByte(base, '-'); i > 0 {
				a.Kind = base[i+1:]
				if a.Kind == "upgrade" && strings.HasSuffix(base[:i], "-pre") {
					a.Kind, base = "pre-upgrade", base[:i-4]
				} else {
					base = base[:i]
				}
				if len(base) >= 15 {
					if t, err := time.ParseInLocation("20060102-150405", base[len(base)-15:], vn); err == nil {
						a.At = t
					}
				}
			}
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.After(out[j].At) })
	return out, firstErr
}

var vn = time.FixedZone("ICT", 7*3600)

func (s *EnvService) Verify(ctx context.Context, path string) (backup.Manifest, error) {
	return backup.Verify(ctx, path)
}

func (s *EnvService) Restore(ctx context.Context, path string) (Restored, error) {
	dir := wire.RestoreDir(s.Env.Dir, s.Env.Now())
	rep, err := backup.Restore(ctx, path, dir, s.Log)
	if err != nil {
		return Restored{}, err
	}
	if err := wire.MarkRestored(s.Env.Dir, dir); err != nil {
		return Restored{}, err
	}
	if s.Log != nil {
		s.Log.Info("restore prepared from the technician screen; switched in at the next start", "file", filepath.Base(path),
			"folder", dir, "by", s.actor())
	}
	return Restored{Report: rep, Dir: dir}, nil
}

func (s *EnvService) Export(ctx context.Context, in ExportInput) (provision.Bundle, error) {
	var key ed25519.PrivateKey
	if in.KeyFile != "" {
		data, err := os.ReadFile(in.KeyFile)
		if err == nil {
			key, err = provision.ParsePrivateKey(data)
		}
		if err != nil {
			return provision.Bundle{}, fmt.Errorf("%w: %v", ErrKey, err)
		}
	} else if !in.Unsigned {
		return provision.Bundle{}, ErrNeedKey
	}
	b, err := s.Env.ExportBundle(ctx, in.Slot, in.Mode, provision.Hub{URL: in.HubURL, EnrolToken: in.Token}, s.actor())
	if err != nil {
		return b, err
	}
	var data []byte
	if key != nil {
		data, err = provision.MarshalSigned(b, key)
	} else {
		data, err = provision.Marshal(b)
	}
	if err != nil {
		return b, err
	}
	f, err := os.OpenFile(in.File, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o600)
	if err != nil {
		return b, err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(in.File)
	}
	return b, err
}

func (s *EnvService) Apply(ctx context.Context, file, trustKey string, allowUnsigned bool) (provision.Opened, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return provision.Opened{}, err
	}
	var extra []ed25519.PublicKey
	if strings.TrimSpace(trustKey) != "" {
		k, err := provision.ParsePublicKey(trustKey)
		if err != nil {
			return provision.Opened{}, fmt.Errorf("%w: %v", ErrKey, err)
		}
		extra = append(extra, k)
	}
	return s.Env.ApplySigned(ctx, data, extra, allowUnsigned, wire.Office{AdminLogin: s.actor()})
}
