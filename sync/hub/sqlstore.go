package hub

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver (pure Go, no cgo)

	"github.com/motcua/motcua/sync/protocol"
)

// dialect is what differs between SQLite and PostgreSQL.
type dialect struct {
	name    string
	serial  string // primary key type of the feed
	blob    string
	forUpd  string // row lock suffix
	dollars bool   // $1 placeholders
	// lockOffice serialises feed writes of one office so that the feed's ids
	// become visible in order (PostgreSQL; SQLite has one writer anyway).
	lockOffice string
}

var (
	sqliteDialect = dialect{name: "sqlite", serial: "INTEGER PRIMARY KEY AUTOINCREMENT", blob: "BLOB"}
	pgDialect     = dialect{name: "postgres", serial: "BIGSERIAL PRIMARY KEY", blob: "BYTEA", forUpd: " FOR UPDATE",
		dollars: true, lockOffice: "SELECT pg_advisory_xact_lock(hashtext(?))"}
)

// sqlStore implements Store over database/sql for both dialects.
type sqlStore struct {
	d dialect
	w *sql.DB // writes (SQLite: one connection)
	r *sql.DB // reads
}

var _ Store = (*sqlStore)(nil)

func schema(d dialect) []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS offices (code TEXT PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY, office TEXT NOT NULL, role TEXT NOT NULL,
			expires_at BIGINT NOT NULL, used_at BIGINT, device TEXT)`,
		`CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY, office TEXT NOT NULL, public_key ` + d.blob + ` NOT NULL,
			name TEXT NOT NULL, role TEXT NOT NULL, enrolled_at BIGINT NOT NULL, revoked INTEGER NOT NULL DEFAULT 0)`,
		`CREATE TABLE IF NOT EXISTS nonces (device TEXT NOT NULL, nonce TEXT NOT NULL, at BIGINT NOT NULL, PRIMARY KEY (device, nonce))`,
		`CREATE INDEX IF NOT EXISTS nonces_at ON nonces (at)`,
		`CREATE TABLE IF NOT EXISTS dossiers (code TEXT PRIMARY KEY, office TEXT NOT NULL, device TEXT NOT NULL,
			status INTEGER NOT NULL, procedure_code TEXT NOT NULL, received_at BIGINT NOT NULL, due_at BIGINT,
			last_seq INTEGER NOT NULL, payload TEXT NOT NULL, updated_at BIGINT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS dossiers_office ON dossiers (office, status, due_at)`,
		`CREATE TABLE IF NOT EXISTS events (uuid TEXT PRIMARY KEY, dossier TEXT NOT NULL, seq INTEGER NOT NULL,
			kind TEXT NOT NULL, device TEXT NOT NULL, payload TEXT NOT NULL, created_at BIGINT NOT NULL,
			applied_at BIGINT NOT NULL, UNIQUE (dossier, seq))`,
		`CREATE TABLE IF NOT EXISTS dossier_files (dossier TEXT NOT NULL, sha256 TEXT NOT NULL, PRIMARY KEY (dossier, sha256))`,
		`CREATE TABLE IF NOT EXISTS files (sha256 TEXT PRIMARY KEY, size BIGINT NOT NULL, stored_at BIGINT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS uploads (id TEXT PRIMARY KEY, device TEXT NOT NULL, sha256 TEXT NOT NULL,
			length BIGINT NOT NULL, upload_offset BIGINT NOT NULL, done INTEGER NOT NULL, created_at BIGINT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS uploads_device_sha ON uploads (device, sha256, done)`,
		`CREATE TABLE IF NOT EXISTS changes (id ` + d.serial + `, office TEXT NOT NULL, kind TEXT NOT NULL,
			dossier TEXT NOT NULL, origin TEXT NOT NULL, at BIGINT NOT NULL, payload TEXT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS changes_office ON changes (office, id)`,
		`CREATE TABLE IF NOT EXISTS decisions (id TEXT PRIMARY KEY, dossier TEXT NOT NULL, outcome TEXT NOT NULL,
			status INTEGER NOT NULL, note TEXT NOT NULL, result TEXT NOT NULL, decided_by TEXT NOT NULL, at BIGINT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS decisions_dossier ON decisions (dossier, at)`,
		`CREATE TABLE IF NOT EXISTS office_votes (uuid TEXT PRIMARY KEY, office TEXT NOT NULL, device TEXT NOT NULL,
			at BIGINT NOT NULL, rating INTEGER NOT NULL, payload TEXT NOT NULL, applied_at BIGINT NOT NULL)`,
	}
}

// OpenSQLite opens (creating) the hub's SQLite database at path.
func OpenSQLite(ctx context.Context, path string) (Store, error) {
	dsn := func(txlock string, ro bool) string {
		q := url.Values{}
		q.Add("_pragma", "busy_timeout(10000)")
		q.Add("_pragma", "journal_mode(WAL)")
		q.Add("_pragma", "synchronous(FULL)")
		if ro {
			q.Add("_pragma", "query_only(1)")
		}
		q.Set("_txlock", txlock)
		return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	}
	w, err := sql.Open("sqlite", dsn("immediate", false))
	if err != nil {
		return nil, fmt.Errorf("open hub database: %w", err)
	}
	w.SetMaxOpenConns(1)
	r, err := sql.Open("sqlite", dsn("deferred", true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open hub database: %w", err)
	}
	r.SetMaxOpenConns(4)
	s := &sqlStore{d: sqliteDialect, w: w, r: r}
	if err := s.migrate(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

func (s *sqlStore) migrate(ctx context.Context) error {
	for _, q := range append(append(schema(s.d), reviewSchema(s.d)...), feedSchema(s.d)...) {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("hub schema: %w", err)
		}
	}
	return s.migrateReview(ctx) // review index of older dossiers (review_store.go)
}

// Close closes the database handles.
func (s *sqlStore) Close() error {
	err := s.w.Close()
	if s.r != s.w {
		err = errors.Join(err, s.r.Close())
	}
	return err
}

// q rewrites ? placeholders for PostgreSQL.
func (s *sqlStore) q(query string) string {
	if !s.d.dollars {
		return query
	}
	var b strings.Builder
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

func (s *sqlStore) inTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) error {
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

func ms(t time.Time) int64 { return t.UnixMilli() }

func nullMs(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMilli()
}

func fromMs(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

func (s *sqlStore) CreateOffice(ctx context.Context, o Office) error {
	res, err := s.w.ExecContext(ctx, s.q(`INSERT INTO offices (code, name, created_at) VALUES (?, ?, ?) ON CONFLICT (code) DO NOTHING`),
		o.Code, o.Name, ms(o.CreatedAt))
	if err != nil {
		return fmt.Errorf("create office: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrExists
	}
	return nil
}

func (s *sqlStore) Office(ctx context.Context, code string) (Office, error) {
	var o Office
	var at int64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT code, name, created_at FROM offices WHERE code = ?`), code).Scan(&o.Code, &o.Name, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return o, ErrNotFound
	}
	o.CreatedAt = time.UnixMilli(at).UTC()
	return o, err
}

func (s *sqlStore) Offices(ctx context.Context) ([]Office, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT code, name, created_at FROM offices ORDER BY code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Office
	for rows.Next() {
		var o Office
		var at int64
		if err := rows.Scan(&o.Code, &o.Name, &at); err != nil {
			return nil, err
		}
		o.CreatedAt = time.UnixMilli(at).UTC()
		out = append(out, o)
	}
	return out, rows.Err()
}

func (s *sqlStore) CreateToken(ctx context.Context, hash, office, role string, expires time.Time) error {
	if _, err := s.Office(ctx, office); err != nil && role != RoleReviewer {
		return fmt.Errorf("token for office %s: %w", office, err)
	}
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO tokens (hash, office, role, expires_at) VALUES (?, ?, ?, ?)`),
		hash, office, role, ms(expires))
	return err
}

func (s *sqlStore) Enrol(ctx context.Context, hash string, d Device, now time.Time) (Device, error) {
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		var office, role string
		var exp int64
		var used sql.NullInt64
		err := tx.QueryRowContext(ctx, s.q(`SELECT office, role, expires_at, used_at FROM tokens WHERE hash = ?`+s.d.forUpd), hash).
			Scan(&office, &role, &exp, &used)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (used.Valid || exp < ms(now))) {
			return ErrBadToken
		}
		if err != nil {
			return err
		}
		d.Office, d.Role, d.EnrolledAt = office, role, now.UTC()
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE tokens SET used_at = ?, device = ? WHERE hash = ?`), ms(now), d.ID, hash); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, s.q(`INSERT INTO devices (id, office, public_key, name, role, enrolled_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`), d.ID, d.Office, d.PublicKey, d.Name, d.Role, ms(now))
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrExists
		}
		return nil
	})
	return d, err
}

