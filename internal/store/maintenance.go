package store

// Maintenance: what backups, restores and upgrades need from the store
// (pending migrations, a full check of the file store, the backup log and the
// technician's JSON settings). Owned by the packaging/backup work (issue 8).

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// DBFile is the name of the database file inside a data directory.
const DBFile = "motcua.db"

// Migration is one embedded migration.
type Migration struct {
	Version int
	Name    string // file name, e.g. "0001_init.sql"
}

// Migrations lists the embedded migrations in the order Open applies them.
func Migrations() ([]Migration, error) {
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	out := make([]Migration, 0, len(names))
	for _, name := range names {
		base := filepath.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return nil, fmt.Errorf("migration %s has no version number", base)
		}
		out = append(out, Migration{Version: v, Name: base})
	}
	return out, nil
}

// PendingMigrations reports the migrations Open would apply to the data
// directory dir, without changing anything there. A directory with no
// database yet has nothing to upgrade (nil, nil): Open will create it.
func PendingMigrations(ctx context.Context, dir string) ([]Migration, error) {
	path := filepath.Join(dir, DBFile)
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("pending migrations: %w", err)
	}
	all, err := Migrations()
	if err != nil {
		return nil, fmt.Errorf("pending migrations: %w", err)
	}
	db, err := openDB(path, "NORMAL", "deferred", true, 1)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	applied := map[int]bool{}
	var tables int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&tables); err != nil {
		return nil, fmt.Errorf("pending migrations: %w", err)
	}
	if tables == 0 {
		var any int
		if err := db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema`).Scan(&any); err != nil {
			return nil, fmt.Errorf("pending migrations: %w", err)
		}
		if any == 0 {
			return nil, nil // an empty database file: nothing to keep
		}
		return all, nil
	}
	rows, err := db.QueryContext(ctx, `SELECT version FROM schema_migrations`)
	if err != nil {
		return nil, fmt.Errorf("pending migrations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, fmt.Errorf("pending migrations: %w", err)
		}
		applied[v] = true
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pending migrations: %w", err)
	}
	var pending []Migration
	for _, m := range all {
		if !applied[m.Version] {
			pending = append(pending, m)
		}
	}
	return pending, nil
}

// AppliedSchema is the newest migration version recorded in the database
// file at path (0 if none). It opens the file read-only.
func AppliedSchema(ctx context.Context, path string) (int, error) {
	db, err := openDB(path, "NORMAL", "deferred", true, 1)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var v sql.NullInt64
	if err := db.QueryRowContext(ctx, `SELECT max(version) FROM schema_migrations`).Scan(&v); err != nil {
		return 0, fmt.Errorf("schema version: %w", err)
	}
	return int(v.Int64), nil
}

// FileError names a blob of the file store that is missing or damaged.
type FileError struct {
	SHA256 string
	Reason string
}

func (e *FileError) Error() string { return fmt.Sprintf("file %s: %s", e.SHA256, e.Reason) }

// Unwrap makes errors.Is(err, ErrFileMissing) true.
func (e *FileError) Unwrap() error { return ErrFileMissing }

// VerifyFiles reads every registered blob and checks that it is on disk,
// has its registered size and hashes to its name. It reads every byte: run it
// from doctor and after a restore, not at start-up. The first bad blob yields
// a *FileError.
func (s *Store) VerifyFiles(ctx context.Context) (n int, err error) {
	type blob struct {
		sha  string
		size int64
	}
	var blobs []blob
	err = s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT sha256, size FROM files ORDER BY sha256`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var b blob
			if err := rows.Scan(&b.sha, &b.size); err != nil {
				return err
			}
			blobs = append(blobs, b)
		}
		return rows.Err()
	})
	if err != nil {
		return 0, fmt.Errorf("verify files: %w", err)
	}
	for _, b := range blobs {
		if err := ctx.Err(); err != nil {
			return n, err
		}
		if !validSHA(b.sha) {
			return n, &FileError{SHA256: b.sha, Reason: "not a SHA-256"}
		}
		f, err := os.Open(s.blobPath(b.sha))
		if err != nil {
			return n, &FileError{SHA256: b.sha, Reason: "missing"}
		}
		h := sha256.New()
		size, err := io.Copy(h, f)
		f.Close()
		switch {
		case err != nil:
			return n, &FileError{SHA256: b.sha, Reason: "unreadable: " + err.Error()}
		case size != b.size:
			return n, &FileError{SHA256: b.sha, Reason: fmt.Sprintf("%d bytes, registered %d", size, b.size)}
		case hex.EncodeToString(h.Sum(nil)) != b.sha:
			return n, &FileError{SHA256: b.sha, Reason: "content does not hash to its name"}
		}
		n++
	}
	return n, nil
}

