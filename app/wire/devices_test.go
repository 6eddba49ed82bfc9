package wire_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/png"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"fyne.io/fyne/v2/lang"

	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/drivers/devicetest"
	"github.com/motcua/motcua/drivers/printer/escpos"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/receipt"
	"github.com/motcua/motcua/internal/reception"
	"github.com/motcua/motcua/internal/store"
)

// readQR decodes the QR code drawn on a printout.
func readQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("the QR code on the printout does not scan: %v", err)
	}
	return res.GetText()
}

// keepPNG writes the decoded printout next to the screenshots when
// MOTCUA_SHOTS names that directory (docs/screenshots/take-devices.sh).
func keepPNG(t *testing.T, name string, img image.Image) {
	dir := os.Getenv("MOTCUA_SHOTS")
	if dir == "" {
		return
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// listen9100 is a network thermal printer on loopback: it returns the
// address and a channel with every job's bytes.
func listen9100(t *testing.T) (string, <-chan []byte) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	jobs := make(chan []byte, 4)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			b, _ := io.ReadAll(c)
			c.Close()
			jobs <- b
		}
	}()
	return ln.Addr().String(), jobs
}

func TestAReceiptPrintsAsAThermalSlipWithItsSignedQR(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, calendar.VN)
	dir := t.TempDir()
	sys := &recordingPrinter{}
	opts := wire.Options{Now: func() time.Time { return now }, Printer: sys,
		Params: &auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	env, err := wire.Open(ctx, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Provision(ctx, office); err != nil {
		t.Fatal(err)
	}
	addr, jobs := listen9100(t)
	if err := env.Store.SaveDeviceSettings(ctx, store.DeviceSettings{Thermal: store.ThermalSettings{
		URI: "tcp://" + addr, Width: 80, Receipts: true}}, "kythuat"); err != nil {
		t.Fatal(err)
	}
	env.Close()
	// the printer choice is read when the counter starts
	env, err = wire.Open(ctx, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	clerk, err := env.Auth.Create(ctx, "canbo", "Nguyễn Thị Hồng Nhung", auth.RoleClerk, "Mat-khau-2026")
	if err != nil {
		t.Fatal(err)
	}
	d, err := env.Reception.Receive(ctx, clerk, reception.Draft{
		ProcedureCode: "2.000884",
		Applicant: dossier.Applicant{FullName: "Phạm Văn Đức", IDNumber: "079085001234",
			Address: "Thôn Đông, xã Tả Thanh Oai"},
		Papers: []dossier.Paper{{Name: "Giấy tờ cần chứng thực chữ ký", Form: dossier.FormOriginal, Count: 1}},
		Sets:   1,
	})
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := env.Receipts.ReceiptPDF(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Receipts.Print(ctx, pdf); err != nil {
		t.Fatal(err)
	}
	var job []byte
	select {
	case job = <-jobs:
	case <-time.After(10 * time.Second):
		t.Fatal("nothing reached the printer on port 9100")
	}
	if len(sys.jobs) != 0 {
		t.Fatalf("the A4 receipt also went to the system printer (%d jobs)", len(sys.jobs))
	}
	out, err := escpos.Decode(job, escpos.Width80)
	if err != nil {
		t.Fatal(err)
	}
	if out.Cuts != 1 || len(out.QRs) != 1 {
		t.Fatalf("%d cuts, %d QR codes", out.Cuts, len(out.QRs))
	}
	if h := out.Page.Bounds().Dy(); h < 400 || h > 2400 {
		t.Fatalf("slip is %d dots long: not a short receipt", h)
	}
	keys, err := env.Receipts.VerifyKeys(ctx)
	if err != nil {
		t.Fatal(err)
	}
	p, err := receipt.Verify(readQR(t, out.Page), keys)
	if err != nil || p.Code != d.Code.String() {
		t.Fatalf("QR read from the printout: %+v, %v", p, err)
	}
	keepPNG(t, "receipt-thermal-80mm.png", out.Page)

	// a PDF this service did not make (a test page) still goes to the system printer
	other, err := wire.TestPagePDF(now)
	if err != nil {
		t.Fatal(err)
	}
	if err := env.Receipts.Print(ctx, other); err != nil || len(sys.jobs) != 1 {
		t.Fatalf("other PDF: %v, %d system jobs", err, len(sys.jobs))
	}
}

func TestAReceiptGoesToTheSystemPrinterWhenTheThermalOneIsNotChosen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	sys := &recordingPrinter{}
	opts := wire.Options{Printer: sys, Params: &auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}}
	env, err := wire.Open(ctx, dir, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	if env.Receipts.Thermal != nil {
		t.Fatal("a thermal printer was chosen without settings")
	}
}

func TestAQueueTicketPrintsOnASerialThermalPrinter(t *testing.T) {
	pty := devicetest.NewPtyPair(t)
	feeder := pty.ReadFeeder()
	ctx := context.Background()
	env, err := wire.Open(ctx, filepath.Join(t.TempDir(), "d"), wire.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer env.Close()
	p, err := env.TicketPrinter(store.KioskSettings{TicketPrinter: "serial:" + pty.Device + "?baud=19200"})
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan []byte, 1)
	go func() {
		// read until the cut command ends the job
		var b []byte
		buf := make([]byte, 4096)
		for {
			n, err := feeder.Read(buf)
			b = append(b, buf[:n]...)
			if bytes.Contains(b, []byte{0x1d, 'V', 66}) || err != nil {
				got <- b
				return
			}
		}
	}()
	if err := p.PrintTicket(ctx, kioskOffice, ticket); err != nil {
		t.Fatal(err)
	}
	var job []byte
	select {
	case job = <-got:
	case <-time.After(15 * time.Second):
		t.Fatal("the ticket did not reach the serial printer")
	}
	// the cut is the job's last command; wait for its parameter byte
	for !bytes.HasSuffix(job, []byte{0x1d, 'V', 66, 3}) && len(job) > 0 {
		buf := make([]byte, 16)
		n, err := feeder.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		job = append(job, buf[:n]...)
	}
	out, err := escpos.Decode(job, escpos.Width80)
	if err != nil {
		t.Fatal(err)
	}
	if out.Cuts != 1 || len(out.QRs) != 1 || string(out.QRs[0]) != ticket.QR {
		t.Fatalf("%d cuts, QRs %q", out.Cuts, out.QRs)
	}
	if s := readQR(t, out.Page); s != ticket.QR {
		t.Fatalf("QR on the ticket reads %q", s)
	}
	keepPNG(t, "queue-ticket-80mm.png", out.Page)
}

func TestDiagnosticsSpeakTheInterfaceLanguage(t *testing.T) {
	dead, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := dead.Addr().String()
	dead.Close()
	d, err := wire.BuildDevices(store.DeviceSettings{
		CardReader: store.CardReaderSettings{Port: filepath.Join(t.TempDir(), "ttyACM9")},
		Scanner:    store.ScannerSettings{Kind: "folder", Dir: filepath.Join(t.TempDir(), "missing")},
		Thermal:    store.ThermalSettings{URI: "tcp://" + addr},
	}, "", wire.DeviceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checks := append(d.Diagnose(context.Background()), wire.SettingsCheck(errors.New("x")))
	none, err := wire.BuildDevices(wire.NoDevices(), "", wire.DeviceOptions{})
	if err != nil {
		t.Fatal(err)
	}
	checks = append(checks, none.Diagnose(context.Background())...)
	for _, code := range []string{"vi", "en"} {
		if err := widgets.SetLanguage(code); err != nil {
			t.Fatal(err)
		}
		for _, c := range checks {
			for _, k := range []string{c.NameKey, c.DetailKey, "devices.area." + c.Area, "devices.doctor.status." + string(c.Status)} {
				if k != "" && lang.X(k, "\x00", c.Args) == "\x00" {
					t.Errorf("%s: no translation for %q (check %+v)", code, k, c)
				}
			}
		}
	}
	if err := widgets.SetLanguage("vi"); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"card": "Không thấy cổng", "thermal": "Không kết nối được", "scanner": "Không đọc được thư mục"}
	for _, c := range checks {
		if w, ok := want[c.Area]; ok && c.Status == wire.StatusFail {
			if _, detail := c.Say(); !strings.Contains(detail, w) {
				t.Errorf("%s in Vietnamese: %q, want %q", c.Area, detail, w)
			}
			delete(want, c.Area)
		}
	}
	if len(want) > 0 {
		t.Errorf("no failed check for %v", want)
	}
	if w := wire.StatusWord(wire.StatusFail); w != "lỗi" {
		t.Errorf("fail in Vietnamese: %q", w)
	}
}
