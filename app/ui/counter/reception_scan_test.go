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

	"github.com/motcua/motcua/app/devicesvc"
	"github.com/motcua/motcua/app/wire"
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
	r.ImportPaper(1, "giay.png", pb.Bytes())
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
