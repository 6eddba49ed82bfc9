package wire

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
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
