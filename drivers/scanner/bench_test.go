package scanner

import (
	"bytes"
	"image/jpeg"
	"testing"

	"github.com/motcua/motcua/internal/preview"
)

// BenchmarkA4PageToPDF: one scanned A4 page at 200 dpi (1653×2338 gray)
// → the stored PDF (grayscale JPEG q70); reports bytes per page.
func BenchmarkA4PageToPDF(b *testing.B) {
	page := []Page{{Image: textPage(200), DPI: 200}}
	var size int
	for b.Loop() {
		pdf, err := BuildPDF(page, PDFOpts{})
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size)/1024, "KiB/page")
}

// BenchmarkA4Page300dpiToPDF: the same page scanned at 300 dpi, scaled down
// to 200 dpi before encoding.
func BenchmarkA4Page300dpiToPDF(b *testing.B) {
	page := []Page{{Image: textPage(300), DPI: 300}}
	var size int
	for b.Loop() {
		pdf, err := BuildPDF(page, PDFOpts{})
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size)/1024, "KiB/page")
}

// BenchmarkThumbnailPerPage: a 160×220 thumbnail of a stored scan page
// (go-fitz), as the reception screen shows them.
func BenchmarkThumbnailPerPage(b *testing.B) {
	pdf, err := BuildPDF([]Page{{Image: textPage(200), DPI: 200}}, PDFOpts{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := preview.Thumbnail(pdf, 0, 160, 220); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBlankCheck: the blank-page test on an A4 page at 200 dpi.
func BenchmarkBlankCheck(b *testing.B) {
	img := textPage(200)
	for b.Loop() {
		IsBlank(img)
	}
}

// BenchmarkA4PageJPEGOnly is the floor of BenchmarkA4PageToPDF: the same
// page through the standard library's JPEG encoder alone (q70), nothing
// else. The ratio PDF/JPEG-only is what the PDF wrapping and the grayscale
// check cost.
func BenchmarkA4PageJPEGOnly(b *testing.B) {
	img := textPage(200)
	var size int
	for b.Loop() {
		var buf bytes.Buffer
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 70}); err != nil {
			b.Fatal(err)
		}
		size = buf.Len()
	}
	b.ReportMetric(float64(size)/1024, "KiB/page")
}

// BenchmarkFullPageRender is the baseline of BenchmarkThumbnailPerPage: the
// same stored page rendered whole at 200 dpi by go-fitz (what opening it
// full size costs).
func BenchmarkFullPageRender(b *testing.B) {
	pdf, err := BuildPDF([]Page{{Image: textPage(200), DPI: 200}}, PDFOpts{})
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := preview.RenderPage(pdf, 0, 200); err != nil {
			b.Fatal(err)
		}
	}
}
