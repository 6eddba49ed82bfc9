package dossier

import "time"

// Figures are what an office is judged on, for the leader's home screen:
// counts of today and this month (Vietnamese calendar days), the on-time
// rate of the month's results, counts by procedure and the last days.
type Figures struct {
	Now           time.Time
	ReceivedToday int
	ReceivedMonth int
	DueToday      int // open dossiers whose appointment falls today
	Overdue       int // open dossiers past their appointment
	DoneMonth     int // results ready this month
	OnTimeMonth   int // of which by their appointment
	Returned      int // results handed over this month
	ByProcedure   []ProcedureCount
	Days          []DayCount // oldest first
	// Votes counts the satisfaction votes (kiosk or counter) cast over the
	// days of the chart, by level: [0] very satisfied, [1] satisfied,
	// [2] not satisfied.
	Votes [3]int
}

// VoteTotal is the number of satisfaction votes counted in Votes.
func (f Figures) VoteTotal() int { return f.Votes[0] + f.Votes[1] + f.Votes[2] }

// OnTimeRate is OnTimeMonth / DoneMonth, or -1 with no result this month.
func (f Figures) OnTimeRate() float64 {
	if f.DoneMonth == 0 {
		return -1
	}
	return float64(f.OnTimeMonth) / float64(f.DoneMonth)
}

// ProcedureCount counts the month's dossiers of one procedure.
type ProcedureCount struct {
	Code     string
	Name     string // filled by the report from the catalog when known
	Received int
	Done     int // of those, with a result
	OnTime   int // of those, with a result by the appointment
	Overdue  int // still open past the appointment
}

// DayCount is one day of the chart (midnight, Vietnam time).
type DayCount struct {
	Day      time.Time
	Received int
	Done     int
	Working  bool // a working day (filled by the report from the calendar)
}

// TrackingRow is one line of the tracking book (form 07).
type TrackingRow struct {
	ID            int64
	TrackingNo    int
	Code          string
	ProcedureCode string
	ProcedureName string
	ApplicantName string
	IDNumber      string
	Phone         string
	Address       string
	Status        Status
	ReceivedAt    time.Time
	DueAt         time.Time
	DoneAt        time.Time
	ReturnedAt    time.Time
	ReceivedBy    string
	Papers        int
	Digitised     int // papers with at least one scan
	Apologies     int
	TransferredTo string
}

// OnTime reports whether the row's result was ready by its appointment; ok
// is false while there is no result.
func (r TrackingRow) OnTime() (onTime, ok bool) {
	return Lifecycle{DoneAt: r.DoneAt}.OnTime(r.DueAt)
}
