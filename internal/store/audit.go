package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// auditRecord is one audit entry before it is chained. Detail must not carry
// personal data the audit does not need (no names, ID numbers, phones,
// password hashes): codes, ids, counts and logins are enough.
type auditRecord struct {
	At     time.Time
	Actor  string
	Action string
	Entity string // "dossier:<code>", "settings", "account:<login>", …
	Detail any    // marshalled to JSON
}

// AuditError is returned (wrapping ErrAuditBroken) by VerifyAudit for the
// first record whose hash does not follow from its content and predecessor.
type AuditError struct {
	ID     int64
	Reason string
}

func (e *AuditError) Error() string {
	return fmt.Sprintf("audit chain broken at record %d: %s", e.ID, e.Reason)
}

// Unwrap makes errors.Is(err, ErrAuditBroken) true.
func (e *AuditError) Unwrap() error { return ErrAuditBroken }

// canonicalAudit is the byte string hashed for a record: JSON with fields in
// this fixed order, at in UTC milliseconds, detail exactly as stored.
func canonicalAudit(id, at int64, actor, action, entity, detail string) []byte {
	b, _ := json.Marshal(struct {
		ID     int64           `json:"id"`
		At     int64           `json:"at"`
		Actor  string          `json:"actor"`
		Action string          `json:"action"`
		Entity string          `json:"entity"`
		Detail json.RawMessage `json:"detail"`
	}{id, at, actor, action, entity, json.RawMessage(detail)})
	return b
}

// chainHash is hex(SHA-256(prev_hash || canonical record)), prev_hash being
// the predecessor's hex hash ("" for the first record).
func chainHash(prev string, canonical []byte) string {
	h := sha256.New()
	h.Write([]byte(prev))
	h.Write(canonical)
	return hex.EncodeToString(h.Sum(nil))
}

// appendAudit chains rec after the newest audit record, inside tx.
func (s *Store) appendAudit(q *txq, rec auditRecord) error {
	detail, err := json.Marshal(rec.Detail)
	if err != nil {
		return fmt.Errorf("audit detail: %w", err)
	}
	if !q.auditHead.loaded {
		err = q.queryRow(sqlAuditLast).Scan(&q.auditHead.id, &q.auditHead.hash)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("audit: %w", err)
		}
		q.auditHead.loaded = true
	}
	prev := q.auditHead.hash
	id := q.auditHead.id + 1
	at := rec.At.UnixMilli()
	hash := chainHash(prev, canonicalAudit(id, at, rec.Actor, rec.Action, rec.Entity, string(detail)))
	_, err = q.exec(sqlAuditInsert, id, at, rec.Actor, rec.Action, rec.Entity, string(detail), prev, hash)
	if err != nil {
		return fmt.Errorf("audit: %w", err)
	}
	q.auditHead.id, q.auditHead.hash = id, hash
	return nil
}

const (
	sqlAuditLast   = `SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1`
	sqlAuditInsert = `INSERT INTO audit (id, at, actor, action, entity, detail, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
)

// VerifyAudit walks the whole audit chain in one read transaction and
// returns the number of records checked. The first record whose prev_hash is
// not its predecessor's hash, whose hash does not match its content, or whose
// id leaves a gap yields an *AuditError wrapping ErrAuditBroken.
func (s *Store) VerifyAudit(ctx context.Context) (n int, err error) {
	err = s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, at, actor, action, entity, detail, prev_hash, hash FROM audit ORDER BY id`)
		if err != nil {
			return err
		}
		defer rows.Close()
		var prevID int64
		prev := ""
		for rows.Next() {
			var (
				id, at                                  int64
				actor, action, entity, detail, ph, hash string
			)
			if err := rows.Scan(&id, &at, &actor, &action, &entity, &detail, &ph, &hash); err != nil {
				return err
			}
			switch {
			case id != prevID+1:
				return &AuditError{ID: id, Reason: fmt.Sprintf("follows record %d", prevID)}
			case ph != prev:
				return &AuditError{ID: id, Reason: "prev_hash is not the previous record's hash"}
			case chainHash(prev, canonicalAudit(id, at, actor, action, entity, detail)) != hash:
				return &AuditError{ID: id, Reason: "hash does not match the record"}
			}
			prevID, prev = id, hash
			n++
		}
		return rows.Err()
	})
	if err != nil {
		var ae *AuditError
		if errors.As(err, &ae) {
			return n, err
		}
		return n, fmt.Errorf("verify audit: %w", err)
	}
	return n, nil
}
