package store

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/motcua/motcua/internal/kiosk"
)

// BenchmarkKioskLookup is the kiosk's path from a scanned code to the data
// of its result screen over the million-dossier fixture: parse the scanner's
// text, read the dossier by its code (what kiosk.Service.Lookup and Confirm
// do, twice: once to say it exists, once after the digits), mask the name.
func BenchmarkKioskLookup(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, fixture(b), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var max int64
	if err := s.r.QueryRowContext(ctx, `SELECT max(id) FROM dossiers`).Scan(&max); err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 7))
	codes := make([]string, 1000)
	for i := range codes {
		if err := s.r.QueryRowContext(ctx, `SELECT code FROM dossiers WHERE id = ?`, 1+r.Int64N(max)).Scan(&codes[i]); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		in, err := kiosk.ParseInput(codes[i%len(codes)]+"\r\n", testAgency)
		if err != nil {
			b.Fatal(err)
		}
		for range 2 {
			d, err := s.DossierByCode(ctx, in.Code)
			if err != nil {
				b.Fatal(err)
			}
			_ = kiosk.MaskName(d.Applicant.FullName)
		}
	}
}
