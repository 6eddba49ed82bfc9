package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// KindStatus is the outbox kind of every step after reception.
const KindStatus = "dossier.status"

// statusPayload is the outbox payload of a step: enough for the hub to
// apply it to its copy of the dossier (times in RFC 3339 UTC).
type statusPayload struct {
	Code          string              `json:"code"`
	Action        string              `json:"action"`
	From          int                 `json:"from"`
	To            int                 `json:"to"`
	At            time.Time           `json:"at"`
	Actor         string              `json:"actor"`
	Note          string              `json:"note,omitempty"`
	DueAt         *time.Time          `json:"due_at,omitempty"`
	Agency        string              `json:"agency,omitempty"`
	Override      bool                `json:"override,omitempty"`
	Supplement    *dossier.Supplement `json:"supplement,omitempty"`
	Collector     *payloadCollector   `json:"collector,omitempty"`
	ApologyNumber int                 `json:"apology_number,omitempty"`
}

type payloadCollector struct {
	FullName   string `json:"full_name"`
	IDNumber   string `json:"id_number"`
	Authorised bool   `json:"authorised,omitempty"`
	Items      string `json:"items,omitempty"`
}

// Apply records one step of a dossier's life in one durable transaction:
// it checks that the dossier is still in ch.From (else ErrStatusChanged)
// and that the action may start from there (dossier.Next, else a
// *dossier.TransitionError), then writes the new status and what the step
// carries (supplement items, apology and new appointment, collector,
// timestamps), a history event, an audit record and one "dossier.status"
// outbox event. A refused step changes nothing. An apology beyond the first
// needs ch.Override (ErrApologyLimit otherwise). It returns the dossier as
// it is after the step.
//
// Validation of the inputs and the actor's role are the caller's
// (internal/reception); Apply enforces what must hold whatever the caller.
func (s *Store) Apply(ctx context.Context, id int64, ch dossier.Change) (*dossier.Dossier, error) {
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		q := newTxq(ctx, tx, s.wStmts)
		defer q.close()
		return s.applyTx(q, id, ch, s.now())
	})
	if err != nil {
		return nil, fmt.Errorf("%s dossier %d: %w", ch.Action, id, err)
	}
	return s.Dossier(ctx, id)
}

// BulkStep is one step for BulkApply: the dossier, when the step was
// taken and what it was.
type BulkStep struct {
	ID     int64
	At     time.Time
	Change dossier.Change
}

