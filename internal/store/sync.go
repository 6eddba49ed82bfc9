package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
)

// syncSetting is the settings key holding SyncConfig as JSON.
const syncSetting = "sync"

// SyncConfig is the device's link to the hub, kept as JSON under the
// settings key "sync".
type SyncConfig struct {
	HubURL     string    `json:"hub_url,omitempty"`
	DeviceID   string    `json:"device_id,omitempty"`
	Office     string    `json:"office,omitempty"`
	OfficeName string    `json:"office_name,omitempty"`
	EnrolledAt time.Time `json:"enrolled_at,omitzero"`
	// Cursor is the position in the office's change feed already applied.
	Cursor int64 `json:"cursor,omitempty"`
	// LastSuccess is when a request to the hub last succeeded; LastAttempt
	// when one was last tried; LastError what went wrong since the last
	// success ("" when nothing), as a kind a screen can translate.
	LastSuccess time.Time `json:"last_success,omitzero"`
	LastAttempt time.Time `json:"last_attempt,omitzero"`
	LastError   string    `json:"last_error,omitempty"`
}

// Enrolled reports whether the device has a hub identity.
func (c SyncConfig) Enrolled() bool { return c.HubURL != "" && c.DeviceID != "" }

// SyncConfig returns the device's sync settings (zero before enrolment).
func (s *Store) SyncConfig(ctx context.Context) (SyncConfig, error) {
	var c SyncConfig
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		var err error
		c, err = loadSync(ctx, tx)
		return err
	})
	if err != nil {
		return c, fmt.Errorf("sync config: %w", err)
	}
	return c, nil
}

func loadSync(ctx context.Context, q querier) (SyncConfig, error) {
	var c SyncConfig
	var v string
	err := q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, syncSetting).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal([]byte(v), &c); err != nil {
		return c, fmt.Errorf("sync setting damaged: %w", err)
	}
	return c, nil
}

// UpdateSync changes the sync settings with fn in one transaction. A change
// of hub or device identity (enrolment) is audited; progress (cursor, last
// success, errors) is not.
func (s *Store) UpdateSync(ctx context.Context, actor string, fn func(*SyncConfig)) (SyncConfig, error) {
	var c SyncConfig
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		old, err := loadSync(ctx, tx)
		if err != nil {
			return err
		}
		c = old
		fn(&c)
		b, err := json.Marshal(c)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, syncSetting, string(b)); err != nil {
			return err
		}
		if old.HubURL == c.HubURL && old.DeviceID == c.DeviceID && old.Office == c.Office {
			return nil
		}
		q := newTxq(ctx, tx, s.wStmts)
		defer q.close()
		return s.appendAudit(q, auditRecord{At: s.now(), Actor: actor, Action: "sync.enrol", Entity: "device",
			Detail: map[string]any{"hub_url": c.HubURL, "device_id": c.DeviceID, "office": c.Office}})
	})
	if err != nil {
		return c, fmt.Errorf("update sync config: %w", err)
	}
	return c, nil
}

// SyncEvent is an outbox event ready to push, with its dossier's code.
type SyncEvent struct {
	OutboxEvent
	DossierCode string
	Attempts    int // failed attempts so far (transient errors)
}

