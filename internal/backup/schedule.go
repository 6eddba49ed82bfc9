package backup

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/store"
)

// SettingsKey is the settings row holding Settings as JSON.
const SettingsKey = "backup"

// Settings of the daily backup, kept as JSON under the settings key
// "backup" (see Load and Save).
type Settings struct {
	Disabled bool   `json:"disabled,omitempty"`
	Folder   string `json:"folder,omitempty"` // "" = <data dir>/backups
	Keep     int    `json:"keep,omitempty"`   // daily archives kept; 0 = 14
	Hour     int    `json:"hour,omitempty"`   // hour of the day, Vietnam time; 0 = 12 (lunch break)
	Minute   int    `json:"minute,omitempty"` // minute of that hour
}

// At is the time of day of the backup as HH:MM.
func (s Settings) At() string { return fmt.Sprintf("%02d:%02d", s.Hour, s.Minute) }

// ParseAt reads a time of day "HH:MM" (or "H") for Settings.Hour and
// Minute. Hour 0 is refused: a zero hour means "the default, 12:00".
func ParseAt(v string) (hour, minute int, err error) {
	v = strings.TrimSpace(v)
	var t time.Time
	if t, err = time.Parse("15:04", v); err != nil {
		if t, err = time.Parse("15", v); err != nil {
			return 0, 0, fmt.Errorf("giờ sao lưu %q không đúng dạng GG:PP, ví dụ 12:00", v)
		}
	}
	if t.Hour() == 0 {
		return 0, 0, fmt.Errorf("giờ sao lưu %q: chọn từ 01:00 đến 23:59", v)
	}
	return t.Hour(), t.Minute(), nil
}

// Defaults fills the zero fields of s.
func (s Settings) Defaults(dataDir string) Settings {
	if s.Folder == "" {
		s.Folder = filepath.Join(dataDir, "backups")
	}
	if s.Keep <= 0 {
		s.Keep = 14
	}
	if s.Hour <= 0 || s.Hour > 23 {
		s.Hour, s.Minute = 12, 0
	}
	if s.Minute < 0 || s.Minute > 59 {
		s.Minute = 0
	}
	return s
}

// JSONSettings is the part of the store Load and Save use.
type JSONSettings interface {
	JSONSetting(ctx context.Context, key string, v any) (bool, error)
	SaveJSONSetting(ctx context.Context, key string, v any, secret bool, actor string) error
}

// Load reads the backup settings (zero value if never saved).
func Load(ctx context.Context, st JSONSettings) (Settings, error) {
	var s Settings
	_, err := st.JSONSetting(ctx, SettingsKey, &s)
	return s, err
}

// Save stores the backup settings, audited.
func Save(ctx context.Context, st JSONSettings, s Settings, actor string) error {
	if s.Keep < 0 || s.Keep > 3650 || s.Hour < 0 || s.Hour > 23 || s.Minute < 0 || s.Minute > 59 {
		return fmt.Errorf("backup settings: keep %d, time %02d:%02d out of range", s.Keep, s.Hour, s.Minute)
	}
	return st.SaveJSONSetting(ctx, SettingsKey, s, false, actor)
}

// Recorder is the store's backup log.
type Recorder interface {
	JSONSettings
	RecordBackup(ctx context.Context, b store.BackupRecord, actor string) error
	Settings(ctx context.Context) (store.Settings, error)
}

// Scheduler makes one backup a day into the configured folder and keeps the
// newest Keep daily archives. A backup is due once the day's hour (Vietnam
// time) has passed and the folder holds no daily backup made since then, so
// a PC switched off at that hour is backed up as soon as the app runs again.
// A device not provisioned yet holds no office data: no backup is made (an
// archive of an empty store would only push real backups out of the
// retention); the scheduler looks again every hour.
type Scheduler struct {
	DataDir    string
	Store      Recorder
	AppVersion string
	Now        func() time.Time                     // nil = time.Now
	After      func(time.Duration) <-chan time.Time // nil = time.After
	Log        *slog.Logger
	// Done, if set, is called after every attempt (tests, the technician screen).
	Done func(Result, error)
	// Retry is the wait after a failed attempt; 0 = 30 minutes.
	Retry time.Duration
	// Wake, if set, makes the scheduler read its settings again at once
	// (the technician screen sends after saving new settings).
	Wake <-chan struct{}
}

