package devices_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/devicesvc"
	"github.com/motcua/motcua/app/ui/devices"
	"github.com/motcua/motcua/app/ui/uitest"
	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/drivers/devicetest"
	"github.com/motcua/motcua/drivers/idcard"
	"github.com/motcua/motcua/drivers/printer/escpos"
	"github.com/motcua/motcua/internal/store"
)

// TestDevicesScreen drives the technician's screen against real stand-ins:
// a card reader on a socat pty (the counter's running reader), a scan
// folder, a loopback thermal printer, and uitest's recording system printer.
func TestDevicesScreen(t *testing.T) {
	test.NewTempApp(t)
	if err := widgets.SetLanguage("vi"); err != nil {
		t.Fatal(err)
	}
	env := uitest.NewEnv(t)
	ctx := devicetest.Ctx(t)
	pty := devicetest.NewPtyPair(t)

	scanDir := t.TempDir()
	page := image.NewGray(image.Rect(0, 0, 400, 560))
	for i := range page.Pix {
		page.Pix[i] = 255
	}
	for x := 40; x < 360; x++ {
		page.Pix[100*page.Stride+x] = 0
	}
	var pb bytes.Buffer
	png.Encode(&pb, page)
	os.WriteFile(filepath.Join(scanDir, "trang1.png"), pb.Bytes(), 0o600)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	jobs := make(chan []byte, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		b, _ := io.ReadAll(c)
		c.Close()
		jobs <- b
	}()

	// the counter's running card reader on the pty
	set := store.DeviceSettings{CardReader: store.CardReaderSettings{Port: pty.Device, Baud: 115200}}
	running, err := wire.BuildDevices(set, "", wire.DeviceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	connected := make(chan struct{}, 4)
	running.Cards.OnState = func(s idcard.State, _ error) {
		if s == idcard.Connected {
			connected <- struct{}{}
		}
	}
	go func() { _ = running.Serve(ctx) }()
	<-connected

	svc := &devicesvc.Service{Env: env.Env, Running: running, Now: env.Clock.Now}
	w := test.NewWindow(nil)
	defer w.Close()
	w.Resize(fyne.NewSize(1280, 800))
	tasks := &widgets.Tasks{Inline: true}
	s := devices.New(w, svc, tasks)
	w.SetContent(s.Content())
	s.Load()
	if len(s.Checks.Objects) == 0 {
		t.Fatal("no checks shown")
	}
	// the checks speak Vietnamese: no thermal printer is configured yet
	if shown := checkTexts(s); !strings.Contains(shown, "Máy in nhiệt — Chưa cấu hình.") || strings.Contains(shown, "not configured") {
		t.Fatalf("checks not in Vietnamese:\n%s", shown)
	}

	// configure and save
	s.CardPort.SetText(pty.Device)
	s.CardBaud.SetSelected("115200")
	s.ScanKind.SetSelected("Thư mục quét")
	s.ScanTarget.SetText(scanDir)
	s.ThermalURI.SetText("tcp://" + ln.Addr().String())
	s.ThermalWidth.SetSelected("58 mm")
	s.ThermalReceipts.SetChecked(true)
	test.Tap(s.Save)
	got, err := env.Store.DeviceSettings(context.Background())
	if err != nil || got.Scanner.Dir != scanDir || got.Thermal.Width != 58 || !got.Thermal.Receipts || got.CardReader.Port != pty.Device {
		t.Fatalf("saved %+v, %v (error label %q)", got, err, s.LastError.Text)
	}

	t.Run("a test card read shows the ID number masked", func(t *testing.T) {
		pty.Write([]byte("001088012345||Nguyễn Văn An|01011988|Nam|Hà Nội\r\n"))
		test.Tap(s.TestCard)
		if s.Result.Text != "Đọc được thẻ: số định danh 0010••••2345." || s.LastError.Text != "" {
			t.Fatalf("result %q, error %q", s.Result.Text, s.LastError.Text)
		}
	})
	t.Run("a test scan from the folder shows a thumbnail and the page count", func(t *testing.T) {
		test.Tap(s.TestScan)
		if !strings.HasPrefix(s.Result.Text, "Quét được 1 trang") || !s.Thumb.Visible() {
			t.Fatalf("result %q, error %q", s.Result.Text, s.LastError.Text)
		}
	})
	t.Run("the system test page goes to the receipt printer", func(t *testing.T) {
		test.Tap(s.PrintSystem)
		if len(env.PrintedFiles()) != 1 || s.LastError.Text != "" {
			t.Fatalf("printed %v, error %q", env.PrintedFiles(), s.LastError.Text)
		}
	})
	t.Run("the thermal test page reaches the printer with its QR code", func(t *testing.T) {
		test.Tap(s.PrintThermal)
		job := <-jobs
		out, err := escpos.Decode(job, escpos.Width58)
		if err != nil || len(out.QRs) != 1 || !strings.HasPrefix(string(out.QRs[0]), "motcua test") {
			t.Fatalf("decoded %v, %v", out, err)
		}
	})
	t.Run("an unreachable thermal printer is explained in plain words", func(t *testing.T) {
		ln.Close()
		test.Tap(s.PrintThermal)
		if s.LastError.Text != "Không kết nối được máy in nhiệt. Kiểm tra nguồn, giấy và dây cáp." {
			t.Fatalf("error %q", s.LastError.Text)
		}
	})
	if os.Getenv("MOTCUA_DEVICES_SHOT") != "" {
		img := w.Canvas().Capture()
		f, _ := os.Create(os.Getenv("MOTCUA_DEVICES_SHOT"))
		png.Encode(f, img)
		f.Close()
	}
}

// checkTexts is the text of every label in the checks column.
func checkTexts(s *devices.Screen) string {
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Label:
			b.WriteString(v.Text + "\n")
		case *fyne.Container:
			for _, c := range v.Objects {
				walk(c)
			}
		}
	}
	walk(s.Checks)
	return b.String()
}
