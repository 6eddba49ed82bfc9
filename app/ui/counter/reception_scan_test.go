package counter_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/devicesvc"
	"github.com/motcua/motcua/app/ui/counter"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/preview"
	"github.com/motcua/motcua/internal/store"
)

// TestReceptionScanAndImport attaches a scan (a watched scan folder) and an
// imported PNG to papers; both are stored content-addressed and mark the
// paper digitised and handed in.
func TestReceptionScanAndImport(t *testing.T) {
	page := image.NewGray(image.Rect(0, 0, 300, 420))
	for i := range page.Pix {
		page.Pix[i] = 255
	}
	for y := 60; y < 360; y += 6 { // lines of text
		for x := 30; x < 270; x++ {
			page.Pix[y*page.Stride+x] = 0
		}
	}
	var pb bytes.Buffer
	if err := png.Encode(&pb, page); err != nil {
		t.Fatal(err)
	}
	scanDir := t.TempDir()
	os.WriteFile(filepath.Join(scanDir, "scan1.png"), pb.Bytes(), 0o600)
	devs, err := wire.BuildDevices(store.DeviceSettings{Scanner: store.ScannerSettings{Kind: "folder", Dir: scanDir}}, "", wire.DeviceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lazy := &lazyFiles{}
	e, _, c := openWithDevices(t, devicesvc.Counter(devs, lazy))
	lazy.st = e.Store
	r := c.Reception
	toApplicantStep(t, r)
	if len(r.PaperRows) < 2 || r.PaperRows[0].Scan == nil || r.PaperRows[0].Import == nil {
		t.Fatalf("paper rows without scan/import actions: %d rows", len(r.PaperRows))
	}
	r.ScanPaper(0)
	saveReview(t, r, 1)
	r.ImportPaper(1, "giay.png", pb.Bytes())
	saveReview(t, r, 1)
	for i := 0; i < 2; i++ {
		p := r.Wizard.Papers[i]
		if len(p.Paper.Files) != 1 || !p.Ticked {
			t.Fatalf("paper %d: files %v, ticked %v (row says %q)", i, p.Paper.Files, p.Ticked, r.PaperRows[i].Scanned.Text)
		}
		if r.PaperRows[i].Scanned.Text != "Đã số hóa (1 trang)" {
			t.Fatalf("paper %d mark %q", i, r.PaperRows[i].Scanned.Text)
		}
		f, err := e.Store.OpenFile(p.Paper.Files[0])
		if err != nil {
			t.Fatalf("stored scan: %v", err)
		}
		f.Close()
	}
}

// lazyFiles is the env's store, known only once the env is open.
type lazyFiles struct{ st *store.Store }

func (l *lazyFiles) PutFile(ctx context.Context, r io.Reader) (string, int64, error) {
	return l.st.PutFile(ctx, r)
}

// saveReview checks that the page review is open with pages pages and taps
// its save button.
func saveReview(t *testing.T, r *counter.ReceptionScreen, pages int) {
	t.Helper()
	pr := r.PageReview()
	if pr == nil {
		t.Fatal("no page review after the scan")
	}
	if len(pr.Cards) != pages {
		t.Fatalf("review shows %d pages, want %d", len(pr.Cards), pages)
	}
	test.Tap(pr.Save)
	if r.PageReview() != nil {
		t.Fatal("the review stayed open after saving")
	}
}

// pagePNG writes a white w×h page with a dark box in its top-left corner
// into dir (modification times one second apart keep the scan order).
func pagePNG(t *testing.T, dir, name string, w, h int, at time.Time) {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, w, h))
	for i := range img.Pix {
		img.Pix[i] = 255
	}
	for y := h / 10; y < h/3; y++ {
		for x := w / 10; x < w/3; x++ {
			img.Pix[y*img.Stride+x] = 0
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(p, at, at); err != nil {
		t.Fatal(err)
	}
}

// TestReceptionPageReview scans three pages from a watched folder, reorders,
// rotates and deletes in the review, scans one more page, rescans one, saves, and reads
// the stored PDF back with go-fitz: the pages are in the new order and
// orientation. Cancelling stores nothing.
func TestReceptionPageReview(t *testing.T) {
	scanDir := t.TempDir()
	t0 := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	pagePNG(t, scanDir, "a.png", 400, 560, t0)                  // A: portrait
	pagePNG(t, scanDir, "b.png", 600, 400, t0.Add(time.Second)) // B: landscape, to be turned
	pagePNG(t, scanDir, "c.png", 300, 300, t0.Add(2*time.Second))
	devs, err := wire.BuildDevices(store.DeviceSettings{Scanner: store.ScannerSettings{Kind: "folder", Dir: scanDir}}, "", wire.DeviceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	lazy := &lazyFiles{}
	e, _, c := openWithDevices(t, devicesvc.Counter(devs, lazy))
	lazy.st = e.Store
	r := c.Reception
	toApplicantStep(t, r)

	r.ScanPaper(0)
	pr := r.PageReview()
	if pr == nil || len(pr.Cards) != 3 {
		t.Fatalf("review after a 3-page scan: %v", pr)
	}
	if !pr.Cards[0].Left.Disabled() || !pr.Cards[2].Right.Disabled() {
		t.Fatal("the first page can move earlier or the last later")
	}
	test.Tap(pr.Cards[0].Right)  // B A C
	test.Tap(pr.Cards[0].Rotate) // B turned: 400×600
	test.Tap(pr.Cards[2].Delete) // B A
	if got := pr.Cards[1].Label.Text; got != "Trang 2" {
		t.Fatalf("second card says %q", got)
	}
	pagePNG(t, scanDir, "d.png", 500, 500, t0.Add(3*time.Second))
	test.Tap(pr.Add) // B A D
	if len(pr.Cards) != 3 || pr.Save.Text != "Lưu 3 trang" {
		t.Fatalf("after scanning one more: %d cards, save says %q (status %q)", len(pr.Cards), pr.Save.Text, pr.Status.Text)
	}
	pagePNG(t, scanDir, "r.png", 300, 420, t0.Add(4*time.Second))
	test.Tap(pr.Cards[1].Rescan) // A scanned again: B R D
	if len(pr.Cards) != 3 {
		t.Fatalf("after rescanning page 2: %d cards (status %q)", len(pr.Cards), pr.Status.Text)
	}
	test.Tap(pr.Save)
	p := r.Wizard.Papers[0]
	if len(p.Paper.Files) != 1 || !p.Ticked || r.PaperRows[0].Scanned.Text != "Đã số hóa (3 trang)" {
		t.Fatalf("paper: files %v, ticked %v, mark %q", p.Paper.Files, p.Ticked, r.PaperRows[0].Scanned.Text)
	}
	f, err := e.Store.OpenFile(p.Paper.Files[0])
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	n, err := preview.PageCount(pdf)
	if err != nil || n != 3 {
		t.Fatalf("stored PDF has %d pages (%v), want 3", n, err)
	}
	want := []image.Point{{400, 600}, {300, 420}, {500, 500}}
	for i, w := range want {
		img, err := preview.RenderPage(pdf, i, 200) // stored at 200 dpi: back to pixels
		if err != nil {
			t.Fatal(err)
		}
		got := img.Bounds().Size()
		if abs(got.X-w.X) > 2 || abs(got.Y-w.Y) > 2 {
			t.Fatalf("page %d is %v, want %v", i+1, got, w)
		}
	}
	// the turned page B has its dark box top-right now (turned clockwise)
	img, _ := preview.RenderPage(pdf, 0, 200)
	if dark(img, 400-400/4, 600/5) >= 128 || dark(img, 400/4, 600/5) < 128 {
		t.Fatal("page 1 was not turned clockwise")
	}

	t.Run("cancelling the review stores nothing", func(t *testing.T) {
		pagePNG(t, scanDir, "e.png", 400, 560, t0.Add(5*time.Second))
		r.ScanPaper(1)
		pr := r.PageReview()
		if pr == nil {
			t.Fatal("no review")
		}
		test.Tap(pr.Cancel)
		if r.PageReview() != nil || len(r.Wizard.Papers[1].Paper.Files) != 0 || r.PaperRows[1].Scanned.Text != "" {
			t.Fatalf("after cancel: files %v, mark %q", r.Wizard.Papers[1].Paper.Files, r.PaperRows[1].Scanned.Text)
		}
	})
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// dark is the grey level at x, y.
func dark(img image.Image, x, y int) uint8 {
	r, g, b, _ := img.At(x, y).RGBA()
	return uint8((r + g + b) / 3 >> 8)
}
