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

// This file holds what the citizen kiosk (issue 7) stores: queue tickets,
// satisfaction votes and the kiosk's own settings (migration 0006), and the
// wrong-confirmation counters of the lookup (migration 0008) and of the
// technician's exit PIN (migration 0010).

// Ticket is one queue ticket. Numbers restart every Vietnamese calendar day
// for each service.
type Ticket struct {
	ID       int64
	Day      time.Time // the Vietnam date the ticket was taken (as midnight UTC, like codeDay)
	Service  string
	Number   int
	TakenAt  time.Time
	CalledAt time.Time // zero while waiting
	CalledBy string    // counter that called it
}

// Rating is a satisfaction vote's value, as the service index counts them.
type Rating int

const (
	RatingVerySatisfied Rating = 1
	RatingSatisfied     Rating = 2
	RatingNotSatisfied  Rating = 3
)

// Valid reports whether r is one of the three ratings.
func (r Rating) Valid() bool { return r >= RatingVerySatisfied && r <= RatingNotSatisfied }

// Vote is one satisfaction vote. It holds no personal data.
type Vote struct {
	ID          int64
	At          time.Time
	Rating      Rating
	DossierCode string // "" when not about one dossier
	Source      string // "kiosk" or "counter"
}

// KioskSettings are the kiosk's own settings, kept as JSON under the settings
// key "kiosk".
type KioskSettings struct {
	IdleSeconds int    `json:"idle_seconds"` // back to the start screen after this many idle seconds; 0 = default
	PINHash     string `json:"pin_hash"`     // argon2id hash of the technician's exit PIN; "" = none set
	Orientation string `json:"orientation"`  // "portrait", "landscape" or "" (follow the screen)
	// Services are the queue's services in the order the kiosk shows them;
	// empty = the catalog's fields.
	Services []string `json:"services,omitempty"`
	// FontScale multiplies the kiosk's type (0 = 1; 1.2 for a small screen
	// seen from afar).
	FontScale float64 `json:"font_scale,omitempty"`
	// TicketPrinter is the ESC/POS thermal printer's address
	// (tcp://HOST:9100, serial:/dev/ttyUSB0?baud=19200, usb:/dev/usb/lp0);
	// "" prints tickets as a small PDF on the system printer.
	TicketPrinter string `json:"ticket_printer,omitempty"`
	// Scanner is the serial port of a QR scanner that sends each code as
	// a line ("/dev/ttyACM0", "COM3", optionally "?baud=9600"); "" = a
	// keyboard-wedge scanner only (it types into the window).
	Scanner string `json:"scanner,omitempty"`
}

// ErrInvalidTicket is returned for an empty or too long service name.
var ErrInvalidTicket = errors.New("invalid queue service")

// ErrInvalidVote is returned for a vote whose rating or source is not valid.
var ErrInvalidVote = errors.New("invalid satisfaction vote")

const kioskSettingKey = "kiosk"

// TakeTicket issues the next number of today's queue for service. It commits
// with synchronous=FULL before returning, so a printed number is never issued
// twice, even after a power cut.
func (s *Store) TakeTicket(ctx context.Context, service string) (Ticket, error) {
	service = strings.TrimSpace(service)
	if service == "" || len(service) > 200 {
		return Ticket{}, ErrInvalidTicket
	}
	now := s.now()
	day := codeDay(now)
	t := Ticket{Day: day, Service: service, TakenAt: now.UTC()}
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(number), 0) + 1 FROM queue_tickets
			WHERE day = ? AND service = ?`, day.Format(time.DateOnly), service).Scan(&t.Number); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO queue_tickets (day, service, number, taken_at)
			VALUES (?, ?, ?, ?)`, day.Format(time.DateOnly), service, t.Number, millis(now))
		if err != nil {
			return err
		}
		t.ID, err = res.LastInsertId()
		return err
	})
	if err != nil {
		return Ticket{}, fmt.Errorf("take ticket: %w", err)
	}
	return t, nil
}

