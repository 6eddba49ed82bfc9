package scanner

import (
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
)

// Page is one scanned or imported page.
type Page struct {
	Image image.Image
	DPI   float64 // resolution of Image; 0 = DefaultDPI
}

// DefaultDPI is the resolution pages are stored at.
const DefaultDPI = 200

// Source is where paper is taken from.
type Source int

const (
	Flatbed Source = iota
	Feeder
)

// Opts are the scan options.
type Opts struct {
	DPI    int  // 0 = DefaultDPI
	Colour bool // false = grayscale
	Source Source
	Duplex bool // both sides, where the feeder offers it
	// WidthMM, HeightMM: scan area; 0 = the device's default (A4 where the
	// device allows it).
	WidthMM, HeightMM int
}

// DefaultOpts: grayscale, 200 dpi, flatbed.
func DefaultOpts() Opts { return Opts{DPI: DefaultDPI} }

func (o Opts) dpi() int {
	if o.DPI <= 0 {
		return DefaultDPI
	}
	return o.DPI
}

// Device is a scanner.
type Device interface {
	Scan(ctx context.Context, o Opts) ([]Page, error)
}

// Kind classifies scan errors so a screen can explain them.
type Kind int

const (
	KindOther Kind = iota
	KindNoScanner
	KindNoPaper
	KindBusy
	KindOffline
	KindNoFiles
	KindUnsupported
)

// Error is a scan error with a Kind.
type Error struct {
	Kind Kind
	Err  error
}

func (e *Error) Error() string { return fmt.Sprintf("scan: %v", e.Err) }
func (e *Error) Unwrap() error { return e.Err }

// Explain is the translation key of the clerk's words for the error.
func (e *Error) Explain() string {
	switch e.Kind {
	case KindNoScanner:
		return "devices.scanner.none"
	case KindNoPaper:
		return "devices.scanner.nopaper"
	case KindBusy:
		return "devices.scanner.busy"
	case KindOffline:
		return "devices.scanner.offline"
	case KindNoFiles:
		return "devices.scanner.nofiles"
	case KindUnsupported:
		return "devices.import.unsupported"
	}
	return ""
}

func kindErr(k Kind, format string, a ...any) error {
	return &Error{Kind: k, Err: fmt.Errorf(format, a...)}
}

// ErrNoScanner: no scanner configured.
var ErrNoScanner = &Error{Kind: KindNoScanner, Err: errors.New("no scanner configured")}

// Batch is the pages of one paper while the clerk arranges them.
type Batch struct {
	Pages []Page
}

// Move puts page from at position to.
func (b *Batch) Move(from, to int) error {
	if from < 0 || from >= len(b.Pages) || to < 0 || to >= len(b.Pages) {
		return fmt.Errorf("move page %d to %d of %d", from, to, len(b.Pages))
	}
	p := b.Pages[from]
	b.Pages = append(b.Pages[:from], b.Pages[from+1:]...)
	b.Pages = append(b.Pages[:to], append([]Page{p}, b.Pages[to:]...)...)
	return nil
}

// Delete removes page i.
func (b *Batch) Delete(i int) error {
	if i < 0 || i >= len(b.Pages) {
		return fmt.Errorf("delete page %d of %d", i, len(b.Pages))
	}
	b.Pages = append(b.Pages[:i], b.Pages[i+1:]...)
	return nil
}

// Rotate turns page i clockwise by quarter turns.
func (b *Batch) Rotate(i, quarters int) error {
	if i < 0 || i >= len(b.Pages) {
		return fmt.Errorf("rotate page %d of %d", i, len(b.Pages))
	}
	b.Pages[i].Image = Rotate(b.Pages[i].Image, quarters)
	return nil
}

// Blank lists the pages that look blank.
func (b *Batch) Blank() []int {
	var out []int
	for i, p := range b.Pages {
		if IsBlank(p.Image) {
			out = append(out, i)
		}
	}
	return out
}

// Rotate returns img turned clockwise by quarters × 90°.
func Rotate(img image.Image, quarters int) image.Image {
	q := ((quarters % 4) + 4) % 4
	if q == 0 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	var dst draw2
	if q == 2 {
		dst = newLike(img, w, h)
	} else {
		dst = newLike(img, h, w)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			c := img.At(b.Min.X+x, b.Min.Y+y)
			switch q {
			case 1:
				dst.Set(h-1-y, x, c)
			case 2:
				dst.Set(w-1-x, h-1-y, c)
			case 3:
				dst.Set(y, w-1-x, c)
			}
		}
	}
	return dst
}

type draw2 interface {
	image.Image
	Set(x, y int, c color.Color)
}

func newLike(img image.Image, w, h int) draw2 {
	if _, ok := img.(*image.Gray); ok {
		return image.NewGray(image.Rect(0, 0, w, h))
	}
	return image.NewRGBA(image.Rect(0, 0, w, h))
}

// IsBlank reports whether a page looks blank: fewer than 0.3 % of the
// pixels inside a 5 % margin (where scanners leave edge shadows) are darker
// than 60 % grey. It reads every row and every other column.
func IsBlank(img image.Image) bool {
	b := img.Bounds()
	mx, my := b.Dx()/20, b.Dy()/20
	inner := image.Rect(b.Min.X+mx, b.Min.Y+my, b.Max.X-mx, b.Max.Y-my)
	if inner.Empty() {
		return true
	}
	dark, total := 0, 0
	g, isGray := img.(*image.Gray)
	for y := inner.Min.Y; y < inner.Max.Y; y++ { // every row: thin horizontal strokes
		for x := inner.Min.X; x < inner.Max.X; x += 2 {
			var l uint8
			if isGray {
				l = g.Pix[(y-g.Rect.Min.Y)*g.Stride+(x-g.Rect.Min.X)]
			} else {
				l = color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y
			}
			if l < 102 {
				dark++
			}
			total++
		}
	}
	return dark*1000 < total*3
}
