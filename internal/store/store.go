package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

// Errors a caller can test with errors.Is.
var (
	ErrNotFound        = errors.New("not found")
	ErrNotProvisioned  = errors.New("device not provisioned: agency id or device slot missing")
	ErrCodesExhausted  = errors.New("dossier codes exhausted for today on this device")
	ErrCodeSet         = errors.New("dossier already has a code")
	ErrFileMissing     = errors.New("referenced file is not in the file store")
	ErrAuditBroken     = errors.New("audit chain broken")
	ErrIntegrity       = errors.New("database integrity check failed")
	ErrInvalidSettings = errors.New("invalid settings")
)

// SchemaVersion is the version of the newest embedded migration.
const SchemaVersion = 10

//go:embed migrations/*.sql
var migrationFS embed.FS

// vnZone is Vietnam's time zone (UTC+7, no daylight saving). The day of a
// dossier code and the year of a tracking-book number are taken in it.
var vnZone = time.FixedZone("ICT", 7*3600)

// Options configure Open. The zero value is usable.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives start-up and maintenance messages (never personal
	// data); nil discards them.
	Logger *slog.Logger
}

// Store is the device's SQLite database and file store. It is safe for
// concurrent use.
type Store struct {
	dir       string
	files     string
	now       func() time.Time
	log       *slog.Logger
	w         *sql.DB // the one writer, synchronous=FULL
	bulk      *sql.DB // bulk writer, synchronous=NORMAL (seeding only)
	r         *sql.DB // readers, query_only
	wStmts    stmtCache
	bulkStmts stmtCache
	cleanup   CleanupStats
	// searchPath forces one way of evaluating text filters (tests only).
	searchPath int
}

// CleanupStats counts what the start-up cleanup removed.
type CleanupStats struct {
	TempFiles     int // half-written files left in files/tmp
	OrphanedFiles int // blobs no paper refers to (scans of a save that never committed)
}

// Open opens (creating if needed) the store in dir: the database dir/motcua.db
// and the blobs under dir/files/. It applies pending migrations and removes
// temporary and unreferenced blobs; it never scans a whole table.
func Open(ctx context.Context, dir string, opt Options) (*Store, error) {
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Store{
		dir:   dir,
		files: filepath.Join(dir, "files"),
		now:   opt.Now,
		log:   opt.Logger,
	}
	if err := os.MkdirAll(filepath.Join(s.files, "tmp"), 0o700); err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	path := filepath.Join(dir, "motcua.db")
	var err error
	if s.w, err = openDB(path, "FULL", "immediate", false, 1); err != nil {
		return nil, err
	}
	if err := s.migrate(ctx); err != nil {
		s.w.Close()
		return nil, err
	}
	if s.bulk, err = openDB(path, "NORMAL", "immediate", false, 1, "cache_size(-32768)"); err != nil {
		s.w.Close()
		return nil, err
	}
	if s.r, err = openDB(path, "NORMAL", "deferred", true, 4, "cache_size(-16384)"); err != nil {
		s.w.Close()
		s.bulk.Close()
		return nil, err
	}
	if s.wStmts, err = prepareCache(ctx, s.w, writeStatements); err != nil {
		s.Close()
		return nil, err
	}
	if s.bulkStmts, err = prepareCache(ctx, s.bulk, writeStatements); err != nil {
		s.Close()
		return nil, err
	}
	if err := s.cleanFiles(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// openDB opens one handle on the database with its pragmas in the DSN.
func openDB(path, sync, txlock string, readOnly bool, conns int, pragmas ...string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous("+sync+")")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	q.Set("_txlock", txlock)
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	db.SetMaxOpenConns(conns)
	db.SetMaxIdleConns(conns)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}

// Close runs SQLite's cheap statistics refresh and closes every handle.
func (s *Store) Close() error {
	ctx := context.Background()
	var errs []error
	s.wStmts.close()
	s.bulkStmts.close()
	if _, err := s.w.ExecContext(ctx, "PRAGMA analysis_limit=400; PRAGMA optimize;"); err != nil {
		errs = append(errs, fmt.Errorf("optimize: %w", err))
	}
	for _, db := range []*sql.DB{s.r, s.bulk, s.w} {
		if db != nil {
			if err := db.Close(); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// Cleanup reports what the start-up cleanup of this Open removed.
func (s *Store) Cleanup() CleanupStats { return s.cleanup }

// migrate applies the embedded migrations not yet recorded in
// schema_migrations, each in its own transaction, in file-name order.
func (s *Store) migrate(ctx context.Context) error {
	if _, err := s.w.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT    NOT NULL,
		applied_at INTEGER NOT NULL
	) STRICT`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	names, err := fs.Glob(migrationFS, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		base := filepath.Base(name)
		v, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
		if err != nil {
			return fmt.Errorf("migrate: %s has no version number", base)
		}
		body, err := migrationFS.ReadFile(name)
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		err = s.inTx(ctx, s.w, func(tx *sql.Tx) error {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, v).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				v, base, millis(s.now())); err != nil {
				return err
			}
			s.log.Info("store migration applied", "version", v, "file", base)
			return nil
		})
		if err != nil {
			return fmt.Errorf("migrate %s: %w", base, err)
		}
	}
	return nil
}

// inTx runs fn in a transaction on db, committing if fn returns nil.
func (s *Store) inTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// IntegrityCheck runs PRAGMA integrity_check and the FTS index's own check
// against its content table. It reads every page: run it from "doctor", not
// at start-up.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.r.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	var msgs []string
	for rows.Next() {
		var m string
		if err := rows.Scan(&m); err != nil {
			rows.Close()
			return fmt.Errorf("integrity check: %w", err)
		}
		msgs = append(msgs, m)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if len(msgs) != 1 || msgs[0] != "ok" {
		return fmt.Errorf("%w: %s", ErrIntegrity, strings.Join(msgs, "; "))
	}
	// The FTS check writes nothing but is issued as an INSERT, so it runs on
	// the writer.
	if _, err := s.w.ExecContext(ctx, `INSERT INTO dossier_fts (dossier_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		return fmt.Errorf("%w: full-text index: %v", ErrIntegrity, err)
	}
	var fk int
	err = s.r.QueryRowContext(ctx, "SELECT count(*) FROM pragma_foreign_key_check").Scan(&fk)
	if err != nil {
		return fmt.Errorf("integrity check: %w", err)
	}
	if fk != 0 {
		return fmt.Errorf("%w: %d foreign key violations", ErrIntegrity, fk)
	}
	return nil
}

// millis is t as milliseconds since the epoch; the zero time is NULL.
func millis(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

// fromMillis is the inverse of millis, in UTC.
func fromMillis(ms sql.NullInt64) time.Time {
	if !ms.Valid {
		return time.Time{}
	}
	return time.UnixMilli(ms.Int64).UTC()
}
