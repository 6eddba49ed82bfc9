package calendar

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

const minuteLayout = "2006-01-02T15:04"

// at reads "2006-01-02T15:04" in VN.
func at(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.ParseInLocation(minuteLayout, s, VN)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// In November 2026, 23 is a Monday; in February 2026 Tết (rules) is off
// from Monday 16 to Friday 20; in February 2027 Tết is off from Friday 5 to
// Tuesday 9 and made up on Wednesday 10 and Thursday 11.
var dueCases = []struct {
	name  string
	from  string
	unit  string // "days", "hours", "minutes"
	n     int
	want  string
	table bool // use testdata/table-2026-example.json
}{
	{"Monday 09:00 plus 3 days is Thursday 09:00", "2026-11-23T09:00", "days", 3, "2026-11-26T09:00", false},
	{"Monday 07:00 plus 1 day ends at Monday's closing", "2026-11-23T07:00", "days", 1, "2026-11-23T17:00", false},
	{"before opening counts from the opening", "2026-11-23T06:00", "days", 1, "2026-11-23T17:00", false},
	{"Monday 18:00 plus 1 day is Tuesday 17:00", "2026-11-23T18:00", "days", 1, "2026-11-24T17:00", false},
	{"Monday 17:00 exactly plus 1 day is Tuesday 17:00", "2026-11-23T17:00", "days", 1, "2026-11-24T17:00", false},
	{"Friday 16:00 plus 1 day is Monday 16:00", "2026-11-27T16:00", "days", 1, "2026-11-30T16:00", false},
	{"Saturday plus 1 day is Monday 17:00", "2026-11-28T10:00", "days", 1, "2026-11-30T17:00", false},
	{"plus 0 days is the next opening", "2026-11-23T17:00", "days", 0, "2026-11-24T07:00", false},
	{"plus 0 days during office hours is the instant itself", "2026-11-23T09:10", "days", 0, "2026-11-23T09:10", false},
	{"10:30 plus 1 hour ends at the morning closing, not after lunch", "2026-11-23T10:30", "hours", 1, "2026-11-23T11:30", false},
	{"10:30 plus 2 hours skips lunch", "2026-11-23T10:30", "hours", 2, "2026-11-23T14:30", false},
	{"received at lunch counts from 13:30", "2026-11-23T12:00", "hours", 4, "2026-11-24T07:30", false},
	{"16:59 plus 1 minute is the closing", "2026-11-23T16:59", "minutes", 1, "2026-11-23T17:00", false},
	{"16:59 plus 2 minutes is the next morning", "2026-11-23T16:59", "minutes", 2, "2026-11-24T07:01", false},
	{"plus 40 hours is 5 days", "2026-11-23T09:00", "hours", 40, "2026-11-30T09:00", false},
	{"a deadline spanning Tết 2026 skips the whole block", "2026-02-13T09:00", "days", 3, "2026-02-25T09:00", false},
	{"a deadline received during Tết 2026 starts after it", "2026-02-18T09:00", "days", 1, "2026-02-23T17:00", false},
	{"a deadline spanning Tết 2027 skips the compensatory days too", "2027-02-04T09:00", "days", 2, "2027-02-15T09:00", false},
	{"Giỗ Tổ 2026 on Sunday is made up on Monday", "2026-04-24T16:00", "days", 1, "2026-04-28T16:00", false},
	{"30/4 and 1/5 2026 are skipped", "2026-04-29T09:00", "days", 1, "2026-05-04T09:00", false},
	{"New Year 2026 is skipped", "2025-12-31T09:00", "days", 1, "2026-01-02T09:00", false},
	{"a swapped working Saturday of the official table counts", "2026-01-09T16:00", "days", 1, "2026-01-10T16:00", true},
	{"the weekday swapped away by the official table is off", "2025-12-31T16:00", "days", 1, "2026-01-05T16:00", true},
	{"the official Tết block, weekends listed, is off", "2026-02-13T09:00", "days", 1, "2026-02-23T09:00", true},
}

func TestDueDatesCountWorkingTimeFromTheReceipt(t *testing.T) {
	plain := New(DefaultHours())
	official := New(DefaultHours(), exampleTable(t))
	for _, tt := range dueCases {
		t.Run(tt.name, func(t *testing.T) {
			c := plain
			if tt.table {
				c = official
			}
			from := at(t, tt.from)
			var got time.Time
			switch tt.unit {
			case "days":
				got = c.AddWorkingDays(from, tt.n)
			case "hours":
				got = c.AddWorkingHours(from, tt.n)
			case "minutes":
				got = c.AddWorkingMinutes(from, tt.n)
			}
			if got.Format(minuteLayout) != tt.want || got.Location() != VN {
				t.Fatalf("%s + %d %s = %s (%s), want %s", tt.from, tt.n, tt.unit, got.Format(minuteLayout), got.Location(), tt.want)
			}
			if tt.n > 0 {
				if w := c.WorkingMinutesBetween(from, got); w != tt.n*map[string]int{"days": 480, "hours": 60, "minutes": 1}[tt.unit] {
					t.Fatalf("WorkingMinutesBetween(%s, %s) = %d", tt.from, tt.want, w)
				}
			}
		})
	}
}

func TestDueDatesConvertOtherZonesToVietnam(t *testing.T) {
	c := New(DefaultHours())
	from := time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC) // Monday 09:00 in Hanoi
	got := c.AddWorkingDays(from, 3)
	if got.Location() != VN || got.Format(minuteLayout) != "2026-11-26T09:00" {
		t.Fatalf("got %s", got)
	}
	// Sunday 22:00 UTC is Monday 05:00 in Hanoi: a working day.
	if !c.IsWorkingDay(time.Date(2026, 11, 22, 22, 0, 0, 0, time.UTC)) {
		t.Fatal("Sunday 22:00 UTC is Monday in Hanoi")
	}
}

