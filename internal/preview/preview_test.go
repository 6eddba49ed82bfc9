package preview_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/preview"
	"github.com/motcua/motcua/internal/receipt"
)

// receiptPDF is a real two-page receipt, built once.
var receiptPDF = sync.OnceValues(func() ([]byte, error) {
	vn := time.FixedZone("UTC+7", 7*3600)
	code, err := dossier.NewCode("G22", time.Date(2026, 11, 23, 0, 0, 0, 0, vn), 1, 1)
	if err != nil {
		return nil, err
	}
	d := &dossier.Dossier{
		Code: code, ProcedureName: "Chứng thực bản sao từ bản chính",
		Applicant:  dossier.Applicant{FullName: "Lê Văn Đức", Address: "Thôn Phú Mỹ, xã Tân Phú"},
		Papers:     []dossier.Paper{{Name: "Bằng tốt nghiệp", Form: dossier.FormOriginal, Count: 1}},
		Sets:       1,
		ReceivedAt: time.Date(2026, 11, 23, 9, 0, 0, 0, vn),
		DueAt:      time.Date(2026, 11, 23, 15, 0, 0, 0, vn),
	}
	key := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize))
	payload, err := receipt.Sign(receipt.Payload{Code: code.String(), ReceivedAt: d.ReceivedAt, DueAt: d.DueAt}, key)
	if err != nil {
		return nil, err
	}
	return receipt.Receipt(receipt.ReceiptData{Dossier: d, Office: receipt.Office{AgencyName: "UBND xã Tân Phú"}, QRPayload: payload})
})

func mustReceipt(t testing.TB) []byte {
	t.Helper()
	pdf, err := receiptPDF()
	if err != nil {
		t.Fatal(err)
	}
	return pdf
}

// tinyPDF is a hand-written one-page PDF, 200×100 points, with a black
// square in its lower-left quarter.
const tinyPDF = "%PDF-1.4\n" +
	"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n" +
	"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]/Contents 4 0 R>>endobj\n" +
	"4 0 obj<</Length 21>>stream\n0 0 50 50 re f\nQ q\nendstream endobj\n" +
	"trailer<</Root 1 0 R>>\n%%EOF\n"

func TestPageCountOfAReceiptIsTwoCopies(t *testing.T) {
	n, err := preview.PageCount(mustReceipt(t))
	if err != nil || n != 2 {
		t.Fatalf("PageCount = %d, %v; want 2", n, err)
	}
}

func TestRenderPageSizeFollowsTheResolution(t *testing.T) {
	pdf := mustReceipt(t)
	for _, tt := range []struct {
		name string
		dpi  float64
	}{
		{"screen preview", 72},
		{"QR check", 150},
		{"print quality", 300},
	} {
		t.Run(tt.name, func(t *testing.T) {
			img, err := preview.RenderPage(pdf, 1, tt.dpi)
			if err != nil {
				t.Fatal(err)
			}
			// A4 is 210×297 mm.
			wantW, wantH := 210/25.4*tt.dpi, 297/25.4*tt.dpi
			if b := img.Bounds(); b.Min != (image.Point{}) || absDiff(b.Dx(), wantW) > 2 || absDiff(b.Dy(), wantH) > 2 {
				t.Fatalf("page at %v dpi is %v, want about %.0f×%.0f", tt.dpi, b, wantW, wantH)
			}
		})
	}
}

func absDiff(a int, b float64) float64 {
	d := float64(a) - b
	if d < 0 {
		return -d
	}
	return d
}

func TestRenderPageDrawsWhatThePDFSays(t *testing.T) {
	img, err := preview.RenderPage([]byte(tinyPDF), 0, 72)
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 200 || b.Dy() != 100 {
		t.Fatalf("bounds %v, want 200×100", b)
	}
	// PDF y grows upwards: the square is at the bottom left of the image.
	if c := img.RGBAAt(10, 90); c.R > 40 {
		t.Fatalf("inside the square: %v, want black", c)
	}
	if c := img.RGBAAt(150, 20); c.R < 220 {
		t.Fatalf("outside the square: %v, want white", c)
	}
}

func TestThumbnailFitsItsBoxAndKeepsProportions(t *testing.T) {
	pdf := mustReceipt(t)
	for _, tt := range []struct {
		name       string
		maxW, maxH int
	}{
		{"a list icon limited by height", 200, 200},
		{"a wide strip limited by height", 400, 120},
		{"a tall column limited by width", 90, 600},
		{"one pixel", 1, 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			img, err := preview.Thumbnail(pdf, 0, tt.maxW, tt.maxH)
			if err != nil {
				t.Fatal(err)
			}
			b := img.Bounds()
			if b.Dx() > tt.maxW || b.Dy() > tt.maxH || b.Dx() < 1 || b.Dy() < 1 {
				t.Fatalf("thumbnail %v does not fit %d×%d", b, tt.maxW, tt.maxH)
			}
			if b.Dx() < tt.maxW-1 && b.Dy() < tt.maxH-1 {
				t.Fatalf("thumbnail %v fills neither side of %d×%d", b, tt.maxW, tt.maxH)
			}
			if tt.maxW > 10 {
				ratio := float64(b.Dy()) / float64(b.Dx())
				if ratio < 1.38 || ratio > 1.45 { // A4 is 1.414
					t.Fatalf("thumbnail %v has ratio %.3f, not A4's", b, ratio)
				}
			}
		})
	}
}

