package dossier

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Code is a dossier code (mã hồ sơ): <agency electronic id>-YYMMDD-NNNN, for
// example 000.00.06.H56-231027-0361. The counter NNNN restarts every day for
// each agency.
//
// Several devices of one office issue codes offline, so NNNN is split: its
// first digit is the device's slot in the office (1–9, given at provisioning;
// 0 is kept for the hub and online submissions) and the last three digits are
// the device's own daily sequence 001–999. Two devices with different slots can
// never issue the same code. See docs/dossier-codes.md.
type Code struct {
	Agency string    // agency electronic id, e.g. "000.00.06.H56"
	Day    time.Time // date of reception (only year, month, day are used)
	Number int       // 0001–9999
}

// MaxSeq is the highest daily sequence a device slot can issue.
const MaxSeq = 999

// ErrCode is wrapped by every code parse error.
var ErrCode = errors.New("invalid dossier code")

// NewCode builds the code of sequence seq (1–MaxSeq) issued by the device in
// slot (0–9) on day.
func NewCode(agency string, day time.Time, slot, seq int) (Code, error) {
	if err := checkAgency(agency); err != nil {
		return Code{}, err
	}
	if slot < 0 || slot > 9 {
		return Code{}, fmt.Errorf("%w: device slot %d out of 0-9", ErrCode, slot)
	}
	if seq < 1 || seq > MaxSeq {
		return Code{}, fmt.Errorf("%w: sequence %d out of 1-%d", ErrCode, seq, MaxSeq)
	}
	y, m, d := day.Date()
	return Code{Agency: agency, Day: time.Date(y, m, d, 0, 0, 0, 0, day.Location()), Number: slot*1000 + seq}, nil
}

// Slot is the device slot that issued the code.
func (c Code) Slot() int { return c.Number / 1000 }

// IsZero reports whether c is the zero Code.
func (c Code) IsZero() bool { return c.Agency == "" && c.Number == 0 }

// String formats the code as printed on the receipt.
func (c Code) String() string {
	if c.IsZero() {
		return ""
	}
	return fmt.Sprintf("%s-%s-%04d", c.Agency, c.Day.Format("060102"), c.Number)
}

// ParseCode parses a code as printed. Surrounding white space is ignored and
// the agency id is upper-cased.
func ParseCode(s string) (Code, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	if len(s) > 64 {
		return Code{}, fmt.Errorf("%w: too long", ErrCode)
	}
	i := strings.LastIndexByte(s, '-')
	if i < 0 {
		return Code{}, fmt.Errorf("%w: %q has no number", ErrCode, s)
	}
	j := strings.LastIndexByte(s[:i], '-')
	if j < 0 {
		return Code{}, fmt.Errorf("%w: %q has no date", ErrCode, s)
	}
	agency, date, num := s[:j], s[j+1:i], s[i+1:]
	if err := checkAgency(agency); err != nil {
		return Code{}, err
	}
	if len(date) != 6 || !digits(date) {
		return Code{}, fmt.Errorf("%w: date %q is not YYMMDD", ErrCode, date)
	}
	day, err := time.Parse("060102", date)
	if err != nil {
		return Code{}, fmt.Errorf("%w: date %q: no such day", ErrCode, date)
	}
	if len(num) != 4 || !digits(num) {
		return Code{}, fmt.Errorf("%w: number %q is not 4 digits", ErrCode, num)
	}
	n, _ := strconv.Atoi(num)
	if n == 0 {
		return Code{}, fmt.Errorf("%w: number 0000", ErrCode)
	}
	return Code{Agency: agency, Day: day, Number: n}, nil
}

// checkAgency accepts the electronic ids of Circular 03/2025 style:
// dot-separated groups of letters and digits, e.g. 000.00.06.H56 or G22.
func checkAgency(a string) error {
	if a == "" || len(a) > 40 {
		return fmt.Errorf("%w: agency id %q", ErrCode, a)
	}
	for _, g := range strings.Split(a, ".") {
		if g == "" {
			return fmt.Errorf("%w: agency id %q has an empty group", ErrCode, a)
		}
		for _, r := range g {
			if !(r >= '0' && r <= '9' || r >= 'A' && r <= 'Z') {
				return fmt.Errorf("%w: agency id %q has %q", ErrCode, a, r)
			}
		}
	}
	return nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ValidAgency checks an agency electronic id (dot-separated groups of
// upper-case letters and digits, e.g. 000.00.06.H56).
func ValidAgency(a string) error { return checkAgency(a) }
