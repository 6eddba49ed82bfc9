package calendar

import (
	"sort"
	"time"
)

// VN is Vietnam's time zone (UTC+7, no daylight saving). It is a fixed zone
// so that the program needs no tzdata on the counter PC.
var VN = time.FixedZone("ICT", 7*3600)

// Holiday is one day off. Date is midnight in VN.
type Holiday struct {
	Date time.Time
	Name string
}

// Holiday names, as the Labour Code 2019 (art. 112) calls them.
const (
	NameNewYear    = "Tết Dương lịch"
	NameTet        = "Tết Nguyên Đán"
	NameHungKings  = "Giỗ Tổ Hùng Vương"
	NameVictory    = "Ngày Chiến thắng"
	NameLabour     = "Ngày Quốc tế Lao động"
	NameNationDay  = "Quốc khánh"
	compensatoryOf = "Nghỉ bù "
)

// Date returns midnight of y-m-d in VN.
func Date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, VN)
}

// RuleHolidays lists the days off of a year as the Labour Code 2019 sets them
// (art. 111–112), sorted by date:
//
//   - 1/1 (Tết Dương lịch);
//   - Tết Nguyên Đán: the last day of the lunar year and days 1–4 of the new
//     one (the government may place the five days otherwise: the official
//     table wins);
//   - Giỗ Tổ Hùng Vương, 10/3 lunar;
//   - 30/4 and 1/5;
//   - 2/9 and one adjacent day. The government picks 1/9 or 3/9 each year; the
//     rule uses 1/9 and the official table overrides it.
//
// A holiday that falls on a Saturday or Sunday gives a compensatory day
// ("Nghỉ bù …") on the next day that is Monday–Friday and not itself a day
// off, so the weekend days inside Tết are made up after the whole block.
// When Giỗ Tổ falls on 30/4 (it can: 10/3 lunar falls from 30/3 to 30/4)
// it is made up the same way; the law is silent there, the official table
// decides.
// Swapped working Saturdays exist only in official tables.
func RuleHolidays(year int) []Holiday {
	var hs []Holiday
	add := func(t time.Time, name string) { hs = append(hs, Holiday{Date: t, Name: name}) }

	// Fixed dates first: when Giỗ Tổ falls on 30/4 the day keeps the fixed
	// name and Giỗ Tổ is made up like a weekend day.
	add(Date(year, time.January, 1), NameNewYear)
	add(Date(year, time.April, 30), NameVictory)
	add(Date(year, time.May, 1), NameLabour)
	add(Date(year, time.September, 1), NameNationDay)
	add(Date(year, time.September, 2), NameNationDay)
	if y, m, d, ok := LunarToSolar(LunarDate{Day: 1, Month: 1, Year: year}); ok {
		first := Date(y, time.Month(m), d)
		for i := -1; i <= 3; i++ {
			add(first.AddDate(0, 0, i), NameTet)
		}
	}
	if y, m, d, ok := LunarToSolar(LunarDate{Day: 10, Month: 3, Year: year}); ok {
		add(Date(y, time.Month(m), d), NameHungKings)
	}
	sortHolidays(hs)

	// A holiday lost to a weekend or to another holiday on the same day is
	// made up on the next Monday–Friday that is not already off.
	off := make(map[time.Time]bool, len(hs))
	var kept, lost []Holiday
	for _, h := range hs {
		if off[h.Date] {
			lost = append(lost, h)
			continue
		}
		off[h.Date] = true
		kept = append(kept, h)
		if weekend(h.Date) {
			lost = append(lost, h)
		}
	}
	hs = kept
	sortHolidays(lost)
	var comp []Holiday
	for _, h := range lost {
		d := h.Date.AddDate(0, 0, 1)
		for weekend(d) || off[d] {
			d = d.AddDate(0, 0, 1)
		}
		off[d] = true
		comp = append(comp, Holiday{Date: d, Name: compensatoryOf + h.Name})
	}
	hs = append(hs, comp...)
	sortHolidays(hs)
	return hs
}

func weekend(t time.Time) bool {
	wd := t.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

func sortHolidays(hs []Holiday) {
	sort.SliceStable(hs, func(i, j int) bool { return hs[i].Date.Before(hs[j].Date) })
}
