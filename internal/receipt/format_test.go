package receipt_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/receipt"
)

func strconv36(n int64) string { return strconv.FormatInt(n, 36) }

func TestMoneyUsesDotsBetweenThousands(t *testing.T) {
	for _, tt := range []struct {
		name string
		vnd  int64
		want string
	}{
		{"a free procedure", 0, "Miễn phí"},
		{"less than a thousand", 500, "500 đồng"},
		{"exactly a thousand", 1000, "1.000 đồng"},
		{"a common fee", 50000, "50.000 đồng"},
		{"over a million", 1250000, "1.250.000 đồng"},
		{"a refund", -25000, "-25.000 đồng"},
		{"the largest amount", 9223372036854775807, "9.223.372.036.854.775.807 đồng"},
		{"the smallest amount", -9223372036854775808, "-9.223.372.036.854.775.808 đồng"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := receipt.Money(tt.vnd); got != tt.want {
				t.Fatalf("Money(%d) = %q, want %q", tt.vnd, got, tt.want)
			}
		})
	}
}

func TestClockDatePrintsVietnamTimeWhateverTheZone(t *testing.T) {
	for _, tt := range []struct {
		name string
		t    time.Time
		want string
	}{
		{"a morning in Vietnam", time.Date(2026, 11, 23, 8, 5, 0, 0, vn), "08 giờ 05 phút, ngày 23/11/2026"},
		{"UTC evening is the next day in Vietnam", time.Date(2026, 12, 31, 17, 30, 0, 0, time.UTC), "00 giờ 30 phút, ngày 01/01/2027"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := receipt.ClockDate(tt.t); got != tt.want {
				t.Fatalf("ClockDate(%v) = %q, want %q", tt.t, got, tt.want)
			}
		})
	}
}