// BulkApply records many steps exactly as Apply does (same checks, same
// history, audit and outbox records), each at its own time instead of the
// clock's, in one transaction on the synchronous=NORMAL handle: a power cut
// may lose the whole batch, never part of it. For seeding demonstration
// histories (`motcua demo`) and benchmarks, never for a clerk's step.
// Steps of one dossier must come in their order; the first refused step
// rolls the batch back.
func (s *Store) BulkApply(ctx context.Context, steps []BulkStep) error {
	err := s.inTx(ctx, s.bulk, func(tx *sql.Tx) error {
		q := newTxq(ctx, tx, s.bulkStmts)
		defer q.close()
		for i, st := range steps {
			if err := s.applyTx(q, st.ID, st.Change, st.At); err != nil {
				return fmt.Errorf("step %d (%s dossier %d): %w", i, st.Change.Action, st.ID, err)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("bulk apply: %w", err)
	}
	return nil
}

func (s *Store) applyTx(q *txq, id int64, ch dossier.Change, now time.Time) error {
	var (
		code      string
		status    int
		due, done sql.NullInt64
		apologies int
	)
	err := q.queryRow(`SELECT code, status, due_at, done_at, apologies FROM dossiers WHERE id = ?`, id).
		Scan(&code, &status, &due, &done, &apologies)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	from := dossier.Status(status)
	if from != ch.From {
		return fmt.Errorf("%w: it is %d, the step was decided on %d", dossier.ErrStatusChanged, from, ch.From)
	}
	to, err := dossier.Next(from, ch.Action)
	if err != nil {
		return err
	}
	now = now.UTC().Truncate(time.Millisecond)
	at := now.UnixMilli()
	p := statusPayload{Code: code, Action: string(ch.Action), From: int(from), To: int(to), At: now,
		Actor: ch.Actor, Note: ch.Note}
	detail := map[string]any{"id": id, "from": int(from), "to": int(to)}
	sets := []string{"status = ?", "updated_at = ?"}
	args := []any{int(to), at}

	switch ch.Action {
	case dossier.ActionExtend:
		if apologies >= 1 && !ch.Override {
			return dossier.ErrApologyLimit
		}
		newDue := ch.NewDue.UTC().Truncate(time.Millisecond)
		if newDue.IsZero() || (due.Valid && newDue.UnixMilli() <= due.Int64) {
			return dossier.ErrNewDue
		}
		var old any
		if due.Valid {
			old = due.Int64
		}
		if _, err := q.exec(`INSERT INTO apologies (dossier_id, at, actor, old_due, new_due, reason, override)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, at, ch.Actor, old, newDue.UnixMilli(), ch.Note, ch.Override); err != nil {
			return fmt.Errorf("apology: %w", err)
		}
		sets = append(sets, "due_at = ?", "apologies = apologies + 1")
		args = append(args, newDue.UnixMilli())
		p.DueAt, p.Override, p.ApologyNumber = &newDue, ch.Override, apologies+1
		detail["new_due"], detail["override"], detail["apology"] = newDue.UnixMilli(), ch.Override, apologies+1
	case dossier.ActionSupplement:
		sup := ch.Supplement
		if sup == nil || len(sup.Items) == 0 {
			return dossier.ErrNoItems
		}
		items, err := json.Marshal(sup.Items)
		if err != nil {
			return err
		}
		var dueBefore any
		if due.Valid {
			dueBefore = due.Int64
		}
		if _, err := q.exec(`INSERT INTO supplements (dossier_id, at, actor, items, reason, official, phone, due_before)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, id, at, ch.Actor, string(items), sup.Reason, sup.Official, sup.Phone, dueBefore); err != nil {
			return fmt.Errorf("supplement: %w", err)
		}
		p.Supplement = sup
		detail["items"] = len(sup.Items)
	case dossier.ActionSupplemented:
		// The clock restarts: the appointment moves by the time the dossier
		// waited (computed by the caller on the office calendar); a zero
		// NewDue, or one before the current appointment, keeps it.
		newDue := due
		if !ch.NewDue.IsZero() {
			nd := ch.NewDue.UTC().Truncate(time.Millisecond).UnixMilli()
			if !due.Valid || nd > due.Int64 {
				newDue = sql.NullInt64{Int64: nd, Valid: true}
				sets = append(sets, "due_at = ?")
				args = append(args, nd)
			}
		}
		var dueAfter any
		if newDue.Valid {
			dueAfter = newDue.Int64
			t := time.UnixMilli(newDue.Int64).UTC()
			p.DueAt = &t
			detail["new_due"] = newDue.Int64
		}
		if _, err := q.exec(`UPDATE supplements SET supplied_at = ?, due_after = ?, remaining = ?
			WHERE id = (SELECT max(id) FROM supplements WHERE dossier_id = ? AND supplied_at IS NULL)`,
			at, dueAfter, max(ch.Remaining, 0), id); err != nil {
			return fmt.Errorf("supplement arrived: %w", err)
		}
		detail["remaining_minutes"] = max(ch.Remaining, 0)
	case dossier.ActionTransfer:
		if strings.TrimSpace(ch.Agency) == "" {
			return dossier.ErrAgencyRequired
		}
		sets = append(sets, "transferred_to = ?")
		args = append(args, ch.Agency)
		p.Agency = ch.Agency
		detail["agency"] = ch.Agency
	case dossier.ActionResult:
		if !done.Valid {
			sets = append(sets, "done_at = ?")
			args = append(args, at)
		}
	case dossier.ActionReturn:
		c := ch.Collector
		if c == nil || strings.TrimSpace(c.FullName) == "" {
			return dossier.ErrCollectorName
		}
		if _, err := q.exec(`INSERT INTO result_returns (dossier_id, at, actor, full_name, id_number, authorised, items)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, id, at, ch.Actor, c.FullName, c.IDNumber, c.Authorised, c.Items); err != nil {
			return fmt.Errorf("result return: %w", err)
		}
		sets = append(sets, "returned_at = ?", "closed_at = ?")
		args = append(args, at, at)
		p.Collector = &payloadCollector{FullName: c.FullName, IDNumber: c.IDNumber, Authorised: c.Authorised, Items: c.Items}
		detail["authorised"] = c.Authorised
	case dossier.ActionRefuse, dossier.ActionWithdraw, dossier.ActionStop:
		sets = append(sets, "closed_at = ?")
		args = append(args, at)
	}
	args = append(args, id)
	if _, err := q.exec(`UPDATE dossiers SET `+strings.Join(sets, ", ")+` WHERE id = ?`, args...); err != nil {
		return fmt.Errorf("update dossier: %w", err)
	}
	if _, err := q.exec(sqlHistory, id, at, ch.Actor, string(ch.Action), int(from), int(to), historyNote(ch)); err != nil {
		return fmt.Errorf("insert history: %w", err)
	}
	err = s.appendAudit(q, auditRecord{At: now, Actor: ch.Actor, Action: "dossier." + string(ch.Action),
		Entity: "dossier:" + code, Detail: detail})
	if err != nil {
		return err
	}
	payload, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("outbox payload: %w", err)
	}
	return s.appendOutbox(q, id, 0, KindStatus, payload, now)
}

// historyNote is the note the history shows for a step: the reason or what
// was done, with the receiving agency of a transfer.
func historyNote(ch dossier.Change) string {
	note := strings.TrimSpace(ch.Note)
	if ch.Action == dossier.ActionTransfer && ch.Agency != "" {
		if note == "" {
			return ch.Agency
		}
		return ch.Agency + ": " + note
	}
	return note
}

// Lifecycle returns what happened to a dossier after reception: result and
// return times, apologies, supplement requests and the collector.
func (s *Store) Lifecycle(ctx context.Context, id int64) (dossier.Lifecycle, error) {
	l := dossier.Lifecycle{DossierID: id}
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		var done, returned, closed sql.NullInt64
		err := tx.QueryRowContext(ctx, `SELECT done_at, returned_at, closed_at, transferred_to FROM dossiers WHERE id = ?`, id).
			Scan(&done, &returned, &closed, &l.TransferredTo)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		l.DoneAt, l.ReturnedAt, l.ClosedAt = fromMillis(done), fromMillis(returned), fromMillis(closed)

		rows, err := tx.QueryContext(ctx, `SELECT at, actor, old_due, new_due, reason, override
			FROM apologies WHERE dossier_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var a dossier.Apology
			var at, old, nd sql.NullInt64
			if err := rows.Scan(&at, &a.Actor, &old, &nd, &a.Reason, &a.Override); err != nil {
				rows.Close()
				return err
			}
			a.At, a.OldDue, a.NewDue = fromMillis(at), fromMillis(old), fromMillis(nd)
			l.Apologies = append(l.Apologies, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		rows, err = tx.QueryContext(ctx, `SELECT at, actor, items, reason, official, phone,
			due_before, supplied_at, due_after, remaining
			FROM supplements WHERE dossier_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		for rows.Next() {
			var r dossier.SupplementRequest
			var at, before, supplied, after sql.NullInt64
			var items string
			if err := rows.Scan(&at, &r.Actor, &items, &r.Reason, &r.Official, &r.Phone,
				&before, &supplied, &after, &r.Remaining); err != nil {
				rows.Close()
				return err
			}
			r.At, r.DueBefore, r.SuppliedAt, r.DueAfter = fromMillis(at), fromMillis(before), fromMillis(supplied), fromMillis(after)
			if err := json.Unmarshal([]byte(items), &r.Items); err != nil {
				rows.Close()
				return fmt.Errorf("supplement items: %w", err)
			}
			l.Supplements = append(l.Supplements, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}

		var c dossier.Collector
		err = tx.QueryRowContext(ctx, `SELECT actor, full_name, id_number, authorised, items FROM result_returns WHERE dossier_id = ?`, id).
			Scan(&l.ReturnedBy, &c.FullName, &c.IDNumber, &c.Authorised, &c.Items)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return err
		default:
			l.Return = &c
		}
		return nil
	})
	if err != nil {
		return dossier.Lifecycle{}, fmt.Errorf("lifecycle of dossier %d: %w", id, err)
	}
	return l, nil
}