func (s *sqlStore) AddDevice(ctx context.Context, d Device) error {
	res, err := s.w.ExecContext(ctx, s.q(`INSERT INTO devices (id, office, public_key, name, role, enrolled_at) VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (id) DO NOTHING`), d.ID, d.Office, d.PublicKey, d.Name, d.Role, ms(d.EnrolledAt))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrExists
	}
	return nil
}

func (s *sqlStore) Device(ctx context.Context, id string) (Device, error) {
	var d Device
	var at int64
	var revoked int
	err := s.r.QueryRowContext(ctx, s.q(`SELECT id, office, public_key, name, role, enrolled_at, revoked FROM devices WHERE id = ?`), id).
		Scan(&d.ID, &d.Office, &d.PublicKey, &d.Name, &d.Role, &at, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return d, ErrNotFound
	}
	d.EnrolledAt, d.Revoked = time.UnixMilli(at).UTC(), revoked != 0
	return d, err
}

func (s *sqlStore) UseNonce(ctx context.Context, device, nonce string, at, before time.Time) (bool, error) {
	fresh := false
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`INSERT INTO nonces (device, nonce, at) VALUES (?, ?, ?) ON CONFLICT (device, nonce) DO NOTHING`),
			device, nonce, ms(at))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		fresh = n == 1
		// Forget old nonces now and then (about one request in 64).
		if nonce[len(nonce)-2:] == "00" || nonce[len(nonce)-2:] == "ff" {
			_, err = tx.ExecContext(ctx, s.q(`DELETE FROM nonces WHERE at < ?`), ms(before))
		}
		return err
	})
	return fresh, err
}

