package provision_test

import (
	"bytes"
	"testing"

	"github.com/motcua/motcua/internal/provision"
)

// FuzzParse: Parse never panics, and whatever it accepts is valid and
// encodes to a file that parses to the same bundle (Marshal is idempotent
// over Parse). Seeds: testdata/fuzz/FuzzParse plus the sample.
func FuzzParse(f *testing.F) {
	if data, err := provision.Marshal(sample()); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"format":"motcua-provision/1","bundle":{},"sha256":""}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := provision.Parse(data)
		if err != nil {
			return
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