// CallNextTicket marks today's oldest waiting ticket as called by counter and
// returns it; service "" takes any service. ErrNotFound when nobody waits.
func (s *Store) CallNextTicket(ctx context.Context, service, counter string) (Ticket, error) {
	now := s.now()
	day := codeDay(now).Format(time.DateOnly)
	var t Ticket
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		q := `SELECT id FROM queue_tickets WHERE day = ? AND called_at IS NULL`
		args := []any{day}
		if service != "" {
			q += ` AND service = ?`
			args = append(args, service)
		}
		var id int64
		err := tx.QueryRowContext(ctx, q+` ORDER BY id LIMIT 1`, args...).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE queue_tickets SET called_at = ?, called_by = ? WHERE id = ?`,
			millis(now), counter, id); err != nil {
			return err
		}
		t, err = scanTicket(tx.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM queue_tickets WHERE id = ?`, id))
		return err
	})
	if err != nil {
		return Ticket{}, fmt.Errorf("call next ticket: %w", err)
	}
	return t, nil
}

// RecallTicket calls ticket id again from counter: its call time becomes now,
// so the hall is told once more. ErrNotFound unless it is one of today's
// tickets already called.
func (s *Store) RecallTicket(ctx context.Context, id int64, counter string) (Ticket, error) {
	now := s.now()
	day := codeDay(now).Format(time.DateOnly)
	var t Ticket
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE queue_tickets SET called_at = ?, called_by = ?
			WHERE id = ? AND day = ? AND called_at IS NOT NULL`, millis(now), counter, id, day)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound
		}
		t, err = scanTicket(tx.QueryRowContext(ctx, `SELECT `+ticketColumns+` FROM queue_tickets WHERE id = ?`, id))
		return err
	})
	if err != nil {
		return Ticket{}, fmt.Errorf("recall ticket: %w", err)
	}
	return t, nil
}

// WaitingTickets counts today's tickets not called yet; service "" counts
// every service.
func (s *Store) WaitingTickets(ctx context.Context, service string) (int, error) {
	day := codeDay(s.now()).Format(time.DateOnly)
	q := `SELECT count(*) FROM queue_tickets WHERE day = ? AND called_at IS NULL`
	args := []any{day}
	if service != "" {
		q += ` AND service = ?`
		args = append(args, service)
	}
	var n int
	if err := s.r.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("waiting tickets: %w", err)
	}
	return n, nil
}

// TicketsToday returns today's tickets in the order they were taken.
func (s *Store) TicketsToday(ctx context.Context) ([]Ticket, error) {
	day := codeDay(s.now()).Format(time.DateOnly)
	rows, err := s.r.QueryContext(ctx, `SELECT `+ticketColumns+` FROM queue_tickets WHERE day = ? ORDER BY id`, day)
	if err != nil {
		return nil, fmt.Errorf("tickets today: %w", err)
	}
	defer rows.Close()
	var out []Ticket
	for rows.Next() {
		t, err := scanTicket(rows)
		if err != nil {
			return nil, fmt.Errorf("tickets today: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tickets today: %w", err)
	}
	return out, nil
}

const ticketColumns = `id, day, service, number, taken_at, called_at, called_by`

func scanTicket(r interface{ Scan(...any) error }) (Ticket, error) {
	var t Ticket
	var day string
	var taken, called sql.NullInt64
	if err := r.Scan(&t.ID, &day, &t.Service, &t.Number, &taken, &called, &t.CalledBy); err != nil {
		return Ticket{}, err
	}
	d, err := time.ParseInLocation(time.DateOnly, day, time.UTC)
	if err != nil {
		return Ticket{}, err
	}
	t.Day, t.TakenAt, t.CalledAt = d, fromMillis(taken), fromMillis(called)
	return t, nil
}

// RecordVote stores a satisfaction vote and queues it for the hub (outbox
// kind "satisfaction.vote"), linked to the dossier when its code is known
// here. A code that is not a dossier code is dropped, not stored.
func (s *Store) RecordVote(ctx context.Context, v Vote) (Vote, error) {
	if !v.Rating.Valid() || (v.Source != "kiosk" && v.Source != "counter") {
		return Vote{}, ErrInvalidVote
	}
	v.DossierCode = strings.TrimSpace(v.DossierCode)
	if v.DossierCode != "" {
		c, err := dossier.ParseCode(v.DossierCode)
		if err != nil {
			v.DossierCode = ""
		} else {
			v.DossierCode = c.String()
		}
	}
	if v.At.IsZero() {
		v.At = s.now()
	}
	v.At = v.At.UTC()
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO satisfaction_votes (at, rating, dossier_code, source)
			VALUES (?, ?, ?, ?)`, millis(v.At), int(v.Rating), v.DossierCode, v.Source)
		if err != nil {
			return err
		}
		if v.ID, err = res.LastInsertId(); err != nil {
			return err
		}
		var dossierID sql.NullInt64
		if v.DossierCode != "" {
			err := tx.QueryRowContext(ctx, `SELECT id FROM dossiers WHERE code = ?`, v.DossierCode).Scan(&dossierID)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
		}
		payload, err := json.Marshal(map[string]any{
			"vote_id": v.ID, "at": v.At.UnixMilli(), "rating": int(v.Rating),
			"dossier_code": v.DossierCode, "source": v.Source,
		})
		if err != nil {
			return err
		}
		id, err := newUUIDv7(v.At)
		if err != nil {
			return err
		}
		seq := 1
		if dossierID.Valid {
			if err := tx.QueryRowContext(ctx, sqlOutboxSeq, dossierID.Int64).Scan(&seq); err != nil {
				return err
			}
		}
		var did any
		if dossierID.Valid {
			did = dossierID.Int64
		}
		_, err = tx.ExecContext(ctx, sqlOutboxInsert, id, did, seq, "satisfaction.vote", string(payload), v.At.UnixMilli())
		return err
	})
	if err != nil {
		return Vote{}, fmt.Errorf("record vote: %w", err)
	}
	return v, nil
}

