package calendar

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

// Calendar answers which days are working days and when a deadline counted
// in working time ends. It uses, for each year, the official table when it
// has one and the Labour Code rules otherwise. A Calendar is safe for
// concurrent use; SetTable may be called while other goroutines compute.
//
// Every time.Time argument is first converted to VN; results are in VN.
type Calendar struct {
	hours  OfficeHours
	perDay time.Duration // working time of a working day

	mu     sync.RWMutex
	tables map[int]YearTable
	years  map[int]*yearDays // built lazily, replaced (never mutated) on SetTable
}

// dayKind tells how a table or the rules mark one day of a year.
type dayKind int8

const (
	byWeekday  dayKind = iota // Monday–Friday work, Saturday and Sunday off
	dayOff                    // holiday or compensatory day
	workingDay                // swapped working Saturday or Sunday
)

// yearDays holds one year's holidays and the kind of each day, indexed by
// time.Time.YearDay.
type yearDays struct {
	holidays []Holiday
	kind     [367]dayKind
}

// New returns a Calendar with the given office hours and official tables (a
// later table of the same year replaces an earlier one). It panics if h is
// not valid: check configuration with OfficeHours.Validate or ParseHours
// before.
func New(h OfficeHours, tables ...YearTable) *Calendar {
	if err := h.Validate(); err != nil {
		panic(fmt.Sprintf("calendar.New: %v", err))
	}
	h.Sessions = append([]Session(nil), h.Sessions...)
	c := &Calendar{
		hours:  h,
		perDay: minutes(h.MinutesPerDay()),
		tables: make(map[int]YearTable),
		years:  make(map[int]*yearDays),
	}
	for _, t := range tables {
		c.SetTable(t)
	}
	return c
}

// Hours returns the office hours the Calendar counts with.
func (c *Calendar) Hours() OfficeHours {
	h := c.hours
	h.Sessions = append([]Session(nil), h.Sessions...)
	return h
}

// SetTable installs (or replaces) the official table of t.Year. Dates are
// taken in VN; entries outside t.Year are ignored. Use ParseYearTable for
// tables that come from outside the program.
func (c *Calendar) SetTable(t YearTable) {
	t = t.clone()
	t.normalize()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.tables[t.Year] = t
	delete(c.years, t.Year)
}

// Table returns the official table of year, if the Calendar has one.
func (c *Calendar) Table(year int) (YearTable, bool) {
	c.mu.RLock()
	t, ok := c.tables[year]
	c.mu.RUnlock()
	if !ok {
		return YearTable{}, false
	}
	return t.clone(), true
}

// Holidays lists the days off of year, sorted: the official table's when the
// Calendar has one, RuleHolidays otherwise.
func (c *Calendar) Holidays(year int) []Holiday {
	return append([]Holiday(nil), c.year(year).holidays...)
}

// IsWorkingDay reports whether the VN day of t is a working day: Monday to
// Friday and not a day off, or a Saturday or Sunday the official table swaps
// into a working day.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	t = t.In(VN)
	switch c.year(t.Year()).kind[t.YearDay()] {
	case dayOff:
		return false
	case workingDay:
		return true
	}
	return !weekend(t)
}

// NextOpening returns t itself when the office is open at t, otherwise the
// start of the next session on a working day. A closing instant (11:30,
// 17:00) is not open.
func (c *Calendar) NextOpening(t time.Time) time.Time {
	t = t.In(VN)
	day := midnight(t)
	off := t.Sub(day)
	for {
		if c.IsWorkingDay(day) {
			for _, s := range c.hours.Sessions {
				if off >= minutes(s.End) {
					continue
				}
				return day.Add(max(off, minutes(s.Start)))
			}
		}
		day, off = nextDay(day), 0
	}
}

// AddWorkingDays returns the end of a deadline of n working days counted
// from from: n times the working time of one day (8 hours by default) of
// office time. Counting starts at from, or at the next opening when from is
// outside office hours. An end that falls exactly on a closing time is that
// closing time, not the next opening: Monday 07:00 + 1 day is Monday 17:00,
// Monday 09:00 + 3 days is Thursday 09:00, Friday 16:00 + 1 day is Monday
// 16:00. n ≤ 0 returns NextOpening(from).
func (c *Calendar) AddWorkingDays(from time.Time, n int) time.Time {
	return c.addWorking(from, time.Duration(n)*c.perDay)
}

