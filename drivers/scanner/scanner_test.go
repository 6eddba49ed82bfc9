package scanner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/motcua/motcua/drivers/devicetest"
	"github.com/motcua/motcua/internal/preview"
)

// saneTest is SANE limited to its "test" backend through a private
// SANE_CONFIG_DIR, so the machine's real scanners never answer.
func saneTest(t *testing.T, args ...string) *SANE {
	t.Helper()
	devicetest.Tool(t, "scanimage", "sane-utils")
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "dll.conf"), []byte("test\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return &SANE{Device: "test:0", Env: []string{"SANE_CONFIG_DIR=" + dir}, Args: args}
}

func kindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return -1
}

func TestSANETestBackend(t *testing.T) {
	ctx := context.Background()
	t.Run("the test backend is listed", func(t *testing.T) {
		devs, err := saneTest(t).List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(devs) == 0 || devs[0].Name != "test:0" {
			t.Fatalf("devices %+v", devs)
		}
	})
	t.Run("a flatbed grid scan at 200 dpi is one gray page of the asked size, not blank", func(t *testing.T) {
		pages, err := saneTest(t, "--test-picture", "Grid").Scan(ctx, Opts{DPI: 200, WidthMM: 100, HeightMM: 150})
		if err != nil {
			t.Fatal(err)
		}
		if len(pages) != 1 {
			t.Fatalf("%d pages", len(pages))
		}
		b := pages[0].Image.Bounds()
		if _, gray := pages[0].Image.(*image.Gray); !gray || b.Dx() < 780 || b.Dx() > 800 || b.Dy() < 1170 || b.Dy() > 1190 {
			t.Fatalf("page %T %v", pages[0].Image, b)
		}
		if IsBlank(pages[0].Image) {
			t.Fatal("a grid page was flagged blank")
		}
	})
	t.Run("a white page is flagged blank", func(t *testing.T) {
		pages, err := saneTest(t, "--test-picture", "Solid white").Scan(ctx, Opts{DPI: 100, WidthMM: 50, HeightMM: 50})
		if err != nil {
			t.Fatal(err)
		}
		if !IsBlank(pages[0].Image) {
			t.Fatal("a white page was not flagged blank")
		}
	})
	t.Run("the feeder scans until it is empty (the test backend holds 10 sheets)", func(t *testing.T) {
		pages, err := saneTest(t, "--test-picture", "Grid").Scan(ctx, Opts{DPI: 50, Source: Feeder, WidthMM: 50, HeightMM: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(pages) != 10 {
			t.Fatalf("%d pages from the feeder", len(pages))
		}
	})
	t.Run("a colour scan keeps colour", func(t *testing.T) {
		pages, err := saneTest(t, "--test-picture", "Color pattern").Scan(ctx, Opts{DPI: 50, Colour: true, WidthMM: 40, HeightMM: 40})
		if err != nil {
			t.Fatal(err)
		}
		if _, rgb := pages[0].Image.(*image.RGBA); !rgb {
			t.Fatalf("page %T", pages[0].Image)
		}
	})
	t.Run("an unknown device says there is no scanner", func(t *testing.T) {
		s := saneTest(t)
		s.Device = "nosuch:0"
		if _, err := s.Scan(ctx, Opts{}); kindOf(err) != KindNoScanner {
			t.Fatalf("got %v", err)
		}
	})
}

// textPage draws an A4 page at dpi with lines of "text" (dark bars).
func textPage(dpi int) *image.Gray {
	w, h := 210*dpi*10/254, 297*dpi*10/254
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = 245
	}
	for y := h / 10; y < h*9/10; y += dpi / 4 {
		for x := w / 10; x < w*9/10; x++ {
			if (x/7)%5 == 4 { // gaps between "words"
				continue
			}
			for dy := 0; dy < dpi/20; dy++ {
				g.Pix[(y+dy)*g.Stride+x] = uint8(20 + (x*7+y)%40)
			}
		}
	}
	return g
}

func TestBuildPDF(t *testing.T) {
	t.Run("pages become one PDF of A4 pages that go-fitz renders", func(t *testing.T) {
		pages := []Page{{Image: textPage(200), DPI: 200}, {Image: textPage(300), DPI: 300}}
		pdf, err := BuildPDF(pages, PDFOpts{})
		if err != nil {
			t.Fatal(err)
		}
		n, err := preview.PageCount(pdf)
		if err != nil || n != 2 {
			t.Fatalf("%d pages, %v", n, err)
		}
		img, err := preview.RenderPage(pdf, 1, 72)
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() < 593 || b.Dx() > 597 || b.Dy() < 840 || b.Dy() > 844 {
			t.Fatalf("page 2 is %v points, want A4 (595×842)", b)
		}
		again, _ := BuildPDF(pages, PDFOpts{})
		if !bytes.Equal(pdf, again) {
			t.Fatal("the same pages gave a different PDF")
		}
	})
	t.Run("no pages is an error", func(t *testing.T) {
		if _, err := BuildPDF(nil, PDFOpts{}); !errors.Is(err, ErrNoPages) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestBatch(t *testing.T) {
	mk := func(w int) Page { return Page{Image: image.NewGray(image.Rect(0, 0, w, 10))} }
	b := Batch{Pages: []Page{mk(1), mk(2), mk(3)}}
	if err := b.Move(2, 0); err != nil {
		t.Fatal(err)
	}
	if err := b.Delete(1); err != nil {
		t.Fatal(err)
	}
	if err := b.Rotate(1, 1); err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(b.Pages[0].Image.Bounds().Dx(), b.Pages[1].Image.Bounds().Dx(), b.Pages[1].Image.Bounds().Dy())
	if got != "3 10 2" {
		t.Fatalf("after move, delete, rotate: %s", got)
	}
	if b.Delete(5) == nil || b.Move(0, 9) == nil {
		t.Fatal("out of range edits accepted")
	}
}

func TestRotateMovesPixelsClockwise(t *testing.T) {
	g := image.NewGray(image.Rect(0, 0, 3, 2))
	g.SetGray(0, 0, color.Gray{Y: 7}) // top left
	r := Rotate(g, 1).(*image.Gray)
	if r.Bounds().Dx() != 2 || r.GrayAt(1, 0).Y != 7 {
		t.Fatalf("top-left went to the wrong corner: %v", r.Pix)
	}
	if Rotate(g, 4) != image.Image(g) {
		t.Fatal("a full turn changed the image")
	}
}

func encodePNG(t *testing.T, img image.Image) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t *testing.T, img image.Image) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestImport(t *testing.T) {
	page := textPage(100)
	pdf, err := BuildPDF([]Page{{Image: page, DPI: 100}, {Image: page, DPI: 100}}, PDFOpts{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		file  string
		data  []byte
		pages int
		kind  Kind
	}{
		{"a two-page PDF gives two pages", "giay-to.pdf", pdf, 2, -1},
		{"a PNG gives one page", "anh.png", encodePNG(t, page), 1, -1},
		{"a JPEG named .png is sniffed as JPEG", "anh.png", encodeJPEG(t, page), 1, -1},
		{"a Word file is refused as unsupported", "don.docx", []byte("PK\x03\x04"), 0, KindUnsupported},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pages, err := Import(c.file, c.data, 100)
			if c.kind >= 0 {
				if kindOf(err) != c.kind {
					t.Fatalf("got %v", err)
				}
				return
			}
			if err != nil || len(pages) != c.pages {
				t.Fatalf("%d pages, %v", len(pages), err)
			}
		})
	}
}

func TestFolder(t *testing.T) {
	dir := t.TempDir()
	f := &Folder{Dir: dir}
	ctx := context.Background()
	if _, err := f.Scan(ctx, Opts{}); kindOf(err) != KindNoFiles {
		t.Fatalf("empty folder: %v", err)
	}
	page := textPage(50)
	os.WriteFile(filepath.Join(dir, "scan-001.png"), encodePNG(t, page), 0o600)
	os.WriteFile(filepath.Join(dir, "scan-002.jpg"), encodeJPEG(t, page), 0o600)
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("x"), 0o600)
	pages, err := f.Scan(ctx, Opts{DPI: 50})
	if err != nil || len(pages) != 2 {
		t.Fatalf("%d pages, %v", len(pages), err)
	}
	if left, _ := f.Pending(); len(left) != 0 {
		t.Fatalf("files taken twice: %v", left)
	}
	if _, err := os.Stat(filepath.Join(dir, ImportedDir, "scan-001.png")); err != nil {
		t.Fatal("taken file not kept in imported/")
	}
}

// esclServer is a small eSCL scanner: capabilities, status, one job whose
// first NextDocument is 503 (warming up), then pages, then 404.
type esclServer struct {
	mu       sync.Mutex
	pages    [][]byte
	settings string
	served   int
	warming  bool
}

func (s *esclServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.Method == http.MethodGet && r.URL.Path == "/eSCL/ScannerCapabilities":
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, `<?xml version="1.0"?><scan:ScannerCapabilities xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm"><pwg:Version>2.63</pwg:Version><pwg:MakeAndModel>Loopback eSCL 1000</pwg:MakeAndModel><scan:Platen><scan:PlatenInputCaps><scan:SettingProfiles><scan:SettingProfile><scan:SupportedResolutions><scan:DiscreteResolutions><scan:DiscreteResolution><scan:XResolution>200</scan:XResolution></scan:DiscreteResolution><scan:DiscreteResolution><scan:XResolution>300</scan:XResolution></scan:DiscreteResolution></scan:DiscreteResolutions></scan:SupportedResolutions></scan:SettingProfile></scan:SettingProfiles></scan:PlatenInputCaps></scan:Platen><scan:Adf><scan:AdfSimplexInputCaps/><scan:AdfDuplexInputCaps/></scan:Adf></scan:ScannerCapabilities>`)
	case r.Method == http.MethodGet && r.URL.Path == "/eSCL/ScannerStatus":
		io.WriteString(w, `<?xml version="1.0"?><scan:ScannerStatus xmlns:scan="http://schemas.hp.com/imaging/escl/2011/05/03" xmlns:pwg="http://www.pwg.org/schemas/2010/12/sm"><pwg:Version>2.63</pwg:Version><pwg:State>Idle</pwg:State></scan:ScannerStatus>`)
	case r.Method == http.MethodPost && r.URL.Path == "/eSCL/ScanJobs":
		b, _ := io.ReadAll(r.Body)
		s.settings = string(b)
		s.warming = true
		w.Header().Set("Location", "/eSCL/ScanJobs/job-1")
		w.WriteHeader(http.StatusCreated)
	case r.Method == http.MethodGet && r.URL.Path == "/eSCL/ScanJobs/job-1/NextDocument":
		if s.warming {
			s.warming = false
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		if s.served >= len(s.pages) {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		w.Header().Set("Content-Type", "image/jpeg")
		w.Write(s.pages[s.served])
		s.served++
	default:
		http.NotFound(w, r)
	}
}

func TestESCLAgainstALoopbackScanner(t *testing.T) {
	page := textPage(100)
	srv := &esclServer{pages: [][]byte{encodeJPEG(t, page), encodeJPEG(t, page)}}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	waits := 0
	e := &ESCL{BaseURL: ts.URL, Wait: func(context.Context) error { waits++; return nil }}
	ctx := context.Background()

	caps, err := e.Capabilities(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if caps.MakeAndModel != "Loopback eSCL 1000" || !caps.HasFeeder() || !caps.HasDuplex() {
		t.Fatalf("capabilities %+v", caps)
	}
	if st, err := e.Status(ctx); err != nil || st != "Idle" {
		t.Fatalf("status %q, %v", st, err)
	}
	pages, err := e.Scan(ctx, Opts{DPI: 200, Source: Feeder, Duplex: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) != 2 || waits != 1 {
		t.Fatalf("%d pages after %d waits", len(pages), waits)
	}
	for _, want := range []string{"<pwg:InputSource>Feeder</pwg:InputSource>", "<scan:ColorMode>Grayscale8</scan:ColorMode>",
		"<scan:XResolution>200</scan:XResolution>", "<scan:Duplex>true</scan:Duplex>", "<pwg:Width>2480</pwg:Width>"} {
		if !strings.Contains(srv.settings, want) {
			t.Errorf("scan settings lack %s", want)
		}
	}
	ts.Close()
	if _, err := e.Scan(ctx, Opts{}); kindOf(err) != KindOffline {
		t.Fatalf("a scanner that went away: %v", err)
	}
}

func FuzzDecodePNM(f *testing.F) {
	f.Add([]byte("P5\n# SANE data follows\n3 2\n255\n\x00\x80\xff\x01\x02\x03"))
	f.Add([]byte("P4\n9 1\n\xff\x80"))
	f.Add([]byte("P6 1 1 65535 \x00\x01\x00\x02\x00\x03"))
	f.Fuzz(func(t *testing.T, b []byte) {
		img, err := DecodePNM(bytes.NewReader(b))
		if err == nil && img.Bounds().Empty() {
			t.Fatal("decoded an empty image")
		}
	})
}