// received is what the hub reads of a dossier.received payload.
type received struct {
	Code          string    `json:"code"`
	ProcedureCode string    `json:"procedure_code"`
	ReceivedAt    time.Time `json:"received_at"`
	DueAt         time.Time `json:"due_at"`
	Status        int       `json:"status"`
	Papers        []struct {
		Files []string `json:"files"`
	} `json:"papers"`
}

// later is what the hub reads of a later event's payload.
type later struct {
	Status int `json:"status"`
	To     int `json:"to"` // dossier.status events of the lifecycle
}

func reject(uuid, code, msg string) protocol.Result {
	return protocol.Result{UUID: uuid, Status: protocol.Rejected, Code: code, Error: msg}
}

func (s *sqlStore) Apply(ctx context.Context, dev Device, events []protocol.Event, now time.Time) ([]protocol.Result, error) {
	var out []protocol.Result
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		out = make([]protocol.Result, 0, len(events))
		if s.d.lockOffice != "" {
			if _, err := tx.ExecContext(ctx, s.q(s.d.lockOffice), dev.Office); err != nil {
				return err
			}
		}
		for _, ev := range events {
			r, err := s.applyOne(ctx, tx, dev, ev, now)
			if err != nil {
				return fmt.Errorf("event %s: %w", ev.UUID, err)
			}
			out = append(out, r)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("apply: %w", err)
	}
	return out, nil
}

// ValidEvent checks the shape of a pushed event; "" when it is well formed.
func ValidEvent(ev protocol.Event) string {
	switch {
	case len(ev.UUID) != 36 || strings.Count(ev.UUID, "-") != 4:
		return "uuid is not a UUID"
	case ev.Dossier == "" || len(ev.Dossier) > 64:
		return "dossier code missing"
	case ev.Seq < 1:
		return "sequence must be at least 1"
	case ev.Kind == "" || len(ev.Kind) > 64:
		return "kind missing"
	case len(ev.Payload) == 0 || !json.Valid(ev.Payload):
		return "payload is not JSON"
	}
	return ""
}

