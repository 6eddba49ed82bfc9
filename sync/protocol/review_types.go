package protocol

import "time"

// Paths of the reviewer API of accounts (issue #9). Every path but
// PathReviewLogin needs "Authorization: Bearer <session token>"; none of
// them accepts a device signature, and device paths refuse session tokens.
const (
	PathReviewLogin     = "/v1/review/login"         // POST ReviewLogin → ReviewSession
	PathReviewLogout    = "/v1/review/logout"        // POST: ends the session
	PathReviewQueue     = "/v1/review/queue"         // GET QueueQuery as query parameters → QueuePage
	PathReviewDossier   = "/v1/review/dossier/"      // GET /{code} → ReviewDossier; POST /{code}/decision DecideRequest → Decision
	PathReviewFile      = "/v1/review/file/"         // GET /{sha256} → the scanned file's bytes
	PathReviewDashboard = "/v1/review/dashboard"     // GET DashboardQuery → Dashboard
	PathReviewDashCSV   = "/v1/review/dashboard.csv" // GET DashboardQuery → CSV (UTF-8 with BOM)
)

// Account roles.
const (
	AccountReviewer = "reviewer" // reads and decides on the dossiers of the communes in scope
	AccountViewer   = "viewer"   // reads queues, dossiers and the dashboard; cannot decide
)

// Error codes of the reviewer API (besides those of Error).
const (
	ErrBadLogin       = "bad_login"       // unknown user or wrong password
	ErrLocked         = "locked"          // too many failed logins: wait and retry
	ErrDisabled       = "disabled"        // the account is disabled
	ErrSessionExpired = "session_expired" // the session ended: log in again
	ErrNoSession      = "no_session"      // no or unknown bearer token
)

// Queues of the reviewer.
const (
	QueueNew        = "new"        // received, not yet decided (status 1–2)
	QueueAwaiting   = "awaiting"   // accepted into processing, awaiting a decision (status 4)
	QueueSupplement = "supplement" // waiting for the applicant's supplement (status 5)
	QueueOverdue    = "overdue"    // open and past its due date now
	QueueDue2       = "due2"       // open, due within 2 working days, not yet overdue
	QueueAll        = ""           // every dossier in scope
)

// ReviewLogin is what PathReviewLogin takes.
type ReviewLogin struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// Commune is an office in a reviewer's scope.
type Commune struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// ReviewSession is a logged-in reviewer.
type ReviewSession struct {
	Token       string    `json:"token"`
	ExpiresAt   time.Time `json:"expires_at"`
	Username    string    `json:"username"`
	DisplayName string    `json:"display_name"`
	Role        string    `json:"role"`
	Communes    []Commune `json:"communes"`
}

// QueueQuery selects a page of a queue. Zero fields do not filter.
type QueueQuery struct {
	Queue     string    `json:"queue,omitempty"`     // one of Queue*
	Office    string    `json:"office,omitempty"`    // one commune of the scope
	Procedure string    `json:"procedure,omitempty"` // procedure code
	From      time.Time `json:"from,omitzero"`       // received at or after
	To        time.Time `json:"to,omitzero"`         // received before
	Status    int       `json:"status,omitempty"`    // portal status 1–10
	Q         string    `json:"q,omitempty"`         // dossier code, applicant name (diacritics ignored) or ID number
	After     string    `json:"after,omitempty"`     // QueuePage.Next of the previous page
	Limit     int       `json:"limit,omitempty"`     // default 50, at most 500
}

// QueueItem is one row of a queue.
type QueueItem struct {
	Code          string    `json:"code"`
	Office        string    `json:"office"`
	OfficeName    string    `json:"office_name"`
	Procedure     string    `json:"procedure"`
	ProcedureName string    `json:"procedure_name"`
	Applicant     string    `json:"applicant"`
	IDNumber      string    `json:"id_number,omitempty"`
	Status        int       `json:"status"`
	ReceivedAt    time.Time `json:"received_at"`
	DueAt         time.Time `json:"due_at,omitzero"`
	Overdue       bool      `json:"overdue"`
	Decided       bool      `json:"decided"` // a reviewer decided on it already
}

// QueuePage is a page of a queue, newest received first; Next is the
// cursor of the following page, "" on the last one.
type QueuePage struct {
	Items []QueueItem `json:"items"`
	Next  string      `json:"next,omitempty"`
}

