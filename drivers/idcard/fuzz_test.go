package idcard

import (
	"encoding/json"
	"strings"
	"testing"
)

// FuzzParseQR: ParseQR never panics, and what it accepts is a coherent
// identity that serialises and parses again to the same record.
func FuzzParseQR(f *testing.F) {
	for _, c := range qrCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseQR(s)
		if err != nil {
			return
		}
		if !isDigits(id.IDNumber, 12) || id.FullName == "" || id.BirthDate.IsZero() || id.Source != OriginQR {
			t.Fatalf("accepted an incomplete identity %+v", id)
		}
		if _, err := json.Marshal(id); err != nil {
			t.Fatal(err)
		}
		again := strings.Join([]string{id.IDNumber, id.OldIDNumber, id.FullName,
			strings.ReplaceAll(id.BirthDate.String(), "-", ""), map[bool]string{true: "Nam", false: "Nữ"}[id.Sex == 1],
			id.Address}, "|")
		// the date field is re-encoded as yyyyMMdd, so compare through Parse
		// of the canonical form instead of the raw input
		b := id.BirthDate
		again = strings.Replace(again, strings.ReplaceAll(b.String(), "-", ""), twoDigit(b.Day)+twoDigit(b.Month)+itoa4(b.Year), 1)
		id2, err := ParseQR(again)
		if err != nil {
			t.Fatalf("canonical form of an accepted read fails: %v", err)
		}
		if id2.IDNumber != id.IDNumber || id2.FullName != id.FullName || id2.BirthDate != id.BirthDate || id2.Address != id.Address {
			t.Fatalf("round trip changed the identity: %+v vs %+v", id, id2)
		}
	})
}

// FuzzParseMRZ: ParseMRZ never panics; what it accepts has a birth date and
// a name, and MRZ() of a Vietnamese identity parses back to itself.
func FuzzParseMRZ(f *testing.F) {
	f.Add(icaoSpecimen)
	f.Add(vnMRZ())
	f.Add(strings.ReplaceAll(vnMRZ(), "\n", ""))
	f.Add(replaceAt(icaoSpecimen, 1, 29, '7'))
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseMRZ(s)
		if err != nil {
			return
		}
		if id.BirthDate.IsZero() || id.FullName == "" || id.Source != OriginMRZ {
			t.Fatalf("accepted an incomplete identity %+v", id)
		}
		if id.IDNumber == "" || len(id.DocumentNumber) != 9 {
			return
		}
		l := MRZ(id)
		id2, err := ParseMRZ(strings.Join(l[:], "\n"))
		if err != nil {
			t.Fatalf("MRZ of an accepted read fails: %v", err)
		}
		if id2.IDNumber != id.IDNumber || id2.BirthDate != id.BirthDate || id2.ExpiryDate != id.ExpiryDate || id2.Sex != id.Sex {
			t.Fatalf("round trip changed the identity: %+v vs %+v", id, id2)
		}
	})
}

func twoDigit(n int) string { return string([]byte{byte('0' + n/10%10), byte('0' + n%10)}) }
func itoa4(n int) string    { return twoDigit(n/100) + twoDigit(n%100) }
