package store

import (
	"context"
	"database/sql"
	"fmt"
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
		f := s.filters(q)
		if f.empty {
			return nil
		}
		if q.After != nil {
			f.where = append(f.where, `(d.received_at, d.id) < (?, ?)`)
			f.args = append(f.args, q.After.ReceivedAt.UnixMilli(), q.After.ID)
		}
		var err error
		switch {
		case f.match == "":
			page.Items, err = s.listPlain(ctx, tx, f, limit+1)
		case s.searchPath == pathWalk:
			page.Items, err = s.listWalk(ctx, tx, f, limit+1, -1)
		case s.searchPath == pathIndex:
			page.Items, err = s.listIndex(ctx, tx, f, limit+1)
		default:
			page.Items, err = s.listWalk(ctx, tx, f, limit+1, walkBudget)
			if err == nil && len(page.Items) <= limit {
				page.Items, err = s.listIndex(ctx, tx, f, limit+1)
			}
		}
		return err
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

// walkBudget is how many rows a text search walks newest first before it
// asks the full-text index instead.
const walkBudget = 25_000

const summaryColumns = `o.id, o.code, o.procedure_name, o.name, o.id_number, o.phone, o.status, o.received_at, o.due_at`

// listPlain lists without a text filter, along dossiers_received.
func (s *Store) listPlain(ctx context.Context, tx *sql.Tx, f filter, n int) ([]dossier.Summary, error) {
	return scanSummaries(tx.QueryContext(ctx, plainListSQL(f.where), append(f.args, n)...))
}

// plainListSQL selects a page of rows meeting where (the page size is the
// last argument): ids along an index first, then only those rows.
func plainListSQL(where []string) string {
	return `SELECT ` + summaryColumns + ` FROM dossiers o WHERE o.id IN (
		SELECT d.id FROM dossiers d` + whereClause(where) + ` ORDER BY d.received_at DESC, d.id DESC LIMIT ?)
		ORDER BY o.received_at DESC, o.id DESC`
}

// listWalk reads at most budget rows (-1: all) newest first along
// dossiers_received, whose entries carry the search columns, and keeps those
// whose tokens match the words (the same test as the FTS5 query, with LIKE);
// only the matching rows are read from the table.
func (s *Store) listWalk(ctx context.Context, tx *sql.Tx, f filter, n, budget int) ([]dossier.Summary, error) {
	args := append(append(append([]any{}, f.args...), budget), f.likeArgs...)
	return scanSummaries(tx.QueryContext(ctx, `SELECT `+summaryColumns+` FROM dossiers o WHERE o.id IN (
		SELECT w.id FROM (
			SELECT d.id, d.received_at, d.name_folded, d.id_number, d.phone_digits, d.code
			FROM dossiers d INDEXED BY dossiers_received`+whereClause(f.where)+`
			ORDER BY d.received_at DESC, d.id DESC LIMIT ?) w`+whereClause(f.like)+`
		ORDER BY w.received_at DESC, w.id DESC LIMIT ?)
		ORDER BY o.received_at DESC, o.id DESC`, append(args, n)...))
}

// listIndex takes the matching ids from the full-text index and sorts them
// on the small dossiers_by_id index; only the page's rows are read.
func (s *Store) listIndex(ctx context.Context, tx *sql.Tx, f filter, n int) ([]dossier.Summary, error) {
	where := append([]string{`d.id IN (SELECT rowid FROM dossier_fts WHERE dossier_fts MATCH ?)`}, f.where...)
	args := append(append([]any{f.match}, f.args...), n)
	return scanSummaries(tx.QueryContext(ctx, `SELECT `+summaryColumns+` FROM dossiers o WHERE o.id IN (
		SELECT d.id FROM dossiers d INDEXED BY dossiers_by_id`+whereClause(where)+`
		ORDER BY d.received_at DESC, d.id DESC LIMIT ?)
		ORDER BY o.received_at DESC, o.id DESC`, args...))
}

func scanSummaries(rows *sql.Rows, err error) ([]dossier.Summary, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dossier.Summary
	for rows.Next() {
		var (
			it            dossier.Summary
			status        int
			received, due sql.NullInt64
		)
		if err := rows.Scan(&it.ID, &it.Code, &it.ProcedureName, &it.ApplicantName, &it.IDNumber, &it.Phone,
			&status, &received, &due); err != nil {
			return nil, err
		}
		it.Status, it.ReceivedAt, it.DueAt = dossier.Status(status), fromMillis(received), fromMillis(due)
		out = append(out, it)
	}
	return out, rows.Err()
}

// Count returns how many dossiers match q (q.After and q.Limit are
// ignored). Filters other than text are ranges of an index (today's count,
// overdue, a status); a text filter counts the full-text matches.
func (s *Store) Count(ctx context.Context, q dossier.Query) (int, error) {
	var n int
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		f := s.filters(q)
		if f.empty {
			return nil
		}
		if f.match != "" {
			f.where = append(f.where, `d.id IN (SELECT rowid FROM dossier_fts WHERE dossier_fts MATCH ?)`)
			f.args = append(f.args, f.match)
		}
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM dossiers d`+whereClause(f.where), f.args...).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("count dossiers: %w", err)
	}
	return n, nil
}

// CountUpTo counts the dossiers matching q but stops at limit+1, so a list
// can say "more than limit" without walking a million rows: more is true
// when at least limit+1 match, and n is then limit.
func (s *Store) CountUpTo(ctx context.Context, q dossier.Query, limit int) (n int, more bool, err error) {
	err = s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		f := s.filters(q)
		if f.empty {
			return nil
		}
		if f.match != "" {
			f.where = append(f.where, `d.id IN (SELECT rowid FROM dossier_fts WHERE dossier_fts MATCH ?)`)
			f.args = append(f.args, f.match)
		}
		return tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM dossiers d`+whereClause(f.where)+` LIMIT ?)`,
			append(f.args, limit+1)...).Scan(&n)
	})
	if err != nil {
		return 0, false, fmt.Errorf("count dossiers: %w", err)
	}
	if n > limit {
		return limit, true, nil
	}
	return n, false, nil
}

