package receipt_test

import (
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/receipt"
)

func samplePayload() receipt.Payload {
	return receipt.Payload{
		Code:       "000.00.06.H56-261123-1361",
		ReceivedAt: time.Date(2026, 11, 23, 8, 35, 0, 0, vn),
		DueAt:      time.Date(2026, 11, 25, 16, 0, 0, 0, vn),
	}
}

func mustSign(t testing.TB, p receipt.Payload, key ed25519.PrivateKey) string {
	t.Helper()
	s, err := receipt.Sign(p, key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSignedPayloadVerifiesAndRoundTrips(t *testing.T) {
	p := samplePayload()
	s := mustSign(t, p, testKey())
	if !strings.HasPrefix(s, "MC1.000.00.06.H56-261123-1361.") {
		t.Fatalf("payload %q does not start with the version and code", s)
	}
	got, err := receipt.Verify(s, testKeys())
	if err != nil {
		t.Fatal(err)
	}
	wantID := receipt.KeyID(testKey().Public().(ed25519.PublicKey))
	if got.Code != p.Code || !got.ReceivedAt.Equal(p.ReceivedAt) || !got.DueAt.Equal(p.DueAt) || got.KeyID != wantID {
		t.Fatalf("Verify = %+v, want %+v with key %s", got, p, wantID)
	}
	if _, off := got.DueAt.Zone(); off != 7*3600 {
		t.Fatalf("times come back at UTC offset %d, want Vietnam time", off)
	}
	parsed, err := receipt.ParsePayload(s)
	if err != nil || parsed != got {
		t.Fatalf("ParsePayload = %+v, %v; want %+v", parsed, err, got)
	}
}

func TestPayloadFitsASmallQRCode(t *testing.T) {
	// Version 8 at level M holds 152 bytes; codes of the portal's agency ids
	// (13 characters) must stay inside it so receipts keep a 25 mm code.
	p := samplePayload()
	p.Code = "000.00.99.H99-261123-9999"
	if s := mustSign(t, p, testKey()); len(s) > 152 {
		t.Fatalf("payload is %d bytes, more than a version 8 QR code holds: %s", len(s), s)
	}
}

func TestSignDropsSecondsAndKeepsTheInstant(t *testing.T) {
	p := samplePayload()
	p.ReceivedAt = time.Date(2026, 11, 23, 1, 35, 59, 999, time.UTC) // 08:35:59 in Vietnam
	got, err := receipt.Verify(mustSign(t, p, testKey()), testKeys())
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 11, 23, 8, 35, 0, 0, vn); !got.ReceivedAt.Equal(want) {
		t.Fatalf("ReceivedAt = %v, want %v", got.ReceivedAt, want)
	}
}

func TestSignRejectsWhatCannotBePrinted(t *testing.T) {
	key := testKey()
	for _, tt := range []struct {
		name string
		edit func(*receipt.Payload)
	}{
		{"a code that is not a dossier code", func(p *receipt.Payload) { p.Code = "hello" }},
		{"a code in lower case", func(p *receipt.Payload) { p.Code = "000.00.06.h56-261123-1361" }},
		{"no reception time", func(p *receipt.Payload) { p.ReceivedAt = time.Time{} }},
		{"an appointment before reception", func(p *receipt.Payload) { p.DueAt = p.ReceivedAt.Add(-time.Hour) }},
		{"a reception before 1970", func(p *receipt.Payload) { p.ReceivedAt = time.Date(1960, 1, 1, 0, 0, 0, 0, vn) }},
		{"a key id of another key", func(p *receipt.Payload) { p.KeyID = "00000000" }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := samplePayload()
			tt.edit(&p)
			if s, err := receipt.Sign(p, key); err == nil {
				t.Fatalf("Sign accepted %+v: %s", p, s)
			}
		})
	}
	if _, err := receipt.Sign(samplePayload(), key[:10]); err == nil {
		t.Fatal("Sign accepted a truncated private key")
	}
}

