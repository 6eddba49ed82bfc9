package calendar

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// YearTable is the official list of days off of one year, as the government
// announces it and the hub sends it down. When a Calendar has the table of a
// year it ignores the rules for that year entirely.
//
// Holidays lists every day off one by one (weekend days inside a holiday
// block may be listed too; they are off anyway). WorkingDays lists the
// Saturdays and Sundays swapped into working days. Dates are midnight in VN.
//
// Its JSON form is
//
//	{"year":2026,"holidays":[{"date":"2026-02-16","name":"Tết Nguyên Đán"}],"working_days":["2026-01-03"]}
type YearTable struct {
	Year        int
	Holidays    []Holiday
	WorkingDays []time.Time
}

// Limits of a year table: no real year comes anywhere near them.
const (
	maxTableBytes       = 64 << 10
	maxTableHolidays    = 100
	maxTableWorkingDays = 60
	maxHolidayName      = 200 // bytes
)

// ErrTable is wrapped by every error of ParseYearTable.
var ErrTable = errors.New("invalid holiday table")

const dateLayout = "2006-01-02"

// tableWire is the JSON form read by ParseYearTable; Year is a pointer so
// that a missing year is told from year 0.
type tableWire struct {
	Year        *int          `json:"year"`
	Holidays    []holidayWire `json:"holidays"`
	WorkingDays []string      `json:"working_days"`
}

type holidayWire struct {
	Date string `json:"date"`
	Name string `json:"name"`
}

// ParseYearTable reads a table from its JSON form and validates it strictly:
// a year within MinYear–MaxYear; every date written YYYY-MM-DD, within that
// year and listed once; at least one and at most 100 holidays, each with a
// printable name of at most 200 bytes; at most 60 working days, each a
// Saturday or Sunday that is not also listed as a holiday; no unknown field,
// no trailing data, at most 64 KiB. Lists come back sorted.
func ParseYearTable(data []byte) (YearTable, error) {
	if len(data) > maxTableBytes {
		return YearTable{}, fmt.Errorf("%w: %d bytes, more than %d", ErrTable, len(data), maxTableBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var w tableWire
	if err := dec.Decode(&w); err != nil {
		return YearTable{}, fmt.Errorf("%w: %v", ErrTable, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return YearTable{}, fmt.Errorf("%w: data after the table", ErrTable)
	}
	if w.Year == nil {
		return YearTable{}, fmt.Errorf("%w: no year", ErrTable)
	}
	year := *w.Year
	if year < MinYear || year > MaxYear {
		return YearTable{}, fmt.Errorf("%w: year %d out of %d-%d", ErrTable, year, MinYear, MaxYear)
	}
	if len(w.Holidays) == 0 {
		return YearTable{}, fmt.Errorf("%w: no holidays", ErrTable)
	}
	if len(w.Holidays) > maxTableHolidays {
		return YearTable{}, fmt.Errorf("%w: %d holidays, more than %d", ErrTable, len(w.Holidays), maxTableHolidays)
	}
	if len(w.WorkingDays) > maxTableWorkingDays {
		return YearTable{}, fmt.Errorf("%w: %d working days, more than %d", ErrTable, len(w.WorkingDays), maxTableWorkingDays)
	}
	t := YearTable{Year: year}
	seen := make(map[time.Time]string, len(w.Holidays)+len(w.WorkingDays))
	for _, h := range w.Holidays {
		d, err := parseTableDate(h.Date, year)
		if err != nil {
			return YearTable{}, err
		}
		if err := checkHolidayName(h.Name); err != nil {
			return YearTable{}, fmt.Errorf("%w: holiday %s: %v", ErrTable, h.Date, err)
		}
		if _, dup := seen[d]; dup {
			return YearTable{}, fmt.Errorf("%w: %s listed twice", ErrTable, h.Date)
		}
		seen[d] = "holiday"
		t.Holidays = append(t.Holidays, Holiday{Date: d, Name: h.Name})
	}
	for _, s := range w.WorkingDays {
		d, err := parseTableDate(s, year)
		if err != nil {
			return YearTable{}, err
		}
		if !weekend(d) {
			return YearTable{}, fmt.Errorf("%w: working day %s is a %s, not a Saturday or Sunday", ErrTable, s, d.Weekday())
		}
		if what, dup := seen[d]; dup {
			return YearTable{}, fmt.Errorf("%w: working day %s is also listed as a %s", ErrTable, s, what)
		}
		seen[d] = "working day"
		t.WorkingDays = append(t.WorkingDays, d)
	}
	t.normalize()
	return t, nil
}

// UnmarshalJSON lets a YearTable sit inside other JSON documents (the sync
// protocol); it applies the checks of ParseYearTable.
func (t *YearTable) UnmarshalJSON(data []byte) error {
	p, err := ParseYearTable(data)
	if err != nil {
		return err
	}
	*t = p
	return nil
}

// MarshalJSON writes the JSON form that ParseYearTable reads, lists sorted.
// Dates are taken in VN.
func (t YearTable) MarshalJSON() ([]byte, error) {
	c := t.clone()
	c.normalize()
	w := struct {
		Year        int           `json:"year"`
		Holidays    []holidayWire `json:"holidays"`
		WorkingDays []string      `json:"working_days"`
	}{Year: c.Year, Holidays: []holidayWire{}, WorkingDays: []string{}}
	for _, h := range c.Holidays {
		w.Holidays = append(w.Holidays, holidayWire{Date: h.Date.Format(dateLayout), Name: h.Name})
	}
	for _, d := range c.WorkingDays {
		w.WorkingDays = append(w.WorkingDays, d.Format(dateLayout))
	}
	return json.Marshal(w)
}

// clone copies the slices so that normalizing never touches the caller's.
func (t YearTable) clone() YearTable {
	return YearTable{
		Year:        t.Year,
		Holidays:    append([]Holiday(nil), t.Holidays...),
		WorkingDays: append([]time.Time(nil), t.WorkingDays...),
	}
}

// normalize moves every date to midnight VN and sorts both lists.
func (t *YearTable) normalize() {
	for i := range t.Holidays {
		t.Holidays[i].Date = midnight(t.Holidays[i].Date)
	}
	for i := range t.WorkingDays {
		t.WorkingDays[i] = midnight(t.WorkingDays[i])
	}
	sortHolidays(t.Holidays)
	sortTimes(t.WorkingDays)
}

func parseTableDate(s string, year int) (time.Time, error) {
	d, err := time.ParseInLocation(dateLayout, s, VN)
	if err != nil || d.Format(dateLayout) != s {
		return time.Time{}, fmt.Errorf("%w: date %q is not YYYY-MM-DD", ErrTable, s)
	}
	if d.Year() != year {
		return time.Time{}, fmt.Errorf("%w: date %s is not in %d", ErrTable, s, year)
	}
	return d, nil
}

func checkHolidayName(name string) error {
	if strings.TrimSpace(name) == "" {
		return errors.New("empty name")
	}
	if len(name) > maxHolidayName {
		return fmt.Errorf("name longer than %d bytes", maxHolidayName)
	}
	if !utf8.ValidString(name) {
		return errors.New("name is not UTF-8")
	}
	for _, r := range name {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("name holds %U", r)
		}
	}
	return nil
}
