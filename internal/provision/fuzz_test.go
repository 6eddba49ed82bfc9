package provision_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/motcua/motcua/internal/provision"
)

// FuzzParse: Parse never panics, and whatever it accepts is valid and
// encodes to a file that parses to the same bundle (Marshal is idempotent
// over Parse); Open agrees with Parse and checks the signature envelope.
// Seeds: testdata/fuzz/FuzzParse plus the sample, unsigned and signed.
func FuzzParse(f *testing.F) {
	if data, err := provision.Marshal(sample()); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"format":"motcua-provision/1","bundle":{},"sha256":""}`))
	if data, err := provision.MarshalSigned(sample(), testKey(7)); err == nil {
		f.Add(data)
	}
	trusted := []ed25519.PublicKey{testKey(7).Public().(ed25519.PublicKey)}
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := provision.Parse(data)
		o, oerr := provision.Open(data, trusted, true)
		if err != nil {
			if oerr == nil {
				t.Fatalf("Open accepted what Parse refused: %v", err)
			}
			return
		}
		if oerr != nil && !errors.Is(oerr, provision.ErrUntrusted) {
			t.Fatalf("Open refused what Parse accepted: %v", oerr)
		}
		if oerr == nil && o.Signer != nil {
			// A trusted signature: re-signing the parsed bundle verifies too.
			re, err := provision.MarshalSigned(o.Bundle, testKey(7))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := provision.Open(re, trusted, false); err != nil {
				t.Fatalf("re-signed bundle: %v", err)
			}
		}
		if err := b.Validate(); err != nil {
			t.Fatalf("Parse accepted an invalid bundle: %v", err)
		}
		once, err := provision.Marshal(b)
		if err != nil {
			t.Fatalf("Marshal of a parsed bundle: %v", err)
		}
		b2, err := provision.Parse(once)
		if err != nil {
			t.Fatalf("Parse of Marshal: %v", err)
		}
		twice, err := provision.Marshal(b2)
		if err != nil || !bytes.Equal(once, twice) {
			t.Fatalf("not idempotent:\n%s\n%s", once, twice)
		}
	})
}