// verifyCases are payloads Verify must refuse, with the reason it must give.
func verifyCases(t testing.TB) []struct {
	name string
	in   string
	want error
} {
	good := mustSign(t, samplePayload(), testKey())
	otherKey := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	later := samplePayload()
	later.DueAt = later.DueAt.Add(72 * time.Hour)
	laterSig := mustSign(t, later, testKey())
	dot := strings.LastIndexByte(good, '.')
	// A payload whose fields were changed after signing: the due date of
	// another receipt with the original signature.
	tampered := laterSig[:strings.LastIndexByte(laterSig, '.')] + good[dot:]
	flip := []byte(good)
	if flip[dot+1] == 'A' {
		flip[dot+1] = 'B'
	} else {
		flip[dot+1] = 'A'
	}
	return []struct {
		name string
		in   string
		want error
	}{
		{"an appointment moved after signing", tampered, receipt.ErrBadSignature},
		{"a signature with one character changed", string(flip), receipt.ErrBadSignature},
		{"a code changed after signing", strings.Replace(good, "-1361.", "-1362.", 1), receipt.ErrBadSignature},
		{"a key the kiosk does not know", mustSign(t, samplePayload(), otherKey), receipt.ErrUnknownKey},
		{"empty text", "", receipt.ErrPayloadFormat},
		{"another version", "MC2" + good[3:], receipt.ErrPayloadFormat},
		{"a URL", "https://dichvucong.gov.vn/p/home/dvc-tra-cuu-ho-so.html", receipt.ErrPayloadFormat},
		{"a CCCD QR code", "001186012345|123456789|Nguyễn Văn A|01011986|Nam|Hà Nội|01012021", receipt.ErrPayloadFormat},
		{"missing signature", good[:dot], receipt.ErrPayloadFormat},
		{"padded signature", good + "==", receipt.ErrPayloadFormat},
		{"upper-case time", withField(good, 4, strings.ToUpper), receipt.ErrPayloadFormat},
		{"leading zero in a time", withField(good, 4, func(s string) string { return "0" + s }), receipt.ErrPayloadFormat},
		{"an appointment before reception", withField(good, 3, func(string) string { return "1" }), receipt.ErrPayloadFormat},
		{"upper-case key id", good[:dot-8] + strings.ToUpper(good[dot-8:dot]) + good[dot:], receipt.ErrPayloadFormat},
		{"too long", good + strings.Repeat("x", 300), receipt.ErrPayloadFormat},
	}
}

// withField rewrites the n-th dot-separated field from the right of s.
func withField(s string, n int, f func(string) string) string {
	parts := strings.Split(s, ".")
	k := len(parts) - n
	parts[k] = f(parts[k])
	return strings.Join(parts, ".")
}

func TestVerifyRefusesForgedAndForeignPayloads(t *testing.T) {
	for _, tt := range verifyCases(t) {
		t.Run(tt.name, func(t *testing.T) {
			p, err := receipt.Verify(tt.in, testKeys())
			if !errors.Is(err, tt.want) {
				t.Fatalf("Verify(%q) = %+v, %v; want %v", tt.in, p, err, tt.want)
			}
			if p != (receipt.Payload{}) {
				t.Fatalf("Verify returned %+v with its error", p)
			}
		})
	}
}

func TestVerifyRefusesAKeyFiledUnderAnotherID(t *testing.T) {
	s := mustSign(t, samplePayload(), testKey())
	p, _ := receipt.ParsePayload(s)
	other := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	for name, key := range map[string]ed25519.PublicKey{"another key": other, "a truncated key": other[:5]} {
		_, err := receipt.Verify(s, map[string]ed25519.PublicKey{p.KeyID: key})
		if !errors.Is(err, receipt.ErrUnknownKey) {
			t.Errorf("%s filed under %s: Verify error = %v, want ErrUnknownKey", name, p.KeyID, err)
		}
	}
}

func TestParsePayloadShowsTheCodeOfAnUnknownKey(t *testing.T) {
	other := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	p, err := receipt.ParsePayload(mustSign(t, samplePayload(), other))
	if err != nil {
		t.Fatal(err)
	}
	if p.Code != samplePayload().Code {
		t.Fatalf("Code = %q", p.Code)
	}
}

func TestKeyIDIsEightHexDigitsOfTheKeyHash(t *testing.T) {
	// SHA-256 of 32 zero bytes begins 66687aad.
	if got := receipt.KeyID(make(ed25519.PublicKey, ed25519.PublicKeySize)); got != "66687aad" {
		t.Fatalf("KeyID(zero key) = %q, want 66687aad", got)
	}
}

func FuzzParsePayload(f *testing.F) {
	for _, tt := range verifyCases(f) {
		f.Add(tt.in)
	}
	f.Add(mustSign(f, samplePayload(), testKey()))
	keys := testKeys()
	f.Fuzz(func(t *testing.T, s string) {
		p, err := receipt.ParsePayload(s)
		if err != nil {
			if !errors.Is(err, receipt.ErrPayloadFormat) {
				t.Fatalf("ParsePayload(%q) error %v does not wrap ErrPayloadFormat", s, err)
			}
			if _, verr := receipt.Verify(s, keys); !errors.Is(verr, receipt.ErrPayloadFormat) {
				t.Fatalf("Verify(%q) = %v although ParsePayload refused it", s, verr)
			}
			return
		}
		// Canonical: the fields spell the payload back exactly.
		sig := s[strings.LastIndexByte(s, '.'):]
		if back := "MC1." + p.Code + "." + base36(p.ReceivedAt) + "." + base36(p.DueAt) + "." + p.KeyID + sig; back != s {
			t.Fatalf("ParsePayload(%q) = %+v, which spells %q", s, p, back)
		}
		if p.DueAt.Before(p.ReceivedAt) {
			t.Fatalf("due %v before received %v", p.DueAt, p.ReceivedAt)
		}
		if v, err := receipt.Verify(s, keys); err == nil && v != p {
			t.Fatalf("Verify = %+v, ParsePayload = %+v", v, p)
		}
	})
}

func base36(t time.Time) string {
	return strconv36(t.Unix() / 60)
}