// PendingSync returns up to limit unsent events, oldest first, leaving out
// events that failed permanently and every later event of their dossiers
// (they could only leave a gap at the hub).
func (s *Store) PendingSync(ctx context.Context, limit int) ([]SyncEvent, error) {
	if limit <= 0 {
		limit = 500
	}
	var out []SyncEvent
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT o.id, o.uuid, coalesce(o.dossier_id, 0), o.seq, o.kind, o.payload, o.created_at,
				coalesce(d.code, ''), coalesce(e.attempts, 0)
			FROM outbox o
			LEFT JOIN dossiers d ON d.id = o.dossier_id
			LEFT JOIN outbox_errors e ON e.uuid = o.uuid
			WHERE o.sent_at IS NULL AND coalesce(e.permanent, 0) = 0
			  AND NOT EXISTS (SELECT 1 FROM outbox_errors pe JOIN outbox po ON po.uuid = pe.uuid
				WHERE pe.permanent = 1 AND po.dossier_id = o.dossier_id AND po.seq < o.seq)
			ORDER BY o.id LIMIT ?`, limit)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e SyncEvent
			var payload string
			var created sql.NullInt64
			if err := rows.Scan(&e.ID, &e.UUID, &e.DossierID, &e.Seq, &e.Kind, &payload, &created, &e.DossierCode, &e.Attempts); err != nil {
				return err
			}
			e.Payload = json.RawMessage(payload)
			e.CreatedAt = fromMillis(created)
			out = append(out, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("pending sync: %w", err)
	}
	return out, nil
}

// MarkOutboxFailed records an error for the event uuid: permanent errors
// stop it (and the later events of its dossier) until RetryOutbox; transient
// ones only count attempts.
func (s *Store) MarkOutboxFailed(ctx context.Context, uuid string, permanent bool, code, message string) error {
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO outbox_errors (uuid, permanent, code, message, attempts, at) VALUES (?, ?, ?, ?, 1, ?)
			ON CONFLICT (uuid) DO UPDATE SET permanent = excluded.permanent, code = excluded.code,
				message = excluded.message, attempts = outbox_errors.attempts + 1, at = excluded.at`,
			uuid, permanent, code, message, s.now().UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("mark outbox failed: %w", err)
	}
	return nil
}

// RetryOutbox clears the error of the events with these UUIDs (a technician
// fixed the cause), so they are pushed again.
func (s *Store) RetryOutbox(ctx context.Context, uuids []string) error {
	return s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		for _, u := range uuids {
			if _, err := tx.ExecContext(ctx, `DELETE FROM outbox_errors WHERE uuid = ?`, u); err != nil {
				return err
			}
		}
		return nil
	})
}

// FailedEvent is an event stopped by a permanent error.
type FailedEvent struct {
	UUID, DossierCode, Kind, Code, Message string
	At                                     time.Time
}

// DecisionProblem is a decision from the hub, another device's status step
// (Outcome "step") or a publication (Outcome its kind, ID "kind:key") that
// could not be applied.
type DecisionProblem struct {
	ID, Dossier, Outcome, Problem string
	At                            time.Time
}

// SyncCounts are what the link indicator and `motcua sync status` show.
type SyncCounts struct {
	Pending      int   // events waiting to be pushed
	PendingBytes int64 // their payloads plus the files not yet uploaded
	Failed       []FailedEvent
	Decisions    int // decisions received from the hub
	Problems     []DecisionProblem
	Remote       int // dossiers received from the office's other devices
}

