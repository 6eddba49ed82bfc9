package hub

import (
	"context"
	"database/sql"
	"fmt"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// OpenPostgres connects to PostgreSQL at url (a pgx connection string, e.g.
// postgres://motcua@127.0.0.1:5432/motcua) and creates the hub's tables if
// needed. It is the same store as SQLite's, with PostgreSQL's placeholders,
// types and row locks; feed writes of one office are serialised with a
// transaction-scoped advisory lock so that feed cursors become visible in
// order.
func OpenPostgres(ctx context.Context, url string) (Store, error) {
	db, err := sql.Open("pgx", url)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(16)
	db.SetMaxIdleConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect postgres: %w", err)
	}
	s := &sqlStore{d: pgDialect, w: db, r: db}
	// Two hubs starting at once must not race on CREATE TABLE IF NOT EXISTS.
	if _, err := db.ExecContext(ctx, `SELECT pg_advisory_lock(7300006)`); err != nil {
		db.Close()
		return nil, err
	}
	err = s.migrate(ctx)
	db.ExecContext(ctx, `SELECT pg_advisory_unlock(7300006)`)
	if err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}
