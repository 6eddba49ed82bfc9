package citizen

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/dossier"
)

// Errors of name checks. ErrNameEmpty is the dossier package's
// ErrNameRequired.
var (
	ErrNameEmpty = dossier.ErrNameRequired
	ErrNameChars = errors.New("name has characters other than letters, spaces, '-', '.' and apostrophes")
	ErrNameLong  = errors.New("name is longer than 100 characters")
)

// MaxNameLen is the longest name accepted, in runes.
const MaxNameLen = 100

// NormalizeName trims a personal name, collapses runs of white space to one
// space and writes every word with a capital initial and lower-case rest:
// "  nguyễn   VĂN a " becomes "Nguyễn Văn A". A letter after '-' or an
// apostrophe also starts a word, as in ethnic names ("H'Hen Niê", "Y-Moan").
// Runes are kept as they are, so decomposed (NFD) input stays decomposed.
func NormalizeName(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	start := true // the next letter starts a word
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			start = true
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		switch {
		case unicode.IsLetter(r):
			if start {
				r = unicode.ToUpper(r)
			} else {
				r = unicode.ToLower(r)
			}
			start = false
		case unicode.Is(unicode.Mn, r):
			// a combining mark belongs to the letter before it
		default:
			start = r == '-' || isApostrophe(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// ValidateName checks a personal name: not empty once trimmed, at most
// MaxNameLen runes, made only of letters (with their combining marks),
// spaces, '-', '.' and apostrophes.
func ValidateName(s string) error {
	s = strings.TrimSpace(s)
	if s == "" {
		return ErrNameEmpty
	}
	if !utf8.ValidString(s) {
		return ErrNameChars
	}
	if utf8.RuneCountInString(s) > MaxNameLen {
		return ErrNameLong
	}
	letters := 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			letters++
		case unicode.Is(unicode.Mn, r), r == ' ', r == '-', r == '.', isApostrophe(r):
		default:
			return ErrNameChars
		}
	}
	if letters == 0 {
		return ErrNameChars
	}
	return nil
}

func isApostrophe(r rune) bool { return r == '\'' || r == '\u2019' }