func (s *sqlStore) applyOne(ctx context.Context, tx *sql.Tx, dev Device, ev protocol.Event, now time.Time) (protocol.Result, error) {
	if isOfficeVote(ev) {
		return s.applyOfficeVote(ctx, tx, dev, ev, now)
	}
	if msg := ValidEvent(ev); msg != "" {
		return reject(ev.UUID, protocol.ErrBadRequest, msg), nil
	}
	if !strings.HasPrefix(ev.Dossier, dev.Office+"-") {
		return reject(ev.UUID, protocol.ErrForbidden, "dossier belongs to another office"), nil
	}
	var dossierOf string
	var seqOf int
	err := tx.QueryRowContext(ctx, s.q(`SELECT dossier, seq FROM events WHERE uuid = ?`), ev.UUID).Scan(&dossierOf, &seqOf)
	if err == nil {
		if dossierOf == ev.Dossier && seqOf == ev.Seq {
			return protocol.Result{UUID: ev.UUID, Status: protocol.Duplicate}, nil
		}
		return reject(ev.UUID, protocol.ErrConflict, "uuid already used by another event"), nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return protocol.Result{}, err
	}
	last := 0
	var office string
	err = tx.QueryRowContext(ctx, s.q(`SELECT last_seq, office FROM dossiers WHERE code = ?`+s.d.forUpd), ev.Dossier).Scan(&last, &office)
	exists := err == nil
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return protocol.Result{}, err
	}
	if exists && office != dev.Office {
		return reject(ev.UUID, protocol.ErrForbidden, "dossier belongs to another office"), nil
	}
	switch {
	case ev.Seq <= last:
		return reject(ev.UUID, protocol.ErrConflict, "sequence already used by another event"), nil
	case ev.Seq > last+1:
		return protocol.Result{UUID: ev.UUID, Status: protocol.Gap, Expect: last + 1}, nil
	}
	change := protocol.ChangeEvent
	if ev.Seq == 1 {
		if ev.Kind != protocol.KindReceived {
			return reject(ev.UUID, protocol.ErrBadRequest, "the first event of a dossier must be "+protocol.KindReceived), nil
		}
		var p received
		if err := json.Unmarshal(ev.Payload, &p); err != nil || p.Code != ev.Dossier || p.ReceivedAt.IsZero() {
			return reject(ev.UUID, protocol.ErrBadRequest, "payload is not a dossier with this code"), nil
		}
		if p.Status < 1 || p.Status > 10 {
			p.Status = 2
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO dossiers (code, office, device, status, procedure_code, received_at, due_at,
			last_seq, payload, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`), ev.Dossier, dev.Office, dev.ID, p.Status,
			p.ProcedureCode, ms(p.ReceivedAt), nullMs(p.DueAt), string(ev.Payload), ms(now)); err != nil {
			return protocol.Result{}, err
		}
		seen := map[string]bool{}
		for _, pp := range p.Papers {
			for _, sha := range pp.Files {
				if !seen[sha] && protocol.ValidSHA256(sha) {
					seen[sha] = true
					if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO dossier_files (dossier, sha256) VALUES (?, ?)`), ev.Dossier, sha); err != nil {
						return protocol.Result{}, err
					}
				}
			}
		}
		change = protocol.ChangeReceived
	} else {
		var p later
		_ = json.Unmarshal(ev.Payload, &p)
		if p.Status == 0 {
			p.Status = p.To
		}
		if p.Status >= 1 && p.Status <= 10 {
			_, err = tx.ExecContext(ctx, s.q(`UPDATE dossiers SET last_seq = ?, status = ?, updated_at = ? WHERE code = ?`), ev.Seq, p.Status, ms(now), ev.Dossier)
		} else {
			_, err = tx.ExecContext(ctx, s.q(`UPDATE dossiers SET last_seq = ?, updated_at = ? WHERE code = ?`), ev.Seq, ms(now), ev.Dossier)
		}
		if err != nil {
			return protocol.Result{}, err
		}
	}
	if err := s.reviewIndex(ctx, tx, dev.Office, ev, now); err != nil {
		return protocol.Result{}, err
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO events (uuid, dossier, seq, kind, device, payload, created_at, applied_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), ev.UUID, ev.Dossier, ev.Seq, ev.Kind, dev.ID, string(ev.Payload), ms(ev.CreatedAt), ms(now)); err != nil {
		return protocol.Result{}, err
	}
	payload := ev.Payload
	if change == protocol.ChangeEvent {
		b, err := json.Marshal(ev)
		if err != nil {
			return protocol.Result{}, err
		}
		payload = b
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO changes (office, kind, dossier, origin, at, payload) VALUES (?, ?, ?, ?, ?, ?)`),
		dev.Office, change, ev.Dossier, dev.ID, ms(now), string(payload)); err != nil {
		return protocol.Result{}, err
	}
	return protocol.Result{UUID: ev.UUID, Status: protocol.Applied}, nil
}

func (s *sqlStore) Feed(ctx context.Context, office string, after int64, limit int) ([]protocol.Change, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT id, kind, dossier, origin, at, payload FROM changes
		WHERE office = ? AND id > ? ORDER BY id LIMIT ?`), office, after, limit)
	if err != nil {
		return nil, fmt.Errorf("feed: %w", err)
	}
	defer rows.Close()
	var out []protocol.Change
	for rows.Next() {
		var c protocol.Change
		var at int64
		var payload string
		if err := rows.Scan(&c.Cursor, &c.Kind, &c.Dossier, &c.Origin, &at, &payload); err != nil {
			return nil, err
		}
		c.At = time.UnixMilli(at).UTC()
		c.Payload = json.RawMessage(payload)
		out = append(out, c)
	}
	return out, rows.Err()
}

