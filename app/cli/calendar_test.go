package cli

import (
	"bytes"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/calendar"
)

var calendarCases = []struct {
	name   string
	args   []string
	status int
	stdout string
}{
	{"holidays lists each day off of 2026 with its compensatory day", []string{"holidays", "2026"}, 0, `2026-01-01	Tết Dương lịch
2026-02-16	Tết Nguyên Đán
2026-02-17	Tết Nguyên Đán
2026-02-18	Tết Nguyên Đán
2026-02-19	Tết Nguyên Đán
2026-02-20	Tết Nguyên Đán
2026-04-26	Giỗ Tổ Hùng Vương
2026-04-27	Nghỉ bù Giỗ Tổ Hùng Vương
2026-04-30	Ngày Chiến thắng
2026-05-01	Ngày Quốc tế Lao động
2026-09-01	Quốc khánh
2026-09-02	Quốc khánh
`},
	{"holidays makes up the weekend days of Tết 2027 after the block", []string{"holidays", "2027"}, 0, `2027-01-01	Tết Dương lịch
2027-02-05	Tết Nguyên Đán
2027-02-06	Tết Nguyên Đán
2027-02-07	Tết Nguyên Đán
2027-02-08	Tết Nguyên Đán
2027-02-09	Tết Nguyên Đán
2027-02-10	Nghỉ bù Tết Nguyên Đán
2027-02-11	Nghỉ bù Tết Nguyên Đán
2027-04-16	Giỗ Tổ Hùng Vương
2027-04-30	Ngày Chiến thắng
2027-05-01	Ngày Quốc tế Lao động
2027-05-03	Nghỉ bù Ngày Quốc tế Lao động
2027-09-01	Quốc khánh
2027-09-02	Quốc khánh
`},
	{"lunar gives Tết 2030 on 2 February, Vietnam time", []string{"lunar", "2030-02-02"}, 0, "1/1/2030\n"},
	{"lunar gives the eve of Tết 2030", []string{"lunar", "2030-02-01"}, 0, "29/12/2029\n"},
	{"lunar stars a leap month", []string{"lunar", "2020-05-23"}, 0, "1/4*/2020\n"},
	{"due: Monday 09:00 plus 3 days is Thursday 09:00", []string{"due", "--from", "2026-11-23T09:00", "--days", "3"}, 0, "2026-11-26T09:00\n"},
	{"due: Monday 07:00 plus 1 day is Monday 17:00", []string{"due", "--from", "2026-11-23T07:00", "--days", "1"}, 0, "2026-11-23T17:00\n"},
	{"due: Monday 18:00 plus 1 day is Tuesday 17:00", []string{"due", "--from", "2026-11-23T18:00", "--days", "1"}, 0, "2026-11-24T17:00\n"},
	{"due: Friday 16:00 plus 1 day is Monday 16:00", []string{"due", "--from", "2026-11-27T16:00", "--days", "1"}, 0, "2026-11-30T16:00\n"},
	{"due: a deadline spanning Tết 2026 skips it", []string{"due", "--from", "2026-02-13T09:00", "--days", "3"}, 0, "2026-02-25T09:00\n"},
	{"due: hours end at the morning closing", []string{"due", "-from=2026-11-23T10:30", "-hours=1"}, 0, "2026-11-23T11:30\n"},
	{"due: same day before the cut-off", []string{"due", "--from", "2026-11-23T14:59", "--same-day-rule"}, 0, "2026-11-23T17:00\n"},
	{"due: same day at the cut-off is the next working day", []string{"due", "--from", "2026-11-23T15:00", "--same-day-rule"}, 0, "2026-11-24T17:00\n"},
	{"due: same day on a Saturday is Monday", []string{"due", "--from", "2026-11-28T09:00", "--same-day-rule"}, 0, "2026-11-30T17:00\n"},

	{"no subcommand is a usage error", nil, 2, ""},
	{"unknown subcommand is a usage error", []string{"moon"}, 2, ""},
	{"holidays without a year is a usage error", []string{"holidays"}, 2, ""},
	{"holidays with two years is a usage error", []string{"holidays", "2026", "2027"}, 2, ""},
	{"holidays of a word is bad input", []string{"holidays", "next"}, 1, ""},
	{"holidays out of range is bad input", []string{"holidays", "1800"}, 1, ""},
	{"lunar of no such day is bad input", []string{"lunar", "2026-02-30"}, 1, ""},
	{"lunar of a day without leading zeros is bad input", []string{"lunar", "2026-2-3"}, 1, ""},
	{"lunar out of range is bad input", []string{"lunar", "2200-01-01"}, 1, ""},
	{"due without --from is a usage error", []string{"due", "--days", "1"}, 2, ""},
	{"due without a rule is a usage error", []string{"due", "--from", "2026-11-23T09:00"}, 2, ""},
	{"due with two rules is a usage error", []string{"due", "--from", "2026-11-23T09:00", "--days", "1", "--hours", "2"}, 2, ""},
	{"due with an unknown flag is a usage error", []string{"due", "--from", "2026-11-23T09:00", "--weeks", "1"}, 2, ""},
	{"due with a non-number of days is a usage error", []string{"due", "--from", "2026-11-23T09:00", "--days", "x"}, 2, ""},
	{"due with a stray argument is a usage error", []string{"due", "--from", "2026-11-23T09:00", "--days", "1", "now"}, 2, ""},
	{"due from a malformed time is bad input", []string{"due", "--from", "2026-11-23 09:00", "--days", "1"}, 1, ""},
	{"due from a one-digit hour is bad input", []string{"due", "--from", "2026-11-23T9:00", "--days", "1"}, 1, ""},
	{"due with negative days is bad input", []string{"due", "--from", "2026-11-23T09:00", "--days", "-1"}, 1, ""},
	{"due with ten thousand days is bad input", []string{"due", "--from", "2026-11-23T09:00", "--days", "10000"}, 1, ""},
}

