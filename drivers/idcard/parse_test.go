package idcard

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/internal/dossier"
)

// Synthetic cards: valid ID numbers (province 001 Hà Nội, century/sex digit
// consistent with the birth date), invented people.
const (
	qr2021   = "001088012345|123456789|Nguyễn Văn An|01011988|Nam|Số 1 Tràng Tiền, Phường Hoàn Kiếm, Hà Nội|15082021"
	qr2024   = "001304012345||Trần Thị Bình|29022004|Nữ|Thôn Đông, Xã Yên Phong, Bắc Ninh|01072024|Trần Văn Cường|Lê Thị Dung|"
	qrSixFld = "079095000123|025123456|Lê Hoàng Nam|31/12/1995|Nam|12 Lý Tự Trọng, Phường Sài Gòn, TP Hồ Chí Minh"
)

var qrCases = []struct {
	name string
	in   string
	want string // JSON, "" when an error is expected
	err  string // field named by the error
}{
	{"a 2021 card with an old ID and an issue date parses every field", qr2021,
		`{"id_number":"001088012345","old_id_number":"123456789","full_name":"Nguyễn Văn An","birth_date":"1988-01-01","sex":"male","address":"Số 1 Tràng Tiền, Phường Hoàn Kiếm, Hà Nội","issue_date":"2021-08-15","source":"qr"}`, ""},
	{"a 2024 card with no old ID and extra parent fields ignores the extras", qr2024,
		`{"id_number":"001304012345","full_name":"Trần Thị Bình","birth_date":"2004-02-29","sex":"female","address":"Thôn Đông, Xã Yên Phong, Bắc Ninh","issue_date":"2024-07-01","source":"qr"}`, ""},
	{"six fields with slashed dates and no issue date are enough", qrSixFld,
		`{"id_number":"079095000123","old_id_number":"025123456","full_name":"Lê Hoàng Nam","birth_date":"1995-12-31","sex":"male","address":"12 Lý Tự Trọng, Phường Sài Gòn, TP Hồ Chí Minh","source":"qr"}`, ""},
	{"NFD text is normalised to NFC", norm.NFD.String(qr2021),
		`{"id_number":"001088012345","old_id_number":"123456789","full_name":"Nguyễn Văn An","birth_date":"1988-01-01","sex":"male","address":"Số 1 Tràng Tiền, Phường Hoàn Kiếm, Hà Nội","issue_date":"2021-08-15","source":"qr"}`, ""},
	{"a BOM and CR LF around the frame are dropped", "\ufeff" + qr2021 + "\r\n",
		`{"id_number":"001088012345","old_id_number":"123456789","full_name":"Nguyễn Văn An","birth_date":"1988-01-01","sex":"male","address":"Số 1 Tràng Tiền, Phường Hoàn Kiếm, Hà Nội","issue_date":"2021-08-15","source":"qr"}`, ""},
	{"a stray CR inside the address becomes a space", strings.Replace(qr2021, "Tràng Tiền,", "Tràng\r\nTiền,", 1),
		`{"id_number":"001088012345","old_id_number":"123456789","full_name":"Nguyễn Văn An","birth_date":"1988-01-01","sex":"male","address":"Số 1 Tràng Tiền, Phường Hoàn Kiếm, Hà Nội","issue_date":"2021-08-15","source":"qr"}`, ""},
	{"dates with dashes and dots are read", "001088012345||Nguyễn Văn An|01-01-1988|Nam|Hà Nội|15.08.2021",
		`{"id_number":"001088012345","full_name":"Nguyễn Văn An","birth_date":"1988-01-01","sex":"male","address":"Hà Nội","issue_date":"2021-08-15","source":"qr"}`, ""},
	{"five fields are refused", "001088012345|123456789|Nguyễn Văn An|01011988|Nam", "", "data"},
	{"an 11-digit ID is refused", "00108801234||Nguyễn Văn An|01011988|Nam|Hà Nội", "", "id_number"},
	{"an ID whose century digit contradicts the birth year is refused", "001288012345||Nguyễn Văn An|01011988|Nam|Hà Nội", "", "id_number"},
	{"an ID whose sex digit contradicts the sex field is refused", "001088012345||Nguyễn Văn An|01011988|Nữ|Hà Nội", "", "id_number"},
	{"30 February is not a date", "001088012345||Nguyễn Văn An|30021988|Nam|Hà Nội", "", "birth_date"},
	{"an unknown sex word is refused", "001088012345||Nguyễn Văn An|01011988|Khác|Hà Nội", "", "sex"},
	{"an empty name is refused", "001088012345|||01011988|Nam|Hà Nội", "", "full_name"},
	{"an old ID of 7 digits is refused", "001088012345|1234567|Nguyễn Văn An|01011988|Nam|Hà Nội", "", "old_id_number"},
	{"an issue date before birth is refused", "001088012345||Nguyễn Văn An|01011988|Nam|Hà Nội|01011980", "", "issue_date"},
	{"invalid UTF-8 is refused", "001088012345||Nguy\xffn|01011988|Nam|Hà Nội", "", "data"},
}

func TestParseQR(t *testing.T) {
	for _, c := range qrCases {
		t.Run(c.name, func(t *testing.T) {
			id, err := Parse(c.in)
			checkResult(t, id, err, c.want, c.err)
		})
	}
}