// SyncCounts counts what waits and what failed.
func (s *Store) SyncCounts(ctx context.Context) (SyncCounts, error) {
	var c SyncCounts
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(length(payload)), 0) FROM outbox WHERE sent_at IS NULL`).
			Scan(&c.Pending, &c.PendingBytes); err != nil {
			return err
		}
		var files int64
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(sum(f.size), 0) FROM files f
			WHERE f.sha256 IN (SELECT pf.sha256 FROM outbox o JOIN papers p ON p.dossier_id = o.dossier_id
				JOIN paper_files pf ON pf.paper_id = p.id WHERE o.sent_at IS NULL)
			AND f.sha256 NOT IN (SELECT sha256 FROM sync_uploaded)`).Scan(&files); err != nil {
			return err
		}
		c.PendingBytes += files
		rows, err := tx.QueryContext(ctx, `SELECT e.uuid, coalesce(d.code, ''), o.kind, e.code, e.message, e.at
			FROM outbox_errors e JOIN outbox o ON o.uuid = e.uuid LEFT JOIN dossiers d ON d.id = o.dossier_id
			WHERE e.permanent = 1 AND o.sent_at IS NULL ORDER BY o.id LIMIT 100`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var f FailedEvent
			var at int64
			if err := rows.Scan(&f.UUID, &f.DossierCode, &f.Kind, &f.Code, &f.Message, &at); err != nil {
				rows.Close()
				return err
			}
			f.At = time.UnixMilli(at).UTC()
			c.Failed = append(c.Failed, f)
		}
		rows.Close()
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sync_decisions`).Scan(&c.Decisions); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sync_remote`).Scan(&c.Remote); err != nil {
			return err
		}
		rows, err = tx.QueryContext(ctx, `SELECT id, dossier, outcome, problem, at FROM (
				SELECT id, dossier, outcome, problem, at FROM sync_decisions WHERE applied = 0
				UNION ALL SELECT uuid, dossier, 'step', problem, received_at FROM sync_remote_events WHERE applied = 0
				UNION ALL SELECT kind || ':' || key, '', kind, problem, received_at FROM sync_items WHERE problem != '')
			ORDER BY at LIMIT 100`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var p DecisionProblem
			var at int64
			if err := rows.Scan(&p.ID, &p.Dossier, &p.Outcome, &p.Problem, &at); err != nil {
				return err
			}
			p.At = time.UnixMilli(at).UTC()
			c.Problems = append(c.Problems, p)
		}
		return rows.Err()
	})
	if err != nil {
		return c, fmt.Errorf("sync counts: %w", err)
	}
	return c, nil
}

// MarkFileUploaded records that the hub holds the file sha.
func (s *Store) MarkFileUploaded(ctx context.Context, sha string) error {
	_, err := s.w.ExecContext(ctx, `INSERT INTO sync_uploaded (sha256, at) VALUES (?, ?) ON CONFLICT (sha256) DO NOTHING`,
		sha, s.now().UnixMilli())
	if err != nil {
		return fmt.Errorf("mark file uploaded: %w", err)
	}
	return nil
}

