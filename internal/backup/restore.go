package backup

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/motcua/motcua/internal/store"
)

// Report is what Restore checked.
type Report struct {
	Manifest      Manifest
	SchemaVersion int // after the store applied newer migrations
	Dossiers      int
	AuditRecords  int // records of the chain, verified
	Files         int // blobs whose content was hashed again
}

// Restore unpacks the archive at path into the data directory dataDir,
// which must not exist or be empty. Every member is checked against the
// manifest; the unpacked store is opened (applying migrations newer than
// the backup), then passes PRAGMA integrity_check, the full-text and foreign
// key checks, the audit chain check and a hash of every file, before the
// directory gets its final name. On any failure nothing is left behind.
func Restore(ctx context.Context, path, dataDir string, log *slog.Logger) (Report, error) {
	var rep Report
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if ents, err := os.ReadDir(dataDir); err == nil && len(ents) > 0 {
		return rep, fmt.Errorf("restore into %s: %w (restore into a new folder, or move the old one away first)", dataDir, ErrNotEmpty)
	} else if err != nil && !errors.Is(err, os.ErrNotExist) {
		return rep, fmt.Errorf("restore: %w", err)
	}
	parent := filepath.Dir(filepath.Clean(dataDir))
	if err := os.MkdirAll(parent, 0o700); err != nil {
		return rep, fmt.Errorf("restore: %w", err)
	}
	staging, err := os.MkdirTemp(parent, ".motcua-restore-*")
	if err != nil {
		return rep, fmt.Errorf("restore: %w", err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(staging)
		}
	}()
	m, err := unpack(ctx, path, staging, false)
	if err != nil {
		return rep, err
	}
	rep.Manifest = m
	if err := integrity(ctx, filepath.Join(staging, store.DBFile)); err != nil {
		return rep, err
	}
	st, err := store.Open(ctx, staging, store.Options{Logger: log})
	if err != nil {
		return rep, fmt.Errorf("restore: open the restored store: %w", err)
	}
	check := func() error {
		if err := st.IntegrityCheck(ctx); err != nil {
			return err
		}
		n, err := st.VerifyAudit(ctx)
		if err != nil {
			return err
		}
		rep.AuditRecords = n
		if n != m.AuditRecords {
			return fmt.Errorf("%w: %d audit records, manifest says %d", ErrDamaged, n, m.AuditRecords)
		}
		if rep.Files, err = st.VerifyFiles(ctx); err != nil {
			return err
		}
		return nil
	}
	err = check()
	if cerr := st.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return rep, fmt.Errorf("restore: the restored data does not check: %w", err)
	}
	db, err := sql.Open("sqlite", dsn(filepath.Join(staging, store.DBFile), "query_only(1)"))
	if err != nil {
		return rep, fmt.Errorf("restore: %w", err)
	}
	f, err := readFacts(ctx, db)
	db.Close()
	if err != nil {
		return rep, fmt.Errorf("restore: %w", err)
	}
	if f.dossiers != m.Dossiers || f.head != m.AuditHead {
		return rep, fmt.Errorf("%w: restored %d dossiers, manifest says %d (or the audit head differs)", ErrDamaged, f.dossiers, m.Dossiers)
	}
	rep.SchemaVersion, rep.Dossiers = f.schema, f.dossiers
	if err := os.Remove(dataDir); err != nil && !errors.Is(err, os.ErrNotExist) {
		return rep, fmt.Errorf("restore: %w", err)
	}
	if err := os.Rename(staging, dataDir); err != nil {
		return rep, fmt.Errorf("restore: %w", err)
	}
	done = true
	if err := syncDir(parent); err != nil {
		return rep, fmt.Errorf("restore: %w", err)
	}
	log.Info("backup restored", "file", filepath.Base(path), "dossiers", rep.Dossiers, "files", rep.Files,
		"audit_records", rep.AuditRecords, "schema", rep.SchemaVersion)
	return rep, nil
}
