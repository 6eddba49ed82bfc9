package hub

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua/sync/protocol"
)

// RelayStore is what an office relay (relay.go) keeps beside the hub's own
// tables: which events and files it forwarded to the provincial hub, and
// which of the province's publications it passed on to its office.
type RelayStore interface {
	// RelayPending lists up to limit applied events not yet forwarded
	// (nor stopped for good), in the order they were applied.
	RelayPending(ctx context.Context, limit int) ([]protocol.Event, error)
	// RelayMark records the outcome of forwarding events: "sent", or
	// "rejected" with the upstream's code and message.
	RelayMark(ctx context.Context, uuids []string, state, code, message string, now time.Time) error
	// RelayCounts are the events waiting and those the upstream rejected.
	RelayCounts(ctx context.Context) (pending, rejected int, err error)
	RelayFileUploaded(ctx context.Context, sha string) (bool, error)
	RelayMarkFileUploaded(ctx context.Context, sha string, now time.Time) error
	// RelayItem is the id of the newest upstream publication of (kind,
	// key) passed on (0 if none); RelaySetItem records one.
	RelayItem(ctx context.Context, kind, key string) (int64, error)
	RelaySetItem(ctx context.Context, kind, key string, id int64) error
	// HasDecision reports whether a decision with this id is recorded.
	HasDecision(ctx context.Context, id string) (bool, error)
}

// relaySchema: the relay's bookkeeping tables (empty on a provincial hub).
func relaySchema(d dialect) []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS relay_forwarded (uuid TEXT PRIMARY KEY, state TEXT NOT NULL, code TEXT NOT NULL,
			message TEXT NOT NULL, at BIGINT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS relay_uploaded (sha256 TEXT PRIMARY KEY, at BIGINT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS relay_items (kind TEXT NOT NULL, key TEXT NOT NULL, id BIGINT NOT NULL, PRIMARY KEY (kind, key))`,
	}
}

func (s *sqlStore) RelayPending(ctx context.Context, limit int) ([]protocol.Event, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT e.uuid, e.dossier, e.seq, e.kind, e.payload, e.created_at FROM events e
		WHERE NOT EXISTS (SELECT 1 FROM relay_forwarded f WHERE f.uuid = e.uuid)
		AND NOT EXISTS (SELECT 1 FROM relay_forwarded f JOIN events p ON p.uuid = f.uuid
			WHERE f.state = 'rejected' AND p.dossier = e.dossier AND p.seq < e.seq)
		ORDER BY e.applied_at, e.dossier, e.seq LIMIT ?`), limit)
	if err != nil {
		return nil, fmt.Errorf("relay pending: %w", err)
	}
	defer rows.Close()
	var out []protocol.Event
	for rows.Next() {
		var e protocol.Event
		var p string
		var at int64
		if err := rows.Scan(&e.UUID, &e.Dossier, &e.Seq, &e.Kind, &p, &at); err != nil {
			return nil, err
		}
		e.Payload, e.CreatedAt = json.RawMessage(p), time.UnixMilli(at).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

func (s *sqlStore) RelayMark(ctx context.Context, uuids []string, state, code, message string, now time.Time) error {
	return s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		for _, u := range uuids {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO relay_forwarded (uuid, state, code, message, at) VALUES (?, ?, ?, ?, ?)
				ON CONFLICT (uuid) DO UPDATE SET state = excluded.state, code = excluded.code, message = excluded.message, at = excluded.at`),
				u, state, code, message, ms(now)); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *sqlStore) RelayCounts(ctx context.Context) (int, int, error) {
	var pending, rejected int
	err := s.r.QueryRowContext(ctx, `SELECT
		(SELECT count(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM relay_forwarded f WHERE f.uuid = e.uuid)),
		(SELECT count(*) FROM relay_forwarded WHERE state = 'rejected')`).Scan(&pending, &rejected)
	return pending, rejected, err
}

func (s *sqlStore) RelayFileUploaded(ctx context.Context, sha string) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, s.q(`SELECT count(*) FROM relay_uploaded WHERE sha256 = ?`), sha).Scan(&n)
	return n > 0, err
}

func (s *sqlStore) RelayMarkFileUploaded(ctx context.Context, sha string, now time.Time) error {
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO relay_uploaded (sha256, at) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING`), sha, ms(now))
	return err
}

func (s *sqlStore) RelayItem(ctx context.Context, kind, key string) (int64, error) {
	var id int64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT id FROM relay_items WHERE kind = ? AND key = ?`), kind, key).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return id, err
}

func (s *sqlStore) RelaySetItem(ctx context.Context, kind, key string, id int64) error {
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO relay_items (kind, key, id) VALUES (?, ?, ?)
		ON CONFLICT (kind, key) DO UPDATE SET id = excluded.id`), kind, key, id)
	return err
}

func (s *sqlStore) HasDecision(ctx context.Context, id string) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, s.q(`SELECT count(*) FROM decisions WHERE id = ?`), id).Scan(&n)
	return n > 0, err
}