func (s *sqlStore) CreateUpload(ctx context.Context, u Upload) (Upload, error) {
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		var e Upload
		var done int
		var at int64
		err := tx.QueryRowContext(ctx, s.q(`SELECT id, device, sha256, length, upload_offset, done, created_at FROM uploads
			WHERE device = ? AND sha256 = ? AND done = 0`), u.Device, u.SHA256).Scan(&e.ID, &e.Device, &e.SHA256, &e.Length, &e.Offset, &done, &at)
		if err == nil && e.Length == u.Length {
			e.CreatedAt = time.UnixMilli(at).UTC()
			u = e
			return nil
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO uploads (id, device, sha256, length, upload_offset, done, created_at) VALUES (?, ?, ?, ?, 0, 0, ?)`),
			u.ID, u.Device, u.SHA256, u.Length, ms(u.CreatedAt))
		return err
	})
	return u, err
}

func (s *sqlStore) Upload(ctx context.Context, id string) (Upload, error) {
	var u Upload
	var done int
	var at int64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT id, device, sha256, length, upload_offset, done, created_at FROM uploads WHERE id = ?`), id).
		Scan(&u.ID, &u.Device, &u.SHA256, &u.Length, &u.Offset, &done, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return u, ErrNotFound
	}
	u.Done, u.CreatedAt = done != 0, time.UnixMilli(at).UTC()
	return u, err
}

func (s *sqlStore) SetUploadOffset(ctx context.Context, id string, offset int64) error {
	_, err := s.w.ExecContext(ctx, s.q(`UPDATE uploads SET upload_offset = ? WHERE id = ?`), offset, id)
	return err
}

func (s *sqlStore) FinishUpload(ctx context.Context, id string, now time.Time) error {
	return s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		var sha string
		var length int64
		if err := tx.QueryRowContext(ctx, s.q(`SELECT sha256, length FROM uploads WHERE id = ?`), id).Scan(&sha, &length); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE uploads SET done = 1, upload_offset = length WHERE id = ?`), id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO files (sha256, size, stored_at) VALUES (?, ?, ?) ON CONFLICT (sha256) DO NOTHING`),
			sha, length, ms(now))
		return err
	})
}

func (s *sqlStore) DeleteUpload(ctx context.Context, id string) error {
	_, err := s.w.ExecContext(ctx, s.q(`DELETE FROM uploads WHERE id = ?`), id)
	return err
}

