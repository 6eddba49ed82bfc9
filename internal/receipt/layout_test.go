package receipt

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var wrapCases = []struct {
	name  string
	spans []span
	width float64
	wraps bool // more than one line
}{
	{"a short line stays one line", []span{r("Số định danh cá nhân: "), b("001186012345")}, 400, false},
	{"a long address wraps", []span{r("Địa chỉ: "), r(strings.Repeat("Thôn Thượng Phúc, xã Tả Thanh Oai, ", 4))}, 300, true},
	{"a word wider than the line is cut", []span{r(strings.Repeat("ư", 80))}, 100, true},
	{"empty text is one empty line", nil, 100, false},
}

func TestWrapKeepsEveryCharacterWithinTheWidth(t *testing.T) {
	s, err := newSheet()
	if err != nil {
		t.Fatal(err)
	}
	s.newPage()
	for _, tt := range wrapCases {
		t.Run(tt.name, func(t *testing.T) {
			lines := s.wrap(tt.spans, 11, tt.width, 0)
			checkWrap(t, s, tt.spans, tt.width, lines)
			if got := len(lines) > 1; got != tt.wraps {
				t.Errorf("%d lines, want wrapping %v", len(lines), tt.wraps)
			}
		})
	}
}

// checkWrap asserts that lines hold exactly the non-space characters of
// spans, in order, and that no line is wider than width unless it is a
// single character.
func checkWrap(t *testing.T, s *sheet, spans []span, width float64, lines []textLine) {
	t.Helper()
	var want, got strings.Builder
	for _, sp := range spans {
		want.WriteString(strings.Join(strings.Fields(sp.text), ""))
	}
	for n, l := range lines {
		for _, r := range l.runs {
			got.WriteString(r.text)
		}
		end := 0.0
		if k := len(l.runs) - 1; k >= 0 {
			end = l.runs[k].dx + s.measure(l.runs[k].st, 11, l.runs[k].text)
		}
		if end > width+0.01 && !(len(l.runs) == 1 && utf8.RuneCountInString(l.runs[0].text) == 1) {
			t.Fatalf("line %d is %.2f pt wide, more than %.2f: %+v", n, end, width, l.runs)
		}
	}
	if got.String() != want.String() {
		t.Fatalf("wrapping changed the text:\n got %q\nwant %q", got.String(), want.String())
	}
}

func FuzzWrap(f *testing.F) {
	for _, tt := range wrapCases {
		var a, c string
		if len(tt.spans) > 0 {
			a = tt.spans[0].text
		}
		if len(tt.spans) > 1 {
			c = tt.spans[1].text
		}
		f.Add(a, c, uint16(tt.width))
	}
	s, err := newSheet()
	if err != nil {
		f.Fatal(err)
	}
	s.newPage()
	f.Fuzz(func(t *testing.T, a, c string, width uint16) {
		if !utf8.ValidString(a) || !utf8.ValidString(c) || len(a)+len(c) > 2000 {
			return
		}
		spans := []span{r(clean(a)), b(clean(c))}
		w := float64(width%500) + 1
		lines := s.wrap(spans, 11, w, 0)
		if s.err != nil {
			t.Fatalf("wrap(%q, %q): %v", a, c, s.err)
		}
		checkWrap(t, s, spans, w, lines)
	})
}

func TestWrapSpacesOnlyWhereTheTextHasSpace(t *testing.T) {
	s, err := newSheet()
	if err != nil {
		t.Fatal(err)
	}
	s.newPage()
	for _, tt := range []struct {
		name  string
		spans []span
		want  string // words joined as drawn, "_" where a space is
	}{
		{"a label ending in a space", []span{r("Mã hồ sơ: "), b("G22-261123-1001")}, "Mã_hồ_sơ:_G22-261123-1001"},
		{"a span ending in à glues on", []span{r("Hà"), b("Nội")}, "HàNội"},
		{"a span ending in Å glues on", []span{r("Å"), r("x")}, "Åx"},
		{"a value starting with a space", []span{r("Email:"), r(" a@b.vn")}, "Email:_a@b.vn"},
		{"a no-break space separates", []span{r("Tổ\u00a0dân"), r("\u00a0phố")}, "Tổ_dân_phố"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			lines := s.wrap(tt.spans, 11, 1000, 0)
			if len(lines) != 1 {
				t.Fatalf("%d lines", len(lines))
			}
			var got strings.Builder
			end := 0.0
			for k, p := range lines[0].runs {
				if k > 0 && p.dx > end+0.01 {
					got.WriteString("_")
				}
				got.WriteString(p.text)
				end = p.dx + s.measure(p.st, 11, p.text)
			}
			if got.String() != tt.want {
				t.Fatalf("drawn as %q, want %q", got.String(), tt.want)
			}
		})
	}
}