var sameDayCases = []struct {
	name, from, want string
}{
	{"received at 14:59 is due at 17:00 the same day", "2026-11-23T14:59", "2026-11-23T17:00"},
	{"received before opening is due the same day", "2026-11-23T06:30", "2026-11-23T17:00"},
	{"received at 15:00 is due the next working day", "2026-11-23T15:00", "2026-11-24T17:00"},
	{"received after closing is due the next working day", "2026-11-23T17:30", "2026-11-24T17:00"},
	{"received Friday after the cut-off is due Monday", "2026-11-27T15:30", "2026-11-30T17:00"},
	{"received on Saturday is due Monday", "2026-11-28T09:00", "2026-11-30T17:00"},
	{"received on a compensatory day is due the day after", "2026-04-27T09:00", "2026-04-28T17:00"},
	{"received the Friday before Tết after the cut-off is due after Tết", "2026-02-13T16:00", "2026-02-23T17:00"},
}

func TestSameDayRuleUsesTheCutoff(t *testing.T) {
	c := New(DefaultHours())
	for _, tt := range sameDayCases {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.SameDay(at(t, tt.from)).Format(minuteLayout); got != tt.want {
				t.Fatalf("SameDay(%s) = %s, want %s", tt.from, got, tt.want)
			}
		})
	}
}

func TestNextOpeningSkipsClosedTime(t *testing.T) {
	c := New(DefaultHours())
	for _, tt := range []struct{ name, in, want string }{
		{"open at opening", "2026-11-23T07:00", "2026-11-23T07:00"},
		{"morning closing is closed", "2026-11-23T11:30", "2026-11-23T13:30"},
		{"evening closing is closed", "2026-11-23T17:00", "2026-11-24T07:00"},
		{"Saturday waits for Monday", "2026-11-28T08:00", "2026-11-30T07:00"},
		{"Tết waits for the first day after it", "2026-02-15T08:00", "2026-02-23T07:00"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.NextOpening(at(t, tt.in)).Format(minuteLayout); got != tt.want {
				t.Fatalf("NextOpening(%s) = %s, want %s", tt.in, got, tt.want)
			}
		})
	}
}

