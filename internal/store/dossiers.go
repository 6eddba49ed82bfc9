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

// The statements of the receive path, prepared once per write handle.
const (
	sqlCounterNext = `INSERT INTO counters (agency, day, slot, last_seq) VALUES (?, ?, ?, 1)
		ON CONFLICT (agency, day, slot) DO UPDATE SET last_seq = last_seq + 1 WHERE last_seq < 999
		RETURNING last_seq`
	sqlTrackingNext = `INSERT INTO tracking_counters (year, last_no) VALUES (?, 1)
		ON CONFLICT (year) DO UPDATE SET last_no = last_no + 1
		RETURNING last_no`
	sqlDossierInsert = `INSERT INTO dossiers (code, agency, code_day, code_number, procedure_code, procedure_name,
		catalog_version, name, name_folded, id_number, birth_date, sex, address, phone, phone_digits, email,
		sets, fee, processing_time, received_at, due_at, status, channel, return_method, return_address,
		received_by, tracking_no, note, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	sqlPaperInsert = `INSERT INTO papers (dossier_id, position, name, form, count, required) VALUES (?, ?, ?, ?, ?, ?)`
	sqlPaperFile   = `INSERT INTO paper_files (paper_id, position, sha256) VALUES (?, ?, ?)`
	sqlFileSize    = `SELECT size FROM files WHERE sha256 = ?`
	sqlHistory     = `INSERT INTO history (dossier_id, at, actor, action, from_status, to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?)`
	sqlFTSInsert   = `INSERT INTO dossier_fts (rowid, code, name_folded, id_number, phone_digits) VALUES (?, ?, ?, ?, ?)`
)

// ftsRow is a dossier's row in the full-text index.
type ftsRow struct {
	id                                 int64
	code, nameFolded, idNumber, phoneD string
}

// ftsInsert adds rows to the index. Call it as the last statement of a
// transaction: FTS5 keeps pending terms in memory until the transaction
// ends or another statement opens a savepoint.
func ftsInsert(q *txq, rows []ftsRow) error {
	for _, r := range rows {
		if _, err := q.exec(sqlFTSInsert, r.id, r.code, r.nameFolded, r.idNumber, r.phoneD); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}

// writeStatements are prepared at Open on the writer and the bulk writer.
var writeStatements = []string{sqlCounterNext, sqlTrackingNext, sqlDossierInsert, sqlPaperInsert, sqlPaperFile,
	sqlFileSize, sqlHistory, sqlFTSInsert, sqlAuditLast, sqlAuditInsert, sqlOutboxSeq, sqlOutboxInsert}

// KindReceived is the outbox kind of a newly received dossier.
const KindReceived = "dossier.received"

// Receive records a new dossier in one durable transaction: it allocates the
// dossier code (agency and device slot from Settings, day = the Vietnamese
// date of ReceivedAt) and the tracking-book number, inserts the dossier, its
// papers and their files, the search index row, the first history event, an
// audit record and a "dossier.received" outbox event. On success it sets
// d.ID, d.Code, d.TrackingNo and d.UpdatedAt (and fills a zero ReceivedAt,
// Status, Channel, ReturnMethod and ReceivedBy with now, received, in
// person, at the counter and actor). When Receive returns nil the dossier is
// on disk: a receipt may be printed.
//
// Field validation is the caller's (internal/reception); Receive enforces
// what storage needs: no code yet, a provisioned device, a valid status and
// every referenced file present (ErrFileMissing).
func (s *Store) Receive(ctx context.Context, d *dossier.Dossier, actor string) error {
	if d == nil {
		return errors.New("receive: nil dossier")
	}
	c := *d
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		st, err := loadSettings(ctx, tx)
		if err != nil {
			return err
		}
		q := newTxq(ctx, tx, s.wStmts)
		defer q.close()
		fts, err := s.receiveTx(q, &c, actor, st, s.now())
		if err != nil {
			return err
		}
		return ftsInsert(q, []ftsRow{fts})
	})
	if err != nil {
		return fmt.Errorf("receive: %w", err)
	}
	*d = c
	return nil
}

// BulkReceive records many dossiers exactly as Receive does (but dates the
// history, audit and outbox records of a dossier received in the past at
// its reception), in one transaction on the synchronous=NORMAL handle: a power cut may lose the
// whole batch (never part of it). For seeding (`motcua demo`) and benchmarks,
// never for dossiers a citizen holds a receipt for. Callers pass batches of
// a few thousand.
func (s *Store) BulkReceive(ctx context.Context, ds []*dossier.Dossier, actor string) error {
	cs := make([]dossier.Dossier, len(ds))
	err := s.inTx(ctx, s.bulk, func(tx *sql.Tx) error {
		st, err := loadSettings(ctx, tx)
		if err != nil {
			return err
		}
		q := newTxq(ctx, tx, s.bulkStmts)
		defer q.close()
		now := s.now()
		fts := make([]ftsRow, len(ds))
		for i, d := range ds {
			if d == nil {
				return fmt.Errorf("dossier %d is nil", i)
			}
			cs[i] = *d
			// A seeded dossier's records are dated at its reception, so that
			// its history reads in order with the steps seeded after it.
			at := now
			if !d.ReceivedAt.IsZero() && d.ReceivedAt.Before(now) {
				at = d.ReceivedAt
			}
			if fts[i], err = s.receiveTx(q, &cs[i], actor, st, at); err != nil {
				return fmt.Errorf("dossier %d: %w", i, err)
			}
		}
		return ftsInsert(q, fts)
	})
	if err != nil {
		return fmt.Errorf("bulk receive: %w", err)
	}
	for i, d := range ds {
		*d = cs[i]
	}
	return nil
}

// codeDay is the day of a dossier code: the Vietnamese calendar date of t,
// as midnight UTC of that date (as dossier.ParseCode returns it).
func codeDay(t time.Time) time.Time {
	y, m, d := t.In(vnZone).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// receiveTx writes everything of a new dossier but its search index row,
// which it returns for the caller to insert last.
func (s *Store) receiveTx(q *txq, d *dossier.Dossier, actor string, st Settings, now time.Time) (ftsRow, error) {
	var fts ftsRow
	err := s.receiveRows(q, d, actor, st, now, &fts)
	return fts, err
}

func (s *Store) receiveRows(q *txq, d *dossier.Dossier, actor string, st Settings, now time.Time, fts *ftsRow) error {
	if !d.Code.IsZero() {
		return fmt.Errorf("%w: %s", ErrCodeSet, d.Code)
	}
	if st.AgencyID == "" || st.DeviceSlot < 1 || st.DeviceSlot > 9 {
		return ErrNotProvisioned
	}
	if d.ReceivedAt.IsZero() {
		d.ReceivedAt = now
	}
	if d.Status == 0 {
		d.Status = dossier.StatusReceived
	}
	if !d.Status.Valid() {
		return fmt.Errorf("invalid status %d", d.Status)
	}
	if d.Channel == 0 {
		d.Channel = dossier.ChannelInPerson
	}
	if d.ReturnMethod == 0 {
		d.ReturnMethod = dossier.ReturnAtCounter
	}
	if d.ReceivedBy == "" {
		d.ReceivedBy = actor
	}
	d.ReceivedAt = d.ReceivedAt.UTC().Truncate(time.Millisecond)
	d.DueAt = d.DueAt.UTC().Truncate(time.Millisecond)
	d.UpdatedAt = now.UTC().Truncate(time.Millisecond)

	day := codeDay(d.ReceivedAt)
	var seq int
	err := q.queryRow(sqlCounterNext, st.AgencyID, day.Format(time.DateOnly), st.DeviceSlot).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w (%s, slot %d)", ErrCodesExhausted, day.Format(time.DateOnly), st.DeviceSlot)
	}
	if err != nil {
		return fmt.Errorf("allocate code: %w", err)
	}
	code, err := dossier.NewCode(st.AgencyID, day, st.DeviceSlot, seq)
	if err != nil {
		return err
	}
	d.Code = code
	if err := q.queryRow(sqlTrackingNext, day.Year()).Scan(&d.TrackingNo); err != nil {
		return fmt.Errorf("allocate tracking number: %w", err)
	}

	a := &d.Applicant
	*fts = ftsRow{code: code.String(), nameFolded: searchForm(a.FullName), idNumber: a.IDNumber, phoneD: digitsOnly(a.Phone)}
	res, err := q.exec(sqlDossierInsert, fts.code, code.Agency, day.Format(time.DateOnly), code.Number,
		d.ProcedureCode, d.ProcedureName, d.CatalogVersion, a.FullName, fts.nameFolded, a.IDNumber,
		dateOnly(a.BirthDate), int(a.Sex), a.Address, a.Phone, fts.phoneD, a.Email,
		d.Sets, d.Fee, d.ProcessingTime, millis(d.ReceivedAt), millis(d.DueAt), int(d.Status), int(d.Channel),
		int(d.ReturnMethod), d.ReturnAddress, d.ReceivedBy, d.TrackingNo, d.Note, millis(d.UpdatedAt))
	if err != nil {
		return fmt.Errorf("insert dossier: %w", err)
	}
	if d.ID, err = res.LastInsertId(); err != nil {
		return err
	}
	fts.id = d.ID
	nfiles := 0
	checked := map[string]bool{}
	for i, p := range d.Papers {
		res, err := q.exec(sqlPaperInsert, d.ID, i, p.Name, int(p.Form), p.Count, p.Required)
		if err != nil {
			return fmt.Errorf("insert paper %d: %w", i, err)
		}
		pid, err := res.LastInsertId()
		if err != nil {
			return err
		}
		for j, sha := range p.Files {
			if !checked[sha] {
				if err := s.checkBlob(q, sha); err != nil {
					return err
				}
				checked[sha] = true
			}
			if _, err := q.exec(sqlPaperFile, pid, j, sha); err != nil {
				return fmt.Errorf("insert paper file: %w", err)
			}
			nfiles++
		}
	}
	if _, err := q.exec(sqlHistory, d.ID, millis(now), actor, "receive", 0, int(d.Status), ""); err != nil {
		return fmt.Errorf("insert history: %w", err)
	}
	err = s.appendAudit(q, auditRecord{
		At: now, Actor: actor, Action: "dossier.receive", Entity: "dossier:" + code.String(),
		Detail: map[string]any{
			"id": d.ID, "procedure": d.ProcedureCode, "catalog_version": d.CatalogVersion,
			"status": int(d.Status), "papers": len(d.Papers), "files": nfiles, "tracking_no": d.TrackingNo,
		},
	})
	if err != nil {
		return err
	}
	payload, err := json.Marshal(toPayload(d))
	if err != nil {
		return fmt.Errorf("outbox payload: %w", err)
	}
	return s.appendOutbox(q, d.ID, 1, KindReceived, payload, now)
}

// Dossier returns the dossier with its papers and their files, or
// ErrNotFound.
func (s *Store) Dossier(ctx context.Context, id int64) (*dossier.Dossier, error) {
	d, err := s.getDossier(ctx, `d.id = ?`, id)
	if err != nil {
		return nil, fmt.Errorf("dossier %d: %w", id, err)
	}
	return d, nil
}

// DossierByCode returns the dossier with this code (as printed; case and
// surrounding spaces do not matter), or ErrNotFound.
func (s *Store) DossierByCode(ctx context.Context, code string) (*dossier.Dossier, error) {
	c, err := dossier.ParseCode(code)
	if err != nil {
		return nil, fmt.Errorf("dossier %q: %w", code, ErrNotFound)
	}
	d, err := s.getDossier(ctx, `d.code = ?`, c.String())
	if err != nil {
		return nil, fmt.Errorf("dossier %s: %w", c, err)
	}
	return d, nil
}

const dossierColumns = `d.id, d.code, d.procedure_code, d.procedure_name, d.catalog_version, d.name, d.id_number,
	d.birth_date, d.sex, d.address, d.phone, d.email, d.sets, d.fee, d.processing_time, d.received_at, d.due_at,
	d.status, d.channel, d.return_method, d.return_address, d.received_by, d.tracking_no, d.note, d.updated_at`

func (s *Store) getDossier(ctx context.Context, where string, arg any) (*dossier.Dossier, error) {
	var d dossier.Dossier
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		var (
			code                     string
			birth                    sql.NullString
			received, due, updated   sql.NullInt64
			sex, status, ch, retMeth int
		)
		a := &d.Applicant
		err := tx.QueryRowContext(ctx, `SELECT `+dossierColumns+` FROM dossiers d WHERE `+where, arg).Scan(
			&d.ID, &code, &d.ProcedureCode, &d.ProcedureName, &d.CatalogVersion, &a.FullName, &a.IDNumber,
			&birth, &sex, &a.Address, &a.Phone, &a.Email, &d.Sets, &d.Fee, &d.ProcessingTime, &received, &due,
			&status, &ch, &retMeth, &d.ReturnAddress, &d.ReceivedBy, &d.TrackingNo, &d.Note, &updated)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if d.Code, err = dossier.ParseCode(code); err != nil {
			return err
		}
		if birth.Valid {
			if a.BirthDate, err = time.Parse(time.DateOnly, birth.String); err != nil {
				return err
			}
		}
		a.Sex, d.Status, d.Channel, d.ReturnMethod = dossier.Sex(sex), dossier.Status(status), dossier.Channel(ch), dossier.ReturnMethod(retMeth)
		d.ReceivedAt, d.DueAt, d.UpdatedAt = fromMillis(received), fromMillis(due), fromMillis(updated)

		rows, err := tx.QueryContext(ctx, `SELECT p.id, p.name, p.form, p.count, p.required, f.sha256
			FROM papers p LEFT JOIN paper_files f ON f.paper_id = p.id
			WHERE p.dossier_id = ? ORDER BY p.position, f.position`, d.ID)
		if err != nil {
			return err
		}
		defer rows.Close()
		var last int64 = -1
		for rows.Next() {
			var (
				pid  int64
				p    dossier.Paper
				form int
				sha  sql.NullString
			)
			if err := rows.Scan(&pid, &p.Name, &form, &p.Count, &p.Required, &sha); err != nil {
				return err
			}
			if pid != last {
				p.Form = dossier.PaperForm(form)
				d.Papers = append(d.Papers, p)
				last = pid
			}
			if sha.Valid {
				cur := &d.Papers[len(d.Papers)-1]
				cur.Files = append(cur.Files, sha.String)
			}
		}
		return rows.Err()
	})
	if err != nil {
		return nil, err
	}
	return &d, nil
}

// History returns the dossier's events, oldest first; ErrNotFound if there
// is no such dossier.
func (s *Store) History(ctx context.Context, id int64) ([]dossier.Event, error) {
	var evs []dossier.Event
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM dossiers WHERE id = ?)`, id).Scan(&exists); err != nil {
			return err
		}
		if !exists {
			return ErrNotFound
		}
		rows, err := tx.QueryContext(ctx, `SELECT at, actor, action, from_status, to_status, note
			FROM history WHERE dossier_id = ? ORDER BY id`, id)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e dossier.Event
			var at sql.NullInt64
			var from, to int
			if err := rows.Scan(&at, &e.Actor, &e.Action, &from, &to, &e.Note); err != nil {
				return err
			}
			e.At, e.From, e.To = fromMillis(at), dossier.Status(from), dossier.Status(to)
			evs = append(evs, e)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("history of dossier %d: %w", id, err)
	}
	return evs, nil
}