func checkResult(t *testing.T, id Identity, err error, want, field string) {
	t.Helper()
	if want == "" {
		var fe *FieldError
		if !errors.As(err, &fe) {
			t.Fatalf("got %v, %v; want an error on %s", id, err, field)
		}
		if fe.Field != field {
			t.Fatalf("error names %q (%v), want %q", fe.Field, err, field)
		}
		return
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	got, _ := json.Marshal(id)
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}

// icaoSpecimen is the TD1 specimen of ICAO Doc 9303 Part 5 (Utopia, Anna
// Maria Eriksson), whose check digits come from the standard, not from us.
const icaoSpecimen = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"

func vnMRZ() string {
	l := MRZ(Identity{IDNumber: "001088012345", FullName: "Nguyễn Văn An", Sex: dossier.SexMale,
		BirthDate: Date{1988, 1, 1}, ExpiryDate: Date{2028, 1, 1}})
	return strings.Join(l[:], "\n")
}

// replaceAt changes the character at line, column (0-based) of an MRZ.
func replaceAt(mrz string, line, col int, c byte) string {
	l := strings.Split(mrz, "\n")
	b := []byte(l[line])
	b[col] = c
	l[line] = string(b)
	return strings.Join(l, "\n")
}

func TestParseMRZ(t *testing.T) {
	vn := vnMRZ()
	cases := []struct {
		name, in, want, err string
	}{
		{"the ICAO 9303 specimen passes every check digit", icaoSpecimen,
			`{"full_name":"ERIKSSON ANNA MARIA","birth_date":"1974-08-12","sex":"female","expiry_date":"2012-04-15","source":"mrz"}`, ""},
		{"a Vietnamese card gives the 12-digit ID from the optional data", vn,
			`{"id_number":"001088012345","full_name":"NGUYEN VAN AN","birth_date":"1988-01-01","sex":"male","expiry_date":"2028-01-01","source":"mrz"}`, ""},
		{"the three lines run together are read", strings.ReplaceAll(vn, "\n", ""),
			`{"id_number":"001088012345","full_name":"NGUYEN VAN AN","birth_date":"1988-01-01","sex":"male","expiry_date":"2028-01-01","source":"mrz"}`, ""},
		{"CR LF line ends and lower case from a wedge scanner are read", strings.ToLower(strings.ReplaceAll(vn, "\n", "\r\n")) + "\r\n",
			`{"id_number":"001088012345","full_name":"NGUYEN VAN AN","birth_date":"1988-01-01","sex":"male","expiry_date":"2028-01-01","source":"mrz"}`, ""},
		{"a wrong document number check digit is refused", replaceAt(icaoSpecimen, 0, 14, '8'), "", "document_number"},
		{"a wrong birth date check digit is refused", replaceAt(icaoSpecimen, 1, 6, '3'), "", "birth_date"},
		{"a wrong expiry check digit is refused", replaceAt(icaoSpecimen, 1, 14, '0'), "", "expiry_date"},
		{"a wrong composite check digit is refused", replaceAt(icaoSpecimen, 1, 29, '7'), "", "composite"},
		{"a changed digit of the ID number breaks the composite", replaceAt(vn, 0, 20, '9'), "", "composite"},
		{"two lines are not an MRZ", strings.Join(strings.Split(vn, "\n")[:2], "\n"), "", "data"},
		{"a 29-character line is not an MRZ", strings.Replace(vn, "<\n", "\n", 1), "", "data"},
		{"a passport-style first letter is refused", replaceAt(icaoSpecimen, 0, 0, 'P'), "", "document_code"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id, err := Parse(c.in)
			checkResult(t, id, err, c.want, c.err)
		})
	}
}

func TestCheckDigitMatchesTheICAOExamples(t *testing.T) {
	// Doc 9303 Part 3, 4.9: "520727" → 3; the specimen's document number.
	for in, want := range map[string]byte{"520727": '3', "D23145890": '7', "740812": '2', "120415": '9'} {
		if got := checkDigit(in); got != want {
			t.Errorf("checkDigit(%q) = %c, want %c", in, got, want)
		}
	}
}

func TestCrossCheck(t *testing.T) {
	qr, err := ParseQR(qr2021)
	if err != nil {
		t.Fatal(err)
	}
	mrz, err := ParseMRZ(vnMRZ())
	if err != nil {
		t.Fatal(err)
	}
	t.Run("the QR and MRZ of one card agree and merge", func(t *testing.T) {
		m, err := Merge(qr, mrz)
		if err != nil {
			t.Fatal(err)
		}
		if m.FullName != "Nguyễn Văn An" || m.ExpiryDate != (Date{2028, 1, 1}) || m.Address == "" {
			t.Fatalf("merged %+v", m)
		}
	})
	t.Run("a different name is a mismatch on full_name", func(t *testing.T) {
		other := mrz
		other.FullName = "NGUYEN VAN BINH"
		var mm *Mismatch
		if err := CrossCheck(qr, other); !errors.As(err, &mm) || mm.Field != "full_name" {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a different birth date is a mismatch on birth_date", func(t *testing.T) {
		other := mrz
		other.BirthDate = Date{1988, 1, 2}
		if err := CrossCheck(qr, other); err == nil || !strings.Contains(err.Error(), "birth_date") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestLooksLikeCard(t *testing.T) {
	for in, want := range map[string]bool{
		qr2021:             true,
		vnMRZ():            true,
		"Nguyễn Văn An":    false,
		"0912345678":       false,
		"a|b|c|d|e|f":      false,
		"001088012345|a|b": false,
	} {
		if got := LooksLikeCard(in); got != want {
			t.Errorf("LooksLikeCard(%q) = %v", in, got)
		}
	}
}
