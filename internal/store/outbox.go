package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// OutboxEvent is one change waiting to be pushed to the hub.
type OutboxEvent struct {
	ID        int64  // local order
	UUID      string // the hub applies each UUID exactly once
	DossierID int64
	Seq       int    // 1, 2, … per dossier
	Kind      string // "dossier.received", …
	Payload   json.RawMessage
	CreatedAt time.Time
	SentAt    time.Time // zero while pending
}

// appendOutbox adds an event for dossierID with per-dossier sequence seq,
// or the next one if seq is 0.
func (s *Store) appendOutbox(q *txq, dossierID int64, seq int, kind string, payload []byte, at time.Time) error {
	if seq == 0 {
		if err := q.queryRow(sqlOutboxSeq, dossierID).Scan(&seq); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}
	}
	id, err := newUUIDv7(at)
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	_, err = q.exec(sqlOutboxInsert, id, dossierID, seq, kind, string(payload), at.UnixMilli())
	if err != nil {
		return fmt.Errorf("outbox: %w", err)
	}
	return nil
}

const (
	sqlOutboxSeq    = `SELECT coalesce(max(seq), 0) + 1 FROM outbox WHERE dossier_id = ?`
	sqlOutboxInsert = `INSERT INTO outbox (uuid, dossier_id, seq, kind, payload, created_at) VALUES (?, ?, ?, ?, ?, ?)`
)

// PendingOutbox returns up to limit unsent events, oldest first.
func (s *Store) PendingOutbox(ctx context.Context, limit int) ([]OutboxEvent, error) {
	if limit <= 0 {
		limit = 100
	}
	var out []OutboxEvent
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, uuid, dossier_id, seq, kind, payload, created_at
			FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ?`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e OutboxEvent
			var did sql.NullInt64
			var payload string
			var created sql.NullInt64
			if err := rows.Scan(&e.ID, &e.UUID, &did, &e.Seq, &e.Kind, &payload, &created); err != nil {
				return err
			}
			e.DossierID = did.Int64
			e.Payload = json.RawMessage(payload)
			e.CreatedAt = fromMillis(created)
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("pending outbox: %w", err)
	}
	return out, nil
}

// MarkOutboxSent records that the hub acknowledged the events with these
// UUIDs. Unknown or already sent UUIDs are ignored.
func (s *Store) MarkOutboxSent(ctx context.Context, uuids []string) error {
	if len(uuids) == 0 {
		return nil
	}
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		now := s.now().UnixMilli()
		for start := 0; start < len(uuids); start += 500 {
			chunk := uuids[start:min(start+500, len(uuids))]
			args := make([]any, 0, len(chunk)+1)
			args = append(args, now)
			for _, u := range chunk {
				args = append(args, u)
			}
			q := `UPDATE outbox SET sent_at = ? WHERE sent_at IS NULL AND uuid IN (?` + strings.Repeat(",?", len(chunk)-1) + `)`
			if _, err := tx.ExecContext(ctx, q, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("mark outbox sent: %w", err)
	}
	return nil
}

// newUUIDv7 returns an RFC 9562 version 7 UUID: 48 bits of Unix
// milliseconds, then random bits, so UUIDs sort roughly by creation time.
func newUUIDv7(t time.Time) (string, error) {
	var u [16]byte
	if _, err := rand.Read(u[6:]); err != nil {
		return "", err
	}
	var ms [8]byte
	binary.BigEndian.PutUint64(ms[:], uint64(t.UnixMilli()))
	copy(u[:6], ms[2:])
	u[6] = 0x70 | u[6]&0x0f // version 7
	u[8] = 0x80 | u[8]&0x3f // variant 10
	var b [36]byte
	hex.Encode(b[0:8], u[0:4])
	b[8] = '-'
	hex.Encode(b[9:13], u[4:6])
	b[13] = '-'
	hex.Encode(b[14:18], u[6:8])
	b[18] = '-'
	hex.Encode(b[19:23], u[8:10])
	b[23] = '-'
	hex.Encode(b[24:], u[10:])
	return string(b[:]), nil
}