// payload is the JSON of a dossier in outbox events: every field, files as
// their SHA-256, times in RFC 3339 UTC, empty fields left out.
type payload struct {
	ID             int64          `json:"id"`
	Code           string         `json:"code"`
	ProcedureCode  string         `json:"procedure_code"`
	ProcedureName  string         `json:"procedure_name"`
	CatalogVersion string         `json:"catalog_version,omitempty"`
	Applicant      payloadPerson  `json:"applicant"`
	Papers         []payloadPaper `json:"papers"`
	Sets           int            `json:"sets"`
	Fee            int64          `json:"fee"`
	ProcessingTime string         `json:"processing_time,omitempty"`
	ReceivedAt     time.Time      `json:"received_at"`
	DueAt          *time.Time     `json:"due_at,omitempty"`
	Status         int            `json:"status"`
	Channel        int            `json:"channel"`
	ReturnMethod   int            `json:"return_method"`
	ReturnAddress  string         `json:"return_address,omitempty"`
	ReceivedBy     string         `json:"received_by"`
	TrackingNo     int            `json:"tracking_no"`
	Note           string         `json:"note,omitempty"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

type payloadPerson struct {
	FullName  string `json:"full_name"`
	IDNumber  string `json:"id_number,omitempty"`
	BirthDate string `json:"birth_date,omitempty"`
	Sex       int    `json:"sex,omitempty"`
	Address   string `json:"address,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Email     string `json:"email,omitempty"`
}

