package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// vnDay is midnight (Vietnam time) of the day of t.
func vnDay(t time.Time) time.Time {
	y, m, d := t.In(vnZone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, vnZone)
}

// The dashboard's queries. Each one reads a range of an index and no table
// row (see the query plans in docs/PERFORMANCE.md).
var (
	sqlFigReceived = `SELECT count(*) FROM dossiers WHERE received_at >= ? AND received_at < ?`
	sqlFigDue      = `SELECT count(*) FROM dossiers WHERE status IN ` + openStatuses + ` AND due_at >= ? AND due_at < ?`
	sqlFigOverdue  = `SELECT count(*) FROM dossiers WHERE status IN ` + openStatuses + ` AND due_at < ?`
	sqlFigDone     = `SELECT count(*), coalesce(sum(done_at <= due_at), 0) FROM dossiers
		WHERE done_at >= ? AND done_at < ?`
	sqlFigReturned = `SELECT count(*) FROM dossiers WHERE returned_at >= ? AND returned_at < ?`
	sqlFigByProc   = `SELECT procedure_code, count(*), count(done_at), coalesce(sum(done_at <= due_at), 0),
		coalesce(sum(status IN ` + openStatuses + ` AND due_at < ?), 0)
		FROM dossiers WHERE received_at >= ? AND received_at < ? GROUP BY procedure_code ORDER BY 2 DESC, 1`
	sqlFigDaysReceived = `SELECT (received_at + 25200000) / 86400000, count(*) FROM dossiers
		WHERE received_at >= ? AND received_at < ? GROUP BY 1`
	sqlFigDaysDone = `SELECT (done_at + 25200000) / 86400000, count(*) FROM dossiers
		WHERE done_at >= ? AND done_at < ? GROUP BY 1`
	// Satisfaction votes of the chart's days (index satisfaction_votes_at).
	sqlFigVotes = `SELECT rating, count(*) FROM satisfaction_votes WHERE at >= ? AND at < ? GROUP BY rating`
)

// Figures computes the leader's dashboard at now: today and this month are
// Vietnamese calendar days; Days covers the last days days, today included.
// All queries run in one read transaction.
func (s *Store) Figures(ctx context.Context, now time.Time, days int) (dossier.Figures, error) {
	f := dossier.Figures{Now: now}
	today := vnDay(now)
	tomorrow := today.AddDate(0, 0, 1)
	month := time.Date(today.Year(), today.Month(), 1, 0, 0, 0, 0, vnZone)
	nextMonth := month.AddDate(0, 1, 0)
	first := today.AddDate(0, 0, -(days - 1))
	ms := func(t time.Time) int64 { return t.UnixMilli() }
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		one := func(dst *int, q string, args ...any) error {
			return tx.QueryRowContext(ctx, q, args...).Scan(dst)
		}
		if err := one(&f.ReceivedToday, sqlFigReceived, ms(today), ms(tomorrow)); err != nil {
			return err
		}
		if err := one(&f.ReceivedMonth, sqlFigReceived, ms(month), ms(nextMonth)); err != nil {
			return err
		}
		if err := one(&f.DueToday, sqlFigDue, ms(today), ms(tomorrow)); err != nil {
			return err
		}
		if err := one(&f.Overdue, sqlFigOverdue, ms(now)); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, sqlFigDone, ms(month), ms(nextMonth)).Scan(&f.DoneMonth, &f.OnTimeMonth); err != nil {
			return err
		}
		if err := one(&f.Returned, sqlFigReturned, ms(month), ms(nextMonth)); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, sqlFigByProc, ms(now), ms(month), ms(nextMonth))
		if err != nil {
			return err
		}
		for rows.Next() {
			var p dossier.ProcedureCount
			if err := rows.Scan(&p.Code, &p.Received, &p.Done, &p.OnTime, &p.Overdue); err != nil {
				rows.Close()
				return err
			}
			f.ByProcedure = append(f.ByProcedure, p)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		if days <= 0 {
			return nil
		}
		rows, err = tx.QueryContext(ctx, sqlFigVotes, ms(first), ms(tomorrow))
		if err != nil {
			return err
		}
		for rows.Next() {
			var rating, n int
			if err := rows.Scan(&rating, &n); err != nil {
				rows.Close()
				return err
			}
			if rating >= 1 && rating <= 3 {
				f.Votes[rating-1] = n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		f.Days = make([]dossier.DayCount, days)
		base := (ms(first) + 25200000) / 86400000
		for k := range f.Days {
			f.Days[k].Day = first.AddDate(0, 0, k)
		}
		for _, q := range []struct {
			sql  string
			done bool
		}{{sqlFigDaysReceived, false}, {sqlFigDaysDone, true}} {
			rows, err := tx.QueryContext(ctx, q.sql, ms(first), ms(tomorrow))
			if err != nil {
				return err
			}
			for rows.Next() {
				var day int64
				var n int
				if err := rows.Scan(&day, &n); err != nil {
					rows.Close()
					return err
				}
				if k := day - base; k >= 0 && k < int64(days) {
					if q.done {
						f.Days[k].Done = n
					} else {
						f.Days[k].Received = n
					}
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return dossier.Figures{}, fmt.Errorf("dashboard figures: %w", err)
	}
	return f, nil
}

const sqlTrackingBook = `SELECT d.id, d.tracking_no, d.code, d.procedure_code, d.procedure_name, d.name, d.id_number,
	d.phone, d.address, d.status, d.received_at, d.due_at, d.done_at, d.returned_at, d.received_by,
	d.apologies, d.transferred_to,
	(SELECT count(*) FROM papers p WHERE p.dossier_id = d.id),
	(SELECT count(DISTINCT pf.paper_id) FROM papers p JOIN paper_files pf ON pf.paper_id = p.id WHERE p.dossier_id = d.id)
	FROM dossiers d WHERE d.received_at >= ? AND d.received_at < ? ORDER BY d.received_at, d.id`

// TrackingBook calls fn for every dossier received in [from, to), oldest
// first: the lines of the tracking book (form 07) and of its CSV export.
// It stops at fn's first error and returns it.
func (s *Store) TrackingBook(ctx context.Context, from, to time.Time, fn func(dossier.TrackingRow) error) error {
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, sqlTrackingBook, from.UnixMilli(), to.UnixMilli())
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r dossier.TrackingRow
			var status int
			var rec, due, done, ret sql.NullInt64
			if err := rows.Scan(&r.ID, &r.TrackingNo, &r.Code, &r.ProcedureCode, &r.ProcedureName, &r.ApplicantName,
				&r.IDNumber, &r.Phone, &r.Address, &status, &rec, &due, &done, &ret, &r.ReceivedBy,
				&r.Apologies, &r.TransferredTo, &r.Papers, &r.Digitised); err != nil {
				return err
			}
			r.Status = dossier.Status(status)
			r.ReceivedAt, r.DueAt, r.DoneAt, r.ReturnedAt = fromMillis(rec), fromMillis(due), fromMillis(done), fromMillis(ret)
			if err := fn(r); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if err != nil {
		return fmt.Errorf("tracking book: %w", err)
	}
	return nil
}