// VoteCounts counts the votes cast in [from, to) by rating.
func (s *Store) VoteCounts(ctx context.Context, from, to time.Time) (map[Rating]int, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT rating, count(*) FROM satisfaction_votes
		WHERE at >= ? AND at < ? GROUP BY rating`, from.UnixMilli(), to.UnixMilli())
	if err != nil {
		return nil, fmt.Errorf("vote counts: %w", err)
	}
	defer rows.Close()
	out := map[Rating]int{}
	for rows.Next() {
		var r Rating
		var n int
		if err := rows.Scan(&r, &n); err != nil {
			return nil, fmt.Errorf("vote counts: %w", err)
		}
		out[r] = n
	}
	return out, rows.Err()
}

// KioskSettings returns the kiosk's settings; zero values when never saved.
func (s *Store) KioskSettings(ctx context.Context) (KioskSettings, error) {
	var ks KioskSettings
	var v string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, kioskSettingKey).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return ks, nil
	}
	if err != nil {
		return ks, fmt.Errorf("kiosk settings: %w", err)
	}
	if err := json.Unmarshal([]byte(v), &ks); err != nil {
		return KioskSettings{}, fmt.Errorf("kiosk settings: %w", err)
	}
	return ks, nil
}

// SaveKioskSettings replaces the kiosk's settings and audits the change
// (never the PIN hash itself, only whether it changed).
func (s *Store) SaveKioskSettings(ctx context.Context, ks KioskSettings, actor string) error {
	if ks.IdleSeconds < 0 || ks.IdleSeconds > 24*3600 {
		return fmt.Errorf("%w: kiosk idle %d seconds", ErrInvalidSettings, ks.IdleSeconds)
	}
	if ks.FontScale < 0 || ks.FontScale > 3 {
		return fmt.Errorf("%w: kiosk font scale %g", ErrInvalidSettings, ks.FontScale)
	}
	switch ks.Orientation {
	case "", "portrait", "landscape":
	default:
		return fmt.Errorf("%w: kiosk orientation %q", ErrInvalidSettings, ks.Orientation)
	}
	b, err := json.Marshal(ks)
	if err != nil {
		return fmt.Errorf("save kiosk settings: %w", err)
	}
	err = s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		var old KioskSettings
		var v string
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, kioskSettingKey).Scan(&v)
		if err == nil {
			_ = json.Unmarshal([]byte(v), &old)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, kioskSettingKey, string(b)); err != nil {
			return err
		}
		q := newTxq(ctx, tx, s.wStmts)
		defer q.close()
		return s.appendAudit(q, auditRecord{
			At: s.now(), Actor: actor, Action: "settings.kiosk", Entity: "settings",
			Detail: map[string]any{
				"idle_seconds": ks.IdleSeconds, "orientation": ks.Orientation, "services": ks.Services,
				"font_scale": ks.FontScale, "ticket_printer": ks.TicketPrinter, "scanner": ks.Scanner,
				"pin_changed": old.PINHash != ks.PINHash,
			},
		})
	})
	if err != nil {
		return fmt.Errorf("save kiosk settings: %w", err)
	}
	return nil
}

// KioskTry is the kiosk's wrong-confirmation counter of one dossier code
// (migration 0008).
type KioskTry struct {
	Code        string
	Fails       int       // wrong tries since the last lock or success
	LockedUntil time.Time // zero when not locked
	LastAt      time.Time // the last wrong try
}

// KioskTries returns the kiosk's wrong-confirmation counters and the times of
// the wrong confirmations (of any code) at or after since, oldest first.
func (s *Store) KioskTries(ctx context.Context, since time.Time) ([]KioskTry, []time.Time, error) {
	var tries []KioskTry
	var fails []time.Time
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT code, fails, locked_until, last_at FROM kiosk_tries ORDER BY code`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t KioskTry
			var until, last sql.NullInt64
			if err := rows.Scan(&t.Code, &t.Fails, &until, &last); err != nil {
				return err
			}
			t.LockedUntil, t.LastAt = fromMillis(until), fromMillis(last)
			tries = append(tries, t)
		}
		if err := rows.Err(); err != nil {
			return err
		}
		rows, err = tx.QueryContext(ctx, `SELECT at FROM kiosk_failures WHERE at >= ? ORDER BY at, id`, since.UnixMilli())
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var at sql.NullInt64
			if err := rows.Scan(&at); err != nil {
				return err
			}
			fails = append(fails, fromMillis(at))
		}
		return rows.Err()
	})
	if err != nil {
		return nil, nil, fmt.Errorf("kiosk tries: %w", err)
	}
	return tries, fails, nil
}

