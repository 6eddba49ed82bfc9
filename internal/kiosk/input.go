package kiosk

import (
	"errors"
	"strings"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/receipt"
)

// MaxInput bounds what the kiosk reads from a scanner or keypad at once; a
// receipt QR payload is about 140 bytes.
const MaxInput = receipt.MaxPayloadLen

// ErrInput is returned for input that is neither a dossier code nor a
// receipt QR payload.
var ErrInput = errors.New("not a dossier code or receipt QR")

// Scanned is what a scan or typed code means.
type Scanned struct {
	Code string // canonical dossier code
	// QR is the whole receipt payload when the input was a receipt QR code;
	// its fields are not vouched for until Verify says so.
	QR string
}

// ParseInput reads what a QR scanner (serial or keyboard wedge) or the
// keypad produced: a receipt QR payload (MC1.…) or a dossier code as
// printed, with surrounding white space and a trailing CR/LF ignored. agency
// completes a short code typed as 10 digits YYMMDDNNNN (or YYMMDD-NNNN) on
// the keypad; "" disables short codes.
func ParseInput(s, agency string) (Scanned, error) {
	if len(s) > MaxInput+8 {
		return Scanned{}, ErrInput
	}
	s = strings.TrimSpace(s)
	if s == "" || len(s) > MaxInput {
		return Scanned{}, ErrInput
	}
	if strings.HasPrefix(s, "MC1.") {
		p, err := receipt.ParsePayload(s)
		if err != nil {
			return Scanned{}, ErrInput
		}
		return Scanned{Code: p.Code, QR: s}, nil
	}
	if agency != "" {
		d := strings.ReplaceAll(s, "-", "")
		if len(d) == 10 && allDigits(d) && (len(s) == 10 || (len(s) == 11 && s[6] == '-')) {
			s = agency + "-" + d[:6] + "-" + d[6:]
		}
	}
	c, err := dossier.ParseCode(s)
	if err != nil {
		return Scanned{}, ErrInput
	}
	return Scanned{Code: c.String()}, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
