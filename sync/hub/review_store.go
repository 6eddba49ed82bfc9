package hub

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/textfold"
	"github.com/motcua/motcua/sync/protocol"
)

// reviewSchema adds the tables of reviewer accounts, the audit log and the
// review index: one row per dossier with the columns the queues, searches
// and the dashboard filter on (kept up to date by Apply and ReviewDecide).
func reviewSchema(d dialect) []string {
	return []string{
		`CREATE TABLE IF NOT EXISTS accounts (username TEXT PRIMARY KEY, display_name TEXT NOT NULL, role TEXT NOT NULL,
			password_hash TEXT NOT NULL, disabled INTEGER NOT NULL, failed INTEGER NOT NULL, locked_until BIGINT NOT NULL,
			created_at BIGINT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS account_communes (username TEXT NOT NULL, office TEXT NOT NULL, PRIMARY KEY (username, office))`,
		`CREATE TABLE IF NOT EXISTS sessions (token_hash TEXT PRIMARY KEY, username TEXT NOT NULL, created_at BIGINT NOT NULL,
			expires_at BIGINT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS sessions_user ON sessions (username)`,
		`CREATE TABLE IF NOT EXISTS audit (id ` + d.serial + `, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
			entity TEXT NOT NULL, detail TEXT NOT NULL)`,
		`CREATE INDEX IF NOT EXISTS audit_actor ON audit (actor, id)`,
		`CREATE TABLE IF NOT EXISTS decision_details (id TEXT PRIMARY KEY, items TEXT NOT NULL, reason TEXT NOT NULL)`,
		`CREATE TABLE IF NOT EXISTS review_dossiers (code TEXT PRIMARY KEY, office TEXT NOT NULL, status INTEGER NOT NULL,
			procedure_code TEXT NOT NULL, procedure_name TEXT NOT NULL, applicant TEXT NOT NULL, applicant_fold TEXT NOT NULL,
			id_number TEXT NOT NULL, received_at BIGINT NOT NULL, due_at BIGINT, done_at BIGINT, papers INTEGER NOT NULL,
			papers_digitised INTEGER NOT NULL, vote INTEGER NOT NULL DEFAULT 0, decided INTEGER NOT NULL DEFAULT 0)`,
		`CREATE INDEX IF NOT EXISTS rd_office_recv ON review_dossiers (office, received_at, code)`,
		// Queue indexes cover the filter columns: the page's codes are found
		// in the index alone, and only its rows are read.
		`CREATE INDEX IF NOT EXISTS rd_recv ON review_dossiers (received_at, code, office, status, due_at, procedure_code)`,
		`CREATE INDEX IF NOT EXISTS rd_status_recv ON review_dossiers (status, received_at, code, office)`,
		`CREATE INDEX IF NOT EXISTS rd_office_status_due ON review_dossiers (office, status, due_at)`,
		`CREATE INDEX IF NOT EXISTS rd_id_number ON review_dossiers (id_number)`,
		// Covering indexes of the dashboard: its figures are read from the
		// index alone.
		`CREATE INDEX IF NOT EXISTS rd_dash ON review_dossiers (office, received_at, status, due_at, done_at, vote, papers, papers_digitised)`,
		`CREATE INDEX IF NOT EXISTS rd_done ON review_dossiers (done_at, office)`,
		// The dashboard's daily rollup, per commune and Vietnam day: the
		// figures of the dossiers received that day (as they stand now) and
		// how many dossiers were done that day (finished). Kept up to date
		// with the review index, in the same transactions.
		`CREATE TABLE IF NOT EXISTS review_daily (office TEXT NOT NULL, day INTEGER NOT NULL, received BIGINT NOT NULL,
			done BIGINT NOT NULL, on_time BIGINT NOT NULL, late BIGINT NOT NULL, done_ms BIGINT NOT NULL, votes_good BIGINT NOT NULL,
			votes_ok BIGINT NOT NULL, votes_bad BIGINT NOT NULL, papers BIGINT NOT NULL, papers_digitised BIGINT NOT NULL,
			finished BIGINT NOT NULL, PRIMARY KEY (office, day))`,
		// The same figures per commune and Monday-to-Sunday Vietnam week
		// (week = (day + 3) / 7, as the dashboard's weekly buckets), kept in
		// the same transactions: a long range reads whole weeks from here and
		// only its edge days from review_daily.
		`CREATE TABLE IF NOT EXISTS review_weekly (office TEXT NOT NULL, week INTEGER NOT NULL, received BIGINT NOT NULL,
			done BIGINT NOT NULL, on_time BIGINT NOT NULL, late BIGINT NOT NULL, done_ms BIGINT NOT NULL, votes_good BIGINT NOT NULL,
			votes_ok BIGINT NOT NULL, votes_bad BIGINT NOT NULL, papers BIGINT NOT NULL, papers_digitised BIGINT NOT NULL,
			finished BIGINT NOT NULL, PRIMARY KEY (office, week))`,
	}
}

