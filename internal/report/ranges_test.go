package report_test

import (
	"errors"
	"testing"

	"github.com/motcua/motcua/internal/report"
)

func TestQuickRangesAreWholeCalendarPeriodsInVietnamTime(t *testing.T) {
	// 23:30 UTC on 31/12/2026 is already 1/1/2027 in Vietnam
	now := vn("2027-01-01T06:30")
	tests := []struct{ choice, first, last string }{
		{report.RangeThisMonth, "01/01/2027", "31/01/2027"},
		{report.RangeLastMonth, "01/12/2026", "31/12/2026"},
		{report.RangeThisQuarter, "01/01/2027", "31/03/2027"},
		{report.RangeThisYear, "01/01/2027", "31/12/2027"},
	}
	for _, tt := range tests {
		r, ok := report.Quick(tt.choice, now.UTC())
		if !ok || r.FirstDay() != tt.first || r.LastDay() != tt.last {
			t.Errorf("%s: %v %s – %s, want %s – %s", tt.choice, ok, r.FirstDay(), r.LastDay(), tt.first, tt.last)
		}
	}
	if r, _ := report.Quick(report.RangeThisQuarter, vn("2026-11-23T10:00")); r.FirstDay() != "01/10/2026" || r.LastDay() != "31/12/2026" {
		t.Errorf("fourth quarter %s – %s", r.FirstDay(), r.LastDay())
	}
	if _, ok := report.Quick("fortnight", now); ok {
		t.Error("unknown choice accepted")
	}
}

func TestParseRangeIncludesTheLastDayAndRefusesBadInput(t *testing.T) {
	r, err := report.ParseRange(" 15/10/2026", "14/11/2026 ")
	if err != nil {
		t.Fatal(err)
	}
	if !r.From.Equal(vn("2026-10-15T00:00")) || !r.To.Equal(vn("2026-11-15T00:00")) || r.FileTag() != "2026-10-15_2026-11-14" {
		t.Fatalf("range %s – %s (%s)", r.From, r.To, r.FileTag())
	}
	if r, err := report.ParseRange("23/11/2026", "23/11/2026"); err != nil || r.To.Sub(r.From).Hours() != 24 {
		t.Fatalf("one day: %v %v", r, err)
	}
	for _, c := range []struct {
		from, to string
		want     error
	}{
		{"", "30/11/2026", report.ErrRangeFrom},
		{"31/02/2026", "30/11/2026", report.ErrRangeFrom},
		{"01/11/2026", "2026-11-30", report.ErrRangeTo},
		{"30/11/2026", "01/11/2026", report.ErrRangeOrder},
		{"01/01/2020", "01/01/2026", report.ErrRangeLong},
	} {
		if _, err := report.ParseRange(c.from, c.to); !errors.Is(err, c.want) {
			t.Errorf("%q – %q: %v, want %v", c.from, c.to, err, c.want)
		}
	}
}
