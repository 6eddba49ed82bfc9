package citizen

import (
	"errors"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/dossier"
)

func TestNormalizeName(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"lower case becomes title case", "nguyễn văn a", "Nguyễn Văn A"},
		{"upper case becomes title case", "TRẦN THỊ BÍCH NGỌC", "Trần Thị Bích Ngọc"},
		{"white space is trimmed and collapsed", "  lê \t  đình\n  đức  ", "Lê Đình Đức"},
		{"an initial after đ is upper case", "đặng thị đào", "Đặng Thị Đào"},
		{"an ethnic name with an apostrophe", "h'hen niê", "H'Hen Niê"},
		{"an ethnic name with a hyphen", "y-moan ê ban", "Y-Moan Ê Ban"},
		{"decomposed input keeps its marks", "nguye\u0302\u0303n", "Nguye\u0302\u0303n"},
		{"an abbreviation keeps its dot", "nguyễn v. a", "Nguyễn V. A"},
		{"empty stays empty", "   ", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeName(tt.in); got != tt.want {
				t.Fatalf("NormalizeName(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if got := NormalizeName(tt.want); got != tt.want {
				t.Fatalf("NormalizeName not idempotent on %q: %q", tt.want, got)
			}
		})
	}
}

func TestValidateName(t *testing.T) {
	tests := []struct {
		name string
		in   string
		err  error
	}{
		{"a Vietnamese name", "Nguyễn Văn An", nil},
		{"an ethnic name with an apostrophe", "Ksor H'Luân", nil},
		{"a typographic apostrophe", "H\u2019Hen Niê", nil},
		{"a hyphen and a dot", "Y-Moan V. Ê Ban", nil},
		{"decomposed marks", "Nguye\u0302\u0303n Va\u0306n", nil},
		{"exactly 100 letters", strings.Repeat("a", 100), nil},
		{"empty", "", ErrNameEmpty},
		{"only spaces", "   ", ErrNameEmpty},
		{"101 letters", strings.Repeat("ă", 101), ErrNameLong},
		{"a digit", "Nguyễn Văn 2", ErrNameChars},
		{"a comma", "Nguyễn, Văn", ErrNameChars},
		{"an at sign", "an@example", ErrNameChars},
		{"a control character", "Nguyễn\x00Văn", ErrNameChars},
		{"invalid UTF-8", "Nguy\xffn", ErrNameChars},
		{"punctuation without letters", "- . '", ErrNameChars},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateName(tt.in)
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Fatalf("ValidateName(%q) = %v, want %v", tt.in, err, tt.err)
			}
		})
	}
}

func TestErrNameEmptyIsTheDossierError(t *testing.T) {
	if !errors.Is(ValidateName(""), dossier.ErrNameRequired) {
		t.Fatal("ValidateName(\"\") does not match dossier.ErrNameRequired")
	}
}