func TestCalendarCommandPrintsExactly(t *testing.T) {
	cal := calendar.New(calendar.DefaultHours())
	for _, tt := range calendarCases {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			status := Calendar(tt.args, &stdout, &stderr, cal)
			if status != tt.status {
				t.Fatalf("status %d, want %d; stderr:\n%s", status, tt.status, stderr.String())
			}
			if stdout.String() != tt.stdout {
				t.Fatalf("stdout:\n%s\nwant:\n%s", stdout.String(), tt.stdout)
			}
			switch status {
			case 0:
				if stderr.Len() != 0 {
					t.Fatalf("stderr on success: %s", stderr.String())
				}
			case 1:
				if lines := strings.Count(stderr.String(), "\n"); lines != 1 || !strings.HasPrefix(stderr.String(), "motcua calendar: ") {
					t.Fatalf("bad input must give one line of reason, got:\n%s", stderr.String())
				}
			case 2:
				if !strings.Contains(stderr.String(), "usage: motcua calendar") {
					t.Fatalf("usage error without the usage:\n%s", stderr.String())
				}
			}
		})
	}
}

func TestCalendarCommandUsesTheOfficialTable(t *testing.T) {
	tab, err := calendar.ParseYearTable([]byte(`{"year":2026,
		"holidays":[{"date":"2026-01-01","name":"Tết Dương lịch"},{"date":"2026-01-02","name":"Nghỉ hoán đổi"}],
		"working_days":["2026-01-10"]}`))
	if err != nil {
		t.Fatal(err)
	}
	cal := calendar.New(calendar.DefaultHours(), tab)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"holidays", "2026"}, "2026-01-01\tTết Dương lịch\n2026-01-02\tNghỉ hoán đổi\n"},
		{[]string{"due", "--from", "2026-01-09T16:00", "--days", "1"}, "2026-01-10T16:00\n"},
		{[]string{"due", "--from", "2025-12-31T16:00", "--same-day-rule"}, "2026-01-05T17:00\n"},
	} {
		var stdout, stderr bytes.Buffer
		if status := Calendar(tt.args, &stdout, &stderr, cal); status != 0 || stdout.String() != tt.want {
			t.Errorf("%v: status %d, stdout %q, want %q; stderr %s", tt.args, status, stdout.String(), tt.want, stderr.String())
		}
	}
}

func TestCalendarHelpGoesToStdout(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if status := Calendar([]string{"help"}, &stdout, &stderr, calendar.New(calendar.DefaultHours())); status != 0 {
		t.Fatalf("status %d", status)
	}
	if !strings.HasPrefix(stdout.String(), "usage: motcua calendar") || stderr.Len() != 0 {
		t.Fatalf("stdout %q stderr %q", stdout.String(), stderr.String())
	}
}
