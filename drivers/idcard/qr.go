package idcard

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/internal/citizen"
	"github.com/motcua/motcua/internal/dossier"
)

// MaxQRLen bounds a QR payload; a CCCD QR holds a few hundred bytes.
const MaxQRLen = 2048

// ParseQR parses the text of a CCCD QR code. It accepts every generation:
// 6 or more "|"-separated fields, an empty old-ID field, extra trailing
// fields, dates as ddMMyyyy or dd/MM/yyyy (also "-" or "."), text in NFC or
// NFD, and a stray BOM, CR or LF around or inside the fields.
func ParseQR(s string) (Identity, error) {
	s = clean(s)
	if s == "" {
		return Identity{}, ErrEmpty
	}
	if len(s) > MaxQRLen {
		return Identity{}, qrErr("data", "too long")
	}
	if !utf8.ValidString(s) {
		return Identity{}, qrErr("data", "not UTF-8")
	}
	s = norm.NFC.String(s)
	f := strings.Split(s, "|")
	if len(f) < 6 {
		return Identity{}, qrErr("data", "fewer than 6 fields")
	}
	for i := range f {
		f[i] = strings.Join(strings.FieldsFunc(f[i], unicode.IsSpace), " ")
	}
	id := Identity{Source: OriginQR}
	id.IDNumber = f[0]
	if !isDigits(id.IDNumber, citizen.IDLen) {
		return Identity{}, qrErr("id_number", "not 12 digits")
	}
	id.OldIDNumber = f[1]
	if id.OldIDNumber != "" && !isDigits(id.OldIDNumber, 9) && !isDigits(id.OldIDNumber, 12) {
		return Identity{}, qrErr("old_id_number", "not 9 or 12 digits")
	}
	id.FullName = f[2]
	if id.FullName == "" || !plausibleText(id.FullName) {
		return Identity{}, qrErr("full_name", "empty or not a name")
	}
	var ok bool
	if id.BirthDate, ok = qrDate(f[3]); !ok {
		return Identity{}, qrErr("birth_date", "not a date")
	}
	if id.Sex, ok = qrSex(f[4]); !ok {
		return Identity{}, qrErr("sex", "not Nam or Nữ")
	}
	id.Address = f[5]
	if !plausibleText(id.Address) {
		return Identity{}, qrErr("address", "not text")
	}
	if len(f) > 6 && f[6] != "" {
		if id.IssueDate, ok = qrDate(f[6]); !ok {
			return Identity{}, qrErr("issue_date", "not a date")
		}
		if id.IssueDate.Time().Before(id.BirthDate.Time()) {
			return Identity{}, qrErr("issue_date", "before the date of birth")
		}
	}
	if err := citizen.ValidateID(id.IDNumber, id.BirthDate.Time(), id.Sex); err != nil {
		return Identity{}, qrErr("id_number", err.Error())
	}
	return id, nil
}

func qrErr(field, reason string) error {
	return &FieldError{Source: OriginQR, Field: field, Reason: reason}
}

// qrDate reads ddMMyyyy with or without separators.
func qrDate(s string) (Date, bool) {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '/', '-', '.', ' ':
			return -1
		}
		return r
	}, s)
	if !isDigits(s, 8) {
		return Date{}, false
	}
	d, _ := strconv.Atoi(s[0:2])
	m, _ := strconv.Atoi(s[2:4])
	y, _ := strconv.Atoi(s[4:8])
	return makeDate(y, m, d)
}

func qrSex(s string) (dossier.Sex, bool) {
	switch strings.ToLower(s) {
	case "nam", "male", "m":
		return dossier.SexMale, true
	case "nữ", "nu", "female", "f":
		return dossier.SexFemale, true
	}
	return dossier.SexUnknown, false
}

// plausibleText refuses control characters and the Unicode replacement
// character, which a garbled read produces.
func plausibleText(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) {
			return false
		}
	}
	return true
}