// Serve runs until ctx is cancelled.
func (s *Scheduler) Serve(ctx context.Context) error {
	now, after, log := s.Now, s.After, s.Log
	if now == nil {
		now = time.Now
	}
	if after == nil {
		after = time.After
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	retry := s.Retry
	if retry <= 0 {
		retry = 30 * time.Minute
	}
	warned := false
	for {
		set, err := Load(ctx, s.Store)
		if err != nil {
			log.Warn("daily backup: settings", "err", err)
		}
		set = set.Defaults(s.DataDir)
		wait := time.Hour // settings may be switched on later
		ready := true
		if st, err := s.Store.Settings(ctx); err != nil || !st.Provisioned {
			ready = false
			if !warned {
				log.Info("daily backup waits: the device is not provisioned yet")
				warned = true
			}
		}
		if ready && !set.Disabled {
			t := now()
			due := dueAt(t, set.Hour, set.Minute)
			last, _ := newestDaily(set.Folder)
			if last.Before(due) && !t.Before(due) {
				res, err := s.RunOnce(ctx, set, t)
				if s.Done != nil {
					s.Done(res, err)
				}
				if err != nil {
					if ctx.Err() != nil {
						return ctx.Err()
					}
					log.Error("daily backup failed", "err", err)
					wait = retry
				} else {
					wait = dueAt(t, set.Hour, set.Minute).Add(24 * time.Hour).Sub(now())
				}
			} else if t.Before(due) {
				wait = due.Sub(t)
			} else {
				wait = due.Add(24 * time.Hour).Sub(t)
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-after(wait):
		case <-s.Wake:
		}
	}
}

// RunOnce makes one daily backup into set.Folder now and prunes old ones.
func (s *Scheduler) RunOnce(ctx context.Context, set Settings, t time.Time) (Result, error) {
	name := FileName(agencyOf(ctx, s.DataDir), t, "daily")
	res, err := Create(ctx, s.DataDir, filepath.Join(set.Folder, name), Options{Kind: "daily", AppVersion: s.AppVersion, Now: func() time.Time { return t }})
	if err != nil {
		return res, err
	}
	m := res.Manifest
	if err := s.Store.RecordBackup(ctx, store.BackupRecord{At: t, Kind: "daily", File: name, SHA256: res.SHA256, Size: res.Size,
		SchemaVersion: m.SchemaVersion, Dossiers: m.Dossiers, Files: len(m.Files)}, "system"); err != nil {
		return res, err
	}
	if s.Log != nil {
		s.Log.Info("daily backup made", "file", name, "bytes", res.Size, "dossiers", m.Dossiers, "files", len(m.Files))
	}
	if err := Prune(set.Folder, set.Keep); err != nil {
		return res, err
	}
	return res, nil
}

// agencyOf reads the agency id for file names; "" if unknown.
func agencyOf(ctx context.Context, dataDir string) string {
	db, err := sql.Open("sqlite", dsn(filepath.Join(dataDir, store.DBFile), "query_only(1)", "busy_timeout(10000)"))
	if err != nil {
		return ""
	}
	defer db.Close()
	var v string
	db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'agency_id'`).Scan(&v)
	return v
}

// dueAt is today's backup time (Vietnam date of t, at hour:minute).
func dueAt(t time.Time, hour, minute int) time.Time {
	v := t.In(vn)
	return time.Date(v.Year(), v.Month(), v.Day(), hour, minute, 0, 0, vn)
}

// dailyFiles lists the daily archives in folder, oldest first (the names
// sort by time within one office).
func dailyFiles(folder string) ([]string, error) {
	ents, err := os.ReadDir(folder)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, "motcua-") && strings.HasSuffix(n, "-daily.tar.gz") {
			out = append(out, n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return stamp(out[i]) < stamp(out[j]) })
	return out, nil
}

// stamp is the YYYYMMDD-HHMMSS part of an archive name.
func stamp(name string) string {
	s := strings.TrimSuffix(name, "-daily.tar.gz")
	if len(s) < 15 {
		return s
	}
	return s[len(s)-15:]
}

// newestDaily is the time of the newest daily archive in folder.
func newestDaily(folder string) (time.Time, error) {
	fs, err := dailyFiles(folder)
	if err != nil || len(fs) == 0 {
		return time.Time{}, err
	}
	return time.ParseInLocation("20060102-150405", stamp(fs[len(fs)-1]), vn)
}

// Prune deletes all but the newest keep daily archives in folder. Manual
// and pre-upgrade archives are never deleted.
func Prune(folder string, keep int) error {
	fs, err := dailyFiles(folder)
	if err != nil {
		return fmt.Errorf("prune backups: %w", err)
	}
	for len(fs) > keep {
		if err := os.Remove(filepath.Join(folder, fs[0])); err != nil {
			return fmt.Errorf("prune backups: %w", err)
		}
		fs = fs[1:]
	}
	return nil
}
