package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/textfold"
)

// openStatuses are the statuses for which dossier.Status.Open is true, as SQL.
var openStatuses = func() string {
	var s []string
	for _, st := range dossier.Statuses {
		if st.Open() {
			s = append(s, fmt.Sprint(int(st)))
		}
	}
	return "(" + strings.Join(s, ", ") + ")"
}()

// List returns one page of dossiers matching q, newest first (received_at
// DESC, id DESC), paged by keyset: pass the previous page's Next as q.After.
func (s *Store) List(ctx context.Context, q dossier.Query) (dossier.Page, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	where, args, empty := s.filters(q)
	var page dossier.Page
	if empty {
		return page, nil
	}
	if q.After != nil {
		where = append(where, `(d.received_at, d.id) < (?, ?)`)
		args = append(args, q.After.ReceivedAt.UnixMilli(), q.After.ID)
	}
	query := `SELECT d.id, d.code, d.procedure_name, d.name, d.id_number, d.phone, d.status, d.received_at, d.due_at
		FROM dossiers d` + whereClause(where) + `
		ORDER BY d.received_at DESC, d.id DESC LIMIT ?`
	args = append(args, limit+1)
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var (
				it            dossier.Summary
				status        int
				received, due sql.NullInt64
			)
			if err := rows.Scan(&it.ID, &it.Code, &it.ProcedureName, &it.ApplicantName, &it.IDNumber, &it.Phone,
				&status, &received, &due); err != nil {
				return err
			}
			it.Status, it.ReceivedAt, it.DueAt = dossier.Status(status), fromMillis(received), fromMillis(due)
			page.Items = append(page.Items, it)
		}
		return rows.Err()
	})
	if err != nil {
		return dossier.Page{}, fmt.Errorf("list dossiers: %w", err)
	}
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		last := page.Items[limit-1]
		page.Next = &dossier.Cursor{ReceivedAt: last.ReceivedAt, ID: last.ID}
	}
	return page, nil
}

// Count returns how many dossiers match q (q.After and q.Limit are
// ignored). Each filter is served by an index; a text filter counts the
// full-text matches.
func (s *Store) Count(ctx context.Context, q dossier.Query) (int, error) {
	where, args, empty := s.filters(q)
	if empty {
		return 0, nil
	}
	var n int
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM dossiers d`+whereClause(where), args...).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count dossiers: %w", err)
	}
	return n, nil
}

// filters turns q into SQL conditions on dossiers d. empty is true when q
// can match nothing (text without a single searchable word).
func (s *Store) filters(q dossier.Query) (where []string, args []any, empty bool) {
	if q.Text != "" {
		m := buildMatch(q.Text)
		if m == "" {
			return nil, nil, true
		}
		where = append(where, `d.id IN (SELECT rowid FROM dossier_fts WHERE dossier_fts MATCH ?)`)
		args = append(args, m)
	}
	if len(q.Statuses) > 0 {
		ph := make([]string, len(q.Statuses))
		for i, st := range q.Statuses {
			ph[i] = "?"
			args = append(args, int(st))
		}
		where = append(where, `d.status IN (`+strings.Join(ph, ", ")+`)`)
	}
	if !q.ReceivedFrom.IsZero() {
		where = append(where, `d.received_at >= ?`)
		args = append(args, q.ReceivedFrom.UnixMilli())
	}
	if !q.ReceivedTo.IsZero() {
		where = append(where, `d.received_at < ?`)
		args = append(args, q.ReceivedTo.UnixMilli())
	}
	due := time.Time{}
	if !q.DueBefore.IsZero() {
		due = q.DueBefore
	}
	if q.Overdue {
		now := q.Now
		if now.IsZero() {
			now = s.now()
		}
		if due.IsZero() || now.Before(due) {
			due = now
		}
	}
	if !due.IsZero() {
		where = append(where, `d.status IN `+openStatuses+` AND d.due_at < ?`)
		args = append(args, due.UnixMilli())
	}
	return where, args, false
}

func whereClause(where []string) string {
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

// buildMatch turns what a clerk typed into an FTS5 query. The text is
// folded (textfold.Fold) and split at white space; in each word every rune
// that is not a letter or a digit becomes a space (FTS5's unicode61 tokenizer
// separates tokens there anyway), and the word becomes a quoted prefix phrase
// "word"*. All words are required. So "231027-0361" is the phrase of the
// tokens 231027 and 0361, and no input can produce FTS5 syntax other than
// quoted strings: quotes, NUL bytes, operators (AND, OR, NOT, NEAR), column
// filters, '*', '^', '-' and parentheses typed by a user are searched as text
// or dropped. It returns "" when nothing searchable is left.
func buildMatch(text string) string {
	var b strings.Builder
	for _, w := range strings.Fields(textfold.Fold(text)) {
		w = strings.Map(func(r rune) rune {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return r
			}
			return ' '
		}, w)
		w = strings.Join(strings.Fields(w), " ")
		if w == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(w, `"`, `""`)) // none left; kept as a second guard
		b.WriteString(`"*`)
	}
	return b.String()
}
