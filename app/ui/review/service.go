package review

import (
	"context"
	"errors"
	"time"
)

// Service is what the review screens need from the provincial hub.
type Service interface {
	Login(ctx context.Context, user, password string) (Session, error)
	Queue(ctx context.Context, q Query) (Page, error)
	Dossier(ctx context.Context, code string) (Dossier, error)
	File(ctx context.Context, sha256 string) ([]byte, error)
	Decide(ctx context.Context, code string, d Decision) error
	Dashboard(ctx context.Context, q DashQuery) (Dashboard, error)
	DashboardCSV(ctx context.Context, q DashQuery) ([]byte, error)
}

// Connector makes the Service of one hub address; the sign-in screen calls it
// with the address the reviewer typed.
type Connector func(hub string) (Service, error)

// Errors a Service wraps so that the screens can explain them in Vietnamese.
var (
	ErrUnreachable = errors.New("hub unreachable")        // network down, hub stopped: show the cache
	ErrBadLogin    = errors.New("wrong user or password") // sign-in refused
	ErrLocked      = errors.New("account locked")         // too many failed sign-ins
	ErrDisabled    = errors.New("account disabled")
	ErrSession     = errors.New("session expired") // sign in again
	ErrForbidden   = errors.New("not in scope")    // a commune outside the reviewer's scope
	ErrNotFound    = errors.New("no such dossier")
	ErrConflict    = errors.New("decision not allowed") // the dossier's status does not allow it
	ErrBadRequest  = errors.New("bad request")          // the hub refused the input
	ErrBadAddress  = errors.New("bad hub address")      // not an http(s) URL
)

// Commune is an office in the reviewer's scope.
type Commune struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Session is a signed-in reviewer.
type Session struct {
	User     string    `json:"user"`
	Name     string    `json:"name"`
	Role     string    `json:"role"`
	Communes []Commune `json:"communes"`
	Expires  time.Time `json:"expires"`
}

// Queues of the review screens, in the order they are shown.
const (
	QueueNew        = "new"        // new from the communes
	QueueAwaiting   = "awaiting"   // awaiting a decision
	QueueSupplement = "supplement" // supplement requested
	QueueOverdue    = "overdue"    // past the due date now
	QueueDue2       = "due2"       // due within 2 working days
)

// Queues lists the queues in display order.
var Queues = []string{QueueNew, QueueAwaiting, QueueSupplement, QueueOverdue, QueueDue2}

// Query selects one page of a queue.
type Query struct {
	Queue     string    `json:"queue"`
	Office    string    `json:"office,omitempty"`
	Procedure string    `json:"procedure,omitempty"`
	From      time.Time `json:"from,omitzero"` // received on or after (a day, Vietnam time)
	To        time.Time `json:"to,omitzero"`   // received before the end of this day
	Status    int       `json:"status,omitempty"`
	Text      string    `json:"q,omitempty"` // code, name without diacritics or ID number
	After     string    `json:"after,omitempty"`
	Limit     int       `json:"limit,omitempty"`
}

// Row is one dossier of a queue.
type Row struct {
	Code          string    `json:"code"`
	Office        string    `json:"office"`
	OfficeName    string    `json:"office_name,omitempty"`
	Procedure     string    `json:"procedure"`
	ProcedureName string    `json:"procedure_name,omitempty"`
	Applicant     string    `json:"applicant,omitempty"`
	IDNumber      string    `json:"id_number,omitempty"`
	Status        int       `json:"status"`
	ReceivedAt    time.Time `json:"received_at"`
	DueAt         time.Time `json:"due_at,omitzero"`
	Overdue       bool      `json:"overdue,omitempty"`
}

// Page is one page of a queue; Next is the cursor of the following page, ""
// on the last page.
type Page struct {
	Items []Row  `json:"items"`
	Next  string `json:"next,omitempty"`
	Total int    `json:"total,omitempty"` // 0 when the hub does not count
}

// File is one scanned file of a paper.
type File struct {
	SHA256 string `json:"sha256"`
	Name   string `json:"name,omitempty"`
	Size   int64  `json:"size,omitempty"`
	MIME   string `json:"mime,omitempty"`
	Held   bool   `json:"held"` // the hub has received its bytes
}

// Paper is one paper of a dossier.
type Paper struct {
	Name      string `json:"name"`
	Required  bool   `json:"required,omitempty"`
	Provided  bool   `json:"provided"`
	Digitised bool   `json:"digitised,omitempty"`
	Files     []File `json:"files,omitempty"`
}

// Event is one line of the control slip (the dossier's history).
type Event struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor,omitempty"`
	Action string    `json:"action"`       // receive, supplement, …, decision.<outcome>
	To     int       `json:"to,omitempty"` // the status it led to
	Note   string    `json:"note,omitempty"`
}

// Dossier is one dossier as the reviewer sees it.
type Dossier struct {
	Row
	Address string   `json:"address,omitempty"`
	Phone   string   `json:"phone,omitempty"`
	Papers  []Paper  `json:"papers"`
	Missing []string `json:"missing,omitempty"` // required papers not provided
	History []Event  `json:"history,omitempty"`
	Notes   []string `json:"notes,omitempty"` // the commune's notes
}

// Decision outcomes.
const (
	Accept     = "accept"     // accept into processing
	Supplement = "supplement" // request a supplement: Items and Reason
	Done       = "done"       // the result is ready: Result
	Refuse     = "refuse"     // refuse: Reason, required
)

// Outcomes lists the decisions in display order.
var Outcomes = []string{Accept, Supplement, Done, Refuse}

// Decision is what the reviewer decides.
type Decision struct {
	Outcome string   `json:"outcome"`
	Items   []string `json:"items,omitempty"`
	Reason  string   `json:"reason,omitempty"`
	Result  string   `json:"result,omitempty"`
}

// DashQuery selects the dashboard's period and commune ("" for all).
type DashQuery struct {
	Office string    `json:"office,omitempty"`
	From   time.Time `json:"from,omitzero"`
	To     time.Time `json:"to,omitzero"`
}

// Stats are the figures of one commune, or of all of them.
type Stats struct {
	Office     string  `json:"office"`
	Name       string  `json:"name"`
	Received   int     `json:"received"`
	Done       int     `json:"done"`
	OnTime     int     `json:"on_time"`
	Late       int     `json:"late"`
	OverdueNow int     `json:"overdue_now"`
	AvgDays    float64 `json:"avg_days"`  // average processing time, days
	Votes      [3]int  `json:"votes"`     // satisfaction: satisfied, acceptable, not satisfied
	Digitised  float64 `json:"digitised"` // share of papers digitised, 0..1
}

// Point is one day of the dashboard's chart.
type Point struct {
	Day      time.Time `json:"day"`
	Received int       `json:"received"`
	Done     int       `json:"done"`
}

// Dashboard is the dashboard's content.
type Dashboard struct {
	Total   Stats   `json:"total"`
	Offices []Stats `json:"offices"`
	Series  []Point `json:"series"`
	Weekly  bool    `json:"weekly,omitempty"` // a point per week (long periods), else per day
}