// Ways of evaluating a text filter; Store.searchPath forces one in tests.
const (
	pathAuto  = iota // walk up to walkBudget rows, then the index
	pathIndex        // by the full-text index
	pathWalk         // by walking every row
)

// filter is a Query as SQL. A text filter can be evaluated two ways:
//
//   - by walking: rows are read newest first along dossiers_received, whose
//     entries carry the search columns, and tested with like (LIKE on the
//     tokens, the same test as the FTS5 query). The cost grows with the
//     page size divided by the share of matching rows: a common name ("tran
//     thi", "nguyen van an") fills a page within a few thousand rows.
//   - by the index: match is the FTS5 query; the matching ids are sorted on
//     the small dossiers_by_id index. The cost grows with the number of
//     matches: a rare name has few.
//
// List walks at most walkBudget rows and, if the page is not full by then,
// asks the index, so a query costs about min(walk, budget + index).
type filter struct {
	where    []string // conditions on dossiers d, other than the text
	args     []any
	like     []string // the text as conditions on the walk's columns w
	likeArgs []any
	match    string // the text as an FTS5 query; "" = no text filter
	empty    bool   // q can match nothing (text without a searchable word)
}

func (s *Store) filters(q dossier.Query) filter {
	var f filter
	if q.Text != "" {
		words := searchWords(q.Text)
		if len(words) == 0 {
			f.empty = true
			return f
		}
		f.match = buildMatch(q.Text)
		for _, w := range words {
			// The code test is guarded by a plain substring test, so that
			// most rows skip building the code's tokens.
			f.like = append(f.like, `((' ' || w.name_folded) LIKE ? OR w.id_number LIKE ? OR w.phone_digits LIKE ?
				OR (w.code LIKE ? AND (' ' || replace(replace(w.code, '.', ' '), '-', ' ')) LIKE ?))`)
			f.likeArgs = append(f.likeArgs, "% "+w+"%", w+"%", w+"%", "%"+strings.Fields(w)[0]+"%", "% "+w+"%")
		}
	}
	if len(q.Statuses) > 0 {
		ph := make([]string, len(q.Statuses))
		for i, st := range q.Statuses {
			ph[i] = "?"
			f.args = append(f.args, int(st))
		}
		f.where = append(f.where, `d.status IN (`+strings.Join(ph, ", ")+`)`)
	}
	if !q.ReceivedFrom.IsZero() {
		f.where = append(f.where, `d.received_at >= ?`)
		f.args = append(f.args, q.ReceivedFrom.UnixMilli())
	}
	if !q.ReceivedTo.IsZero() {
		f.where = append(f.where, `d.received_at < ?`)
		f.args = append(f.args, q.ReceivedTo.UnixMilli())
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
		f.where = append(f.where, `d.status IN `+openStatuses+` AND d.due_at < ?`)
		f.args = append(f.args, due.UnixMilli())
	}
	return f
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
