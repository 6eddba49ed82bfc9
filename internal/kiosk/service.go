package kiosk

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/receipt"
)

// Records is what Service reads and writes; the composition root adapts the
// store (app/wire) to it. It is never handed to a screen.
type Records interface {
	// Dossier returns the dossier with this canonical code, or an error
	// wrapping ErrNotFound.
	Dossier(ctx context.Context, code string) (*dossier.Dossier, error)
	// TakeTicket durably issues the next number of today's queue for
	// service and counts the tickets of that service still waiting before it.
	TakeTicket(ctx context.Context, service string) (number int, takenAt time.Time, waiting int, err error)
	// RecordVote durably stores a vote.
	RecordVote(ctx context.Context, r Rating, code string) error
}

// Catalog is the part of *catalog.Catalog the kiosk reads.
type Catalog interface {
	InForce(at time.Time) []catalog.Procedure
	Search(query string, at time.Time) []catalog.Procedure
	Find(code string, at time.Time) (catalog.Procedure, bool)
	Fields(at time.Time) []string
}

// Limits of the confirmation step.
const (
	// MaxTries wrong confirmations of one code lock it for LockFor.
	MaxTries = 3
	LockFor  = 10 * time.Minute
	// GlobalMaxFailures wrong confirmations of any codes within
	// GlobalWindow lock every lookup until the window has passed: a person
	// walking through many codes is slowed down as much as one trying digits.
	GlobalMaxFailures = 20
	GlobalWindow      = 10 * time.Minute
)

// Service implements Directory over the device's records, its catalog and
// the receipt keys it trusts.
type Service struct {
	Records Records
	Catalog Catalog
	// Keys returns the public keys trusted for receipt QR codes
	// (wire.Receipts.VerifyKeys).
	Keys func(ctx context.Context) (map[string]ed25519.PublicKey, error)
	// OfficeInfo is the office shown on the start screen and screen saver.
	OfficeInfo Office
	// QueueServices overrides the catalog's fields as the queue's services.
	QueueServices []string
	Now           func() time.Time
	// Queue reads the numbers the counters called (Calls); nil shows none.
	Queue *Queue
	// LinkState reads the link to the hub (sync/client.Read); nil means
	// a device that does not sync.
	LinkState func(ctx context.Context) (LinkStatus, error)
	// Tries keeps the wrong-confirmation counters on disk so a restart
	// does not reset them; nil keeps them in memory only.
	Tries TryLog

	mu       sync.Mutex
	loaded   bool // the counters were read from Tries
	attempts map[string]*attempt
	failures []time.Time // recent wrong confirmations, any code
}

// TryState is the wrong-confirmation counter of one dossier code.
type TryState struct {
	Fails int       // wrong tries since the last lock or success
	Until time.Time // locked until; zero when not locked
	Last  time.Time // the last wrong try
}

// TryLog persists the confirmation step's counters (the store, through
// app/wire).
type TryLog interface {
	// LoadTries returns every code's counter and the times of the wrong
	// confirmations of any code at or after since.
	LoadTries(ctx context.Context, since time.Time) (map[string]TryState, []time.Time, error)
	// SaveFailure durably records a wrong confirmation of code at time at,
	// st being the code's counter after it; what is older than forget may
	// be deleted.
	SaveFailure(ctx context.Context, code string, st TryState, at, forget time.Time) error
	// ClearTries forgets code's counter after a right confirmation.
	ClearTries(ctx context.Context, code string) error
}

type attempt struct {
	fails int
	until time.Time // locked until
	last  time.Time
}

var _ Directory = (*Service)(nil)

func (s *Service) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// Office returns the office information.
func (s *Service) Office(context.Context) Office { return s.OfficeInfo }

