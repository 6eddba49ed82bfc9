package escpos

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/unicode/norm"
)

// Fonts are the TrueType faces tickets are drawn with (the app passes the
// embedded Noto Sans, which has every Vietnamese letter).
type Fonts struct {
	Regular, Bold []byte
}

// Line is one paragraph of a ticket; long lines wrap at word boundaries.
type Line struct {
	Text  string
	Size  float64 // points; 0 = 9
	Bold  bool
	Align Align
}

// Ticket is a slip for a thermal printer: text drawn as a raster image, then
// an optional QR code printed natively, then more text.
type Ticket struct {
	Lines  []Line
	QR     string // printed natively, centred, after Lines
	QRSize int    // module size in dots; 0 = 6
	Footer []Line // after the QR
}

// Render draws lines onto an image dots wide (white paper, black ink).
func (f Fonts) Render(lines []Line, dots int) (*image.Gray, error) {
	fontMu.Lock() // faces are cached and not safe for concurrent use
	defer fontMu.Unlock()
	type drawn struct {
		face  font.Face
		text  string
		align Align
		h     int
	}
	var out []drawn
	total := 0
	for _, l := range lines {
		size := l.Size
		if size == 0 {
			size = 9
		}
		face, err := f.face(l.Bold, size)
		if err != nil {
			return nil, err
		}
		m := face.Metrics()
		lh := (m.Height + m.Height/5).Ceil()
		for _, t := range wrap(face, norm.NFC.String(l.Text), dots-16) {
			out = append(out, drawn{face, t, l.Align, lh})
			total += lh
		}
	}
	img := image.NewGray(image.Rect(0, 0, dots, max(total, 1)))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	y := 0
	for _, d := range out {
		dr := &font.Drawer{Dst: img, Src: image.NewUniform(color.Black), Face: d.face}
		w := dr.MeasureString(d.text).Ceil()
		x := 8
		switch d.align {
		case AlignCenter:
			x = (dots - w) / 2
		case AlignRight:
			x = dots - 8 - w
		}
		dr.Dot = fixed.P(x, y+d.face.Metrics().Ascent.Ceil())
		dr.DrawString(d.text)
		y += d.h
	}
	return img, nil
}

func wrap(face font.Face, s string, width int) []string {
	words := strings.Fields(s)
	if len(words) == 0 {
		return []string{""}
	}
	var lines []string
	cur := ""
	for _, w := range words {
		try := w
		if cur != "" {
			try = cur + " " + w
		}
		if cur != "" && font.MeasureString(face, try).Ceil() > width {
			lines = append(lines, cur)
			cur = w
			continue
		}
		cur = try
	}
	return append(lines, cur)
}

type faceKey struct {
	data *byte // the font file, by identity
	size float64
}

var (
	fontMu    sync.Mutex
	parsed    = map[*byte]*opentype.Font{}
	faceCache = map[faceKey]font.Face{}
)

// face returns a cached face; fontMu must be held.
func (f Fonts) face(bold bool, size float64) (font.Face, error) {
	data := f.Regular
	if bold && len(f.Bold) > 0 {
		data = f.Bold
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("escpos: no font")
	}
	key := faceKey{&data[0], size}
	if fc, ok := faceCache[key]; ok {
		return fc, nil
	}
	ft, ok := parsed[key.data]
	if !ok {
		var err error
		if ft, err = opentype.Parse(data); err != nil {
			return nil, fmt.Errorf("escpos: font: %w", err)
		}
		parsed[key.data] = ft
	}
	fc, err := opentype.NewFace(ft, &opentype.FaceOptions{Size: size, DPI: 203, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("escpos: font: %w", err)
	}
	faceCache[key] = fc
	return fc, nil
}

// Encode makes the ticket's print job for paper dots wide.
func (t Ticket) Encode(f Fonts, dots int) ([]byte, error) {
	return Job(func(e *Encoder) error {
		if len(t.Lines) > 0 {
			img, err := f.Render(t.Lines, dots)
			if err != nil {
				return err
			}
			if err := e.Raster(img); err != nil {
				return err
			}
		}
		if t.QR != "" {
			size := t.QRSize
			if size == 0 {
				size = 6
			}
			// a QR code needs a quiet zone of 4 modules around it: one
			// line feed (34 dots) above and below keeps text off it
			if len(t.Lines) > 0 {
				e.Feed(1)
			}
			e.Align(AlignCenter)
			if err := e.QR([]byte(t.QR), size, QRLevelM); err != nil {
				return err
			}
			e.Align(AlignLeft)
			if len(t.Footer) > 0 {
				e.Feed(1)
			}
		}
		if len(t.Footer) > 0 {
			img, err := f.Render(t.Footer, dots)
			if err != nil {
				return err
			}
			if err := e.Raster(img); err != nil {
				return err
			}
		}
		return nil
	})
}
