package receipt

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/signintech/gopdf"
	"golang.org/x/text/unicode/norm"

	"github.com/motcua/motcua/assets"
)

// This file is the small layout engine the forms share: a cursor that flows
// down A4 pages, word wrapping with mixed regular/bold/italic runs, and
// tables whose rows move to (or split across) the next page instead of
// running into the bottom margin. Units are PDF points (1/72 inch).

type style int

const (
	regular style = iota
	bold
	italic
)

var families = [...]string{regular: "noto", bold: "noto-bold", italic: "noto-italic"}

// fontContainer parses the embedded Noto Sans faces once per process; each
// document then embeds only the glyphs it uses (gopdf subsets).
var fontContainer = sync.OnceValues(func() (*gopdf.FontContainer, error) {
	fc := new(gopdf.FontContainer)
	for st, file := range [...]string{regular: "NotoSans-Regular.ttf", bold: "NotoSans-Bold.ttf", italic: "NotoSans-Italic.ttf"} {
		if err := fc.AddTTFFontData(families[st], assets.MustRead("fonts/"+file)); err != nil {
			return nil, fmt.Errorf("load font %s: %w", file, err)
		}
	}
	return fc, nil
})

type align int

const (
	alignLeft align = iota
	alignCenter
	alignRight
)

// span is a run of text in one style.
type span struct {
	text string
	st   style
}

func r(s string) span { return span{s, regular} }
func b(s string) span { return span{s, bold} }
func i(s string) span { return span{s, italic} }

// Geometry of an A4 page as Vietnamese administrative documents lay it out
// (Decree 30/2020: top and bottom 20 mm, left 30 mm, right 15 mm).
const (
	mm         = 72 / 25.4
	pageW      = 595.28
	pageH      = 841.89
	marginTop  = 20 * mm
	marginBot  = 20 * mm
	marginLeft = 30 * mm
	marginRigh = 15 * mm
	leading    = 1.3  // line height / font size
	ascent     = 0.98 // baseline below a line's top / font size
)

// sheet is a document being laid out. Drawing methods record the first
// error and then do nothing, so form code reads as a list of what to draw;
// check err once at the end.
type sheet struct {
	pdf                      *gopdf.GoPdf
	left, right, top, bottom float64 // printable area
	y                        float64 // top of the next line
	err                      error
	// onBreak draws what a continuation page starts with; it runs after
	// every page break that the flow (not the form) causes and moves the
	// cursor down by breakH.
	onBreak func()
	breakH  float64
}

func newSheet() (*sheet, error) {
	fc, err := fontContainer()
	if err != nil {
		return nil, err
	}
	pdf := new(gopdf.GoPdf)
	pdf.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: pageW, H: pageH}})
	for _, f := range families {
		if err := pdf.AddTTFFontFromFontContainer(f, fc); err != nil {
			return nil, fmt.Errorf("add font %s: %w", f, err)
		}
	}
	pdf.SetTextColor(0, 0, 0) // text then carries its own colour, unaffected by fills
	return &sheet{
		pdf: pdf, left: marginLeft, right: pageW - marginRigh,
		top: marginTop, bottom: pageH - marginBot,
	}, nil
}

func (s *sheet) fail(err error) {
	if s.err == nil && err != nil {
		s.err = err
	}
}

func (s *sheet) width() float64 { return s.right - s.left }

// newPage starts a page with the cursor at its top.
func (s *sheet) newPage() {
	s.pdf.AddPage()
	s.y = s.top
}

// pageNo is the 1-based number of the current (last) page.
func (s *sheet) pageNo() int { return s.pdf.GetNumberOfPages() }

// breakPage continues the flow on a new page.
func (s *sheet) breakPage() {
	s.newPage()
	if s.onBreak != nil {
		s.onBreak()
	}
}

// ensure breaks the page unless h more points fit above the bottom margin.
func (s *sheet) ensure(h float64) {
	if s.y+h > s.bottom {
		s.breakPage()
	}
}

func (s *sheet) setFont(st style, size float64) {
	s.fail(s.pdf.SetFont(families[st], "", size))
}

func (s *sheet) measure(st style, size float64, text string) float64 {
	if s.err != nil || text == "" {
		return 0
	}
	s.setFont(st, size)
	w, err := s.pdf.MeasureTextWidth(text)
	s.fail(err)
	return w
}

