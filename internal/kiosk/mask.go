package kiosk

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaskName masks a Vietnamese full name for a public screen: the family name
// (first word) stays, every other word keeps only its first letter followed
// by a fixed number of stars, so neither the letters nor the lengths of the
// given names show: "Nguyễn Văn An" → "Nguyễn V*** A**". A one-word name
// keeps its first letter only.
func MaskName(full string) string {
	words := strings.Fields(norm.NFC.String(full))
	if len(words) == 0 {
		return ""
	}
	if len(words) == 1 {
		return firstRune(words[0]) + "***"
	}
	out := make([]string, len(words))
	out[0] = words[0]
	for i := 1; i < len(words); i++ {
		stars := "***"
		if i == len(words)-1 {
			stars = "**"
		}
		out[i] = firstRune(words[i]) + stars
	}
	return strings.Join(out, " ")
}

func firstRune(w string) string {
	r, _ := utf8.DecodeRuneInString(w)
	if r == utf8.RuneError {
		return ""
	}
	return string(unicode.ToUpper(r))
}

// lastDigits returns the last n digits of s (other characters ignored), or
// "" when s has fewer than n digits.
func lastDigits(s string, n int) string {
	var d []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			d = append(d, s[i])
		}
	}
	if len(d) < n {
		return ""
	}
	return string(d[len(d)-n:])
}
