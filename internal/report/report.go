package report

import (
	"context"
	"fmt"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// Source is where the figures come from; *store.Store implements it.
type Source interface {
	Figures(ctx context.Context, now time.Time, days int) (dossier.Figures, error)
	TrackingBook(ctx context.Context, from, to time.Time, fn func(dossier.TrackingRow) error) error
	List(ctx context.Context, q dossier.Query) (dossier.Page, error)
}

// Calendar judges working days; *calendar.Calendar implements it.
type Calendar interface {
	IsWorkingDay(t time.Time) bool
	WorkingMinutesBetween(a, b time.Time) int
}

// Procedures names procedures by code (the catalog in force); nil leaves
// codes unnamed.
type Procedures func(code string, at time.Time) (name string, ok bool)

// Service computes the reports.
type Service struct {
	Source     Source
	Calendar   Calendar
	Procedures Procedures
	// MinutesPerDay is the length of a working day (office hours), to
	// count lateness in days; 0 means 8 hours.
	MinutesPerDay int
	Now           func() time.Time
}

// ChartDays is how many days the dashboard's chart covers.
const ChartDays = 30

var vn = time.FixedZone("ICT", 7*3600)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Dashboard computes the leader's home screen figures now.
func (s *Service) Dashboard(ctx context.Context) (dossier.Figures, error) {
	now := s.now()
	f, err := s.Source.Figures(ctx, now, ChartDays)
	if err != nil {
		return dossier.Figures{}, err
	}
	for k := range f.Days {
		f.Days[k].Working = s.Calendar == nil || s.Calendar.IsWorkingDay(f.Days[k].Day)
	}
	for k := range f.ByProcedure {
		p := &f.ByProcedure[k]
		p.Name = p.Code
		if s.Procedures != nil {
			if n, ok := s.Procedures(p.Code, now); ok {
				p.Name = n
			}
		}
	}
	return f, nil
}

// Timeliness is how a dossier stands against its appointment.
type Timeliness int

const (
	Pending Timeliness = iota // open, appointment not passed
	Early                     // result ready at least one working day early
	OnTime                    // result ready by the appointment
	Late                      // result ready after the appointment
	Overdue                   // open past the appointment
	Closed                    // closed without a result (refused, withdrawn, stopped)
	Paused                    // waiting for the citizen's supplement: the clock is stopped
)

// Judge says how row stands at now, and by how many working days it is
// early or late (0 otherwise), counted with the office calendar.
func (s *Service) Judge(row dossier.TrackingRow, now time.Time) (Timeliness, int) {
	perDay := s.MinutesPerDay
	if perDay <= 0 {
		perDay = 8 * 60
	}
	days := func(a, b time.Time) int {
		if s.Calendar == nil {
			return int(b.Sub(a).Hours() / 24)
		}
		m := s.Calendar.WorkingMinutesBetween(a, b)
		return (m + perDay - 1) / perDay
	}
	switch {
	case row.DueAt.IsZero():
		return Pending, 0
	case !row.DoneAt.IsZero() && row.DoneAt.After(row.DueAt):
		return Late, days(row.DueAt, row.DoneAt)
	case !row.DoneAt.IsZero():
		if s.Calendar != nil {
			if m := s.Calendar.WorkingMinutesBetween(row.DoneAt, row.DueAt); m >= perDay {
				return Early, m / perDay
			}
		}
		return OnTime, 0
	case row.Status.Paused():
		return Paused, 0
	case row.Status.Open() && now.After(row.DueAt):
		return Overdue, days(row.DueAt, now)
	case row.Status.Open():
		return Pending, 0
	}
	return Closed, 0
}

// TrackingBook returns the lines of the tracking book for dossiers received
// in [from, to), oldest first.
func (s *Service) TrackingBook(ctx context.Context, from, to time.Time) ([]dossier.TrackingRow, error) {
	var rows []dossier.TrackingRow
	err := s.Source.TrackingBook(ctx, from, to, func(r dossier.TrackingRow) error {
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// Month is the range [first day of t's month, first day of the next) in
// Vietnam time.
func Month(t time.Time) (from, to time.Time) {
	t = t.In(vn)
	from = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, vn)
	return from, from.AddDate(0, 1, 0)
}

// RangeText is a date range as a form prints it: "01/11/2026 – 30/11/2026"
// (to is exclusive).
func RangeText(from, to time.Time) string {
	return fmt.Sprintf("%s – %s", from.In(vn).Format("02/01/2006"), to.In(vn).Add(-time.Millisecond).Format("02/01/2006"))
}
