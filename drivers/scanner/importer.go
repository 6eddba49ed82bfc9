package scanner

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"path/filepath"
	"strings"

	"github.com/motcua/motcua/internal/preview"
)

// MaxImportPages bounds an imported PDF.
const MaxImportPages = 200

// Import turns a PDF, JPEG or PNG file into pages: a PDF's pages are
// rendered at dpi (go-fitz), an image is one page. The type is sniffed from
// the content, not the name.
func Import(name string, data []byte, dpi int) ([]Page, error) {
	if dpi <= 0 {
		dpi = DefaultDPI
	}
	switch {
	case bytes.HasPrefix(data, []byte("%PDF-")):
		n, err := preview.PageCount(data)
		if err != nil {
			return nil, kindErr(KindUnsupported, "%s: %w", filepath.Base(name), err)
		}
		if n > MaxImportPages {
			return nil, kindErr(KindUnsupported, "%s: %d pages", filepath.Base(name), n)
		}
		pages := make([]Page, 0, n)
		for i := 0; i < n; i++ {
			img, err := preview.RenderPage(data, i, float64(dpi))
			if err != nil {
				return nil, fmt.Errorf("%s page %d: %w", filepath.Base(name), i+1, err)
			}
			pages = append(pages, Page{Image: img, DPI: float64(dpi)})
		}
		return pages, nil
	case bytes.HasPrefix(data, []byte{0xff, 0xd8, 0xff}):
		img, err := jpeg.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, kindErr(KindUnsupported, "%s: %w", filepath.Base(name), err)
		}
		return []Page{{Image: img, DPI: guessDPI(img)}}, nil
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		img, err := png.Decode(bytes.NewReader(data))
		if err != nil {
			return nil, kindErr(KindUnsupported, "%s: %w", filepath.Base(name), err)
		}
		return []Page{{Image: img, DPI: guessDPI(img)}}, nil
	case len(data) > 2 && data[0] == 'P' && data[1] >= '4' && data[1] <= '6':
		img, err := DecodePNM(bytes.NewReader(data))
		if err != nil {
			return nil, kindErr(KindUnsupported, "%s: %w", filepath.Base(name), err)
		}
		return []Page{{Image: img, DPI: guessDPI(img)}}, nil
	}
	return nil, kindErr(KindUnsupported, "%s: not a PDF, JPEG or PNG file", strings.ToLower(filepath.Ext(name)))
}

// guessDPI assumes an imported picture is a page of A4 width (210 mm) when
// it is wider than 1200 pixels, else a photo at 200 dpi.
func guessDPI(img image.Image) float64 {
	w := img.Bounds().Dx()
	if w > 1200 {
		return float64(w) / (210 / 25.4)
	}
	return DefaultDPI
}

// Result is a paper's pages as one stored PDF.
type Result struct {
	PDF   []byte
	Pages int
	Blank []int
}

// Finish flags blank pages and builds the PDF.
func Finish(pages []Page, o PDFOpts) (Result, error) {
	b := Batch{Pages: pages}
	pdf, err := BuildPDF(pages, o)
	if err != nil {
		return Result{}, err
	}
	return Result{PDF: pdf, Pages: len(pages), Blank: b.Blank()}, nil
}
