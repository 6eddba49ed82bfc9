package idcard

import (
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/citizen"
	"github.com/motcua/motcua/internal/dossier"
)

// TD1 geometry (ICAO 9303 Part 5).
const (
	mrzLineLen = 30
	mrzLines3  = 3
)

// ParseMRZ parses an ICAO 9303 TD1 machine-readable zone: three lines of 30
// characters (or the 90 run together). Every check digit is verified: the
// document number, the date of birth, the date of expiry and the composite.
// On a Vietnamese card the optional data of line 1 holds the full 12-digit ID
// number.
func ParseMRZ(s string) (Identity, error) {
	l := mrzLines(clean(s))
	if l == nil {
		return Identity{}, mrzErr("data", "not three lines of 30 characters")
	}
	l1, l2, l3 := l[0], l[1], l[2]
	if l1[0] != 'I' && l1[0] != 'A' && l1[0] != 'C' {
		return Identity{}, mrzErr("document_code", "not an identity card")
	}
	// Document number, with the ICAO overflow rule: a '<' in the check digit
	// position means the number continues in the optional data.
	doc, docCheck := l1[5:14], l1[14]
	opt := l1[15:30]
	if docCheck == '<' {
		end := strings.IndexByte(opt, '<')
		if end < 2 {
			return Identity{}, mrzErr("document_number", "bad overflow")
		}
		doc += opt[:end-1]
		docCheck = opt[end-1]
		opt = opt[end:]
	}
	if checkDigit(doc) != docCheck {
		return Identity{}, mrzErr("document_number", "check digit")
	}
	if checkDigit(l2[0:6]) != l2[6] {
		return Identity{}, mrzErr("birth_date", "check digit")
	}
	if checkDigit(l2[8:14]) != l2[14] {
		return Identity{}, mrzErr("expiry_date", "check digit")
	}
	composite := l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]
	if checkDigit(composite) != l2[29] {
		return Identity{}, mrzErr("composite", "check digit")
	}
	id := Identity{Source: OriginMRZ, DocumentNumber: strings.TrimRight(doc, "<"),
		Nationality: strings.TrimRight(l2[15:18], "<")}
	if digits := strings.TrimRight(opt, "<"); len(digits) >= citizen.IDLen && isDigits(digits[:citizen.IDLen], citizen.IDLen) {
		id.IDNumber = digits[:citizen.IDLen]
	}
	switch l2[7] {
	case 'M':
		id.Sex = dossier.SexMale
	case 'F':
		id.Sex = dossier.SexFemale
	case '<', 'X':
	default:
		return Identity{}, mrzErr("sex", "not M, F or <")
	}
	var ok bool
	if id.BirthDate, ok = mrzBirth(l2[0:6], id.IDNumber); !ok {
		return Identity{}, mrzErr("birth_date", "not a date")
	}
	if l2[8:14] != "<<<<<<" {
		if id.ExpiryDate, ok = mrzDate(l2[8:14], 2000); !ok {
			return Identity{}, mrzErr("expiry_date", "not a date")
		}
	}
	id.FullName = mrzNameField(l3)
	if id.FullName == "" {
		return Identity{}, mrzErr("full_name", "empty")
	}
	if id.IDNumber != "" {
		if err := citizen.ValidateID(id.IDNumber, id.BirthDate.Time(), id.Sex); err != nil {
			return Identity{}, mrzErr("id_number", err.Error())
		}
		if !strings.HasSuffix(id.IDNumber, id.DocumentNumber) {
			return Identity{}, mrzErr("document_number", "not the end of the ID number")
		}
	}
	return id, nil
}

func mrzErr(field, reason string) error {
	return &FieldError{Source: OriginMRZ, Field: field, Reason: reason}
}