// FileUploaded reports whether the hub confirmed it holds sha.
func (s *Store) FileUploaded(ctx context.Context, sha string) (bool, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM sync_uploaded WHERE sha256 = ?`, sha).Scan(&n)
	return n > 0, err
}

// FileSize is the registered size of the blob sha; ErrNotFound if absent.
func (s *Store) FileSize(ctx context.Context, sha string) (int64, error) {
	var n int64
	err := s.r.QueryRowContext(ctx, `SELECT size FROM files WHERE sha256 = ?`, sha).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, ErrNotFound
	}
	return n, err
}

// Decision is a reviewer's decision received from the hub.
type Decision struct {
	ID        string
	Dossier   string // code
	Outcome   string // processing, supplement, done, refused
	Status    dossier.Status
	Note      string
	Items     []string // for supplement: the papers asked for (printed on form 02)
	Reason    string   // for supplement and refused: why
	DecidedBy string
	At        time.Time
}

// ApplyDecision applies a decision from the hub in one transaction: when
// the dossier is here and the lifecycle allows its move (dossier.CanMove),
// it sets the status, appends a history event ("decision.<outcome>", actor
// "hub:<reviewer>") and an audit record. Otherwise it records the decision
// with its problem, to be shown to the clerk. Applying the same decision
// again changes nothing. It reports whether the status changed.
func (s *Store) ApplyDecision(ctx context.Context, d Decision) (applied bool, err error) {
	err = s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sync_decisions WHERE id = ?`, d.ID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		now := s.now()
		problem := ""
		var id int64
		var from int
		err := tx.QueryRowContext(ctx, `SELECT id, status FROM dossiers WHERE code = ?`, d.Dossier).Scan(&id, &from)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			problem = "dossier not on this device"
		case err != nil:
			return err
		case !d.Status.Valid():
			problem = fmt.Sprintf("unknown status %d", d.Status)
		case dossier.Status(from) != d.Status && !dossier.CanMove(dossier.Status(from), d.Status):
			problem = fmt.Sprintf("status %d cannot become %d here", from, d.Status)
		}
		applied = problem == "" && dossier.Status(from) != d.Status
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_decisions (id, dossier, outcome, status, note, decided_by, at, applied, problem, received_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, d.ID, d.Dossier, d.Outcome, int(d.Status), d.Note, d.DecidedBy,
			d.At.UnixMilli(), problem == "", problem, now.UnixMilli()); err != nil {
			return err
		}
		if !applied {
			return nil
		}
		at := d.At.UTC().UnixMilli()
		set, args := `status = ?, updated_at = ?`, []any{int(d.Status), now.UnixMilli()}
		switch d.Status {
		case dossier.StatusDone:
			set += `, done_at = coalesce(done_at, ?)`
			args = append(args, at)
		case dossier.StatusRefused:
			set += `, closed_at = coalesce(closed_at, ?)`
			args = append(args, at)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET `+set+` WHERE id = ?`, append(args, id)...); err != nil {
			return err
		}
		q := newTxq(ctx, tx, s.wStmts)
		defer q.close()
		note := d.Note
		if note == "" {
			note = d.Reason
		}
		if _, err := q.exec(sqlHistory, id, at, "hub:"+d.DecidedBy, "decision."+d.Outcome, from, int(d.Status), note); err != nil {
			return err
		}
		if d.Status == dossier.StatusSupplement && len(d.Items) > 0 {
			// Recorded as the counter records its own request, so that form
			// 02 prints here with the reviewer's items and reason.
			items, err := json.Marshal(d.Items)
			if err != nil {
				return err
			}
			var due sql.NullInt64
			if err := tx.QueryRowContext(ctx, `SELECT due_at FROM dossiers WHERE id = ?`, id).Scan(&due); err != nil {
				return err
			}
			var dueBefore any
			if due.Valid {
				dueBefore = due.Int64
			}
			if _, err := q.exec(`INSERT INTO supplements (dossier_id, at, actor, items, reason, official, phone, due_before)
				VALUES (?, ?, ?, ?, ?, '', '', ?)`, id, at, "hub:"+d.DecidedBy, string(items), d.Reason, dueBefore); err != nil {
				return fmt.Errorf("supplement: %w", err)
			}
		}
		return s.appendAudit(q, auditRecord{At: now, Actor: "hub:" + d.DecidedBy, Action: "dossier.decision",
			Entity: "dossier:" + d.Dossier, Detail: map[string]any{"decision": d.ID, "outcome": d.Outcome, "from": from, "to": int(d.Status)}})
	})
	if err != nil {
		return false, fmt.Errorf("apply decision %s: %w", d.ID, err)
	}
	return applied, nil
}

// ApplyRemoteDossier records a dossier received by another device of the
// office (the JSON of its dossier.received event) so that lists and
// searches here find it. Its papers are recorded without their scans (they
// stay on the receiving device and the hub). It is a no-op if the code is
// already here. It writes no outbox event.
func (s *Store) ApplyRemoteDossier(ctx context.Context, raw json.RawMessage, origin string) (bool, error) {
	var p payload
	if err := json.Unmarshal(raw, &p); err != nil {
		return false, fmt.Errorf("remote dossier: %w", err)
	}
	code, err := dossier.ParseCode(p.Code)
	if err != nil {
		return false, fmt.Errorf("remote dossier: %w", err)
	}
	added := false
	err = s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM dossiers WHERE code = ?`, p.Code).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		now := s.now()
		q := newTxq(ctx, tx, s.wStmts)
		defer q.close()
		a := p.Applicant
		var birth any
		if a.BirthDate != "" {
			birth = a.BirthDate
		}
		var due any
		if p.DueAt != nil {
			due = p.DueAt.UnixMilli()
		}
		fts := ftsRow{code: p.Code, nameFolded: searchForm(a.FullName), idNumber: a.IDNumber, phoneD: digitsOnly(a.Phone)}
		res, err := q.exec(sqlDossierInsert, p.Code, code.Agency, codeDay(p.ReceivedAt).Format(time.DateOnly), code.Number,
			p.ProcedureCode, p.ProcedureName, p.CatalogVersion, a.FullName, fts.nameFolded, a.IDNumber,
			birth, a.Sex, a.Address, a.Phone, fts.phoneD, a.Email,
			p.Sets, p.Fee, p.ProcessingTime, p.ReceivedAt.UnixMilli(), due, p.Status, p.Channel,
			p.ReturnMethod, p.ReturnAddress, p.ReceivedBy, p.TrackingNo, p.Note, now.UnixMilli())
		if err != nil {
			return fmt.Errorf("insert dossier: %w", err)
		}
		if fts.id, err = res.LastInsertId(); err != nil {
			return err
		}
		for i, pp := range p.Papers {
			if _, err := q.exec(sqlPaperInsert, fts.id, i, pp.Name, pp.Form, pp.Count, pp.Required); err != nil {
				return fmt.Errorf("insert paper: %w", err)
			}
		}
		if _, err := q.exec(sqlHistory, fts.id, now.UnixMilli(), "sync", "sync.received", 0, p.Status, origin); err != nil {
			return err
		}
		if _, err := q.exec(`INSERT INTO sync_remote (dossier_id, origin, at) VALUES (?, ?, ?)`, fts.id, origin, now.UnixMilli()); err != nil {
			return err
		}
		if err := s.appendAudit(q, auditRecord{At: now, Actor: "sync", Action: "dossier.sync_in", Entity: "dossier:" + p.Code,
			Detail: map[string]any{"origin": origin, "papers": len(p.Papers), "status": p.Status}}); err != nil {
			return err
		}
		added = true
		return ftsInsert(q, []ftsRow{fts})
	})
	if err != nil {
		return false, fmt.Errorf("remote dossier %s: %w", p.Code, err)
	}
	return added, nil
}

