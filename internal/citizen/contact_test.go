package citizen

import (
	"errors"
	"testing"
)

var phoneCases = []struct {
	name string
	in   string
	want string // "" means ErrPhone
}{
	{"a plain Viettel mobile", "0912345678", "0912345678"},
	{"a mobile written with spaces", "091 234 5678", "0912345678"},
	{"a mobile written with dots", "0912.345.678", "0912345678"},
	{"a mobile written with dashes", "0389-123-456", "0389123456"},
	{"plus 84 prefix", "+84912345678", "0912345678"},
	{"plus 84 with spaces", "+84 91 234 5678", "0912345678"},
	{"plus 84 followed by the national zero", "+84 (0) 912 345 678", "0912345678"},
	{"84 prefix without plus", "84912345678", "0912345678"},
	{"0084 prefix", "0084912345678", "0912345678"},
	{"a VinaPhone 084 number keeps its zero", "0845123456", "0845123456"},
	{"a 05 mobile", "0561234567", "0561234567"},
	{"a 07 mobile", "0701234567", "0701234567"},
	{"a Hà Nội landline", "024 3825 1234", "02438251234"},
	{"a landline in parentheses", "(028) 3823-4567", "02838234567"},
	{"a landline with 84 prefix", "84 28 3823 4567", "02838234567"},
	{"surrounding spaces", "  0912345678 ", "0912345678"},
	{"an old 11-digit mobile is refused", "01689123456", ""},
	{"a 9-digit number is refused", "091234567", ""},
	{"an 11-digit mobile is refused", "09123456789", ""},
	{"a 10-digit landline is refused", "0243825123", ""},
	{"06 is not a mobile prefix", "0612345678", ""},
	{"04 is not a mobile prefix", "0412345678", ""},
	{"letters are refused", "09123abc78", ""},
	{"a foreign number is refused", "+1 202 555 0100", ""},
	{"a plus inside is refused", "09+12345678", ""},
	{"empty is refused", "", ""},
	{"only separators are refused", " - . ", ""},
	{"very long input is refused", "0912345678                                                                  ", ""},
}

func TestNormalizePhone(t *testing.T) {
	for _, tt := range phoneCases {
		t.Run(tt.name, func(t *testing.T) {
			got, err := NormalizePhone(tt.in)
			if tt.want == "" {
				if !errors.Is(err, ErrPhone) {
					t.Fatalf("NormalizePhone(%q) = %q, %v; want ErrPhone", tt.in, got, err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("NormalizePhone(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func FuzzNormalizePhone(f *testing.F) {
	for _, tt := range phoneCases {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := NormalizePhone(s)
		if err != nil {
			if !errors.Is(err, ErrPhone) {
				t.Fatalf("NormalizePhone(%q) returned %v", s, err)
			}
			return
		}
		if !digits(n) || n[0] != '0' || (len(n) != 10 && len(n) != 11) {
			t.Fatalf("NormalizePhone(%q) = %q, not a national number", s, n)
		}
		again, err := NormalizePhone(n)
		if err != nil || again != n {
			t.Fatalf("NormalizePhone not idempotent: %q -> %q -> %q, %v", s, n, again, err)
		}
	})
}

func TestValidateEmail(t *testing.T) {
	tests := []struct {
		name string
		in   string
		ok   bool
	}{
		{"a plain address", "an.nguyen@example.vn", true},
		{"a plus tag", "an+motcua@gmail.com", true},
		{"a subdomain", "vanthu@ubnd.xa-a.gov.vn", true},
		{"surrounding spaces are trimmed", "  an@example.vn ", true},
		{"no at sign", "an.example.vn", false},
		{"no domain dot", "an@localhost", false},
		{"a display name", "An Nguyen <an@example.vn>", false},
		{"angle brackets", "<an@example.vn>", false},
		{"two at signs", "an@@example.vn", false},
		{"empty local part", "@example.vn", false},
		{"domain ends with a dot", "an@example.vn.", false},
		{"double dot in the domain", "an@example..vn", false},
		{"inner space", "an nguyen@example.vn", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateEmail(tt.in)
			if tt.ok != (err == nil) {
				t.Fatalf("ValidateEmail(%q) = %v, want ok=%v", tt.in, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrEmail) {
				t.Fatalf("ValidateEmail(%q) = %v, not ErrEmail", tt.in, err)
			}
		})
	}
}