// mrzLines splits s into the three TD1 lines, or returns nil. Lines may be
// separated by CR, LF or nothing; spaces a reader inserts are dropped; lower
// case is folded (wedge scanners with Caps Lock on).
func mrzLines(s string) []string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == ' ' || r == '\t':
			return -1
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		}
		return r
	}, s)
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == '\r' || r == '\n' })
	if len(parts) == 1 && len(parts[0]) == mrzLineLen*mrzLines3 {
		p := parts[0]
		parts = []string{p[:30], p[30:60], p[60:]}
	}
	if len(parts) != mrzLines3 {
		return nil
	}
	for _, p := range parts {
		if len(p) != mrzLineLen {
			return nil
		}
		for i := 0; i < len(p); i++ {
			c := p[i]
			if !(c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c == '<') {
				return nil
			}
		}
	}
	return parts
}

// checkDigit computes the ICAO 9303 check digit of s: weights 7, 3, 1
// repeating; digits count as themselves, A-Z as 10-35, '<' as 0.
func checkDigit(s string) byte {
	weights := [3]int{7, 3, 1}
	sum := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		v := 0
		switch {
		case c >= '0' && c <= '9':
			v = int(c - '0')
		case c >= 'A' && c <= 'Z':
			v = int(c-'A') + 10
		}
		sum += v * weights[i%3]
	}
	return byte('0' + sum%10)
}

// mrzDate reads YYMMDD in the century starting at base.
func mrzDate(s string, base int) (Date, bool) {
	if !isDigits(s, 6) {
		return Date{}, false
	}
	y, _ := strconv.Atoi(s[0:2])
	m, _ := strconv.Atoi(s[2:4])
	d, _ := strconv.Atoi(s[4:6])
	return makeDate(base+y, m, d)
}

// mrzBirth reads the date of birth; its century comes from the ID number's
// century digit when there is one (Circular 07/2016/TT-BCA), else 19xx for
// years above 30 and 20xx below: MRZ cards are issued to living people.
func mrzBirth(s, idNumber string) (Date, bool) {
	base := 2000
	if info, err := citizen.ParseID(idNumber); err == nil {
		base = info.BirthYear / 100 * 100
	} else if len(s) >= 2 && s[0] >= '3' {
		base = 1900
	}
	return mrzDate(s, base)
}

// mrzNameField turns "NGUYEN<<VAN<A<<<" into "NGUYEN VAN A": primary and
// secondary identifiers in the order printed, fillers as spaces.
func mrzNameField(l string) string {
	l = strings.TrimRight(l, "<")
	parts := strings.SplitN(l, "<<", 2)
	var words []string
	for _, p := range parts {
		words = append(words, strings.Fields(strings.ReplaceAll(p, "<", " "))...)
	}
	return strings.Join(words, " ")
}

// MRZ builds the TD1 lines of an identity with correct check digits; tests,
// fuzz seeds and the demo use it. Names are written without diacritics.
func MRZ(id Identity) [3]string {
	pad := func(s string, n int) string {
		if len(s) > n {
			return s[:n]
		}
		return s + strings.Repeat("<", n-len(s))
	}
	doc := id.DocumentNumber
	if doc == "" && len(id.IDNumber) == citizen.IDLen {
		doc = id.IDNumber[3:]
	}
	yymmdd := func(d Date) string {
		if d.IsZero() {
			return "<<<<<<"
		}
		return d.String()[2:4] + d.String()[5:7] + d.String()[8:10]
	}
	nat := id.Nationality
	if nat == "" {
		nat = "VNM"
	}
	l1 := pad("IDVNM"+pad(doc, 9)+string(checkDigit(pad(doc, 9)))+id.IDNumber, 30)
	sex := "<"
	switch id.Sex {
	case dossier.SexMale:
		sex = "M"
	case dossier.SexFemale:
		sex = "F"
	}
	b, e := yymmdd(id.BirthDate), yymmdd(id.ExpiryDate)
	l2 := b + string(checkDigit(b)) + sex + e + string(checkDigit(e)) + pad(nat, 3) + "<<<<<<<<<<<"
	l2 += string(checkDigit(l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29]))
	words := strings.Fields(strings.ToUpper(mrzName(id.FullName)))
	name := ""
	if len(words) > 0 {
		name = words[0] + "<<" + strings.Join(words[1:], "<")
	}
	return [3]string{l1, l2, pad(name, 30)}
}
