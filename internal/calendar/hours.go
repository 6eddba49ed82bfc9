package calendar

import (
	"errors"
	"fmt"
	"strings"
)

// Session is one opening span of a working day, in minutes since midnight:
// the office is open from Start (included) to End (excluded).
type Session struct {
	Start, End int
}

// OfficeHours are the opening sessions of every working day, in order, and
// the cut-off of the "same day" rule: a dossier received before
// SameDayCutoff (minutes since midnight) is due the same day.
type OfficeHours struct {
	Sessions      []Session
	SameDayCutoff int
}

// ErrHours is wrapped by every error of ParseHours, ParseClock and
// OfficeHours.Validate.
var ErrHours = errors.New("invalid office hours")

// maxSessions bounds the sessions of a day.
const maxSessions = 8

const minutesPerDay = 24 * 60

// DefaultHours are the usual hours of a commune office: 07:00–11:30 and
// 13:30–17:00 (8 working hours), same-day cut-off 15:00.
func DefaultHours() OfficeHours {
	return OfficeHours{
		Sessions:      []Session{{7 * 60, 11*60 + 30}, {13*60 + 30, 17 * 60}},
		SameDayCutoff: 15 * 60,
	}
}

// Validate reports whether h can drive a Calendar: 1–8 sessions, each
// non-empty, in order, not touching or overlapping, within 00:00–24:00, and a
// cut-off between midnight and the last closing.
func (h OfficeHours) Validate() error {
	if len(h.Sessions) == 0 {
		return fmt.Errorf("%w: no session", ErrHours)
	}
	if len(h.Sessions) > maxSessions {
		return fmt.Errorf("%w: %d sessions, more than %d", ErrHours, len(h.Sessions), maxSessions)
	}
	prevEnd := -1
	for _, s := range h.Sessions {
		if s.Start < 0 || s.End > minutesPerDay || s.Start >= s.End {
			return fmt.Errorf("%w: session %s", ErrHours, s)
		}
		if s.Start <= prevEnd {
			return fmt.Errorf("%w: session %s starts before the previous one ends", ErrHours, s)
		}
		prevEnd = s.End
	}
	if h.SameDayCutoff < 0 || h.SameDayCutoff > prevEnd {
		return fmt.Errorf("%w: same-day cut-off %s is not between 00:00 and the last closing %s",
			ErrHours, clock(h.SameDayCutoff), clock(prevEnd))
	}
	return nil
}

// MinutesPerDay is the working time of one working day.
func (h OfficeHours) MinutesPerDay() int {
	n := 0
	for _, s := range h.Sessions {
		n += s.End - s.Start
	}
	return n
}

// LastClosing is the end of the day's last session.
func (h OfficeHours) LastClosing() int {
	if len(h.Sessions) == 0 {
		return 0
	}
	return h.Sessions[len(h.Sessions)-1].End
}

// String writes the sessions as ParseHours reads them, e.g.
// "07:00-11:30,13:30-17:00" (the cut-off is not part of it).
func (h OfficeHours) String() string {
	parts := make([]string, len(h.Sessions))
	for i, s := range h.Sessions {
		parts[i] = s.String()
	}
	return strings.Join(parts, ",")
}

// String writes the session as "HH:MM-HH:MM".
func (s Session) String() string { return clock(s.Start) + "-" + clock(s.End) }

// ParseHours reads sessions written "07:00-11:30,13:30-17:00" (spaces
// around the parts are allowed; 24:00 is accepted as an end). The cut-off is
// DefaultHours' 15:00, or the last closing when that comes earlier; set
// SameDayCutoff afterwards (ParseClock) to change it.
func ParseHours(spec string) (OfficeHours, error) {
	if len(spec) > 200 {
		return OfficeHours{}, fmt.Errorf("%w: too long", ErrHours)
	}
	var h OfficeHours
	for _, part := range strings.Split(spec, ",") {
		a, b, ok := strings.Cut(strings.TrimSpace(part), "-")
		if !ok {
			return OfficeHours{}, fmt.Errorf("%w: %q is not HH:MM-HH:MM", ErrHours, part)
		}
		start, err := ParseClock(strings.TrimSpace(a))
		if err != nil {
			return OfficeHours{}, err
		}
		end, err := ParseClock(strings.TrimSpace(b))
		if err != nil {
			return OfficeHours{}, err
		}
		h.Sessions = append(h.Sessions, Session{Start: start, End: end})
		if len(h.Sessions) > maxSessions {
			return OfficeHours{}, fmt.Errorf("%w: more than %d sessions", ErrHours, maxSessions)
		}
	}
	h.SameDayCutoff = min(DefaultHours().SameDayCutoff, h.LastClosing())
	if err := h.Validate(); err != nil {
		return OfficeHours{}, err
	}
	return h, nil
}

// ParseClock reads a time of day "HH:MM" (two digits each, 00:00–24:00) as
// minutes since midnight.
func ParseClock(s string) (int, error) {
	if len(s) != 5 || s[2] != ':' || !isDigit(s[0]) || !isDigit(s[1]) || !isDigit(s[3]) || !isDigit(s[4]) {
		return 0, fmt.Errorf("%w: %q is not HH:MM", ErrHours, s)
	}
	hh := int(s[0]-'0')*10 + int(s[1]-'0')
	mm := int(s[3]-'0')*10 + int(s[4]-'0')
	if hh > 24 || mm > 59 || hh == 24 && mm != 0 {
		return 0, fmt.Errorf("%w: no such time %q", ErrHours, s)
	}
	return hh*60 + mm, nil
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// clock writes minutes since midnight as "HH:MM".
func clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }
