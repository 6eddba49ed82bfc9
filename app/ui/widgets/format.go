package widgets

import (
	"strconv"
	"time"

	"fyne.io/fyne/v2/lang"
)

// Zone is Vietnam's time (UTC+7, no daylight saving). Dates and times are
// shown in it whatever the zone of the time.Time or of the PC.
var Zone = time.FixedZone("ICT", 7*3600)

// Thousands formats n with Vietnamese thousands separators: 1234567 →
// "1.234.567".
func Thousands(n int64) string {
	neg := n < 0
	if neg {
		n = -n
	}
	s := strconv.FormatInt(n, 10)
	out := make([]byte, 0, len(s)+len(s)/3+1)
	if neg {
		out = append(out, '-')
	}
	for i := 0; i < len(s); i++ {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, '.')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// Money formats an amount of đồng: "50.000 đồng", or "Miễn phí" for 0.
func Money(vnd int64) string {
	if vnd == 0 {
		return lang.L("money.free")
	}
	return T("money.vnd", map[string]any{"Amount": Thousands(vnd)})
}

// Weekday names the day in the current language: "thứ Hai", "Chủ nhật".
func Weekday(d time.Weekday) string {
	return lang.L("weekday." + strconv.Itoa(int(d)))
}

// Date formats t as dd/mm/yyyy in Vietnam's time; "" for the zero time.
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone).Format("02/01/2006")
}

// DateTime formats t as "hh:mm dd/mm/yyyy", the way receipts print the
// reception time; "" for the zero time.
func DateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Zone).Format("15:04 02/01/2006")
}

// Appointment formats an appointment with its weekday:
// "17:00 thứ Hai, 24/11/2026"; "" for the zero time.
func Appointment(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(Zone)
	return T("datetime.appointment", map[string]any{
		"Time": t.Format("15:04"), "Weekday": Weekday(t.Weekday()), "Date": t.Format("02/01/2006"),
	})
}
