package kiosk

import (
	"context"
	"errors"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// Directory is everything the kiosk screens may read or write: nothing else
// reaches them. Its answers hold only kiosk-safe fields (masked name,
// statuses, dates, procedure texts), and a dossier's details only after the
// confirmation digits matched. *Service implements it over the device's
// store today and over the synced replica later.
type Directory interface {
	// Office is what the start screen and the screen saver show.
	Office(ctx context.Context) Office
	// Lookup says whether a dossier code is known here, and nothing about it.
	// Errors: ErrNotFound, ErrLocked (too many wrong confirmations).
	Lookup(ctx context.Context, code string) (Summary, error)
	// Confirm returns the dossier's kiosk view when digits are the last 4
	// digits of the applicant's ID number or phone. Errors: ErrWrongDigits
	// (with the tries left in a *WrongDigitsError), ErrLocked, ErrNotFound,
	// ErrNoConfirmation.
	Confirm(ctx context.Context, code, digits string) (Details, error)
	// Verify checks a receipt's QR payload offline.
	Verify(ctx context.Context, qr string) Verification
	// Procedures lists the procedures in force matching query ("" = all).
	Procedures(query string) []ProcedureInfo
	// Procedure returns one procedure in force by its code.
	Procedure(code string) (ProcedureInfo, bool)
	// Services are the queue's services, in the order the kiosk shows them.
	Services() []string
	// TakeTicket issues the next queue number for a service.
	TakeTicket(ctx context.Context, service string) (Ticket, error)
	// Rate stores a satisfaction vote, optionally about a dossier code.
	Rate(ctx context.Context, r Rating, code string) error
	// Calls are the numbers the counters called last (one per counter,
	// newest first), for the hall: "Mời số A012 đến quầy 1".
	Calls(ctx context.Context) ([]Call, error)
	// Link says whether this device is cut off from the hub that fills its
	// store, so the kiosk can say its answers may be out of date.
	Link(ctx context.Context) LinkStatus
}

// LinkStatus is the device's link to the hub, as the kiosk tells citizens.
type LinkStatus struct {
	Enrolled    bool      // the device syncs with a hub at all
	Online      bool      // the last exchange succeeded
	LastSuccess time.Time // zero when never
}

// Offline reports whether the kiosk should say the network is down.
func (l LinkStatus) Offline() bool { return l.Enrolled && !l.Online }

// Errors of Directory.
var (
	ErrNotFound       = errors.New("dossier not found")
	ErrWrongDigits    = errors.New("confirmation digits do not match")
	ErrLocked         = errors.New("too many wrong confirmations: try again later")
	ErrNoConfirmation = errors.New("dossier has no ID number or phone to confirm with")
	ErrUnavailable    = errors.New("kiosk data unavailable")
)

// WrongDigitsError is ErrWrongDigits with the number of tries left before
// the code is locked.
type WrongDigitsError struct{ Left int }

func (e *WrongDigitsError) Error() string { return ErrWrongDigits.Error() }

// Unwrap makes errors.Is(err, ErrWrongDigits) true.
func (e *WrongDigitsError) Unwrap() error { return ErrWrongDigits }

// Office is the office information the kiosk shows.
type Office struct {
	AgencyID    string
	Name        string
	ParentName  string
	Address     string
	Phone       string
	Hours       string // "07:00–11:30, 13:30–17:00"
	ReturnPlace string
}

// Summary is what a lookup says before confirmation: only that the code
// exists.
type Summary struct {
	Code string // canonical code
}

// Details is a dossier as the kiosk shows it after confirmation.
type Details struct {
	Code       string
	Name       string // masked, see MaskName
	Procedure  string
	Status     dossier.Status
	StatusKey  string // translation key of the status in plain words: "kiosk.status.N"
	NextKey    string // what to do or bring next: "kiosk.next.N"
	ReceivedAt time.Time
	DueAt      time.Time
	Overdue    bool
	Fee        int64
	ReturnKey  string // "kiosk.return.counter" or "kiosk.return.post"
}

// VerifyResult is the outcome of a receipt check.
type VerifyResult int

const (
	VerifyMalformed  VerifyResult = iota // not a receipt QR code
	VerifyValid                          // signed by a key this kiosk trusts
	VerifyForged                         // a trusted key's id, but the signature does not match: forged or altered
	VerifyUnknownKey                     // well formed, signed by a key this kiosk does not know (another office)
)

// Key is the translation key of the result's message.
func (r VerifyResult) Key() string {
	switch r {
	case VerifyValid:
		return "kiosk.verify.valid"
	case VerifyForged:
		return "kiosk.verify.forged"
	case VerifyUnknownKey:
		return "kiosk.verify.unknown_key"
	}
	return "kiosk.verify.malformed"
}

// Verification is the outcome of checking a receipt's QR.
type Verification struct {
	Result VerifyResult
	// Code, ReceivedAt and DueAt are set only when Result is VerifyValid:
	// the fields of a receipt that does not verify are not vouched for.
	Code       string
	ReceivedAt time.Time
	DueAt      time.Time
	// Known reports that the dossier is in this kiosk's records.
	Known bool
}

// ProcedureInfo is a procedure as the kiosk shows it.
type ProcedureInfo struct {
	Code     string
	Name     string
	Field    string
	Papers   []PaperInfo
	Fee      int64
	FeeUnit  string // "" = per dossier
	FeeNote  string
	Deadline string // statutory wording
	Result   string
	Where    string // where to submit
}

// PaperInfo is one paper a procedure asks for.
type PaperInfo struct {
	Name     string
	FormKey  string // "paperform.N"
	Count    int
	Required bool
	Note     string
}

// Ticket is a queue ticket as printed and shown.
type Ticket struct {
	Service string
	Label   string // "A012": the service's letter and today's number
	Number  int
	TakenAt time.Time
	Waiting int // tickets of this service waiting before this one
	QR      string
}

// Rating is a satisfaction vote.
type Rating int

const (
	VerySatisfied Rating = 1
	Satisfied     Rating = 2
	NotSatisfied  Rating = 3
)

// Valid reports whether r is one of the three ratings.
func (r Rating) Valid() bool { return r >= VerySatisfied && r <= NotSatisfied }

// TicketPrinter prints a queue ticket (on the thermal printer, or as a small
// PDF on the system printer). An error means the citizen gets no paper; the
// kiosk then says so and shows the number on screen.
type TicketPrinter interface {
	PrintTicket(ctx context.Context, o Office, t Ticket) error
}

// ErrNoPrinter is what a TicketPrinter returns when no printer is set up or
// none answers.
var ErrNoPrinter = errors.New("no ticket printer")
