package wire

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/backup"
	"github.com/motcua/motcua/internal/store"
)

// AppVersion is written into backup manifests; app sets it from its
// build-time version.
var AppVersion = "dev"

// BackupDir is where automatic backups go by default: <data dir>/backups.
func BackupDir(dataDir string) string { return filepath.Join(dataDir, "backups") }

// backupBeforeUpgrade backs the data directory up into BackupDir when
// opening the store would apply migrations to an existing database. If the
// backup cannot be made, the upgrade does not happen: Open fails and the
// data stays as the older version left it.
func backupBeforeUpgrade(ctx context.Context, dir string, now func() time.Time, log *slog.Logger) (*backup.Result, error) {
	pending, err := store.PendingMigrations(ctx, dir)
	if err != nil || len(pending) == 0 {
		return nil, err
	}
	from, err := store.AppliedSchema(ctx, filepath.Join(dir, store.DBFile))
	if err != nil {
		return nil, err
	}
	t := now()
	out := filepath.Join(BackupDir(dir), backup.FileName(fmt.Sprintf("v%d", from), t, "pre-upgrade"))
	res, err := backup.Create(ctx, dir, out, backup.Options{Kind: "pre-upgrade", AppVersion: AppVersion, Now: func() time.Time { return t }})
	if err != nil {
		return nil, fmt.Errorf("upgrade stopped, the data is unchanged: could not back up first: %w", err)
	}
	if log != nil {
		log.Info("backup before upgrade", "file", filepath.Base(out), "from_schema", from,
			"migrations", len(pending), "bytes", res.Size)
	}
	return &res, nil
}

// recordUpgradeBackup writes the pre-upgrade backup into the backup log of
// the now migrated store.
func recordUpgradeBackup(ctx context.Context, st *store.Store, res *backup.Result, log *slog.Logger) {
	if res == nil {
		return
	}
	m := res.Manifest
	err := st.RecordBackup(ctx, store.BackupRecord{At: m.CreatedAt, Kind: "pre-upgrade", File: res.Path, SHA256: res.SHA256,
		Size: res.Size, SchemaVersion: m.SchemaVersion, Dossiers: m.Dossiers, Files: len(m.Files)}, "system")
	if err != nil && log != nil {
		log.Warn("record backup before upgrade", "err", err)
	}
}

// Restoring from the technician screen. The running app cannot replace the
// data directory it has open, so the screen restores into a new, empty
// folder beside it (RestoreDir) and leaves a note (pendingFile); the next
// start, before anything opens the data, moves the current folder aside
// (kept, never deleted) and puts the restored one in its place
// (SwitchRestored).

// RestoreDir is a new folder beside dataDir for a restore made at t.
func RestoreDir(dataDir string, t time.Time) string {
	return filepath.Clean(dataDir) + ".restored-" + t.Format("20060102-150405")
}

func pendingFile(dataDir string) string { return filepath.Clean(dataDir) + ".restore-pending" }

// MarkRestored asks the next start to switch to the restored folder.
func MarkRestored(dataDir, restored string) error {
	if filepath.Dir(filepath.Clean(restored)) != filepath.Dir(filepath.Clean(dataDir)) {
		return fmt.Errorf("restored folder %s is not beside %s", restored, dataDir)
	}
	return os.WriteFile(pendingFile(dataDir), []byte(filepath.Base(restored)+"\n"), 0o600)
}

// PendingRestore is the restored folder waiting for the next start ("" if none).
func PendingRestore(dataDir string) string {
	b, err := os.ReadFile(pendingFile(dataDir))
	if err != nil {
		return ""
	}
	name := strings.TrimSpace(string(b))
	if name == "" || name != filepath.Base(name) || !strings.HasPrefix(name, filepath.Base(filepath.Clean(dataDir))+".restored-") {
		return ""
	}
	return filepath.Join(filepath.Dir(filepath.Clean(dataDir)), name)
}

// SwitchRestored puts a pending restored folder in place of dataDir, which
// is renamed to <dataDir>.before-restore-<time>. It returns that old
// folder's new name ("" when nothing was pending). A pending note whose
// folder is gone or holds no database is dropped and reported.
func SwitchRestored(dataDir string, now time.Time) (old string, err error) {
	note := pendingFile(dataDir)
	if _, err := os.Stat(note); errors.Is(err, os.ErrNotExist) {
		return "", nil
	}
	restored := PendingRestore(dataDir)
	if restored == "" {
		os.Remove(note)
		return "", fmt.Errorf("the restore note %s is not valid: removed, nothing switched", note)
	}
	if _, err := os.Stat(filepath.Join(restored, store.DBFile)); err != nil {
		os.Remove(note)
		return "", fmt.Errorf("restored folder %s has no database: nothing switched: %w", restored, err)
	}
	dataDir = filepath.Clean(dataDir)
	old = dataDir + ".before-restore-" + now.Format("20060102-150405")
	if _, err := os.Stat(dataDir); err == nil {
		if err := os.Rename(dataDir, old); err != nil {
			return "", fmt.Errorf("move the current data aside: %w", err)
		}
	} else {
		old = ""
	}
	if err := os.Rename(restored, dataDir); err != nil {
		if old != "" {
			os.Rename(old, dataDir) // put it back
		}
		return "", fmt.Errorf("put the restored data in place: %w", err)
	}
	return old, os.Remove(note)
}