// ReviewStore serves the reviewer API of accounts. Every method takes the
// scope (office codes) and never returns anything outside it.
type ReviewStore interface {
	AccountStore
	ReviewQueue(ctx context.Context, scope []string, q protocol.QueueQuery, now, due2 time.Time) (protocol.QueuePage, error)
	ReviewDossier(ctx context.Context, scope []string, code string, now time.Time) (protocol.ReviewDossier, error)
	// FileOffice returns the offices whose dossiers hold the file sha.
	FileOffices(ctx context.Context, sha string) ([]string, error)
	ReviewDecide(ctx context.Context, scope []string, d protocol.Decision) (protocol.Decision, string, error)
	ReviewDashboard(ctx context.Context, scope []string, q protocol.DashboardQuery, now time.Time) (protocol.Dashboard, error)
	// PortalDossiers returns the dossiers changed since t (updated_at), for
	// the national portal's export.
	PortalDossiers(ctx context.Context, since time.Time, fn func(PortalSource) error) error
	// RebuildReviewRollup recomputes the dashboard's daily rollup from the
	// review index.
	RebuildReviewRollup(ctx context.Context) error
}

var _ ReviewStore = (*sqlStore)(nil)

// reviewPayload is what the review index reads of a dossier.received
// payload (internal/store's payload).
type reviewPayload struct {
	Code          string `json:"code"`
	ProcedureCode string `json:"procedure_code"`
	ProcedureName string `json:"procedure_name"`
	Applicant     struct {
		FullName  string `json:"full_name"`
		IDNumber  string `json:"id_number"`
		BirthDate string `json:"birth_date"`
		Address   string `json:"address"`
		Phone     string `json:"phone"`
		Email     string `json:"email"`
	} `json:"applicant"`
	Papers []struct {
		Name     string   `json:"name"`
		Form     int      `json:"form"`
		Count    int      `json:"count"`
		Required bool     `json:"required"`
		Files    []string `json:"files"`
	} `json:"papers"`
	Fee        int64      `json:"fee"`
	ReceivedAt time.Time  `json:"received_at"`
	DueAt      *time.Time `json:"due_at"`
	Status     int        `json:"status"`
	Channel    int        `json:"channel"`
	ReceivedBy string     `json:"received_by"`
	Note       string     `json:"note"`
}

// eventTime reads an event's "at" written either as RFC 3339 (lifecycle
// steps) or as Unix milliseconds (satisfaction votes, internal/store
// RecordVote).
type eventTime struct{ time.Time }

func (t *eventTime) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] != '"' {
		if string(b) == "null" {
			return nil
		}
		ms, err := strconv.ParseInt(string(b), 10, 64)
		if err != nil {
			return err
		}
		t.Time = time.UnixMilli(ms).UTC()
		return nil
	}
	return t.Time.UnmarshalJSON(b)
}

// laterPayload is what the review index reads of a later event.
type laterPayload struct {
	Action string     `json:"action"`
	From   int        `json:"from"`
	To     int        `json:"to"`
	Status int        `json:"status"`
	At     eventTime  `json:"at"`
	Actor  string     `json:"actor"`
	Note   string     `json:"note"`
	DueAt  *time.Time `json:"due_at"`
	Rating int        `json:"rating"`
	Text   string     `json:"text"`
}

func isDoneStatus(st int) bool { return st == 9 || st == 10 }

