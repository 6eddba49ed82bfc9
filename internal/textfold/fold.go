// Package textfold folds Vietnamese text for search: lower case, no
// diacritics, đ → d, runs of white space collapsed to one space.
//
// modernc SQLite folds case for ASCII only and FTS5's remove_diacritics leaves
// đ alone, so every searchable column is stored a second time folded by this
// package and queries are folded the same way.
package textfold

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// base maps every precomposed Vietnamese letter (and common Latin-1 ones) to
// its bare ASCII letter, already lower case.
var base = map[rune]rune{}

func init() {
	groups := map[rune]string{
		'a': "aàáảãạăằắẳẵặâầấẩẫậAÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬäåÄÅ",
		'e': "eèéẻẽẹêềếểễệEÈÉẺẼẸÊỀẾỂỄỆëË",
		'i': "iìíỉĩịIÌÍỈĨỊïîÏÎ",
		'o': "oòóỏõọôồốổỗộơờớởỡợOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢöÖ",
		'u': "uùúủũụưừứửữựUÙÚỦŨỤƯỪỨỬỮỰüûÜÛ",
		'y': "yỳýỷỹỵYỲÝỶỸỴÿ",
		'd': "dđDĐ",
		'c': "çÇ",
		'n': "ñÑ",
	}
	for b, s := range groups {
		for _, r := range s {
			base[r] = b
		}
	}
}

// Fold returns s lower-cased, without diacritics (precomposed or combining),
// with đ folded to d and white space collapsed and trimmed.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		switch {
		case r == utf8.RuneError:
			continue
		case unicode.Is(unicode.Mn, r): // combining marks of NFD input
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		r = unicode.ToLower(r) // first: a lower-cased letter may have a base (Ÿ → ÿ → y)
		if f, ok := base[r]; ok {
			r = f
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
