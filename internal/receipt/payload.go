package receipt

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

// Payload is what a receipt's QR code vouches for: the dossier code, when it
// was received, when the result is promised, and which office key signed it.
type Payload struct {
	Code       string    // dossier code as printed, e.g. "000.00.06.H56-231027-0361"
	ReceivedAt time.Time // to the minute, in Vietnam time (UTC+7)
	DueAt      time.Time // to the minute, in Vietnam time (UTC+7)
	KeyID      string    // 8 lower-case hex digits, see KeyID
}

// Sentinel errors of Verify and ParsePayload; test them with errors.Is.
var (
	ErrPayloadFormat = errors.New("receipt QR payload is malformed")
	ErrUnknownKey    = errors.New("receipt QR payload is signed by an unknown key")
	ErrBadSignature  = errors.New("receipt QR payload signature does not verify")
)

const (
	payloadPrefix = "MC1."
	// MaxPayloadLen bounds what ParsePayload reads; a valid payload is about
	// 140 bytes.
	MaxPayloadLen = 256
	keyIDLen      = 8
	sigLen        = 86 // base64url, no padding, of 64 bytes
	maxMinuteLen  = 8  // base36 digits: 36^8 minutes is millions of years
)

// vnZone is Vietnam's time: UTC+7 all year, no daylight saving. Receipts are
// printed and read in it whatever the PC's time zone says.
var vnZone = time.FixedZone("ICT", 7*60*60)

var sigEncoding = base64.RawURLEncoding.Strict()

// KeyID names a public key on receipts: the first 4 bytes of its SHA-256, in
// lower-case hex.
func KeyID(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return hex.EncodeToString(sum[:4])
}

// Sign returns the QR text for p signed with key:
//
//	MC1.<code>.<received>.<due>.<key id>.<signature>
//
// received and due are Unix minutes in lower-case base 36; the signature is
// Ed25519 over every byte before the last dot, in unpadded base64url. Seconds
// of p's times are dropped. p.KeyID may be empty; if set it must be the
// key's id.
func Sign(p Payload, key ed25519.PrivateKey) (string, error) {
	if len(key) != ed25519.PrivateKeySize {
		return "", fmt.Errorf("sign receipt payload: private key has %d bytes, want %d", len(key), ed25519.PrivateKeySize)
	}
	id := KeyID(key.Public().(ed25519.PublicKey))
	if p.KeyID != "" && p.KeyID != id {
		return "", fmt.Errorf("sign receipt payload: key id %q is not the key's id %s", p.KeyID, id)
	}
	p.KeyID = id
	body, err := p.body()
	if err != nil {
		return "", fmt.Errorf("sign receipt payload: %w", err)
	}
	sig := ed25519.Sign(key, []byte(body))
	return body + "." + sigEncoding.EncodeToString(sig), nil
}

// body is the signed part of the payload text.
func (p Payload) body() (string, error) {
	if err := checkCode(p.Code); err != nil {
		return "", err
	}
	if len(p.KeyID) != keyIDLen || !isLowerHex(p.KeyID) {
		return "", fmt.Errorf("key id %q is not %d lower-case hex digits", p.KeyID, keyIDLen)
	}
	if p.ReceivedAt.IsZero() || p.DueAt.IsZero() {
		return "", errors.New("received and due times are required")
	}
	recv, due := unixMinutes(p.ReceivedAt), unixMinutes(p.DueAt)
	if recv < 0 {
		return "", fmt.Errorf("received time %s is before 1970", p.ReceivedAt)
	}
	if due < recv {
		return "", fmt.Errorf("due time %s is before received time %s", p.DueAt, p.ReceivedAt)
	}
	return payloadPrefix + p.Code + "." + strconv.FormatInt(recv, 36) + "." +
		strconv.FormatInt(due, 36) + "." + p.KeyID, nil
}

// unixMinutes floors t to whole minutes since the Unix epoch.
func unixMinutes(t time.Time) int64 {
	s := t.Unix()
	m := s / 60
	if s%60 < 0 {
		m--
	}
	return m
}