func TestWorkingMinutesBetweenCountsOnlyOfficeTime(t *testing.T) {
	c := New(DefaultHours())
	for _, tt := range []struct {
		name, a, b string
		want       int
	}{
		{"a whole day", "2026-11-23T07:00", "2026-11-23T17:00", 480},
		{"across lunch", "2026-11-23T11:00", "2026-11-23T14:00", 60},
		{"across a weekend", "2026-11-27T16:00", "2026-11-30T16:00", 480},
		{"backwards is negative", "2026-11-26T09:00", "2026-11-23T09:00", -1440},
		{"night time counts nothing", "2026-11-23T17:00", "2026-11-24T07:00", 0},
		{"Tết counts nothing", "2026-02-14T00:00", "2026-02-23T00:00", 0},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.WorkingMinutesBetween(at(t, tt.a), at(t, tt.b)); got != tt.want {
				t.Fatalf("WorkingMinutesBetween(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

// TestAddingThenMeasuringGivesBackTheDeadline checks AddWorkingMinutes
// against WorkingMinutesBetween, which counts independently, for receipts
// every 37 minutes through Tết 2026 and several deadlines.
func TestAddingThenMeasuringGivesBackTheDeadline(t *testing.T) {
	c := New(DefaultHours())
	for from := at(t, "2026-02-10T00:00"); from.Before(at(t, "2026-02-25T00:00")); from = from.Add(37 * time.Minute) {
		for _, n := range []int{1, 59, 210, 480, 1440, 4800} {
			due := c.AddWorkingMinutes(from, n)
			if got := c.WorkingMinutesBetween(from, due); got != n {
				t.Fatalf("%s + %d min = %s, but %d working minutes lie between", from.Format(minuteLayout), n, due.Format(minuteLayout), got)
			}
			if !c.IsWorkingDay(due) {
				t.Fatalf("%s + %d min ends on a day off: %s", from.Format(minuteLayout), n, due.Format(minuteLayout))
			}
		}
	}
}

func TestOfficialTableOverridesTheRules(t *testing.T) {
	c := New(DefaultHours())
	if !c.IsWorkingDay(Date(2026, 1, 2)) || c.IsWorkingDay(Date(2026, 1, 10)) {
		t.Fatal("without a table, Friday 2/1 works and Saturday 10/1 is off")
	}
	if c.IsWorkingDay(Date(2026, 2, 16)) || !c.IsWorkingDay(Date(2026, 2, 23)) {
		t.Fatal("without a table, the Tết rules apply")
	}
	c.SetTable(exampleTable(t))
	if c.IsWorkingDay(Date(2026, 1, 2)) || !c.IsWorkingDay(Date(2026, 1, 10)) {
		t.Fatal("with the table, Friday 2/1 is off and Saturday 10/1 works")
	}
	if got, want := len(c.Holidays(2026)), 17; got != want {
		t.Fatalf("Holidays(2026) has %d days, want the table's %d", got, want)
	}
	if tab, ok := c.Table(2026); !ok || tab.Year != 2026 {
		t.Fatal("Table(2026) missing")
	}
	if _, ok := c.Table(2027); ok {
		t.Fatal("Table(2027) present")
	}
	if got := holidayLines(c.Holidays(2027)); got != holidayLines(RuleHolidays(2027)) {
		t.Fatalf("2027 has no table but Holidays(2027) =\n%s", got)
	}
}

func TestHolidaysReturnsACopy(t *testing.T) {
	c := New(DefaultHours())
	hs := c.Holidays(2026)
	hs[0].Name = "changed"
	if c.Holidays(2026)[0].Name != NameNewYear {
		t.Fatal("Holidays shares its slice with the calendar")
	}
}

func TestNewPanicsOnInvalidHours(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("New accepted office hours without a session")
		}
	}()
	New(OfficeHours{})
}

func TestCalendarIsSafeForConcurrentUse(t *testing.T) {
	c := New(DefaultHours())
	tab := exampleTable(t)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 50 {
				if i == 0 {
					c.SetTable(tab)
				}
				c.AddWorkingDays(Date(2020+j%10, 2, 1), 5)
				_ = c.Holidays(2026)
			}
		}()
	}
	wg.Wait()
	if c.IsWorkingDay(Date(2026, 1, 2)) {
		t.Fatal("the table set concurrently is not in force")
	}
}

func BenchmarkAddWorkingDays(b *testing.B) {
	c := New(DefaultHours())
	from := time.Date(2026, 2, 10, 9, 0, 0, 0, VN)
	i := 0
	for b.Loop() {
		c.AddWorkingDays(from.Add(time.Duration(i%1000)*time.Hour), 15)
		i++
	}
}

func ExampleCalendar_AddWorkingDays() {
	c := New(DefaultHours())
	received := time.Date(2026, 11, 27, 16, 0, 0, 0, VN) // a Friday
	fmt.Println(c.AddWorkingDays(received, 1).Format("Mon 2006-01-02 15:04"))
	// Output: Mon 2026-11-30 16:00
}