// corruptInputs are inputs every function must refuse with an error.
func corruptInputs(t testing.TB) map[string][]byte {
	pdf := mustReceipt(t)
	garbled := bytes.Clone(pdf)
	for k := len(garbled) / 3; k < len(garbled); k += 7 {
		garbled[k] ^= 0x5a
	}
	return map[string][]byte{
		"nothing":                 nil,
		"plain text":              []byte("Giấy tiếp nhận hồ sơ và hẹn trả kết quả, bản nháp chưa in"),
		"a PDF header only":       []byte("%PDF-1.7\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n%%EOF and some more padding bytes here"),
		"a receipt cut in half":   pdf[:len(pdf)/2],
		"a receipt garbled":       garbled,
		"a PNG signature only":    append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0}, 80)...),
		"a JPEG header only":      append([]byte{0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0}, bytes.Repeat([]byte{0xff}, 80)...),
		"a page box at 1e9 point": []byte(bytes.Replace([]byte(tinyPDF), []byte("[0 0 200 100]"), []byte("[0 0 1000000000 1000000000]"), 1)),
	}
}

func TestCorruptInputIsAnErrorNotAPanic(t *testing.T) {
	for name, data := range corruptInputs(t) {
		t.Run(name, func(t *testing.T) {
			n, err := preview.PageCount(data)
			if err == nil && n > 0 {
				// MuPDF repairs some damage; what it repairs must then render
				// or fail cleanly, page by page.
				for p := range n {
					if _, err := preview.RenderPage(data, p, 50); err != nil && !errors.Is(err, preview.ErrDocument) && !errors.Is(err, preview.ErrTooLarge) {
						t.Fatalf("page %d: error %v wraps no sentinel", p, err)
					}
				}
				return
			}
			if err == nil {
				t.Fatalf("PageCount accepted it with %d pages", n)
			}
			if !errors.Is(err, preview.ErrDocument) {
				t.Fatalf("PageCount error %v does not wrap ErrDocument", err)
			}
			if _, err := preview.RenderPage(data, 0, 72); err == nil {
				t.Fatal("RenderPage accepted it")
			}
			if _, err := preview.Thumbnail(data, 0, 100, 100); err == nil {
				t.Fatal("Thumbnail accepted it")
			}
		})
	}
}

func TestAHugePageBoxIsRefusedBeforeAllocating(t *testing.T) {
	data := corruptInputs(t)["a page box at 1e9 point"]
	_, err := preview.RenderPage(data, 0, 72)
	if !errors.Is(err, preview.ErrTooLarge) {
		t.Fatalf("RenderPage of a 1e9-point page: %v, want ErrTooLarge", err)
	}
}

func TestPagesAndResolutionsOutOfRangeAreRefused(t *testing.T) {
	pdf := mustReceipt(t)
	for _, tt := range []struct {
		name string
		page int
		dpi  float64
		want error
	}{
		{"the page after the last", 2, 72, preview.ErrPage},
		{"a negative page", -1, 72, preview.ErrPage},
		{"zero dpi", 0, 0, nil},
		{"more dpi than a printer", 0, 5000, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := preview.RenderPage(pdf, tt.page, tt.dpi)
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("RenderPage(page %d, %v dpi) = %v, want %v", tt.page, tt.dpi, err, tt.want)
			}
		})
	}
	if _, err := preview.Thumbnail(pdf, 0, 0, 100); err == nil {
		t.Fatal("Thumbnail accepted an empty box")
	}
}

func TestRenderImageFileKeepsTheScanSize(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 320, 200))
	for y := range 200 {
		for x := range 320 {
			c := uint8(255)
			if x < 160 {
				c = 0 // left half black
			}
			src.SetRGBA(x, y, color.RGBA{c, c, c, 255})
		}
	}
	var pngBuf, jpgBuf bytes.Buffer
	if err := png.Encode(&pngBuf, src); err != nil {
		t.Fatal(err)
	}
	if err := jpeg.Encode(&jpgBuf, src, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"PNG": pngBuf.Bytes(), "JPEG": jpgBuf.Bytes()} {
		t.Run(name, func(t *testing.T) {
			img, err := preview.RenderImageFile(data)
			if err != nil {
				t.Fatal(err)
			}
			if b := img.Bounds(); absDiff(b.Dx(), 320) > 1 || absDiff(b.Dy(), 200) > 1 {
				t.Fatalf("image is %v, want 320×200", b)
			}
			if l, r := img.RGBAAt(40, 100), img.RGBAAt(280, 100); l.R > 40 || r.R < 215 {
				t.Fatalf("left %v and right %v are not black and white", l, r)
			}
		})
	}
}

func TestConcurrentRenderingIsSafe(t *testing.T) {
	pdf := mustReceipt(t)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for k := range 8 {
		wg.Go(func() {
			_, err := preview.Thumbnail(pdf, k%2, 120, 160)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func BenchmarkThumbnail(b *testing.B) {
	pdf := mustReceipt(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := preview.Thumbnail(pdf, 0, 200, 283); err != nil {
			b.Fatal(err)
		}
	}
}

func FuzzRenderPage(f *testing.F) {
	f.Add([]byte(tinyPDF), uint8(0))
	f.Add([]byte(tinyPDF[:len(tinyPDF)/2]), uint8(0))
	for _, data := range corruptInputs(f) {
		if len(data) < 4096 {
			f.Add(data, uint8(0))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, page uint8) {
		if len(data) > 64<<10 {
			return
		}
		img, err := preview.RenderPage(data, int(page%4), 20)
		if err != nil {
			if !errors.Is(err, preview.ErrDocument) && !errors.Is(err, preview.ErrPage) && !errors.Is(err, preview.ErrTooLarge) {
				t.Fatalf("error %v wraps no sentinel", err)
			}
			return
		}
		if b := img.Bounds(); b.Dx()*b.Dy() > preview.MaxPixels || len(img.Pix) < 4*b.Dx()*b.Dy() {
			t.Fatalf("image %v with %d bytes", b, len(img.Pix))
		}
	})
}