// Lookup says whether code names a dossier here.
func (s *Service) Lookup(ctx context.Context, code string) (Summary, error) {
	c, err := dossier.ParseCode(code)
	if err != nil {
		return Summary{}, ErrNotFound
	}
	code = c.String()
	if err := s.locked(ctx, code); err != nil {
		return Summary{}, err
	}
	if _, err := s.Records.Dossier(ctx, code); err != nil {
		if errors.Is(err, ErrNotFound) {
			return Summary{}, ErrNotFound
		}
		return Summary{}, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return Summary{Code: code}, nil
}

// locked returns ErrLocked when code (or every code) is locked now, and
// ErrUnavailable when the counters cannot be read (a kiosk that cannot count
// wrong tries does not take any).
func (s *Service) locked(ctx context.Context, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if err := s.loadLocked(ctx, now); err != nil {
		return err
	}
	s.pruneLocked(now)
	if len(s.failures) >= GlobalMaxFailures {
		return ErrLocked
	}
	if a := s.attempts[code]; a != nil && now.Before(a.until) {
		return ErrLocked
	}
	return nil
}

// loadLocked reads the persisted counters once; s.mu is held.
func (s *Service) loadLocked(ctx context.Context, now time.Time) error {
	if s.loaded || s.Tries == nil {
		return nil
	}
	tries, fails, err := s.Tries.LoadTries(ctx, now.Add(-GlobalWindow))
	if err != nil {
		return fmt.Errorf("%w: wrong-try counters: %v", ErrUnavailable, err)
	}
	s.attempts = make(map[string]*attempt, len(tries))
	for code, st := range tries {
		s.attempts[code] = &attempt{fails: st.Fails, until: st.Until, last: st.Last}
	}
	s.failures = fails
	s.loaded = true
	return nil
}

func (s *Service) pruneLocked(now time.Time) {
	i := 0
	for i < len(s.failures) && now.Sub(s.failures[i]) >= GlobalWindow {
		i++
	}
	s.failures = s.failures[i:]
	for k, a := range s.attempts {
		if !now.Before(a.until) && now.Sub(a.last) >= LockFor {
			delete(s.attempts, k)
		}
	}
}

// Confirm checks the last 4 digits and returns the dossier's kiosk view.
func (s *Service) Confirm(ctx context.Context, code, digits string) (Details, error) {
	c, err := dossier.ParseCode(code)
	if err != nil {
		return Details{}, ErrNotFound
	}
	code = c.String()
	if err := s.locked(ctx, code); err != nil {
		return Details{}, err
	}
	d, err := s.Records.Dossier(ctx, code)
	if err != nil {
		if errors.Is(err, ErrNotFound) {
			return Details{}, ErrNotFound
		}
		return Details{}, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	id4 := lastDigits(d.Applicant.IDNumber, 4)
	ph4 := lastDigits(d.Applicant.Phone, 4)
	if id4 == "" && ph4 == "" {
		return Details{}, ErrNoConfirmation
	}
	if len(digits) != 4 || !allDigits(digits) || (digits != id4 && digits != ph4) {
		return Details{}, s.fail(ctx, code)
	}
	s.mu.Lock()
	_, had := s.attempts[code]
	delete(s.attempts, code)
	s.mu.Unlock()
	if had && s.Tries != nil {
		if err := s.Tries.ClearTries(ctx, code); err != nil {
			return Details{}, fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
	}
	return details(d, s.now()), nil
}

// fail records a wrong confirmation of code and returns the error to show.
// The try counts even when it cannot be saved; the citizen then sees the
// kiosk as unavailable rather than a count that a restart would forget.
func (s *Service) fail(ctx context.Context, code string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if s.attempts == nil {
		s.attempts = map[string]*attempt{}
	}
	a := s.attempts[code]
	if a == nil {
		a = &attempt{}
		s.attempts[code] = a
	}
	a.fails++
	a.last = now
	s.failures = append(s.failures, now)
	var res error = &WrongDigitsError{Left: MaxTries - a.fails}
	if a.fails >= MaxTries {
		a.fails = 0
		a.until = now.Add(LockFor)
		res = ErrLocked
	}
	if s.Tries != nil {
		forget := now.Add(-max(LockFor, GlobalWindow))
		if err := s.Tries.SaveFailure(ctx, code, TryState{Fails: a.fails, Until: a.until, Last: a.last}, now, forget); err != nil {
			return fmt.Errorf("%w: %v", ErrUnavailable, err)
		}
	}
	return res
}

func details(d *dossier.Dossier, now time.Time) Details {
	st := d.Status
	ret := "kiosk.return.counter"
	if d.ReturnMethod == dossier.ReturnByPost {
		ret = "kiosk.return.post"
	}
	return Details{
		Code:       d.Code.String(),
		Name:       MaskName(d.Applicant.FullName),
		Procedure:  d.ProcedureName,
		Status:     st,
		StatusKey:  fmt.Sprintf("kiosk.status.%d", int(st)),
		NextKey:    fmt.Sprintf("kiosk.next.%d", int(st)),
		ReceivedAt: d.ReceivedAt,
		DueAt:      d.DueAt,
		Overdue:    d.Overdue(now),
		Fee:        d.Fee,
		ReturnKey:  ret,
	}
}

// Verify checks a receipt QR payload against the trusted keys.
func (s *Service) Verify(ctx context.Context, qr string) Verification {
	qr = strings.TrimSpace(qr)
	if _, err := receipt.ParsePayload(qr); err != nil {
		return Verification{Result: VerifyMalformed}
	}
	var keys map[string]ed25519.PublicKey
	if s.Keys != nil {
		var err error
		if keys, err = s.Keys(ctx); err != nil {
			keys = nil
		}
	}
	p, err := receipt.Verify(qr, keys)
	switch {
	case errors.Is(err, receipt.ErrUnknownKey):
		return Verification{Result: VerifyUnknownKey}
	case errors.Is(err, receipt.ErrBadSignature):
		return Verification{Result: VerifyForged}
	case err != nil:
		return Verification{Result: VerifyMalformed}
	}
	v := Verification{Result: VerifyValid, Code: p.Code, ReceivedAt: p.ReceivedAt, DueAt: p.DueAt}
	if _, err := s.Records.Dossier(ctx, p.Code); err == nil {
		v.Known = true
	}
	return v
}

// Procedures lists the procedures in force matching query.
func (s *Service) Procedures(query string) []ProcedureInfo {
	now := s.now()
	var ps []catalog.Procedure
	if strings.TrimSpace(query) == "" {
		ps = s.Catalog.InForce(now)
	} else {
		ps = s.Catalog.Search(query, now)
	}
	out := make([]ProcedureInfo, 0, len(ps))
	for _, p := range ps {
		out = append(out, s.info(p))
	}
	return out
}

// Procedure returns one procedure in force.
func (s *Service) Procedure(code string) (ProcedureInfo, bool) {
	p, ok := s.Catalog.Find(code, s.now())
	if !ok {
		return ProcedureInfo{}, false
	}
	return s.info(p), true
}

func (s *Service) info(p catalog.Procedure) ProcedureInfo {
	pi := ProcedureInfo{
		Code: p.Code, Name: p.Name, Field: p.Field, Fee: p.Fee.Amount, FeeUnit: p.Fee.Unit,
		FeeNote: p.Fee.Note, Deadline: p.Deadline.Text, Result: p.Result,
		Where: s.OfficeInfo.ReturnPlace,
	}
	if pi.Where == "" {
		pi.Where = s.OfficeInfo.Name
	}
	for _, ps := range p.Papers {
		pi.Papers = append(pi.Papers, PaperInfo{Name: ps.Name, FormKey: ps.Form.Key(), Count: ps.Count,
			Required: ps.Required, Note: ps.Note})
	}
	return pi
}

// Services returns the queue's services.
func (s *Service) Services() []string {
	if len(s.QueueServices) > 0 {
		return append([]string(nil), s.QueueServices...)
	}
	return append(s.Catalog.Fields(s.now()), ServiceResults)
}

// ServiceResults is the queue service for collecting results, always
// offered after the catalog's fields.
const ServiceResults = "Nhận kết quả"

// TakeTicket issues a ticket for service.
func (s *Service) TakeTicket(ctx context.Context, service string) (Ticket, error) {
	idx := -1
	for i, sv := range s.Services() {
		if sv == service {
			idx = i
		}
	}
	if idx < 0 {
		return Ticket{}, fmt.Errorf("unknown queue service %q", service)
	}
	n, at, waiting, err := s.Records.TakeTicket(ctx, service)
	if err != nil {
		return Ticket{}, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	t := Ticket{Service: service, Label: TicketLabel(idx, n), Number: n, TakenAt: at, Waiting: waiting}
	t.QR = fmt.Sprintf("MCQ1.%s.%s.%s", s.OfficeInfo.AgencyID, at.In(vnZone).Format("060102"), t.Label)
	return t, nil
}

// TicketLabel is a ticket's printed number: the service's letter (A for
// the first service, B for the second, …) and the number on three digits.
func TicketLabel(service, number int) string {
	letter := byte('A' + service%26)
	return fmt.Sprintf("%c%03d", letter, number)
}

var vnZone = time.FixedZone("ICT", 7*3600)

// Rate stores a vote.
func (s *Service) Rate(ctx context.Context, r Rating, code string) error {
	if !r.Valid() {
		return fmt.Errorf("invalid rating %d", r)
	}
	if code != "" {
		c, err := dossier.ParseCode(code)
		if err != nil {
			code = ""
		} else {
			code = c.String()
		}
	}
	if err := s.Records.RecordVote(ctx, r, code); err != nil {
		return fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return nil
}

// Calls returns the last number each counter called today.
func (s *Service) Calls(ctx context.Context) ([]Call, error) {
	if s.Queue == nil {
		return nil, nil
	}
	return s.Queue.Calls(ctx)
}

// Link returns the link to the hub; a state that cannot be read counts as
// no link information (nothing is said).
func (s *Service) Link(ctx context.Context) LinkStatus {
	if s.LinkState == nil {
		return LinkStatus{}
	}
	l, err := s.LinkState(ctx)
	if err != nil {
		return LinkStatus{}
	}
	return l
}