// reviewIndex updates the review index for an applied event, in Apply's
// transaction.
func (s *sqlStore) reviewIndex(ctx context.Context, tx *sql.Tx, office string, ev protocol.Event, now time.Time) error {
	if ev.Seq == 1 {
		var p reviewPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return nil // Apply validated what it needs; an odd payload is not indexed
		}
		st := p.Status
		if st < 1 || st > 10 {
			st = 2
		}
		papers, dig := 0, 0
		for _, pp := range p.Papers {
			papers++
			if len(pp.Files) > 0 {
				dig++
			}
		}
		var done any
		if isDoneStatus(st) {
			done = ms(p.ReceivedAt)
		}
		var due any
		if p.DueAt != nil && !p.DueAt.IsZero() {
			due = ms(*p.DueAt)
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO review_dossiers (code, office, status, procedure_code, procedure_name, applicant,
			applicant_fold, id_number, received_at, due_at, done_at, papers, papers_digitised) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
			ev.Dossier, office, st, p.ProcedureCode, p.ProcedureName, p.Applicant.FullName, textfold.Fold(p.Applicant.FullName),
			p.Applicant.IDNumber, ms(p.ReceivedAt), due, done, papers, dig)
		if err != nil {
			return err
		}
		return s.rollup(ctx, tx, ev.Dossier, 1)
	}
	var p laterPayload
	if json.Unmarshal(ev.Payload, &p) != nil {
		return nil
	}
	if strings.HasPrefix(ev.Kind, "satisfaction.") && p.Rating >= 1 && p.Rating <= 3 {
		return s.reindex(ctx, tx, ev.Dossier, `vote = ?`, p.Rating)
	}
	st := p.Status
	if st == 0 {
		st = p.To
	}
	sets, args := []string{}, []any{}
	if st >= 1 && st <= 10 {
		sets, args = append(sets, "status = ?"), append(args, st)
		if isDoneStatus(st) {
			at := p.At.Time
			if at.IsZero() {
				at = ev.CreatedAt
			}
			sets, args = append(sets, "done_at = coalesce(done_at, ?)"), append(args, ms(at))
		}
	}
	if p.DueAt != nil && !p.DueAt.IsZero() {
		sets, args = append(sets, "due_at = ?"), append(args, ms(*p.DueAt))
	}
	if len(sets) == 0 {
		return nil
	}
	return s.reindex(ctx, tx, ev.Dossier, strings.Join(sets, ", "), args...)
}

// inScope returns " AND col IN (?, ?, …)" and its arguments; scope must
// not be empty (an empty scope sees nothing).
func inScope(col string, scope []string) (string, []any) {
	if len(scope) == 0 {
		return " AND 1 = 0", nil
	}
	args := make([]any, len(scope))
	for i, c := range scope {
		args[i] = c
	}
	return " AND " + col + " IN (?" + strings.Repeat(", ?", len(scope)-1) + ")", args
}

// openStatuses are the statuses whose processing clock runs: a dossier
// waiting for a supplement (5) is paused and never overdue, as on the device
// (dossier.Status.Open).
const openStatuses = "(2, 4, 6)"

// queueCursor encodes the keyset position after an item.
func queueCursor(recMs int64, code string) string { return strconv.FormatInt(recMs, 36) + "." + code }

func parseCursor(c string) (int64, string, bool) {
	i := strings.IndexByte(c, '.')
	if i <= 0 {
		return 0, "", false
	}
	n, err := strconv.ParseInt(c[:i], 36, 64)
	return n, c[i+1:], err == nil
}

// ErrBadQuery is a query with a bad parameter.
var ErrBadQuery = errors.New("bad query")

