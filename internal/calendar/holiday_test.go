package calendar

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func holidayLines(hs []Holiday) string {
	var b strings.Builder
	for _, h := range hs {
		fmt.Fprintf(&b, "%s %s %s\n", h.Date.Format(dateLayout), h.Date.Weekday().String()[:3], h.Name)
	}
	return b.String()
}

// The expected lists are worked out by hand from the Labour Code rules and
// the lunar dates of TestTetAndHungKingsFall2020To2035OnThePublishedDates.
var ruleYears = []struct {
	name string
	year int
	want string
}{
	{"2026 has no weekend holiday but Giỗ Tổ, made up on Monday", 2026, `
2026-01-01 Thu Tết Dương lịch
2026-02-16 Mon Tết Nguyên Đán
2026-02-17 Tue Tết Nguyên Đán
2026-02-18 Wed Tết Nguyên Đán
2026-02-19 Thu Tết Nguyên Đán
2026-02-20 Fri Tết Nguyên Đán
2026-04-26 Sun Giỗ Tổ Hùng Vương
2026-04-27 Mon Nghỉ bù Giỗ Tổ Hùng Vương
2026-04-30 Thu Ngày Chiến thắng
2026-05-01 Fri Ngày Quốc tế Lao động
2026-09-01 Tue Quốc khánh
2026-09-02 Wed Quốc khánh
`},
	{"2027 makes up the Tết weekend after the whole block and 1/5 on Monday", 2027, `
2027-01-01 Fri Tết Dương lịch
2027-02-05 Fri Tết Nguyên Đán
2027-02-06 Sat Tết Nguyên Đán
2027-02-07 Sun Tết Nguyên Đán
2027-02-08 Mon Tết Nguyên Đán
2027-02-09 Tue Tết Nguyên Đán
2027-02-10 Wed Nghỉ bù Tết Nguyên Đán
2027-02-11 Thu Nghỉ bù Tết Nguyên Đán
2027-04-16 Fri Giỗ Tổ Hùng Vương
2027-04-30 Fri Ngày Chiến thắng
2027-05-01 Sat Ngày Quốc tế Lao động
2027-05-03 Mon Nghỉ bù Ngày Quốc tế Lao động
2027-09-01 Wed Quốc khánh
2027-09-02 Thu Quốc khánh
`},
	{"2023 makes up 1/1, Tết, Giỗ Tổ on Saturday and 30/4 on Sunday after 1/5, and 2/9", 2023, `
2023-01-01 Sun Tết Dương lịch
2023-01-02 Mon Nghỉ bù Tết Dương lịch
2023-01-21 Sat Tết Nguyên Đán
2023-01-22 Sun Tết Nguyên Đán
2023-01-23 Mon Tết Nguyên Đán
2023-01-24 Tue Tết Nguyên Đán
2023-01-25 Wed Tết Nguyên Đán
2023-01-26 Thu Nghỉ bù Tết Nguyên Đán
2023-01-27 Fri Nghỉ bù Tết Nguyên Đán
2023-04-29 Sat Giỗ Tổ Hùng Vương
2023-04-30 Sun Ngày Chiến thắng
2023-05-01 Mon Ngày Quốc tế Lao động
2023-05-02 Tue Nghỉ bù Giỗ Tổ Hùng Vương
2023-05-03 Wed Nghỉ bù Ngày Chiến thắng
2023-09-01 Fri Quốc khánh
2023-09-02 Sat Quốc khánh
2023-09-04 Mon Nghỉ bù Quốc khánh
`},
	{"2030 starts Tết on 1 February, the Vietnamese eve", 2030, `
2030-01-01 Tue Tết Dương lịch
2030-02-01 Fri Tết Nguyên Đán
2030-02-02 Sat Tết Nguyên Đán
2030-02-03 Sun Tết Nguyên Đán
2030-02-04 Mon Tết Nguyên Đán
2030-02-05 Tue Tết Nguyên Đán
2030-02-06 Wed Nghỉ bù Tết Nguyên Đán
2030-02-07 Thu Nghỉ bù Tết Nguyên Đán
2030-04-12 Fri Giỗ Tổ Hùng Vương
2030-04-30 Tue Ngày Chiến thắng
2030-05-01 Wed Ngày Quốc tế Lao động
2030-09-01 Sun Quốc khánh
2030-09-02 Mon Quốc khánh
2030-09-03 Tue Nghỉ bù Quốc khánh
`},
}

