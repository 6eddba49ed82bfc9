package idcard

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestWriteSeedCorpus writes the seed tables as go-fuzz corpus files under
// testdata/fuzz when MOTCUA_WRITE_SEEDS=1, so "make fuzz" starts from them.
func TestWriteSeedCorpus(t *testing.T) {
	if os.Getenv("MOTCUA_WRITE_SEEDS") != "1" {
		return
	}
	write := func(target string, seeds []string) {
		dir := filepath.Join("testdata", "fuzz", target)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for i, s := range seeds {
			body := fmt.Sprintf("go test fuzz v1\nstring(%q)\n", s)
			if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("seed%02d", i)), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	var qr []string
	for _, c := range qrCases {
		qr = append(qr, c.in)
	}
	write("FuzzParseQR", qr)
	write("FuzzParseMRZ", []string{icaoSpecimen, vnMRZ(), replaceAt(icaoSpecimen, 1, 29, '7')})
}