func (s *sqlStore) ReviewQueue(ctx context.Context, scope []string, q protocol.QueueQuery, now, due2 time.Time) (protocol.QueuePage, error) {
	where, args := inScope("r.office", scope)
	if q.Office != "" {
		where += " AND r.office = ?"
		args = append(args, q.Office)
	}
	switch q.Queue {
	case protocol.QueueAll:
	case protocol.QueueNew:
		where += " AND r.status IN (1, 2)"
	case protocol.QueueAwaiting:
		where += " AND r.status = 4"
	case protocol.QueueSupplement:
		where += " AND r.status = 5"
	case protocol.QueueOverdue:
		where += " AND r.status IN " + openStatuses + " AND r.due_at < ?"
		args = append(args, ms(now))
	case protocol.QueueDue2:
		where += " AND r.status IN " + openStatuses + " AND r.due_at >= ? AND r.due_at < ?"
		args = append(args, ms(now), ms(due2))
	default:
		return protocol.QueuePage{}, fmt.Errorf("%w: queue %q", ErrBadQuery, q.Queue)
	}
	if q.Procedure != "" {
		where += " AND r.procedure_code = ?"
		args = append(args, q.Procedure)
	}
	if !q.From.IsZero() {
		where += " AND r.received_at >= ?"
		args = append(args, ms(q.From))
	}
	if !q.To.IsZero() {
		where += " AND r.received_at < ?"
		args = append(args, ms(q.To))
	}
	if q.Status != 0 {
		where += " AND r.status = ?"
		args = append(args, q.Status)
	}
	if t := strings.TrimSpace(q.Q); t != "" {
		// One index per kind of search: an ID number (9 or 12 digits), a
		// dossier code (has a '-' or a '.'), else part of the name.
		switch {
		case allDigits(t) && (len(t) == 9 || len(t) == 12):
			where += " AND r.id_number = ?"
			args = append(args, t)
		case strings.ContainsAny(t, "-."):
			where += " AND r.code = ?"
			args = append(args, strings.ToUpper(t))
		default:
			esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(textfold.Fold(t))
			where += " AND r.applicant_fold LIKE ? ESCAPE '\\'"
			args = append(args, "%"+esc+"%")
		}
	}
	if q.After != "" {
		rec, code, ok := parseCursor(q.After)
		if !ok {
			return protocol.QueuePage{}, fmt.Errorf("%w: cursor", ErrBadQuery)
		}
		where += " AND (r.received_at, r.code) < (?, ?)" // a row value: one index range
		args = append(args, rec, code)
	}
	limit := q.Limit
	if limit <= 0 {
		limit = 50
	}
	if limit > 500 {
		limit = 500
	}
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT r.code, r.office, coalesce(o.name, ''), r.procedure_code, r.procedure_name, r.applicant,
		r.id_number, r.status, r.received_at, r.due_at, r.decided
		FROM (SELECT r.code FROM review_dossiers r WHERE 1 = 1`+where+` ORDER BY r.received_at DESC, r.code DESC LIMIT ?) k
		JOIN review_dossiers r ON r.code = k.code LEFT JOIN offices o ON o.code = r.office
		ORDER BY r.received_at DESC, r.code DESC`), append(args, limit+1)...)
	if err != nil {
		return protocol.QueuePage{}, fmt.Errorf("review queue: %w", err)
	}
	defer rows.Close()
	page := protocol.QueuePage{Items: []protocol.QueueItem{}}
	var lastRec int64
	for rows.Next() {
		var it protocol.QueueItem
		var rec int64
		var due sql.NullInt64
		var decided int
		if err := rows.Scan(&it.Code, &it.Office, &it.OfficeName, &it.Procedure, &it.ProcedureName, &it.Applicant, &it.IDNumber,
			&it.Status, &rec, &due, &decided); err != nil {
			return page, err
		}
		if len(page.Items) == limit {
			page.Next = queueCursor(lastRec, page.Items[limit-1].Code)
			break
		}
		it.ReceivedAt, it.DueAt, it.Decided = time.UnixMilli(rec).UTC(), fromMs(due), decided != 0
		it.Overdue = isOpen(it.Status) && !it.DueAt.IsZero() && now.After(it.DueAt)
		lastRec = rec
		page.Items = append(page.Items, it)
	}
	return page, rows.Err()
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isOpen(st int) bool { return st == 2 || st == 4 || st == 5 || st == 6 }

// officeOf returns the office of a dossier in the review index.
func (s *sqlStore) officeOf(ctx context.Context, code string) (string, error) {
	var office string
	err := s.r.QueryRowContext(ctx, s.q(`SELECT office FROM dossiers WHERE code = ?`), code).Scan(&office)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	return office, err
}

func inList(v string, list []string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (s *sqlStore) ReviewDossier(ctx context.Context, scope []string, code string, now time.Time) (protocol.ReviewDossier, error) {
	var out protocol.ReviewDossier
	office, err := s.officeOf(ctx, code)
	if err != nil {
		return out, err
	}
	if !inList(office, scope) {
		return out, ErrNotFound // out of scope is answered as absent
	}
	det, err := s.Dossier(ctx, code)
	if err != nil {
		return out, err
	}
	var p reviewPayload
	if err := json.Unmarshal(det.Payload, &p); err != nil {
		return out, fmt.Errorf("dossier %s payload: %w", code, err)
	}
	o, _ := s.Office(ctx, office)
	out = protocol.ReviewDossier{Code: code, Office: office, OfficeName: o.Name, Procedure: p.ProcedureCode, ProcedureName: p.ProcedureName,
		Status: det.Status, Channel: p.Channel, Fee: p.Fee, ReceivedAt: det.ReceivedAt, DueAt: det.DueAt, Overdue: det.Overdue,
		ReceivedBy: p.ReceivedBy, Applicant: protocol.ReviewApplicant{FullName: p.Applicant.FullName, IDNumber: p.Applicant.IDNumber,
			BirthDate: p.Applicant.BirthDate, Address: p.Applicant.Address, Phone: p.Applicant.Phone, Email: p.Applicant.Email},
		Papers: []protocol.ReviewPaper{}, Missing: []string{}, History: []protocol.HistoryEntry{}, Notes: []protocol.CommuneNote{},
		Decisions: []protocol.Decision{}}
	if var2, err := s.reviewDue(ctx, code); err == nil && !var2.IsZero() {
		out.DueAt = var2
		out.Overdue = isOpen(out.Status) && now.After(var2)
	}
	held := map[string]protocol.FileInfo{}
	for _, f := range det.FileList {
		held[f.SHA256] = f
	}
	for _, pp := range p.Papers {
		rp := protocol.ReviewPaper{Name: pp.Name, Form: pp.Form, Count: pp.Count, Required: pp.Required, Provided: true,
			Digitised: len(pp.Files) > 0}
		for i, sha := range pp.Files {
			fi := held[sha]
			// The server sniffs MIME and names the file (it holds the bytes).
			rp.Files = append(rp.Files, protocol.ReviewFile{SHA256: sha, Size: fi.Size, Held: fi.Held, Name: strconv.Itoa(i + 1)})
		}
		if pp.Count == 0 && pp.Required && len(pp.Files) == 0 {
			rp.Provided = false
			out.Missing = append(out.Missing, pp.Name)
		}
		out.Papers = append(out.Papers, rp)
	}
	out.History = append(out.History, protocol.HistoryEntry{At: p.ReceivedAt, Actor: p.ReceivedBy, Action: "receive", To: statusOr(p.Status, 2),
		Note: p.Note})
	for _, e := range det.Events {
		if e.Seq == 1 {
			continue
		}
		var lp laterPayload
		json.Unmarshal(e.Payload, &lp)
		at := lp.At.Time
		if at.IsZero() {
			at = e.CreatedAt
		}
		if strings.HasSuffix(e.Kind, ".note") || lp.Action == "note" {
			text := lp.Text
			if text == "" {
				text = lp.Note
			}
			out.Notes = append(out.Notes, protocol.CommuneNote{At: at, Author: lp.Actor, Text: text})
			continue
		}
		if strings.HasPrefix(e.Kind, "satisfaction.") {
			continue
		}
		action := lp.Action
		if action == "" {
			action = e.Kind
		}
		out.History = append(out.History, protocol.HistoryEntry{At: at, Actor: lp.Actor, Action: action, From: lp.From, To: lp.To, Note: lp.Note})
	}
	decs, err := s.reviewDecisions(ctx, code)
	if err != nil {
		return out, err
	}
	out.Decisions = decs
	for _, d := range decs {
		note := d.Note
		if note == "" {
			note = d.Reason
		}
		out.History = append(out.History, protocol.HistoryEntry{At: d.At, Actor: "hub:" + d.DecidedBy, Action: "decision." + d.Outcome,
			To: d.Status, Note: note})
	}
	sort.SliceStable(out.History, func(i, j int) bool { return out.History[i].At.Before(out.History[j].At) })
	return out, nil
}

func statusOr(st, def int) int {
	if st < 1 || st > 10 {
		return def
	}
	return st
}

func (s *sqlStore) reviewDue(ctx context.Context, code string) (time.Time, error) {
	var due sql.NullInt64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT due_at FROM review_dossiers WHERE code = ?`), code).Scan(&due)
	return fromMs(due), err
}