// RemoteEvent is a later event of a dossier that another device of the
// office recorded, as the hub's feed carries it.
type RemoteEvent struct {
	UUID    string
	Dossier string // code
	Seq     int
	Kind    string // KindStatus; other kinds are recorded, not applied
	Payload json.RawMessage
	Origin  string // device id
}

// ApplyRemoteEvent applies a status step recorded by another device to
// this device's replica of the dossier, in one transaction: the status and
// the step's timestamps change, a history event (the other device's actor
// and action) and an audit record are written, and no outbox event (the
// step is the other device's to send). Each event is applied once (by
// UUID) and in order per dossier: an event whose predecessor was not seen
// here, a dossier this device does not hold, or a move the lifecycle does
// not allow from the status here is recorded with its problem and shown,
// never dropped. It reports whether the status changed.
func (s *Store) ApplyRemoteEvent(ctx context.Context, ev RemoteEvent) (applied bool, err error) {
	err = s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM sync_remote_events WHERE uuid = ? OR (dossier = ? AND seq = ?)`,
			ev.UUID, ev.Dossier, ev.Seq).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return nil
		}
		now := s.now()
		var p statusPayload
		problem := ""
		var id int64
		var from int
		var remote int
		err := tx.QueryRowContext(ctx, `SELECT d.id, d.status, (SELECT count(*) FROM sync_remote r WHERE r.dossier_id = d.id)
			FROM dossiers d WHERE d.code = ?`, ev.Dossier).Scan(&id, &from, &remote)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			problem = "dossier not on this device"
		case err != nil:
			return err
		case remote == 0:
			problem = "dossier belongs to this device"
		case ev.Kind != KindStatus:
			problem = "kind " + ev.Kind + " not applied here"
		case json.Unmarshal(ev.Payload, &p) != nil || p.Code != ev.Dossier:
			problem = "payload is not a status step of this dossier"
		case !dossier.Status(p.To).Valid():
			problem = fmt.Sprintf("unknown status %d", p.To)
		}
		if problem == "" {
			// In order: the previous step of the dossier must be here (seq 1
			// is its reception, recorded by ApplyRemoteDossier).
			var prev int
			if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 1) FROM sync_remote_events WHERE dossier = ?`, ev.Dossier).
				Scan(&prev); err != nil {
				return err
			}
			switch {
			case ev.Seq != prev+1:
				problem = fmt.Sprintf("step %d arrived after step %d", ev.Seq, prev)
			case dossier.Status(from) != dossier.Status(p.To) && !dossier.CanMove(dossier.Status(from), dossier.Status(p.To)):
				problem = fmt.Sprintf("status %d cannot become %d here", from, p.To)
			}
		}
		applied = problem == "" && from != p.To
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_remote_events (uuid, dossier, seq, kind, origin, applied, problem, received_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, ev.UUID, ev.Dossier, ev.Seq, ev.Kind, ev.Origin, problem == "", problem, now.UnixMilli()); err != nil {
			return err
		}
		if !applied {
			return nil
		}
		at := p.At.UTC().UnixMilli()
		if p.At.IsZero() {
			at = now.UnixMilli()
		}
		set, args := `status = ?, updated_at = ?`, []any{p.To, now.UnixMilli()}
		switch dossier.Status(p.To) {
		case dossier.StatusDone:
			set += `, done_at = coalesce(done_at, ?)`
			args = append(args, at)
		case dossier.StatusReturned:
			set += `, returned_at = coalesce(returned_at, ?), closed_at = coalesce(closed_at, ?)`
			args = append(args, at, at)
		case dossier.StatusRefused, dossier.StatusWithdrawn, dossier.StatusStopped:
			set += `, closed_at = coalesce(closed_at, ?)`
			args = append(args, at)
		}
		if p.DueAt != nil {
			set += `, due_at = ?`
			args = append(args, p.DueAt.UnixMilli())
		}
		if _, err := tx.ExecContext(ctx, `UPDATE dossiers SET `+set+` WHERE id = ?`, append(args, id)...); err != nil {
			return err
		}
		q := newTxq(ctx, tx, s.wStmts)
		defer q.close()
		if _, err := q.exec(sqlHistory, id, at, p.Actor, p.Action, from, p.To, p.Note); err != nil {
			return err
		}
		return s.appendAudit(q, auditRecord{At: now, Actor: "sync", Action: "dossier.sync_step", Entity: "dossier:" + ev.Dossier,
			Detail: map[string]any{"origin": ev.Origin, "event": ev.UUID, "action": p.Action, "from": from, "to": p.To}})
	})
	if err != nil {
		return false, fmt.Errorf("apply remote event %s: %w", ev.UUID, err)
	}
	return applied, nil
}

