package store

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"strings"
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
	var page dossier.Page
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		where, args, empty, err := s.filters(ctx, tx, q, limit+1)
		if err != nil || empty {
			return err
		}
		if q.After != nil {
			where = append(where, `(d.received_at, d.id) < (?, ?)`)
			args = append(args, q.After.ReceivedAt.UnixMilli(), q.After.ID)
		}
		args = append(args, limit+1)
		rows, err := tx.QueryContext(ctx, `SELECT d.id, d.code, d.procedure_name, d.name, d.id_number, d.phone,
			d.status, d.received_at, d.due_at
			FROM dossiers d`+whereClause(where)+`
			ORDER BY d.received_at DESC, d.id DESC LIMIT ?`, args...)
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
	var n int
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		where, args, empty, err := s.filters(ctx, tx, q, 0)
		if err != nil || empty {
			return err
		}
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM dossiers d`+whereClause(where), args...).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count dossiers: %w", err)
	}
	return n, nil
}

// Text search paths; searchPath forces one in tests.
const (
	pathAuto = iota
	pathIndex
	pathWalk
)

// filters turns q into SQL conditions on dossiers d. empty is true when q
// can match nothing (text without a single searchable word). want is how
// many rows the caller will read (0 = all, for Count); it chooses how a
// text filter is evaluated:
//
//   - by the full-text index: the matching ids are collected and the
//     matching rows sorted, a cost that grows with the number of matches;
//   - by walking: rows are read newest first along the received_at index and
//     each is tested against the same tokens with LIKE on the stored search
//     columns, a cost that grows with want / (share of rows matching).
//
// The index is used when it holds fewer than k matches, k = √(want × rows),
// found by counting matches up to k; otherwise the matches are at least k/N
// of the rows and a walk meets want of them within about want × N / k rows.
// Either way the work is about √(want × N) rows at most: ≈ 7,000 for a page
// of 50 over a million dossiers.
func (s *Store) filters(ctx context.Context, tx *sql.Tx, q dossier.Query, want int) (where []string, args []any, empty bool, err error) {
	if q.Text != "" {
		words := searchWords(q.Text)
		if len(words) == 0 {
			return nil, nil, true, nil
		}
		walk := false
		switch {
		case s.searchPath == pathWalk:
			walk = true
		case s.searchPath == pathAuto && want > 0:
			var maxID int64
			if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM dossiers`).Scan(&maxID); err != nil {
				return nil, nil, false, err
			}
			k := max(int64(math.Sqrt(float64(want)*float64(maxID))), 200)
			var n int64
			err := tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM dossier_fts WHERE dossier_fts MATCH ? LIMIT ?)`,
				buildMatch(q.Text), k).Scan(&n)
			if err != nil {
				return nil, nil, false, err
			}
			walk = n >= k
		}
		if walk {
			for _, w := range words {
				where = append(where, `((' ' || d.name_folded) LIKE ? OR (' ' || replace(replace(d.code, '.', ' '), '-', ' ')) LIKE ?
					OR d.id_number LIKE ? OR d.phone_digits LIKE ?)`)
				args = append(args, "% "+w+"%", "% "+w+"%", w+"%", w+"%")
			}
		} else {
			where = append(where, `d.id IN (SELECT rowid FROM dossier_fts WHERE dossier_fts MATCH ?)`)
			args = append(args, buildMatch(q.Text))
		}
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
	due := q.DueBefore
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
	return where, args, false, nil
}

func whereClause(where []string) string {
	if len(where) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(where, " AND ")
}

// searchWords splits text into what search compares: it is folded
// (textfold.Fold), split at white space, and in each word every rune that is
// not a letter or a digit becomes a space, as FTS5's unicode61 tokenizer
// separates tokens there. Each returned word is one or more tokens joined by
// single spaces.
func searchWords(text string) []string {
	var words []string
	for _, w := range strings.Fields(textfold.Fold(text)) {
		w = strings.Join(strings.FieldsFunc(w, func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		}), " ")
		if w != "" {
			words = append(words, w)
		}
	}
	return words
}

// searchForm is the form of a name stored in name_folded: its tokens, folded,
// separated by single spaces.
func searchForm(s string) string { return strings.Join(searchWords(s), " ") }

// buildMatch turns what a clerk typed into an FTS5 query: each word of
// searchWords becomes a quoted prefix phrase "word"*, all required. So
// "231027-0361" is the phrase of the tokens 231027 and 0361, and no input can
// produce FTS5 syntax other than quoted strings: quotes, NUL bytes, operators
// (AND, OR, NOT, NEAR), column filters, '*', '^', '-' and parentheses typed
// by a user are searched as text or dropped. It returns "" when nothing
// searchable is left.
func buildMatch(text string) string {
	var b strings.Builder
	for _, w := range searchWords(text) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(w, `"`, `""`)) // none left; kept as a second guard
		b.WriteString(`"*`)
	}
	return b.String()
}
