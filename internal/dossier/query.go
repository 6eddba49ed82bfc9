package dossier

import "time"

// Query selects dossiers for a list screen. The zero Query lists every
// dossier, newest first. Lists are paged by keyset (After), never by offset,
// so that page N costs the same as page 1 on a million rows.
type Query struct {
	// Text matches the dossier code, the applicant's name without diacritics
	// or case, the ID number and the phone number. Each word must match the
	// beginning of a word of one of them.
	Text         string
	Statuses     []Status  // any of these; empty = all
	ReceivedFrom time.Time // inclusive; zero = no bound
	ReceivedTo   time.Time // exclusive; zero = no bound
	// DueBefore keeps open dossiers whose appointment is before this instant
	// ("due soon"); zero = no bound.
	DueBefore time.Time
	// Overdue keeps open dossiers whose appointment has passed at Now.
	Overdue bool
	Now     time.Time // the instant Overdue is judged at
	Limit   int       // page size; 0 = 50, capped at 500
	After   *Cursor   // the Next of the previous page; nil = first page
}

// Cursor marks where the previous page ended.
type Cursor struct {
	ReceivedAt time.Time
	ID         int64
}

// Summary is one row of a dossier list.
type Summary struct {
	ID            int64
	Code          string
	ProcedureName string
	ApplicantName string
	IDNumber      string
	Phone         string
	Status        Status
	ReceivedAt    time.Time
	DueAt         time.Time
}

// Overdue reports whether the row is still open past its appointment.
func (s Summary) Overdue(now time.Time) bool {
	return s.Status.Open() && !s.DueAt.IsZero() && now.After(s.DueAt)
}

// Page is one page of a list; Next is nil on the last page.
type Page struct {
	Items []Summary
	Next  *Cursor
}

// Event is one entry of a dossier's history (what the control slip, form 06,
// prints): who did what, when, from which status to which.
type Event struct {
	At     time.Time
	Actor  string // login
	Action string // "receive", "supplement", …
	From   Status // 0 for the first event
	To     Status
	Note   string
}
