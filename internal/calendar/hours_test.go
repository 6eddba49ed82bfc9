package calendar

import (
	"errors"
	"testing"
)

var hoursCases = []struct {
	name string
	in   string
	want string // String() of the result; "" when the spec is refused
}{
	{"the default hours", "07:00-11:30,13:30-17:00", "07:00-11:30,13:30-17:00"},
	{"spaces around the parts", " 07:30 - 11:30 , 13:00-16:30 ", "07:30-11:30,13:00-16:30"},
	{"one session", "08:00-16:00", "08:00-16:00"},
	{"a session ending at midnight", "20:00-24:00", "20:00-24:00"},
	{"empty", "", ""},
	{"missing dash", "07:00 11:30", ""},
	{"one-digit hour", "7:00-11:30", ""},
	{"minute 60", "07:60-11:30", ""},
	{"hour 25", "07:00-25:00", ""},
	{"24:30", "07:00-24:30", ""},
	{"empty session", "07:00-07:00", ""},
	{"reversed session", "11:30-07:00", ""},
	{"sessions out of order", "13:30-17:00,07:00-11:30", ""},
	{"overlapping sessions", "07:00-12:00,11:30-17:00", ""},
	{"touching sessions", "07:00-11:30,11:30-17:00", ""},
	{"trailing comma", "07:00-11:30,", ""},
	{"nine sessions", "01:00-01:10,02:00-02:10,03:00-03:10,04:00-04:10,05:00-05:10,06:00-06:10,07:00-07:10,08:00-08:10,09:00-09:10", ""},
}

func TestParseHoursReadsSessionsAndRefusesNonsense(t *testing.T) {
	for _, tt := range hoursCases {
		t.Run(tt.name, func(t *testing.T) {
			h, err := ParseHours(tt.in)
			if (tt.want == "") != (err != nil) {
				t.Fatalf("ParseHours(%q) = %v, %v; want %q", tt.in, h, err, tt.want)
			}
			if err != nil {
				if !errors.Is(err, ErrHours) {
					t.Fatalf("error %v does not wrap ErrHours", err)
				}
				return
			}
			if h.String() != tt.want {
				t.Fatalf("ParseHours(%q) = %q, want %q", tt.in, h.String(), tt.want)
			}
		})
	}
}

func TestParseHoursKeepsTheCutoffBeforeTheLastClosing(t *testing.T) {
	for _, tt := range []struct {
		in     string
		cutoff int
	}{
		{"07:00-11:30,13:30-17:00", 15 * 60},
		{"07:00-11:00", 11 * 60},
	} {
		h, err := ParseHours(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if h.SameDayCutoff != tt.cutoff {
			t.Errorf("ParseHours(%q).SameDayCutoff = %s, want %s", tt.in, clock(h.SameDayCutoff), clock(tt.cutoff))
		}
	}
}

func TestDefaultHoursAreEightHoursWithACutoffAtThree(t *testing.T) {
	h := DefaultHours()
	parsed, err := ParseHours("07:00-11:30,13:30-17:00")
	if err != nil {
		t.Fatal(err)
	}
	if h.String() != parsed.String() || h.SameDayCutoff != parsed.SameDayCutoff {
		t.Fatalf("DefaultHours() = %v cut-off %s", h, clock(h.SameDayCutoff))
	}
	if h.MinutesPerDay() != 480 || h.LastClosing() != 17*60 {
		t.Fatalf("MinutesPerDay = %d, LastClosing = %s", h.MinutesPerDay(), clock(h.LastClosing()))
	}
}

func TestValidateRefusesACutoffAfterClosing(t *testing.T) {
	h := DefaultHours()
	h.SameDayCutoff = 17*60 + 1
	if err := h.Validate(); !errors.Is(err, ErrHours) {
		t.Fatalf("Validate() = %v", err)
	}
}

func TestParseClockReadsHHMM(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
		ok   bool
	}{
		{"15:00", 900, true},
		{"00:00", 0, true},
		{"24:00", 1440, true},
		{"23:59", 1439, true},
		{"1500", 0, false},
		{"15:0", 0, false},
		{"-1:00", 0, false},
		{"15:00 ", 0, false},
	} {
		got, err := ParseClock(tt.in)
		if tt.ok != (err == nil) || got != tt.want {
			t.Errorf("ParseClock(%q) = %d, %v; want %d ok=%v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}

func FuzzParseHours(f *testing.F) {
	for _, tt := range hoursCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := ParseHours(s)
		if err != nil {
			return
		}
		if err := h.Validate(); err != nil {
			t.Fatalf("ParseHours(%q) returned invalid hours: %v", s, err)
		}
		back, err := ParseHours(h.String())
		if err != nil || back.String() != h.String() || back.SameDayCutoff != h.SameDayCutoff {
			t.Fatalf("round trip %q -> %q -> %v, %v", s, h.String(), back, err)
		}
	})
}
