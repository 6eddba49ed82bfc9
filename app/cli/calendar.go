package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/calendar"
)

const calendarUsage = `usage: motcua calendar holidays YEAR
       motcua calendar lunar YYYY-MM-DD
       motcua calendar due --from YYYY-MM-DDTHH:MM (--days N | --hours N | --same-day-rule)

holidays  lists each day off of YEAR (official table if installed, else the
          Labour Code rules), one "YYYY-MM-DD<TAB>name" line per day
lunar     prints the Vietnamese lunar date of a day: D/M/YYYY, D/M*/YYYY in a
          leap month
due       prints when a deadline counted in working time from --from ends
          (times are Vietnam time, UTC+7)
`

// Bounds on what the calendar subcommand accepts: statutory deadlines are
// days or weeks, never years.
const (
	maxDueDays  = 3650
	maxDueHours = maxDueDays * 24
	dayLayout   = "2006-01-02"
	timeLayout  = "2006-01-02T15:04"
)

// Calendar runs "motcua calendar …": holiday lists, lunar dates and due
// dates, as cal computes them. It returns 0 on success, 1 on bad input (one
// line on stderr), 2 on a usage error.
func Calendar(args []string, stdout, stderr io.Writer, cal *calendar.Calendar) int {
	if len(args) == 0 {
		return calendarUsageError(stderr, "missing subcommand")
	}
	switch args[0] {
	case "holidays":
		return calendarHolidays(args[1:], stdout, stderr, cal)
	case "lunar":
		return calendarLunar(args[1:], stdout, stderr)
	case "due":
		return calendarDue(args[1:], stdout, stderr, cal)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, calendarUsage)
		return 0
	}
	return calendarUsageError(stderr, fmt.Sprintf("unknown subcommand %q", args[0]))
}

func calendarHolidays(args []string, stdout, stderr io.Writer, cal *calendar.Calendar) int {
	if len(args) != 1 {
		return calendarUsageError(stderr, "holidays takes one YEAR")
	}
	year, err := strconv.Atoi(args[0])
	if err != nil || year < calendar.MinYear || year > calendar.MaxYear {
		return calendarBadInput(stderr, fmt.Sprintf("year %q is not a number from %d to %d", args[0], calendar.MinYear, calendar.MaxYear))
	}
	for _, h := range cal.Holidays(year) {
		fmt.Fprintf(stdout, "%s\t%s\n", h.Date.Format(dayLayout), h.Name)
	}
	return 0
}

func calendarLunar(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 {
		return calendarUsageError(stderr, "lunar takes one YYYY-MM-DD")
	}
	d, err := time.ParseInLocation(dayLayout, args[0], calendar.VN)
	if err != nil || d.Format(dayLayout) != args[0] {
		return calendarBadInput(stderr, fmt.Sprintf("date %q is not a day written YYYY-MM-DD", args[0]))
	}
	if d.Year() < calendar.MinYear || d.Year() > calendar.MaxYear {
		return calendarBadInput(stderr, fmt.Sprintf("date %s is outside %d-%d", args[0], calendar.MinYear, calendar.MaxYear))
	}
	fmt.Fprintln(stdout, calendar.SolarToLunar(d.Year(), int(d.Month()), d.Day()))
	return 0
}

func calendarDue(args []string, stdout, stderr io.Writer, cal *calendar.Calendar) int {
	fs := flag.NewFlagSet("motcua calendar due", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, calendarUsage) }
	from := fs.String("from", "", "receipt time, YYYY-MM-DDTHH:MM (Vietnam time)")
	days := fs.Int("days", 0, "deadline in working days")
	hours := fs.Int("hours", 0, "deadline in working hours")
	sameDay := fs.Bool("same-day-rule", false, "same day, next working day after the cut-off")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2 // the flag package has printed the error and the usage
	}
	if fs.NArg() != 0 {
		return calendarUsageError(stderr, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if !set["from"] {
		return calendarUsageError(stderr, "due needs --from")
	}
	modes := 0
	for _, name := range []string{"days", "hours", "same-day-rule"} {
		if set[name] {
			modes++
		}
	}
	if modes != 1 {
		return calendarUsageError(stderr, "due needs exactly one of --days, --hours, --same-day-rule")
	}
	start, err := time.ParseInLocation(timeLayout, *from, calendar.VN)
	if err != nil || start.Format(timeLayout) != *from {
		return calendarBadInput(stderr, fmt.Sprintf("--from %q is not YYYY-MM-DDTHH:MM", *from))
	}
	if start.Year() < calendar.MinYear || start.Year() > calendar.MaxYear {
		return calendarBadInput(stderr, fmt.Sprintf("--from %s is outside %d-%d", *from, calendar.MinYear, calendar.MaxYear))
	}
	var due time.Time
	switch {
	case set["days"]:
		if *days < 0 || *days > maxDueDays {
			return calendarBadInput(stderr, fmt.Sprintf("--days %d is not from 0 to %d", *days, maxDueDays))
		}
		due = cal.AddWorkingDays(start, *days)
	case set["hours"]:
		if *hours < 0 || *hours > maxDueHours {
			return calendarBadInput(stderr, fmt.Sprintf("--hours %d is not from 0 to %d", *hours, maxDueHours))
		}
		due = cal.AddWorkingHours(start, *hours)
	case *sameDay:
		due = cal.SameDay(start)
	default: // --same-day-rule=false
		return calendarUsageError(stderr, "--same-day-rule=false asks for no rule")
	}
	fmt.Fprintln(stdout, due.Format(timeLayout))
	return 0
}

func calendarUsageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "motcua calendar: %s\n%s", msg, calendarUsage)
	return 2
}

func calendarBadInput(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "motcua calendar: %s\n", msg)
	return 1
}