// Kinds of FeedItem (the hub's publication kinds).
const (
	ItemCatalog  = "catalog.version"
	ItemHolidays = "holidays.year"
	ItemAccount  = "account"
)

// FeedItem is something the hub published to this office: a catalog
// version, a year's holiday table or a staff account (ItemAccount, Data
// an ItemAccountData). ID grows with every publication at the hub.
type FeedItem struct {
	Kind, Key string
	ID        int64
	Data      json.RawMessage
	// Problem is why the item cannot be used ("" when it can); such an
	// item is kept and shown, never used.
	Problem string
	At      time.Time // when it arrived here
}

// ItemAccountData is the Data of an ItemAccount item.
type ItemAccountData struct {
	Login        string `json:"login"`
	FullName     string `json:"full_name"`
	Role         string `json:"role"`
	PasswordHash string `json:"password_hash,omitempty"`
	Disabled     bool   `json:"disabled"`
}

// ApplyFeedItem records an item published by the hub, in one transaction,
// unless an item of the same kind and key with this or a newer id is here
// already (so applying again, or an older publication arriving late,
// changes nothing). An account item also creates or updates the local
// account (name, role, disabled, and the password hash when it carries one;
// failed-login counts and locks stay the device's) with an audit record.
// Catalog and holiday items are used by the composition root (SyncedItems).
// It reports whether the item was taken.
func (s *Store) ApplyFeedItem(ctx context.Context, it FeedItem) (taken bool, err error) {
	err = s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		var have int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM sync_items WHERE kind = ? AND key = ?`, it.Kind, it.Key).Scan(&have)
		if err == nil && have >= it.ID {
			return nil
		}
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		now := s.now()
		if it.Kind == ItemAccount && it.Problem == "" {
			if it.Problem, err = s.syncAccount(ctx, tx, it, now); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO sync_items (kind, key, id, data, problem, received_at) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (kind, key) DO UPDATE SET id = excluded.id, data = excluded.data, problem = excluded.problem,
				received_at = excluded.received_at`, it.Kind, it.Key, it.ID, string(it.Data), it.Problem, now.UnixMilli()); err != nil {
			return err
		}
		taken = it.Problem == ""
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("apply %s %s: %w", it.Kind, it.Key, err)
	}
	return taken, nil
}

