package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
)

// CreateAtVersion creates a database in dir with only the embedded
// migrations up to version v applied, as an older motcua would have left it:
// upgrade tests start from it.
func CreateAtVersion(ctx context.Context, dir string, v int) error {
	all, err := Migrations()
	if err != nil {
		return err
	}
	db, err := openDB(filepath.Join(dir, DBFile), "FULL", "immediate", false, 1)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT`); err != nil {
		return err
	}
	for _, m := range all {
		if m.Version > v {
			break
		}
		body, err := migrationFS.ReadFile("migrations/" + m.Name)
		if err != nil {
			return err
		}
		s := &Store{}
		if err := s.inTx(ctx, db, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations VALUES (?, ?, 0)`, m.Version, m.Name)
			return err
		}); err != nil {
			return fmt.Errorf("create at version %d: %s: %w", v, m.Name, err)
		}
	}
	return nil
}
