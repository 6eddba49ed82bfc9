package hub

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/motcua/motcua/sync/protocol"
)

// FeedStore is the part of Store that publishes catalog versions, holiday
// tables and office accounts to the offices' feeds, and keeps the hub's own
// bookkeeping (metrics counters, upload cleanup).
type FeedStore interface {
	// Publish stores p (its ID and At are set) and appends it to the feed
	// of p.Office, or of every office when p.Office is "". It returns the
	// offices whose feeds changed.
	Publish(ctx context.Context, p protocol.Publication) (protocol.Publication, []string, error)
	// Publications lists what was published, newest first (kind "" for all).
	Publications(ctx context.Context, kind string, limit int) ([]protocol.Publication, error)

	// LoadCounters returns the saved metrics counters; AddCounters adds
	// deltas to them (several hub processes may share a PostgreSQL).
	LoadCounters(ctx context.Context) (map[string]int64, error)
	AddCounters(ctx context.Context, delta map[string]int64) error
	// LastApplied is, per office, the newest applied event's times.
	LastApplied(ctx context.Context) (map[string]Applied, error)
	// StaleUploads lists uploads created before before (cleanup.go).
	StaleUploads(ctx context.Context, before time.Time) ([]Upload, error)
}

// Applied are the times of an applied event.
type Applied struct{ CreatedAt, AppliedAt time.Time }

// feedSchema adds the tables of publications, metrics counters and an
// office relay's bookkeeping (relay_store.go).
func feedSchema(d dialect) []string {
	return append([]string{
		`CREATE TABLE IF NOT EXISTS publications (id ` + d.serial + `, kind TEXT NOT NULL, key TEXT NOT NULL,
			office TEXT NOT NULL, data TEXT NOT NULL, published_by TEXT NOT NULL, at BIGINT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS publications_kind ON publications (kind, key, id)`,
		`CREATE TABLE IF NOT EXISTS hub_counters (name TEXT PRIMARY KEY, value BIGINT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS events_applied ON events (applied_at)`,
	}, relaySchema(d)...)
}

func (s *sqlStore) Publish(ctx context.Context, p protocol.Publication) (protocol.Publication, []string, error) {
	if p.Kind == "" || p.Key == "" || !json.Valid(p.Data) {
		return p, nil, fmt.Errorf("publish: kind, key and JSON data required")
	}
	if p.At.IsZero() {
		p.At = time.Now()
	}
	p.At = p.At.UTC().Truncate(time.Millisecond)
	var offices []string
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		offices = offices[:0]
		if p.Office != "" {
			var n int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM offices WHERE code = ?`), p.Office).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("office %s: %w", p.Office, ErrNotFound)
			}
			offices = append(offices, p.Office)
		} else {
			rows, err := tx.QueryContext(ctx, `SELECT code FROM offices ORDER BY code`)
			if err != nil {
				return err
			}
			for rows.Next() {
				var c string
				if err := rows.Scan(&c); err != nil {
					rows.Close()
					return err
				}
				offices = append(offices, c)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		q := `INSERT INTO publications (kind, key, office, data, published_by, at) VALUES (?, ?, ?, ?, ?, ?)`
		args := []any{p.Kind, p.Key, p.Office, string(p.Data), p.By, ms(p.At)}
		if s.d.dollars {
			if err := tx.QueryRowContext(ctx, s.q(q+` RETURNING id`), args...).Scan(&p.ID); err != nil {
				return err
			}
		} else {
			res, err := tx.ExecContext(ctx, q, args...)
			if err != nil {
				return err
			}
			if p.ID, err = res.LastInsertId(); err != nil {
				return err
			}
		}
		b, err := json.Marshal(p)
		if err != nil {
			return err
		}
		for _, o := range offices {
			if s.d.lockOffice != "" {
				if _, err := tx.ExecContext(ctx, s.q(s.d.lockOffice), o); err != nil {
					return err
				}
			}
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO changes (office, kind, dossier, origin, at, payload) VALUES (?, ?, '', 'hub', ?, ?)`),
				o, p.Kind, ms(p.At), string(b)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return p, nil, fmt.Errorf("publish %s %s: %w", p.Kind, p.Key, err)
	}
	return p, offices, nil
}

func (s *sqlStore) Publications(ctx context.Context, kind string, limit int) ([]protocol.Publication, error) {
	if limit <= 0 || limit > 1000 {
		limit = 100
	}
	q := `SELECT id, kind, key, office, data, published_by, at FROM publications`
	args := []any{}
	if kind != "" {
		q += ` WHERE kind = ?`
		args = append(args, kind)
	}
	rows, err := s.r.QueryContext(ctx, s.q(q+` ORDER BY id DESC LIMIT ?`), append(args, limit)...)
	if err != nil {
		return nil, fmt.Errorf("publications: %w", err)
	}
	defer rows.Close()
	var out []protocol.Publication
	for rows.Next() {
		var p protocol.Publication
		var data string
		var at int64
		if err := rows.Scan(&p.ID, &p.Kind, &p.Key, &p.Office, &data, &p.By, &at); err != nil {
			return nil, err
		}
		p.Data, p.At = json.RawMessage(data), time.UnixMilli(at).UTC()
		out = append(out, p)
	}
	return out, rows.Err()
}

func (s *sqlStore) LoadCounters(ctx context.Context) (map[string]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT name, value FROM hub_counters`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var k string
		var v int64
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, rows.Err()
}

func (s *sqlStore) AddCounters(ctx context.Context, delta map[string]int64) error {
	return s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		for k, d := range delta {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO hub_counters (name, value) VALUES (?, ?)
				ON CONFLICT (name) DO UPDATE SET value = hub_counters.value + excluded.value`), k, d); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *sqlStore) LastApplied(ctx context.Context) (map[string]Applied, error) {
	out := map[string]Applied{}
	offs, err := s.Offices(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range offs {
		var created, applied int64
		err := s.r.QueryRowContext(ctx, s.q(`SELECT e.created_at, e.applied_at FROM events e JOIN dossiers d ON d.code = e.dossier
			WHERE d.office = ? ORDER BY e.applied_at DESC LIMIT 1`), o.Code).Scan(&created, &applied)
		if err == sql.ErrNoRows {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[o.Code] = Applied{CreatedAt: time.UnixMilli(created).UTC(), AppliedAt: time.UnixMilli(applied).UTC()}
	}
	return out, nil
}