func TestRuleHolidaysFollowTheLabourCodeAndMakeUpWeekendDays(t *testing.T) {
	for _, tt := range ruleYears {
		t.Run(tt.name, func(t *testing.T) {
			got := holidayLines(RuleHolidays(tt.year))
			if want := strings.TrimPrefix(tt.want, "\n"); got != want {
				t.Fatalf("RuleHolidays(%d):\n%s\nwant:\n%s", tt.year, got, want)
			}
		})
	}
}

// TestRuleHolidaysOfEveryYearAreWellFormed checks 1900–2199: eleven days
// off plus one compensatory day per weekend or clashing holiday, sorted, distinct, in
// the year, at midnight VN, the compensatory ones on weekdays.
func TestRuleHolidaysOfEveryYearAreWellFormed(t *testing.T) {
	for year := MinYear; year <= MaxYear; year++ {
		hs := RuleHolidays(year)
		weekendDays, comp := 0, 0
		for i, h := range hs {
			if h.Date.Year() != year || h.Date.Location() != VN || h.Date.Hour() != 0 {
				t.Fatalf("%d: %s %s is not midnight VN of that year", year, h.Date, h.Name)
			}
			if i > 0 && !hs[i-1].Date.Before(h.Date) {
				t.Fatalf("%d: %s does not come after %s", year, h.Date.Format(dateLayout), hs[i-1].Date.Format(dateLayout))
			}
			if strings.HasPrefix(h.Name, compensatoryOf) {
				comp++
				if weekend(h.Date) {
					t.Fatalf("%d: compensatory day %s is a %s", year, h.Date.Format(dateLayout), h.Date.Weekday())
				}
			} else if weekend(h.Date) {
				weekendDays++
			}
		}
		// A Giỗ Tổ on 30/4 is listed once and made up like a weekend day.
		if clash := 11 - (len(hs) - comp); clash < 0 || clash > 1 || comp != weekendDays+clash {
			t.Fatalf("%d: %d holidays, %d compensatory for %d weekend holidays:\n%s", year, len(hs), comp, weekendDays, holidayLines(hs))
		}
	}
}

func TestRuleHolidaysPutTetOnTheLunarEveAndFirstFourDays(t *testing.T) {
	for _, tt := range newYears {
		first, _ := time.ParseInLocation(dateLayout, tt.tet, VN)
		var tet []string
		for _, h := range RuleHolidays(tt.year) {
			if h.Name == NameTet {
				tet = append(tet, h.Date.Format(dateLayout))
			}
		}
		want := []string{first.AddDate(0, 0, -1).Format(dateLayout), tt.tet}
		for i := 1; i <= 3; i++ {
			want = append(want, first.AddDate(0, 0, i).Format(dateLayout))
		}
		if strings.Join(tet, " ") != strings.Join(want, " ") {
			t.Errorf("Tết %d = %v, want %v", tt.year, tet, want)
		}
		if l := lunarOf(first.AddDate(0, 0, -1)); l.Month != 12 || l.Day < 29 {
			t.Errorf("Tết %d eve is %v, not the last day of month 12", tt.year, l)
		}
	}
}

func TestGioToOnTheThirtiethOfAprilIsListedOnceAndMadeUp(t *testing.T) {
	clashes := 0
	for year := MinYear; year <= MaxYear; year++ {
		y, m, d, _ := LunarToSolar(LunarDate{Day: 10, Month: 3, Year: year})
		if y != year || m != 4 || d != 30 {
			continue
		}
		clashes++
		hs := RuleHolidays(year)
		onThirtieth, madeUp := 0, 0
		for _, h := range hs {
			if h.Date.Equal(Date(year, time.April, 30)) {
				onThirtieth++
			}
			if h.Name == compensatoryOf+NameHungKings {
				madeUp++
			}
		}
		if onThirtieth != 1 || madeUp != 1 {
			t.Errorf("%d: 30/4 listed %d times, Giỗ Tổ made up %d times:\n%s", year, onThirtieth, madeUp, holidayLines(hs))
		}
	}
	if clashes == 0 {
		t.Fatal("no year of 1900-2199 has Giỗ Tổ on 30/4; the test checks nothing")
	}
}