// textAt draws one line of text whose line box starts at top.
func (s *sheet) textAt(x, top float64, st style, size float64, text string) {
	if s.err != nil || text == "" {
		return
	}
	s.setFont(st, size)
	s.pdf.SetXY(x, top+ascent*size)
	s.fail(s.pdf.Text(text))
}

// line draws a straight line of the given width in points.
func (s *sheet) line(x1, y1, x2, y2, w float64) {
	if s.err != nil {
		return
	}
	s.pdf.SetLineWidth(w)
	s.pdf.SetStrokeColor(0, 0, 0)
	s.pdf.Line(x1, y1, x2, y2)
}

// rect draws a rectangle: style "D" stroke, "F" fill (with grey g, 0 black
// to 1 white), "FD" both.
func (s *sheet) rect(x, y, w, h float64, style string, g float64) {
	if s.err != nil {
		return
	}
	c := uint8(g * 255)
	s.pdf.SetFillColor(c, c, c)
	s.pdf.SetStrokeColor(0, 0, 0)
	s.pdf.SetLineWidth(0.5)
	s.pdf.RectFromUpperLeftWithStyle(x, y, w, h, style)
}

// placed is a run positioned on a line, dx from the line's start.
type placed struct {
	dx   float64
	st   style
	text string
}

type textLine struct {
	runs  []placed
	width float64
}

