package hub

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strings"
	"time"

	"github.com/motcua/motcua/sync/protocol"
)

// kindVote is the outbox kind of a satisfaction vote (internal/store
// RecordVote).
const kindVote = "satisfaction.vote"

// isOfficeVote reports a satisfaction vote cast without a dossier (at the
// kiosk, or with a code this device did not know): it belongs to the
// device's office, not to a dossier's event sequence.
func isOfficeVote(ev protocol.Event) bool {
	return ev.Kind == kindVote && ev.Dossier == ""
}

// votePayload is what the hub reads of a satisfaction vote.
type votePayload struct {
	At     eventTime `json:"at"`
	Rating int       `json:"rating"`
}

// applyOfficeVote records a vote without a dossier once, keyed by its UUID,
// and counts it in its office's daily rollup on the (Vietnam) day it was
// cast. A second push of the same vote is a duplicate.
func (s *sqlStore) applyOfficeVote(ctx context.Context, tx *sql.Tx, dev Device, ev protocol.Event, now time.Time) (protocol.Result, error) {
	if len(ev.UUID) != 36 || strings.Count(ev.UUID, "-") != 4 {
		return reject(ev.UUID, protocol.ErrBadRequest, "uuid is not a UUID"), nil
	}
	var p votePayload
	if len(ev.Payload) == 0 || json.Unmarshal(ev.Payload, &p) != nil {
		return reject(ev.UUID, protocol.ErrBadRequest, "payload is not a vote"), nil
	}
	if p.Rating < 1 || p.Rating > 3 {
		return reject(ev.UUID, protocol.ErrBadRequest, "vote rating must be 1, 2 or 3"), nil
	}
	var office string
	err := tx.QueryRowContext(ctx, s.q(`SELECT office FROM office_votes WHERE uuid = ?`), ev.UUID).Scan(&office)
	if err == nil {
		if office == dev.Office {
			return protocol.Result{UUID: ev.UUID, Status: protocol.Duplicate}, nil
		}
		return reject(ev.UUID, protocol.ErrConflict, "uuid already used by another event"), nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return protocol.Result{}, err
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM events WHERE uuid = ?`), ev.UUID).Scan(&n); err != nil {
		return protocol.Result{}, err
	}
	if n > 0 {
		return reject(ev.UUID, protocol.ErrConflict, "uuid already used by another event"), nil
	}
	at := p.At.Time
	if at.IsZero() {
		at = ev.CreatedAt
	}
	if at.IsZero() || at.After(now.Add(24*time.Hour)) {
		at = now
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO office_votes (uuid, office, device, at, rating, payload, applied_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`), ev.UUID, dev.Office, dev.ID, ms(at), p.Rating, string(ev.Payload), ms(now)); err != nil {
		return protocol.Result{}, err
	}
	b := func(c bool) int64 {
		if c {
			return 1
		}
		return 0
	}
	if err := s.addRollup(ctx, tx, dev.Office, vnDay(ms(at)), 0, 0, 0, 0, 0, b(p.Rating == 1), b(p.Rating == 2), b(p.Rating == 3),
		0, 0, 0); err != nil {
		return protocol.Result{}, err
	}
	return protocol.Result{UUID: ev.UUID, Status: protocol.Applied}, nil
}
