package citizen

import (
	"net/mail"
	"strings"

	"github.com/motcua/motcua/internal/dossier"
)

// ErrPhone and ErrEmail are the dossier package's field errors, so that a
// screen maps one error to one message whichever package found it.
var (
	ErrPhone = dossier.ErrPhone
	ErrEmail = dossier.ErrEmail
)

const maxContactLen = 254 // RFC 5321 path limit; longer input is never valid

// NormalizePhone returns a Vietnamese phone number in its national form,
// digits only with the leading 0: a mobile number has 10 digits and starts
// with 03, 05, 07, 08 or 09; a landline has 11 digits and starts with 02.
// Spaces, dots, dashes and parentheses are ignored, and the international
// prefixes +84, 0084 and 84 are replaced by 0.
func NormalizePhone(s string) (string, error) {
	if len(s) > 64 {
		return "", ErrPhone
	}
	var b strings.Builder
	s = strings.TrimSpace(s)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			b.WriteByte(c)
		case c == ' ' || c == '.' || c == '-' || c == '(' || c == ')' || c == '\t':
		case c == '+' && i == 0:
			b.WriteByte(c)
		default:
			return "", ErrPhone
		}
	}
	n := b.String()
	switch {
	case strings.HasPrefix(n, "+84"):
		n = "0" + strings.TrimPrefix(n[3:], "0")
	case strings.HasPrefix(n, "0084"):
		n = "0" + strings.TrimPrefix(n[4:], "0")
	case strings.HasPrefix(n, "84") && (len(n) == 11 || len(n) == 12):
		// 84 followed by a national number without its 0. A national number
		// beginning 084… has a leading 0 and does not reach this case.
		n = "0" + n[2:]
	case strings.HasPrefix(n, "+"):
		return "", ErrPhone // a foreign number
	}
	if len(n) < 2 || n[0] != '0' {
		return "", ErrPhone
	}
	switch n[1] {
	case '3', '5', '7', '8', '9':
		if len(n) == 10 {
			return n, nil
		}
	case '2':
		if len(n) == 11 {
			return n, nil
		}
	}
	return "", ErrPhone
}

// ValidateEmail accepts a bare address such as "an@example.vn": no display
// name, no angle brackets, a domain with at least one dot.
func ValidateEmail(s string) error {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxContactLen {
		return ErrEmail
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Name != "" || a.Address != s {
		return ErrEmail
	}
	at := strings.LastIndexByte(s, '@')
	local, domain := s[:at], s[at+1:]
	if local == "" || len(local) > 64 || !strings.Contains(domain, ".") ||
		strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") || strings.Contains(domain, "..") {
		return ErrEmail
	}
	for _, r := range s {
		if r <= ' ' || r == 0x7f {
			return ErrEmail
		}
	}
	return nil
}