// reviewDecisions are a dossier's decisions with their items and reason.
func (s *sqlStore) reviewDecisions(ctx context.Context, code string) ([]protocol.Decision, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT d.id, d.outcome, d.status, d.note, d.result, d.decided_by, d.at,
		coalesce(x.items, ''), coalesce(x.reason, '') FROM decisions d LEFT JOIN decision_details x ON x.id = d.id
		WHERE d.dossier = ? ORDER BY d.at, d.id`), code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []protocol.Decision{}
	for rows.Next() {
		dc := protocol.Decision{Dossier: code}
		var at int64
		var items string
		if err := rows.Scan(&dc.ID, &dc.Outcome, &dc.Status, &dc.Note, &dc.Result, &dc.DecidedBy, &at, &items, &dc.Reason); err != nil {
			return nil, err
		}
		if items != "" {
			json.Unmarshal([]byte(items), &dc.Items)
		}
		dc.At = time.UnixMilli(at).UTC()
		out = append(out, dc)
	}
	return out, rows.Err()
}

func (s *sqlStore) FileOffices(ctx context.Context, sha string) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT DISTINCT d.office FROM dossier_files f JOIN dossiers d ON d.code = f.dossier
		WHERE f.sha256 = ?`), sha)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ReviewDecide records a decision on a dossier in scope: the decision, its