// AddWorkingHours is AddWorkingDays for a deadline of n working hours.
func (c *Calendar) AddWorkingHours(from time.Time, n int) time.Time {
	return c.addWorking(from, time.Duration(n)*time.Hour)
}

// AddWorkingMinutes is AddWorkingDays for a deadline of n working minutes.
func (c *Calendar) AddWorkingMinutes(from time.Time, n int) time.Time {
	return c.addWorking(from, time.Duration(n)*time.Minute)
}

func (c *Calendar) addWorking(from time.Time, d time.Duration) time.Time {
	from = from.In(VN)
	if d <= 0 {
		return c.NextOpening(from)
	}
	day := midnight(from)
	off := from.Sub(day)
	for {
		if c.IsWorkingDay(day) {
			if off == 0 && d > c.perDay {
				d -= c.perDay // a whole working day
			} else {
				for _, s := range c.hours.Sessions {
					end := minutes(s.End)
					if off >= end {
						continue
					}
					off = max(off, minutes(s.Start))
					if avail := end - off; d > avail {
						d -= avail
						off = end
						continue
					}
					return day.Add(off + d)
				}
			}
		}
		day, off = nextDay(day), 0
	}
}

// SameDay returns the due time of the "same day" rule: received on a
// working day before the cut-off (15:00 by default), the last closing of
// that day (17:00); received at or after the cut-off, or on a day off, the
// last closing of the next working day.
func (c *Calendar) SameDay(from time.Time) time.Time {
	from = from.In(VN)
	day := midnight(from)
	closing := minutes(c.hours.LastClosing())
	if c.IsWorkingDay(day) && from.Sub(day) < minutes(c.hours.SameDayCutoff) {
		return day.Add(closing)
	}
	day = nextDay(day)
	for !c.IsWorkingDay(day) {
		day = nextDay(day)
	}
	return day.Add(closing)
}

// WorkingMinutesBetween counts the whole minutes of office time on working
// days between a and b. When b is before a the count is negative, so that a
// result handed back late by 30 working minutes gives -30 for
// WorkingMinutesBetween(returned, due).
func (c *Calendar) WorkingMinutesBetween(a, b time.Time) int {
	if b.Before(a) {
		return -c.WorkingMinutesBetween(b, a)
	}
	a, b = a.In(VN), b.In(VN)
	var total time.Duration
	for day := midnight(a); day.Before(b); day = nextDay(day) {
		if !c.IsWorkingDay(day) {
			continue
		}
		for _, s := range c.hours.Sessions {
			lo := maxTime(day.Add(minutes(s.Start)), a)
			hi := minTime(day.Add(minutes(s.End)), b)
			if hi.After(lo) {
				total += hi.Sub(lo)
			}
		}
	}
	return int(total / time.Minute)
}

// year returns the day kinds of y, building them on first use.
func (c *Calendar) year(y int) *yearDays {
	c.mu.RLock()
	yd, ok := c.years[y]
	c.mu.RUnlock()
	if ok {
		return yd
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if yd, ok := c.years[y]; ok {
		return yd
	}
	yd = &yearDays{}
	if t, ok := c.tables[y]; ok {
		for _, h := range t.Holidays {
			if h.Date.Year() == y {
				yd.holidays = append(yd.holidays, h)
				yd.kind[h.Date.YearDay()] = dayOff
			}
		}
		for _, d := range t.WorkingDays {
			if d.Year() == y {
				yd.kind[d.YearDay()] = workingDay
			}
		}
	} else {
		yd.holidays = RuleHolidays(y)
		for _, h := range yd.holidays {
			yd.kind[h.Date.YearDay()] = dayOff
		}
	}
	c.years[y] = yd
	return yd
}

func minutes(m int) time.Duration { return time.Duration(m) * time.Minute }

// midnight is the start of t's day in VN.
func midnight(t time.Time) time.Time {
	y, m, d := t.In(VN).Date()
	return Date(y, m, d)
}

func nextDay(day time.Time) time.Time { return day.AddDate(0, 0, 1) }

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func sortTimes(ts []time.Time) {
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
}
