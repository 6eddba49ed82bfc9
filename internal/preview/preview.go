package preview

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	_ "image/jpeg" // DecodeConfig of scans
	_ "image/png"
	"math"

	fitz "github.com/gen2brain/go-fitz"
)

// Errors wrapped by this package's functions.
var (
	ErrDocument = errors.New("preview: cannot open document")
	ErrPage     = errors.New("preview: no such page")
	ErrTooLarge = errors.New("preview: image would be too large")
)

// MaxPixels bounds any image this package renders: 40 megapixels, 160 MB of
// RGBA, enough for an A3 page at 300 dpi (17.4 Mpx) or a 36 Mpx photo.
const MaxPixels = 40_000_000

// Resolution limits of RenderPage.
const (
	MinDPI = 10
	MaxDPI = 1200
)

// document is an open go-fitz document owned by the calling goroutine.
type document struct{ d *fitz.Document }

// open opens data with a fresh MuPDF context. The caller must close it.
func open(data []byte) (doc document, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: mupdf panicked: %v", ErrDocument, p)
		}
	}()
	if len(data) == 0 {
		return document{}, fmt.Errorf("%w: empty input", ErrDocument)
	}
	d, err := fitz.NewFromMemory(data)
	if err != nil {
		if d != nil {
			d.Close()
		}
		return document{}, fmt.Errorf("%w: %w", ErrDocument, err)
	}
	return document{d}, nil
}

func (doc document) close() {
	defer func() { _ = recover() }()
	doc.d.Close()
}

// pages is the page count; a document without pages is an error.
func (doc document) pages() (n int, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: mupdf panicked counting pages: %v", ErrDocument, p)
		}
	}()
	n = doc.d.NumPage()
	if n <= 0 {
		return 0, fmt.Errorf("%w: no pages", ErrDocument)
	}
	return n, nil
}

// size is the page's size in points.
func (doc document) size(page int) (w, h float64, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: mupdf panicked sizing page %d: %v", ErrDocument, page, p)
		}
	}()
	n, err := doc.pages()
	if err != nil {
		return 0, 0, err
	}
	if page < 0 || page >= n {
		return 0, 0, fmt.Errorf("%w: page %d of %d", ErrPage, page, n)
	}
	r, err := doc.d.Bound(page)
	if err != nil {
		return 0, 0, fmt.Errorf("%w: page %d: %w", ErrDocument, page, err)
	}
	if r.Min != (image.Point{}) || r.Dx() <= 0 || r.Dy() <= 0 {
		// go-fitz copies pixels as if the page box started at the origin.
		return 0, 0, fmt.Errorf("%w: page %d has box %v", ErrDocument, page, r)
	}
	return float64(r.Dx()), float64(r.Dy()), nil
}

// render draws page at dpi after checking the pixmap's size.
func (doc document) render(page int, dpi float64) (img *image.RGBA, err error) {
	w, h, err := doc.size(page)
	if err != nil {
		return nil, err
	}
	if !(dpi > 0) || math.IsInf(dpi, 0) {
		return nil, fmt.Errorf("preview: resolution %v dpi", dpi)
	}
	// +1 on each side: MuPDF rounds the scaled box outwards.
	if px := (w*dpi/72 + 1) * (h*dpi/72 + 1); px > MaxPixels {
		return nil, fmt.Errorf("%w: page %d at %v dpi is %.0f pixels", ErrTooLarge, page, dpi, px)
	}
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("%w: mupdf panicked rendering page %d: %v", ErrDocument, page, p)
		}
	}()
	img, err = doc.d.ImageDPI(page, dpi)
	if err != nil {
		return nil, fmt.Errorf("%w: render page %d: %w", ErrDocument, page, err)
	}
	if img.Rect.Min != (image.Point{}) {
		img.Rect = img.Rect.Sub(img.Rect.Min)
	}
	return img, nil
}

// PageCount returns the number of pages of a PDF (or of any document MuPDF
// reads; an image has one page). A document without pages is an error.
func PageCount(pdf []byte) (int, error) {
	doc, err := open(pdf)
	if err != nil {
		return 0, err
	}
	defer doc.close()
	return doc.pages()
}

// RenderPage draws page (0-based) of pdf at dpi (MinDPI to MaxDPI), on a
// white background.
func RenderPage(pdf []byte, page int, dpi float64) (*image.RGBA, error) {
	if math.IsNaN(dpi) || dpi < MinDPI || dpi > MaxDPI {
		return nil, fmt.Errorf("preview: resolution %v dpi outside %d-%d", dpi, MinDPI, MaxDPI)
	}
	doc, err := open(pdf)
	if err != nil {
		return nil, err
	}
	defer doc.close()
	return doc.render(page, dpi)
}

// Thumbnail draws page (0-based) as large as fits in maxW×maxH pixels,
// keeping its proportions.
func Thumbnail(pdf []byte, page int, maxW, maxH int) (*image.RGBA, error) {
	if maxW < 1 || maxH < 1 {
		return nil, fmt.Errorf("preview: thumbnail box %dx%d is empty", maxW, maxH)
	}
	doc, err := open(pdf)
	if err != nil {
		return nil, err
	}
	defer doc.close()
	w, h, err := doc.size(page)
	if err != nil {
		return nil, err
	}
	img, err := doc.render(page, 72*math.Min(float64(maxW)/w, float64(maxH)/h))
	if err != nil {
		return nil, err
	}
	return fit(img, maxW, maxH), nil
}

// fit trims the one-pixel overshoot MuPDF's outward rounding can give; the
// trimmed edge is page margin.
func fit(img *image.RGBA, maxW, maxH int) *image.RGBA {
	b := img.Bounds()
	if b.Dx() <= maxW && b.Dy() <= maxH {
		return img
	}
	out := image.NewRGBA(image.Rect(0, 0, min(b.Dx(), maxW), min(b.Dy(), maxH)))
	draw.Draw(out, out.Bounds(), img, b.Min, draw.Src)
	return out
}

// RenderImageFile decodes a scanned JPEG or PNG (or another image format
// MuPDF knows) through MuPDF, at the image's own pixel size when Go can read
// its header, so that scans and PDFs share one decoder and one size check.
func RenderImageFile(data []byte) (*image.RGBA, error) {
	cfg, _, cfgErr := image.DecodeConfig(bytes.NewReader(data))
	if cfgErr == nil && cfg.Width*cfg.Height > MaxPixels {
		return nil, fmt.Errorf("%w: image is %dx%d", ErrTooLarge, cfg.Width, cfg.Height)
	}
	doc, err := open(data)
	if err != nil {
		return nil, err
	}
	defer doc.close()
	w, h, err := doc.size(0)
	if err != nil {
		return nil, err
	}
	dpi := 96.0 // MuPDF's page size for an image without a resolution
	if cfgErr == nil {
		// The page box is the image at its stated resolution, possibly
		// turned by its EXIF orientation: scale the longer sides to match.
		dpi = 72 * float64(max(cfg.Width, cfg.Height)) / math.Max(w, h)
	}
	return doc.render(0, dpi)
}