// items and reason, the dossier's status on the hub and in the review
// index, and the change in the office's feed (the commune applies it). It
// returns the decision and the dossier's office.
func (s *sqlStore) ReviewDecide(ctx context.Context, scope []string, dc protocol.Decision) (protocol.Decision, string, error) {
	office, err := s.officeOf(ctx, dc.Dossier)
	if err != nil {
		return dc, "", err
	}
	if !inList(office, scope) {
		return dc, "", ErrNotFound
	}
	office, err = s.decide(ctx, dc)
	return dc, office, err
}

// decide records a decision: the decision with its items and reason, the
// dossier's status on the hub and in the review index, and the change in the
// office's feed. It returns the dossier's office.
func (s *sqlStore) decide(ctx context.Context, dc protocol.Decision) (string, error) {
	var office string
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, s.q(`SELECT office FROM dossiers WHERE code = ?`+s.d.forUpd), dc.Dossier).Scan(&office)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if s.d.lockOffice != "" {
			if _, err := tx.ExecContext(ctx, s.q(s.d.lockOffice), office); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO decisions (id, dossier, outcome, status, note, result, decided_by, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`), dc.ID, dc.Dossier, dc.Outcome, dc.Status, dc.Note, dc.Result, dc.DecidedBy, ms(dc.At)); err != nil {
			return err
		}
		items, _ := json.Marshal(dc.Items)
		if len(dc.Items) == 0 {
			items = []byte("[]")
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO decision_details (id, items, reason) VALUES (?, ?, ?)`), dc.ID, string(items), dc.Reason); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE dossiers SET status = ?, updated_at = ? WHERE code = ?`), dc.Status, ms(dc.At), dc.Dossier); err != nil {
			return err
		}
		set := `status = ?, decided = 1`
		args := []any{dc.Status}
		if isDoneStatus(dc.Status) {
			set += `, done_at = coalesce(done_at, ?)`
			args = append(args, ms(dc.At))
		}
		if err := s.reindex(ctx, tx, dc.Dossier, set, args...); err != nil {
			return err
		}
		b, err := json.Marshal(dc)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, s.q(`INSERT INTO changes (office, kind, dossier, origin, at, payload) VALUES (?, ?, ?, '', ?, ?)`),
			office, protocol.ChangeDecision, dc.Dossier, ms(dc.At), string(b))
		return err
	})
	return office, err
}

// reindex updates a dossier's row of the review index and the daily rollup.
func (s *sqlStore) reindex(ctx context.Context, tx *sql.Tx, code, set string, args ...any) error {
	if err := s.rollup(ctx, tx, code, -1); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE review_dossiers SET `+set+` WHERE code = ?`), append(args, code)...); err != nil {
		return err
	}
	return s.rollup(ctx, tx, code, 1)
}

// vnDay is the Vietnam day number (days since 1970-01-01) of a time in ms.
func vnDay(msec int64) int64 { return (msec + vnOffset) / 86400000 }

const rollupCols = `office, day, received, done, on_time, late, done_ms, votes_good, votes_ok, votes_bad, papers, papers_digitised, finished`