// BackupRecord is one line of the backup log.
type BackupRecord struct {
	At            time.Time
	Kind          string // manual, daily, pre-upgrade
	File          string // base name of the archive
	SHA256        string
	Size          int64
	SchemaVersion int
	Dossiers      int
	Files         int
}

// RecordBackup appends a backup to the log, with an audit record.
func (s *Store) RecordBackup(ctx context.Context, b BackupRecord, actor string) error {
	if b.At.IsZero() {
		b.At = s.now()
	}
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO backups (at, kind, file, sha256, size, schema_version, dossiers, files)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, millis(b.At), b.Kind, filepath.Base(b.File), b.SHA256, b.Size,
			b.SchemaVersion, b.Dossiers, b.Files); err != nil {
			return err
		}
		q := newTxq(ctx, tx, s.wStmts)
		defer q.close()
		return s.appendAudit(q, auditRecord{
			At: s.now(), Actor: actor, Action: "backup.create", Entity: "backup:" + filepath.Base(b.File),
			Detail: map[string]any{"kind": b.Kind, "sha256": b.SHA256, "size": b.Size, "dossiers": b.Dossiers, "files": b.Files},
		})
	})
	if err != nil {
		return fmt.Errorf("record backup: %w", err)
	}
	return nil
}

// Backups returns the newest backups of the log, newest first.
func (s *Store) Backups(ctx context.Context, limit int) ([]BackupRecord, error) {
	var out []BackupRecord
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT at, kind, file, sha256, size, schema_version, dossiers, files
			FROM backups ORDER BY at DESC, id DESC LIMIT ?`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var b BackupRecord
			var at sql.NullInt64
			if err := rows.Scan(&at, &b.Kind, &b.File, &b.SHA256, &b.Size, &b.SchemaVersion, &b.Dossiers, &b.Files); err != nil {
				return err
			}
			b.At = fromMillis(at)
			out = append(out, b)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("backups: %w", err)
	}
	return out, nil
}

// JSONSetting reads the settings row key as JSON into v. It reports false
// (and leaves v alone) when the row does not exist. Features that keep their
// own settings (backup, provisioning) use it instead of growing Settings.
func (s *Store) JSONSetting(ctx context.Context, key string, v any) (bool, error) {
	var raw string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("setting %s: %w", key, err)
	}
	if err := json.Unmarshal([]byte(raw), v); err != nil {
		return false, fmt.Errorf("setting %s: %w", key, err)
	}
	return true, nil
}

// SaveJSONSetting stores v as JSON in the settings row key, with an audit
// record naming the key and, unless secret, the new value. Keys of Settings
// fields are refused.
func (s *Store) SaveJSONSetting(ctx context.Context, key string, v any, secret bool, actor string) error {
	for _, k := range settingKeys {
		if k.key == key {
			return fmt.Errorf("%w: %s is a Settings field", ErrInvalidSettings, key)
		}
	}
	if key == deviceKeySetting || key == "" {
		return fmt.Errorf("%w: key %q", ErrInvalidSettings, key)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("setting %s: %w", key, err)
	}
	err = s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, string(raw)); err != nil {
			return err
		}
		detail := map[string]any{"key": key}
		if !secret {
			detail["value"] = json.RawMessage(raw)
		}
		q := newTxq(ctx, tx, s.wStmts)
		defer q.close()
		return s.appendAudit(q, auditRecord{At: s.now(), Actor: actor, Action: "settings.save", Entity: "settings:" + key, Detail: detail})
	})
	if err != nil {
		return fmt.Errorf("save setting %s: %w", key, err)
	}
	return nil
}
