package citizen

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
)

var idCases = []struct {
	name string
	in   string
	want IDInfo
	err  error
}{
	{"a man born 1989 in Hà Nội", "001089012345", IDInfo{"001", "Hà Nội", dossier.SexMale, 1989}, nil},
	{"a woman born 1989 in Hà Nội", "001189012345", IDInfo{"001", "Hà Nội", dossier.SexFemale, 1989}, nil},
	{"a boy born 2003 in Hồ Chí Minh city", "079203000123", IDInfo{"079", "Hồ Chí Minh", dossier.SexMale, 2003}, nil},
	{"a girl born 2024 in Cà Mau", "096324999999", IDInfo{"096", "Cà Mau", dossier.SexFemale, 2024}, nil},
	{"digit 4 is a man of the 2100s", "048400000001", IDInfo{"048", "Đà Nẵng", dossier.SexMale, 2100}, nil},
	{"digit 7 is a woman of the 2200s", "038799000001", IDInfo{"038", "Thanh Hóa", dossier.SexFemale, 2299}, nil},
	{"digit 8 is a man of the 2300s as the circular says", "001805000001", IDInfo{"001", "Hà Nội", dossier.SexMale, 2305}, nil},
	{"digit 9 is a woman of the 2300s", "001905000001", IDInfo{"001", "Hà Nội", dossier.SexFemale, 2305}, nil},
	{"surrounding spaces are ignored", "  031095123456\n", IDInfo{"031", "Hải Phòng", dossier.SexMale, 1995}, nil},
	{"an old 9-digit number is refused", "012345678", IDInfo{}, ErrIDFormat},
	{"13 digits are refused", "0010890123456", IDInfo{}, ErrIDFormat},
	{"inner spaces are refused", "001 089 012345", IDInfo{}, ErrIDFormat},
	{"a letter is refused", "00108901234A", IDInfo{}, ErrIDFormat},
	{"full-width digits are refused", "００１０８９０１２３４５", IDInfo{}, ErrIDFormat},
	{"empty is refused", "", IDInfo{}, ErrIDFormat},
	{"province code 003 does not exist", "003089012345", IDInfo{}, ErrIDProvince},
	{"province code 000 does not exist", "000089012345", IDInfo{}, ErrIDProvince},
	{"province code 097 does not exist", "097089012345", IDInfo{}, ErrIDProvince},
}

func TestParseID(t *testing.T) {
	for _, tt := range idCases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseID(tt.in)
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Fatalf("ParseID(%q) error = %v, want %v", tt.in, err, tt.err)
			}
			if got != tt.want {
				t.Fatalf("ParseID(%q) = %+v, want %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestProvinceTableHasTheSixtyThreeCodes(t *testing.T) {
	if len(provinces) != 63 {
		t.Fatalf("%d province codes, want 63", len(provinces))
	}
	names := map[string]string{}
	for code, name := range provinces {
		if len(code) != 3 || !digits(code) || code < "001" || code > "096" {
			t.Errorf("bad code %q", code)
		}
		if prev, dup := names[name]; dup {
			t.Errorf("%q is the name of %s and %s", name, prev, code)
		}
		names[name] = code
		id := code + "089000001"
		info, err := ParseID(id)
		if err != nil || info.ProvinceName != name {
			t.Errorf("ParseID(%s) = %+v, %v", id, info, err)
		}
	}
	for code, name := range map[string]string{"001": "Hà Nội", "079": "Hồ Chí Minh", "048": "Đà Nẵng", "092": "Cần Thơ"} {
		if got, ok := ProvinceName(code); !ok || got != name {
			t.Errorf("ProvinceName(%s) = %q, %v; want %q", code, got, ok, name)
		}
	}
}

func TestValidateID(t *testing.T) {
	vn := time.FixedZone("ICT", 7*3600)
	born1989 := time.Date(1989, 3, 14, 0, 0, 0, 0, vn)
	tests := []struct {
		name  string
		id    string
		birth time.Time
		sex   dossier.Sex
		err   error
	}{
		{"matching year and sex pass", "001089012345", born1989, dossier.SexMale, nil},
		{"zero birth skips the year check", "001089012345", time.Time{}, dossier.SexMale, nil},
		{"unknown sex skips the sex check", "001189012345", born1989, dossier.SexUnknown, nil},
		{"a year one century off is caught", "001289012345", born1989, dossier.SexMale, ErrIDBirthYear},
		{"a year one off is caught", "001090012345", born1989, dossier.SexMale, ErrIDBirthYear},
		{"a woman's number for a man is caught", "001189012345", born1989, dossier.SexMale, ErrIDSex},
		{"a man's number for a woman is caught", "001089012345", born1989, dossier.SexFemale, ErrIDSex},
		{"format errors come first", "0010890", born1989, dossier.SexMale, ErrIDFormat},
		{"province errors come before consistency", "099089012345", born1989, dossier.SexFemale, ErrIDProvince},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateID(tt.id, tt.birth, tt.sex)
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Fatalf("ValidateID(%q) = %v, want %v", tt.id, err, tt.err)
			}
		})
	}
}

func TestValidateIDAcceptsEveryCenturyDigitForItsOwnYear(t *testing.T) {
	for g := 0; g <= 9; g++ {
		century := 1900 + 100*(g/2)
		sex := dossier.SexMale
		if g%2 == 1 {
			sex = dossier.SexFemale
		}
		id := fmt.Sprintf("001%d42000001", g)
		birth := time.Date(century+42, 1, 1, 0, 0, 0, 0, time.UTC)
		if err := ValidateID(id, birth, sex); err != nil {
			t.Errorf("ValidateID(%s, %d, %v) = %v", id, birth.Year(), sex, err)
		}
	}
}

func FuzzParseID(f *testing.F) {
	for _, tt := range idCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		info, err := ParseID(s)
		if err != nil {
			if !errors.Is(err, ErrIDFormat) && !errors.Is(err, ErrIDProvince) {
				t.Fatalf("ParseID(%q) returned an unclassified error %v", s, err)
			}
			return
		}
		if info.BirthYear < 1900 || info.BirthYear > 2399 {
			t.Fatalf("ParseID(%q) birth year %d out of range", s, info.BirthYear)
		}
		if info.Sex != dossier.SexMale && info.Sex != dossier.SexFemale {
			t.Fatalf("ParseID(%q) sex %v", s, info.Sex)
		}
		birth := time.Date(info.BirthYear, 6, 1, 0, 0, 0, 0, time.UTC)
		if err := ValidateID(s, birth, info.Sex); err != nil {
			t.Fatalf("ParseID(%q) = %+v but ValidateID with the same facts fails: %v", s, info, err)
		}
	})
}