// rollup adds (sign 1) or takes away (sign -1) a dossier's contribution to
// the daily and weekly rollups.
func (s *sqlStore) rollup(ctx context.Context, tx *sql.Tx, code string, sign int64) error {
	var office string
	var rec int64
	var due, done sql.NullInt64
	var vote, papers, dig int64
	err := tx.QueryRowContext(ctx, s.q(`SELECT office, received_at, due_at, done_at, vote, papers, papers_digitised FROM review_dossiers
		WHERE code = ?`), code).Scan(&office, &rec, &due, &done, &vote, &papers, &dig)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	b := func(c bool) int64 {
		if c {
			return sign
		}
		return 0
	}
	isDone := done.Valid
	var doneMs int64
	if isDone {
		doneMs = sign * (done.Int64 - rec)
	}
	add := func(day int64, vals ...any) error { return s.addRollup(ctx, tx, office, day, vals...) }
	if err := add(vnDay(rec), sign, b(isDone), b(isDone && (!due.Valid || done.Int64 <= due.Int64)),
		b(isDone && due.Valid && done.Int64 > due.Int64), doneMs, b(vote == 1), b(vote == 2), b(vote == 3), sign*papers, sign*dig, 0); err != nil {
		return err
	}
	if isDone {
		if err := add(vnDay(done.Int64), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, sign); err != nil {
			return err
		}
	}
	return nil
}

// addRollup adds vals (the rollup's columns after office and day) to the
// office's day in review_daily and its week in review_weekly.
func (s *sqlStore) addRollup(ctx context.Context, tx *sql.Tx, office string, day int64, vals ...any) error {
	for _, t := range [...]struct {
		table string
		n     int64
	}{{"review_daily", day}, {"review_weekly", vnWeek(day)}} {
		if _, err := tx.ExecContext(ctx, s.q(rollupUpsert[t.table]), append([]any{office, t.n}, vals...)...); err != nil {
			return err
		}
	}
	return nil
}

// vnWeek is the Monday-to-Sunday week number of a Vietnam day number (as
// bucketStart counts weeks).
func vnWeek(day int64) int64 { return (day + 3) / 7 }

// rollupUpsert holds the upserts of both rollups, by table.
var rollupUpsert = map[string]string{}