// Verify parses s and checks its signature with the key its key id names.
// On any error it returns the zero Payload; the error wraps ErrPayloadFormat,
// ErrUnknownKey or ErrBadSignature.
func Verify(s string, keys map[string]ed25519.PublicKey) (Payload, error) {
	p, sig, body, err := parse(s)
	if err != nil {
		return Payload{}, err
	}
	pub, ok := keys[p.KeyID]
	if !ok {
		return Payload{}, fmt.Errorf("%w: key id %s", ErrUnknownKey, p.KeyID)
	}
	if len(pub) != ed25519.PublicKeySize || KeyID(pub) != p.KeyID {
		// A mis-filed key cannot vouch for anything; ed25519.Verify would
		// also panic on a key of the wrong length.
		return Payload{}, fmt.Errorf("%w: the key filed under %s is not that key", ErrUnknownKey, p.KeyID)
	}
	if !ed25519.Verify(pub, []byte(body), sig) {
		return Payload{}, ErrBadSignature
	}
	return p, nil
}

// ParsePayload reads s without checking its signature, so that a kiosk can
// still show the dossier code of a receipt signed by a key it does not know.
// Never trust its times: only Verify vouches for them.
func ParsePayload(s string) (Payload, error) {
	p, _, _, err := parse(s)
	return p, err
}

// parse splits and checks the payload text. It accepts only the canonical
// form Sign writes, so that one payload has exactly one spelling.
func parse(s string) (p Payload, sig []byte, body string, err error) {
	bad := func(format string, args ...any) (Payload, []byte, string, error) {
		return Payload{}, nil, "", fmt.Errorf("%w: "+format, append([]any{ErrPayloadFormat}, args...)...)
	}
	if len(s) > MaxPayloadLen {
		return bad("%d bytes, at most %d", len(s), MaxPayloadLen)
	}
	if !strings.HasPrefix(s, payloadPrefix) {
		return bad("does not start with %q", payloadPrefix)
	}
	// The dossier code contains dots, so the four fixed fields are taken
	// from the right.
	rest := s[len(payloadPrefix):]
	var f [4]string
	for i := 3; i >= 0; i-- {
		j := strings.LastIndexByte(rest, '.')
		if j < 0 {
			return bad("too few fields")
		}
		f[i], rest = rest[j+1:], rest[:j]
	}
	code, recvS, dueS, id, sigS := rest, f[0], f[1], f[2], f[3]
	if err := checkCode(code); err != nil {
		return bad("%v", err)
	}
	recv, err := parseMinutes(recvS)
	if err != nil {
		return bad("received time: %v", err)
	}
	due, err := parseMinutes(dueS)
	if err != nil {
		return bad("due time: %v", err)
	}
	if due < recv {
		return bad("due time before received time")
	}
	if len(id) != keyIDLen || !isLowerHex(id) {
		return bad("key id %q is not %d lower-case hex digits", id, keyIDLen)
	}
	if len(sigS) != sigLen {
		return bad("signature has %d characters, want %d", len(sigS), sigLen)
	}
	sig, err = sigEncoding.DecodeString(sigS)
	if err != nil || len(sig) != ed25519.SignatureSize {
		return bad("signature is not base64url")
	}
	p = Payload{
		Code:       code,
		ReceivedAt: time.Unix(recv*60, 0).In(vnZone),
		DueAt:      time.Unix(due*60, 0).In(vnZone),
		KeyID:      id,
	}
	return p, sig, s[:len(s)-len(sigS)-1], nil
}

// parseMinutes reads canonical lower-case base 36: no sign, no leading zero.
func parseMinutes(s string) (int64, error) {
	if s == "" || len(s) > maxMinuteLen {
		return 0, fmt.Errorf("%q is not 1-%d base-36 digits", s, maxMinuteLen)
	}
	if len(s) > 1 && s[0] == '0' {
		return 0, fmt.Errorf("%q has a leading zero", s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z') {
			return 0, fmt.Errorf("%q is not lower-case base 36", s)
		}
	}
	return strconv.ParseInt(s, 36, 64)
}

// checkCode accepts a dossier code only in the exact spelling the receipt
// prints.
func checkCode(code string) error {
	c, err := dossier.ParseCode(code)
	if err != nil {
		return err
	}
	if c.String() != code {
		return fmt.Errorf("dossier code %q is not in canonical form %q", code, c.String())
	}
	return nil
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