type payloadPaper struct {
	Name     string   `json:"name"`
	Form     int      `json:"form"`
	Count    int      `json:"count"`
	Required bool     `json:"required,omitempty"`
	Files    []string `json:"files,omitempty"`
}

func toPayload(d *dossier.Dossier) payload {
	p := payload{
		ID: d.ID, Code: d.Code.String(), ProcedureCode: d.ProcedureCode, ProcedureName: d.ProcedureName,
		CatalogVersion: d.CatalogVersion, Sets: d.Sets, Fee: d.Fee, ProcessingTime: d.ProcessingTime,
		ReceivedAt: d.ReceivedAt.UTC(), Status: int(d.Status), Channel: int(d.Channel),
		ReturnMethod: int(d.ReturnMethod), ReturnAddress: d.ReturnAddress, ReceivedBy: d.ReceivedBy,
		TrackingNo: d.TrackingNo, Note: d.Note, UpdatedAt: d.UpdatedAt.UTC(),
		Applicant: payloadPerson{
			FullName: d.Applicant.FullName, IDNumber: d.Applicant.IDNumber, Sex: int(d.Applicant.Sex),
			Address: d.Applicant.Address, Phone: d.Applicant.Phone, Email: d.Applicant.Email,
		},
		Papers: make([]payloadPaper, len(d.Papers)),
	}
	if !d.Applicant.BirthDate.IsZero() {
		p.Applicant.BirthDate = d.Applicant.BirthDate.Format(time.DateOnly)
	}
	if !d.DueAt.IsZero() {
		due := d.DueAt.UTC()
		p.DueAt = &due
	}
	for i, pp := range d.Papers {
		p.Papers[i] = payloadPaper{Name: pp.Name, Form: int(pp.Form), Count: pp.Count, Required: pp.Required, Files: pp.Files}
	}
	return p
}

// dateOnly is t's date as YYYY-MM-DD, or NULL for the zero time.
func dateOnly(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.Format(time.DateOnly)
}

// digitsOnly keeps the digits of a phone number, so that "0912 345 678" and
// "0912.345.678" are both found by "0912345678".
func digitsOnly(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			b.WriteByte(s[i])
		}
	}
	return b.String()
}