func init() {
	for _, table := range []string{"review_daily", "review_weekly"} {
		key := "day"
		if table == "review_weekly" {
			key = "week"
		}
		cols := strings.Replace(rollupCols, "office, day,", "office, "+key+",", 1)
		q := `INSERT INTO ` + table + ` (` + cols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (office, ` + key + `) DO UPDATE SET received = T.received + excluded.received,
		done = T.done + excluded.done, on_time = T.on_time + excluded.on_time,
		late = T.late + excluded.late, done_ms = T.done_ms + excluded.done_ms,
		votes_good = T.votes_good + excluded.votes_good, votes_ok = T.votes_ok + excluded.votes_ok,
		votes_bad = T.votes_bad + excluded.votes_bad, papers = T.papers + excluded.papers,
		papers_digitised = T.papers_digitised + excluded.papers_digitised, finished = T.finished + excluded.finished`
		q = strings.ReplaceAll(q, "T.", table+".")
		rollupUpsert[table] = q
	}
}

// RebuildReviewRollup recomputes the daily rollup from the review index,
// then the weekly one from the daily (after a bulk load, or when a rollup is
// missing).
func (s *sqlStore) RebuildReviewRollup(ctx context.Context) error {
	day := func(col string) string { return "((" + col + " + " + strconv.Itoa(vnOffset) + ") / 86400000)" }
	return s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM review_daily`); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO review_daily (`+rollupCols+`)
			SELECT office, day, sum(received), sum(done), sum(on_time), sum(late), sum(done_ms), sum(votes_good), sum(votes_ok),
				sum(votes_bad), sum(papers), sum(papers_digitised), sum(finished) FROM (
			SELECT office, `+day("received_at")+` AS day, 1 AS received,
				CASE WHEN done_at IS NOT NULL THEN 1 ELSE 0 END AS done,
				CASE WHEN done_at IS NOT NULL AND (due_at IS NULL OR done_at <= due_at) THEN 1 ELSE 0 END AS on_time,
				CASE WHEN done_at IS NOT NULL AND due_at IS NOT NULL AND done_at > due_at THEN 1 ELSE 0 END AS late,
				CASE WHEN done_at IS NOT NULL THEN done_at - received_at ELSE 0 END AS done_ms,
				CASE WHEN vote = 1 THEN 1 ELSE 0 END AS votes_good, CASE WHEN vote = 2 THEN 1 ELSE 0 END AS votes_ok,
				CASE WHEN vote = 3 THEN 1 ELSE 0 END AS votes_bad, papers, papers_digitised, 0 AS finished FROM review_dossiers
			UNION ALL
			SELECT office, `+day("done_at")+`, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 FROM review_dossiers WHERE done_at IS NOT NULL
			UNION ALL
			SELECT office, `+day("at")+`, 0, 0, 0, 0, 0, CASE WHEN rating = 1 THEN 1 ELSE 0 END, CASE WHEN rating = 2 THEN 1 ELSE 0 END,
				CASE WHEN rating = 3 THEN 1 ELSE 0 END, 0, 0, 0 FROM office_votes) x
			GROUP BY office, day`)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM review_weekly`); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO review_weekly (`+strings.Replace(rollupCols, "office, day,", "office, week,", 1)+`)
			SELECT office, (day + 3) / 7, sum(received), sum(done), sum(on_time), sum(late), sum(done_ms), sum(votes_good), sum(votes_ok),
				sum(votes_bad), sum(papers), sum(papers_digitised), sum(finished) FROM review_daily GROUP BY office, (day + 3) / 7`)
		return err
	})
}

// migrateReview fills the review index of dossiers applied before it
// existed (from their stored payload and current status), and the rollup.
func (s *sqlStore) migrateReview(ctx context.Context) error {
	if s.d.name == "postgres" {
		// Name search by part of the folded name: a trigram index when the
		// server has pg_trgm (contrib); without it the search scans.
		if _, err := s.w.ExecContext(ctx, `CREATE EXTENSION IF NOT EXISTS pg_trgm`); err == nil {
			if _, err := s.w.ExecContext(ctx, `CREATE INDEX IF NOT EXISTS rd_name_trgm ON review_dossiers USING gin (applicant_fold gin_trgm_ops)`); err != nil {
				return fmt.Errorf("review index: %w", err)
			}
		}
	}
	var idx, all, daily, weekly int64
	if err := s.w.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM review_dossiers), (SELECT count(*) FROM dossiers),
		(SELECT count(*) FROM review_daily), (SELECT count(*) FROM review_weekly)`).Scan(&idx, &all, &daily, &weekly); err != nil {
		return fmt.Errorf("review index: %w", err)
	}
	if idx < all {
		if _, err := s.w.ExecContext(ctx, `INSERT INTO review_dossiers (code, office, status, procedure_code, procedure_name, applicant,
			applicant_fold, id_number, received_at, due_at, done_at, papers, papers_digitised)
			SELECT code, office, status, procedure_code, '', '', '', '', received_at, due_at,
				CASE WHEN status IN (9, 10) THEN updated_at END, 0, 0 FROM dossiers d
			WHERE NOT EXISTS (SELECT 1 FROM review_dossiers r WHERE r.code = d.code)`); err != nil {
			return fmt.Errorf("review index: %w", err)
		}
		if err := s.backfillNames(ctx); err != nil {
			return err
		}
		daily = 0
	}
	if (daily == 0 || weekly == 0) && (idx > 0 || all > 0) {
		return s.RebuildReviewRollup(ctx)
	}
	return nil
}

// backfillNames fills the name, ID number and paper counts of index rows
// made by migrateReview from the dossiers' payloads.
func (s *sqlStore) backfillNames(ctx context.Context) error {
	rows, err := s.w.QueryContext(ctx, `SELECT d.code, d.payload FROM dossiers d JOIN review_dossiers r ON r.code = d.code
		WHERE r.applicant = '' AND r.papers = 0`)
	if err != nil {
		return err
	}
	type fill struct {
		code string
		p    reviewPayload
	}
	var fs []fill
	for rows.Next() {
		var f fill
		var payload string
		if err := rows.Scan(&f.code, &payload); err != nil {
			rows.Close()
			return err
		}
		if json.Unmarshal([]byte(payload), &f.p) == nil {
			fs = append(fs, f)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	return s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		for _, f := range fs {
			papers, dig := 0, 0
			for _, pp := range f.p.Papers {
				papers++
				if len(pp.Files) > 0 {
					dig++
				}
			}
			if _, err := tx.ExecContext(ctx, s.q(`UPDATE review_dossiers SET procedure_name = ?, applicant = ?, applicant_fold = ?,
				id_number = ?, papers = ?, papers_digitised = ? WHERE code = ?`), f.p.ProcedureName, f.p.Applicant.FullName,
				textfold.Fold(f.p.Applicant.FullName), f.p.Applicant.IDNumber, papers, dig, f.code); err != nil {
				return err
			}
		}
		return nil
	})
}
