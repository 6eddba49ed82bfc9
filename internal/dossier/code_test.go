package dossier

import (
	"errors"
	"testing"
	"time"
)

var codeCases = []struct {
	name string
	in   string
	ok   bool
}{
	{"example from the portal", "000.00.06.H56-231027-0361", true},
	{"short agency", "G22-260101-1001", true},
	{"lower case is accepted", "000.00.06.h56-231027-0361", true},
	{"surrounding spaces", "  000.00.06.H56-231027-0361\n", true},
	{"no number", "000.00.06.H56-231027", false},
	{"number too short", "000.00.06.H56-231027-361", false},
	{"number zero", "000.00.06.H56-231027-0000", false},
	{"no such day", "000.00.06.H56-230230-0001", false},
	{"letters in date", "000.00.06.H56-23A027-0001", false},
	{"empty agency group", "000..06.H56-231027-0001", false},
	{"agency with dash-like char", "000.00.06.H_6-231027-0001", false},
	{"empty", "", false},
}

func TestParseCode(t *testing.T) {
	for _, tt := range codeCases {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseCode(tt.in)
			if tt.ok != (err == nil) {
				t.Fatalf("ParseCode(%q) error = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrCode) {
				t.Fatalf("error %v does not wrap ErrCode", err)
			}
			if err == nil {
				back, err := ParseCode(c.String())
				if err != nil || back.String() != c.String() {
					t.Fatalf("round trip %q -> %q -> %v", tt.in, c.String(), err)
				}
			}
		})
	}
}

func TestCodeFields(t *testing.T) {
	c, err := ParseCode("000.00.06.H56-231027-0361")
	if err != nil {
		t.Fatal(err)
	}
	if c.Agency != "000.00.06.H56" || c.Number != 361 || c.Day.Format("2006-01-02") != "2023-10-27" {
		t.Fatalf("fields: %+v", c)
	}
}

func TestTwoDeviceSlotsNeverCollide(t *testing.T) {
	day := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	seen := map[string]int{}
	for slot := 1; slot <= 9; slot++ {
		for seq := 1; seq <= MaxSeq; seq++ {
			c, err := NewCode("000.00.06.H56", day, slot, seq)
			if err != nil {
				t.Fatal(err)
			}
			if prev, dup := seen[c.String()]; dup {
				t.Fatalf("slot %d seq %d repeats the code of slot %d: %s", slot, seq, prev, c)
			}
			seen[c.String()] = slot
			if c.Slot() != slot {
				t.Fatalf("Slot() = %d, want %d", c.Slot(), slot)
			}
		}
	}
}

func TestNewCodeRejectsOutOfRange(t *testing.T) {
	day := time.Now()
	for _, tc := range []struct{ slot, seq int }{{10, 1}, {-1, 1}, {1, 0}, {1, 1000}} {
		if _, err := NewCode("G22", day, tc.slot, tc.seq); err == nil {
			t.Errorf("NewCode(slot %d, seq %d) accepted", tc.slot, tc.seq)
		}
	}
}

func FuzzParseCode(f *testing.F) {
	for _, tt := range codeCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := ParseCode(s)
		if err != nil {
			return
		}
		back, err := ParseCode(c.String())
		if err != nil {
			t.Fatalf("ParseCode(%q) ok but its String %q does not parse: %v", s, c.String(), err)
		}
		if back != c {
			t.Fatalf("round trip changed %+v to %+v", c, back)
		}
	})
}
