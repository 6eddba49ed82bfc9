package report

import (
	"errors"
	"strings"
	"time"
)

// A Range is the dossiers received in [From, To), Vietnam time: the
// period of a tracking book or an export.
type Range struct {
	From, To time.Time
}

// Quick choices of the tracking book's date-range picker.
const (
	RangeThisMonth   = "this_month"
	RangeLastMonth   = "last_month"
	RangeThisQuarter = "this_quarter"
	RangeThisYear    = "this_year"
)

// QuickRanges lists the quick choices in the order a picker offers them.
var QuickRanges = []string{RangeThisMonth, RangeLastMonth, RangeThisQuarter, RangeThisYear}

// Quick returns the range of a quick choice at now (Vietnam calendar):
// this month, last month, this quarter or this year, whole periods (the
// part still to come holds no dossier yet). ok is false for an unknown
// choice.
func Quick(choice string, now time.Time) (r Range, ok bool) {
	t := now.In(vn)
	month := time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, vn)
	switch choice {
	case RangeThisMonth:
		return Range{month, month.AddDate(0, 1, 0)}, true
	case RangeLastMonth:
		return Range{month.AddDate(0, -1, 0), month}, true
	case RangeThisQuarter:
		q := time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, vn)
		return Range{q, q.AddDate(0, 3, 0)}, true
	case RangeThisYear:
		y := time.Date(t.Year(), 1, 1, 0, 0, 0, 0, vn)
		return Range{y, y.AddDate(1, 0, 0)}, true
	}
	return Range{}, false
}

// DateLayout is how a range's days are typed and shown: dd/mm/yyyy.
const DateLayout = "02/01/2006"

// Errors of ParseRange, each naming the input that is wrong.
var (
	ErrRangeFrom  = errors.New("the first day is not a date dd/mm/yyyy")
	ErrRangeTo    = errors.New("the last day is not a date dd/mm/yyyy")
	ErrRangeOrder = errors.New("the last day is before the first day")
	ErrRangeLong  = errors.New("a range covers at most 5 years")
)

// MaxRangeYears bounds a range: a tracking book is printed per month,
// quarter or year; five years is more than any office asks for at once.
const MaxRangeYears = 5

// ParseRange reads a range typed as its first and last day, both included
// ("01/10/2026", "31/12/2026"); the result's To is the midnight after the
// last day.
func ParseRange(from, to string) (Range, error) {
	f, err := time.ParseInLocation(DateLayout, strings.TrimSpace(from), vn)
	if err != nil {
		return Range{}, ErrRangeFrom
	}
	l, err := time.ParseInLocation(DateLayout, strings.TrimSpace(to), vn)
	if err != nil {
		return Range{}, ErrRangeTo
	}
	if l.Before(f) {
		return Range{}, ErrRangeOrder
	}
	r := Range{f, l.AddDate(0, 0, 1)}
	if r.To.After(f.AddDate(MaxRangeYears, 0, 0)) {
		return Range{}, ErrRangeLong
	}
	return r, nil
}

// FirstDay and LastDay are the range's days as typed (LastDay included).
func (r Range) FirstDay() string { return r.From.In(vn).Format(DateLayout) }

// LastDay is the last day of the range, included.
func (r Range) LastDay() string { return r.To.In(vn).AddDate(0, 0, -1).Format(DateLayout) }

// FileTag names a file of the range: "2026-10-01_2026-12-31".
func (r Range) FileTag() string {
	return r.From.In(vn).Format("2006-01-02") + "_" + r.To.In(vn).AddDate(0, 0, -1).Format("2006-01-02")
}