// RecordKioskFailure stores one wrong confirmation at time at: t is the
// code's counter after it. Wrong confirmations before forget, and counters
// neither locked after at nor tried since forget, are deleted.
func (s *Store) RecordKioskFailure(ctx context.Context, t KioskTry, at, forget time.Time) error {
	if t.Code == "" || t.Fails < 0 {
		return fmt.Errorf("record kiosk failure: invalid counter %q/%d", t.Code, t.Fails)
	}
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO kiosk_tries (code, fails, locked_until, last_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (code) DO UPDATE SET fails = excluded.fails, locked_until = excluded.locked_until,
			last_at = excluded.last_at`, t.Code, t.Fails, millis(t.LockedUntil), t.LastAt.UnixMilli()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO kiosk_failures (at) VALUES (?)`, at.UnixMilli()); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM kiosk_failures WHERE at < ?`, forget.UnixMilli()); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM kiosk_tries WHERE last_at < ? AND coalesce(locked_until, 0) <= ?`,
			forget.UnixMilli(), at.UnixMilli())
		return err
	})
	if err != nil {
		return fmt.Errorf("record kiosk failure: %w", err)
	}
	return nil
}

// ClearKioskTry forgets the counter of code (after a right confirmation).
// The kiosk-wide wrong confirmations stay until they age out.
func (s *Store) ClearKioskTry(ctx context.Context, code string) error {
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `DELETE FROM kiosk_tries WHERE code = ?`, code)
		return err
	})
	if err != nil {
		return fmt.Errorf("clear kiosk try: %w", err)
	}
	return nil
}

// LoadPINTries returns the kiosk's wrong exit PINs since the last right one
// and the time the exit is locked until (zero when not locked; migration
// 0010).
func (s *Store) LoadPINTries(ctx context.Context) (int, time.Time, error) {
	var fails int
	var until sql.NullInt64
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT fails, locked_until FROM kiosk_pin_tries WHERE id = 1`).Scan(&fails, &until)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		return err
	})
	if err != nil {
		return 0, time.Time{}, fmt.Errorf("kiosk pin tries: %w", err)
	}
	return fails, fromMillis(until), nil
}

// SavePINTries durably stores the exit PIN's counter: fails wrong PINs
// since the last right one, locked until until (zero = not locked).
func (s *Store) SavePINTries(ctx context.Context, fails int, until time.Time) error {
	if fails < 0 {
		return fmt.Errorf("save kiosk pin tries: invalid count %d", fails)
	}
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO kiosk_pin_tries (id, fails, locked_until) VALUES (1, ?, ?)
			ON CONFLICT (id) DO UPDATE SET fails = excluded.fails, locked_until = excluded.locked_until`,
			fails, millis(until))
		return err
	})
	if err != nil {
		return fmt.Errorf("save kiosk pin tries: %w", err)
	}
	return nil
}