func (s *sqlStore) HasFile(ctx context.Context, sha string) (bool, int64, error) {
	var size int64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT size FROM files WHERE sha256 = ?`), sha).Scan(&size)
	if errors.Is(err, sql.ErrNoRows) {
		return false, 0, nil
	}
	return err == nil, size, err
}

const summaryCols = `d.code, d.office, d.status, d.procedure_code, d.received_at, d.due_at,
	(SELECT count(*) FROM dossier_files f WHERE f.dossier = d.code),
	(SELECT count(*) FROM dossier_files f JOIN files h ON h.sha256 = f.sha256 WHERE f.dossier = d.code)`

func scanSummary(sc interface{ Scan(...any) error }, now time.Time) (protocol.DossierSummary, error) {
	var s protocol.DossierSummary
	var rec int64
	var due sql.NullInt64
	if err := sc.Scan(&s.Code, &s.Office, &s.Status, &s.Procedure, &rec, &due, &s.Files, &s.FilesHeld); err != nil {
		return s, err
	}
	s.ReceivedAt, s.DueAt = time.UnixMilli(rec).UTC(), fromMs(due)
	open := s.Status == 2 || s.Status == 4 || s.Status == 5 || s.Status == 6
	s.Overdue = open && !s.DueAt.IsZero() && now.After(s.DueAt)
	return s, nil
}

func (s *sqlStore) ListDossiers(ctx context.Context, f ReviewFilter) ([]protocol.DossierSummary, error) {
	q := `SELECT ` + summaryCols + ` FROM dossiers d WHERE 1 = 1`
	var args []any
	if f.Office != "" {
		q += ` AND d.office = ?`
		args = append(args, f.Office)
	}
	if f.Status != 0 {
		q += ` AND d.status = ?`
		args = append(args, f.Status)
	}
	if f.Overdue {
		q += ` AND d.status IN (2, 4, 5, 6) AND d.due_at IS NOT NULL AND d.due_at < ?`
		args = append(args, ms(f.Now))
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 100
	}
	q += ` ORDER BY d.received_at DESC, d.code LIMIT ?`
	args = append(args, f.Limit)
	rows, err := s.r.QueryContext(ctx, s.q(q), args...)
	if err != nil {
		return nil, fmt.Errorf("list dossiers: %w", err)
	}
	defer rows.Close()
	out := []protocol.DossierSummary{}
	for rows.Next() {
		sm, err := scanSummary(rows, f.Now)
		if err != nil {
			return nil, err
		}
		out = append(out, sm)
	}
	return out, rows.Err()
}

func (s *sqlStore) Dossier(ctx context.Context, code string) (protocol.DossierDetail, error) {
	var d protocol.DossierDetail
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		sm, err := scanSummary(tx.QueryRowContext(ctx, s.q(`SELECT `+summaryCols+` FROM dossiers d WHERE d.code = ?`), code), time.Now())
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		d.DossierSummary = sm
		var payload string
		if err := tx.QueryRowContext(ctx, s.q(`SELECT payload FROM dossiers WHERE code = ?`), code).Scan(&payload); err != nil {
			return err
		}
		d.Payload = json.RawMessage(payload)
		rows, err := tx.QueryContext(ctx, s.q(`SELECT uuid, seq, kind, payload, created_at FROM events WHERE dossier = ? ORDER BY seq`), code)
		if err != nil {
			return err
		}
		for rows.Next() {
			e := protocol.Event{Dossier: code}
			var p string
			var at int64
			if err := rows.Scan(&e.UUID, &e.Seq, &e.Kind, &p, &at); err != nil {
				rows.Close()
				return err
			}
			e.Payload, e.CreatedAt = json.RawMessage(p), time.UnixMilli(at).UTC()
			d.Events = append(d.Events, e)
		}
		rows.Close()
		if d.Decisions, err = s.decisions(ctx, tx, code); err != nil {
			return err
		}
		rows, err = tx.QueryContext(ctx, s.q(`SELECT f.sha256, coalesce(h.size, 0), h.sha256 IS NOT NULL FROM dossier_files f
			LEFT JOIN files h ON h.sha256 = f.sha256 WHERE f.dossier = ? ORDER BY f.sha256`), code)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var fi protocol.FileInfo
			if err := rows.Scan(&fi.SHA256, &fi.Size, &fi.Held); err != nil {
				return err
			}
			d.FileList = append(d.FileList, fi)
		}
		return rows.Err()
	})
	return d, err
}

func (s *sqlStore) decisions(ctx context.Context, tx *sql.Tx, code string) ([]protocol.Decision, error) {
	rows, err := tx.QueryContext(ctx, s.q(`SELECT id, outcome, status, note, result, decided_by, at FROM decisions WHERE dossier = ? ORDER BY at, id`), code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []protocol.Decision
	for rows.Next() {
		dc := protocol.Decision{Dossier: code}
		var at int64
		if err := rows.Scan(&dc.ID, &dc.Outcome, &dc.Status, &dc.Note, &dc.Result, &dc.DecidedBy, &at); err != nil {
			return nil, err
		}
		dc.At = time.UnixMilli(at).UTC()
		out = append(out, dc)
	}
	return out, rows.Err()
}

// Decide records a decision of the province (the relay passes them on)
// the way a reviewer's is recorded.
func (s *sqlStore) Decide(ctx context.Context, dc protocol.Decision) (protocol.Decision, error) {
	_, err := s.decide(ctx, dc)
	return dc, err
}

func (s *sqlStore) Stats(ctx context.Context) ([]OfficeStats, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT o.code,
		(SELECT count(*) FROM dossiers d WHERE d.office = o.code),
		(SELECT count(*) FROM events e JOIN dossiers d ON d.code = e.dossier WHERE d.office = o.code),
		(SELECT max(e.applied_at) FROM events e JOIN dossiers d ON d.code = e.dossier WHERE d.office = o.code)
		FROM offices o ORDER BY o.code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []OfficeStats
	for rows.Next() {
		var st OfficeStats
		var last sql.NullInt64
		if err := rows.Scan(&st.Office, &st.Dossiers, &st.Events, &last); err != nil {
			return nil, err
		}
		st.LastPushAt = fromMs(last)
		out = append(out, st)
	}
	return out, rows.Err()
}