// ReviewApplicant is the applicant of a dossier.
type ReviewApplicant struct {
	FullName  string `json:"full_name"`
	IDNumber  string `json:"id_number,omitempty"`
	BirthDate string `json:"birth_date,omitempty"`
	Address   string `json:"address,omitempty"`
	Phone     string `json:"phone,omitempty"`
	Email     string `json:"email,omitempty"`
}

// ReviewFile is one scanned file of a paper.
type ReviewFile struct {
	SHA256 string `json:"sha256"`
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	MIME   string `json:"mime"`
	Held   bool   `json:"held"` // the hub holds the bytes (File can fetch them)
}

// ReviewPaper is one paper of a dossier.
type ReviewPaper struct {
	Name      string       `json:"name"`
	Form      int          `json:"form"` // 1 original, 2 certified copy, 3 copy
	Count     int          `json:"count"`
	Required  bool         `json:"required"`
	Provided  bool         `json:"provided"`
	Digitised bool         `json:"digitised"`
	Files     []ReviewFile `json:"files,omitempty"`
}

// HistoryEntry is one line of the control slip (phiếu kiểm soát).
type HistoryEntry struct {
	At     time.Time `json:"at"`
	Actor  string    `json:"actor"`
	Action string    `json:"action"`
	From   int       `json:"from,omitempty"`
	To     int       `json:"to,omitempty"`
	Note   string    `json:"note,omitempty"`
}

// CommuneNote is a note the commune wrote on the dossier.
type CommuneNote struct {
	At     time.Time `json:"at"`
	Author string    `json:"author"`
	Text   string    `json:"text"`
}

// ReviewDossier is one dossier as a reviewer sees it.
type ReviewDossier struct {
	Code          string          `json:"code"`
	Office        string          `json:"office"`
	OfficeName    string          `json:"office_name"`
	Procedure     string          `json:"procedure"`
	ProcedureName string          `json:"procedure_name"`
	Status        int             `json:"status"`
	Channel       int             `json:"channel"`
	Fee           int64           `json:"fee"`
	ReceivedAt    time.Time       `json:"received_at"`
	DueAt         time.Time       `json:"due_at,omitzero"`
	Overdue       bool            `json:"overdue"`
	ReceivedBy    string          `json:"received_by,omitempty"`
	Applicant     ReviewApplicant `json:"applicant"`
	Papers        []ReviewPaper   `json:"papers"`
	Missing       []string        `json:"missing"` // required papers of the procedure not provided
	History       []HistoryEntry  `json:"history"`
	Notes         []CommuneNote   `json:"notes"`
	Decisions     []Decision      `json:"decisions"`
}

// Dashboard bucket sizes.
const (
	BucketDay  = "day"
	BucketWeek = "week"
)

// DashboardQuery selects the dashboard's period and communes.
type DashboardQuery struct {
	Office string    `json:"office,omitempty"` // "" for every commune in scope
	From   time.Time `json:"from,omitzero"`    // received at or after; default 30 days ago
	To     time.Time `json:"to,omitzero"`      // received before; default now
	Bucket string    `json:"bucket,omitempty"` // day (default) or week
}

// DashboardRow holds the figures of one commune, or of all of them.
type DashboardRow struct {
	Office          string  `json:"office"` // "" for the overall row
	Name            string  `json:"name"`
	Received        int64   `json:"received"`
	Done            int64   `json:"done"`
	OnTime          int64   `json:"on_time"`     // done no later than due
	Late            int64   `json:"late"`        // done after due
	OverdueNow      int64   `json:"overdue_now"` // open and past due now
	AvgHours        float64 `json:"avg_hours"`   // average received → done, hours
	VotesGood       int64   `json:"votes_good"`
	VotesOK         int64   `json:"votes_ok"`
	VotesBad        int64   `json:"votes_bad"`
	Papers          int64   `json:"papers"`
	PapersDigitised int64   `json:"papers_digitised"`
	DigitisedShare  float64 `json:"digitised_share"` // PapersDigitised / Papers, 0–1
}

// SeriesPoint is one bucket of the dashboard's series.
type SeriesPoint struct {
	Start    time.Time `json:"start"`
	Received int64     `json:"received"`
	Done     int64     `json:"done"`
}

// Dashboard is the reviewer's figures.
type Dashboard struct {
	From     time.Time      `json:"from"`
	To       time.Time      `json:"to"`
	Bucket   string         `json:"bucket"`
	Overall  DashboardRow   `json:"overall"`
	Communes []DashboardRow `json:"communes"`
	Series   []SeriesPoint  `json:"series"`
}