// wrap lays spans out in lines of at most w points; lines after the first
// start indent points further right (and are that much narrower). Runs of
// white space collapse to one space; a word wider than a line is cut between
// characters.
func (s *sheet) wrap(spans []span, size, w, indent float64) []textLine {
	type word struct {
		text string
		st   style
		w    float64
		glue bool // no space before it (continuation of a cut word or adjoining span)
	}
	var words []word
	spaceBefore := true // a span that neither ends nor starts with space glues on
	for _, sp := range spans {
		text := sp.text
		if text == "" {
			continue
		}
		if first, _ := utf8.DecodeRuneInString(text); unicode.IsSpace(first) {
			spaceBefore = true
		}
		for n, f := range strings.Fields(text) {
			glue := n == 0 && !spaceBefore
			words = append(words, word{f, sp.st, s.measure(sp.st, size, f), glue})
		}
		last, _ := utf8.DecodeLastRuneInString(text)
		spaceBefore = unicode.IsSpace(last)
	}
	var lines []textLine
	cur := textLine{}
	limit := w
	flush := func() {
		lines = append(lines, cur)
		cur = textLine{}
		limit = w - indent
	}
	for k := 0; k < len(words); k++ {
		wd := words[k]
		gap := 0.0
		if len(cur.runs) > 0 && !wd.glue {
			gap = s.measure(wd.st, size, " ")
		}
		if cur.width+gap+wd.w <= limit {
			cur.runs = append(cur.runs, placed{cur.width + gap, wd.st, wd.text})
			cur.width += gap + wd.w
			continue
		}
		if len(cur.runs) > 0 && wd.w <= limit && !wd.glue {
			flush()
			k-- // retry on the fresh line
			continue
		}
		// Cut the word: as many runes as fit on this line, the rest retried.
		room := limit - cur.width - gap
		rs := []rune(wd.text)
		n := 0
		for n < len(rs) && s.measure(wd.st, size, string(rs[:n+1])) <= room {
			n++
		}
		if n == 0 {
			if len(cur.runs) == 0 {
				n = 1 // not even one character fits an empty line: overflow rather than loop
			} else {
				flush()
				k--
				continue
			}
		}
		head := string(rs[:n])
		hw := s.measure(wd.st, size, head)
		cur.runs = append(cur.runs, placed{cur.width + gap, wd.st, head})
		cur.width += gap + hw
		if n < len(rs) {
			tail := string(rs[n:])
			words[k] = word{tail, wd.st, s.measure(wd.st, size, tail), true}
			flush()
			k--
		}
	}
	if len(cur.runs) > 0 || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

// drawLine draws a wrapped line with its box's top at top, aligned in [x, x+w].
func (s *sheet) drawLine(l textLine, x, top, w float64, size float64, a align) {
	switch a {
	case alignCenter:
		x += (w - l.width) / 2
	case alignRight:
		x += w - l.width
	}
	for _, r := range l.runs {
		s.textAt(x+r.dx, top, r.st, size, r.text)
	}
}

// para flows spans at the cursor from x, w wide, breaking pages between
// lines. Continuation lines are indented by indent.
func (s *sheet) para(x, w, size float64, a align, indent float64, spans ...span) {
	lh := size * leading
	for n, l := range s.wrap(spans, size, w, indent) {
		s.ensure(lh)
		dx := 0.0
		if n > 0 {
			dx = indent
		}
		s.drawLine(l, x+dx, s.y, w-dx, size, a)
		s.y += lh
	}
}

// block draws spans at a fixed place, without page breaks, and returns the
// y below it. The caller makes sure it fits.
func (s *sheet) block(x, y, w, size float64, a align, spans ...span) float64 {
	lh := size * leading
	for _, l := range s.wrap(spans, size, w, 0) {
		s.drawLine(l, x, y, w, size, a)
		y += lh
	}
	return y
}

// blockHeight is the height block would take.
func (s *sheet) blockHeight(w, size float64, spans ...span) float64 {
	return float64(len(s.wrap(spans, size, w, 0))) * size * leading
}

// column of a table.
type column struct {
	title string
	w     float64 // points; one column may be 0 to take what is left
	align align
}

const cellPad = 3.0

// table draws a bordered table at the cursor, full width, with a grey
// header row that is repeated on every page the table continues on. A row
// that does not fit moves to the next page; a row taller than a whole page
// is split between lines.
func (s *sheet) table(cols []column, size float64, rows [][]string) {
	widths := make([]float64, len(cols))
	rest, flex := s.width(), -1
	for k, c := range cols {
		widths[k] = c.w
		rest -= c.w
		if c.w == 0 {
			flex = k
		}
	}
	if flex >= 0 {
		widths[flex] = rest
	}
	lh := size * leading

	drawRow := func(cells [][]textLine, from, n int, fill bool) {
		h := float64(n)*lh + 2*cellPad
		x := s.left
		for k := range cols {
			if fill {
				s.rect(x, s.y, widths[k], h, "FD", 0.9)
			} else {
				s.rect(x, s.y, widths[k], h, "D", 1)
			}
			for j := from; j < from+n && j < len(cells[k]); j++ {
				s.drawLine(cells[k][j], x+cellPad, s.y+cellPad+float64(j-from)*lh, widths[k]-2*cellPad, size, cols[k].align)
			}
			x += widths[k]
		}
		s.y += h
	}
	layoutRow := func(texts []string, st style) ([][]textLine, int) {
		cells := make([][]textLine, len(cols))
		n := 1
		for k := range cols {
			t := ""
			if k < len(texts) {
				t = texts[k]
			}
			cells[k] = s.wrap([]span{{t, st}}, size, widths[k]-2*cellPad, 0)
			n = max(n, len(cells[k]))
		}
		return cells, n
	}
	titles := make([]string, len(cols))
	for k, c := range cols {
		titles[k] = c.title
	}
	head, headN := layoutRow(titles, bold)
	headH := float64(headN)*lh + 2*cellPad
	header := func() { drawRow(head, 0, headN, true) }

	// Keep the header with at least one row.
	s.ensure(headH + lh + 2*cellPad)
	header()
	freshRoom := s.bottom - s.top - s.breakH - headH
	for _, row := range rows {
		cells, n := layoutRow(row, regular)
		h := float64(n)*lh + 2*cellPad
		if s.y+h > s.bottom && h <= freshRoom {
			s.breakPage()
			header()
		}
		for from := 0; from < n && s.err == nil; {
			fit := int((s.bottom - s.y - 2*cellPad) / lh)
			if fit < 1 {
				s.breakPage()
				header()
				continue
			}
			k := min(fit, n-from)
			drawRow(cells, from, k, false)
			from += k
		}
	}
}

// clean makes outside text printable: NFC (so Vietnamese letters typed with
// combining marks use the font's precomposed glyphs), control characters
// turned into spaces, surrounding space trimmed.
func clean(t string) string {
	t = norm.NFC.String(t)
	t = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, t)
	return strings.TrimSpace(t)
}