// syncAccount applies an account item inside tx; it returns the problem
// that keeps it from applying, if any.
func (s *Store) syncAccount(ctx context.Context, tx *sql.Tx, it FeedItem, now time.Time) (string, error) {
	var d ItemAccountData
	if err := json.Unmarshal(it.Data, &d); err != nil || d.Login == "" || d.Login != it.Key {
		return "account data unreadable", nil
	}
	if !auth.Role(d.Role).Valid() {
		return "unknown role " + d.Role, nil
	}
	old, err := scanAccount(tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE login = ?`, d.Login))
	isNew := errors.Is(err, sql.ErrNoRows)
	if err != nil && !isNew {
		return "", err
	}
	a := old
	if isNew {
		if d.PasswordHash == "" {
			return "new account without a password", nil
		}
		a = auth.Account{Login: d.Login, CreatedAt: now}
	}
	a.FullName, a.Role, a.Disabled, a.UpdatedAt = d.FullName, auth.Role(d.Role), d.Disabled, now
	if d.PasswordHash != "" {
		a.PasswordHash = d.PasswordHash
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO accounts (`+accountColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (login) DO UPDATE SET full_name = excluded.full_name, role = excluded.role,
			password_hash = excluded.password_hash, disabled = excluded.disabled, updated_at = excluded.updated_at`,
		a.Login, a.FullName, string(a.Role), a.PasswordHash, a.Failed, millis(a.LockedUntil), a.Disabled,
		millis(a.CreatedAt), millis(a.UpdatedAt)); err != nil {
		return "", err
	}
	action := "account.update"
	if isNew {
		action = "account.create"
	}
	q := newTxq(ctx, tx, s.wStmts)
	defer q.close()
	return "", s.appendAudit(q, auditRecord{At: now, Actor: "hub", Action: action, Entity: "account:" + a.Login,
		Detail: map[string]any{"role": string(a.Role), "disabled": a.Disabled, "publication": it.ID,
			"password_changed": !isNew && old.PasswordHash != a.PasswordHash}})
}

// SyncedItems lists the usable items of kind the hub published, by key.
func (s *Store) SyncedItems(ctx context.Context, kind string) ([]FeedItem, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT kind, key, id, data, problem, received_at FROM sync_items
		WHERE kind = ? AND problem = '' ORDER BY key`, kind)
	if err != nil {
		return nil, fmt.Errorf("synced items: %w", err)
	}
	defer rows.Close()
	var out []FeedItem
	for rows.Next() {
		var it FeedItem
		var data string
		var at int64
		if err := rows.Scan(&it.Kind, &it.Key, &it.ID, &data, &it.Problem, &at); err != nil {
			return nil, err
		}
		it.Data, it.At = json.RawMessage(data), time.UnixMilli(at).UTC()
		out = append(out, it)
	}
	return out, rows.Err()
}
