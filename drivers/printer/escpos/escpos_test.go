package escpos

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/motcua/motcua/assets"
	"github.com/motcua/motcua/drivers/devicetest"
	"github.com/motcua/motcua/drivers/serialport"
)

func fonts() Fonts {
	return Fonts{Regular: assets.MustRead("fonts/NotoSans-Regular.ttf"), Bold: assets.MustRead("fonts/NotoSans-Bold.ttf")}
}

var at = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

// queueTicket is a queue ticket as the kiosk prints it.
func queueTicket() Ticket {
	return Ticket{
		Lines: []Line{
			{Text: "UBND PHƯỜNG BA ĐÌNH", Bold: true, Align: AlignCenter},
			{Text: "Bộ phận Tiếp nhận và Trả kết quả", Align: AlignCenter},
			{Text: "SỐ THỨ TỰ", Size: 10, Align: AlignCenter},
			{Text: "A-042", Size: 28, Bold: true, Align: AlignCenter},
			{Text: "Quầy 2 — Hộ tịch, chứng thực", Align: AlignCenter},
			{Text: "09:30 23/11/2026 · Đang chờ: 3 người", Size: 8, Align: AlignCenter},
		},
		QR:     "https://motcua.example/q/A-042",
		Footer: []Line{{Text: "Quét mã để theo dõi lượt của bạn", Size: 8, Align: AlignCenter}},
	}
}

func grayToPNG(t *testing.T, g *image.Gray) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGoldenJobs(t *testing.T) {
	cases := []struct {
		name   string
		ticket Ticket
		dots   int
	}{
		{"a queue ticket on 80 mm paper", queueTicket(), Width80},
		{"the test page on 58 mm paper", TestTicket("MÁY IN NHIỆT", at), Width58},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			job, err := c.ticket.Encode(fonts(), c.dots)
			if err != nil {
				t.Fatal(err)
			}
			name := []string{"queue80", "test58"}[i]
			devicetest.Golden(t, name+".bin", job)
			out, err := Decode(job, c.dots)
			if err != nil {
				t.Fatal(err)
			}
			if out.Cuts != 1 || out.Inits != 1 || len(out.QRs) != 1 || string(out.QRs[0]) != c.ticket.QR {
				t.Fatalf("decoded %d cuts, %d inits, QRs %q", out.Cuts, out.Inits, out.QRs)
			}
			devicetest.Golden(t, name+".png", grayToPNG(t, out.Page))
			// the rendered native QR scans back to its payload
			if got := scanQR(t, out.Page); got != c.ticket.QR {
				t.Fatalf("QR on the printout reads %q", got)
			}
		})
	}
}

func scanQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("QR not readable on the printout: %v", err)
	}
	return res.GetText()
}

// randomImage makes a w×h picture of random grey levels.
func randomImage(w, h int, seed uint64) *image.Gray {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = uint8(r.IntN(256))
	}
	return g
}

// checkRaster encodes img, decodes it and compares pixel by pixel with the
// 50 % threshold of the source.
func checkRaster(t *testing.T, img *image.Gray) {
	t.Helper()
	job, err := Job(func(e *Encoder) error { return e.Raster(img) })
	if err != nil {
		t.Fatal(err)
	}
	w, h := img.Bounds().Dx(), img.Bounds().Dy()
	out, err := Decode(job, (w+7)/8*8)
	if err != nil {
		t.Fatal(err)
	}
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			want := uint8(255)
			if img.GrayAt(x, y).Y < 128 {
				want = 0
			}
			if got := out.Page.GrayAt(x, y).Y; got != want {
				t.Fatalf("pixel %d,%d printed %d, want %d", x, y, got, want)
			}
		}
	}
}

func TestRasterRoundTrip(t *testing.T) {
	for _, c := range []struct {
		name string
		w, h int
	}{
		{"a width that is not a multiple of 8 keeps its last column", 13, 5},
		{"an image taller than one band is split and stacked back", 64, MaxBand*2 + 7},
		{"a full 80 mm line round-trips", Width80, 3},
	} {
		t.Run(c.name, func(t *testing.T) { checkRaster(t, randomImage(c.w, c.h, uint64(c.w*c.h))) })
	}
}

func TestEncoderRefusesAnOversizedQR(t *testing.T) {
	var e Encoder
	if err := e.QR(make([]byte, MaxQR+1), 4, QRLevelM); err != ErrQRTooLarge {
		t.Fatalf("got %v", err)
	}
}

func TestTransports(t *testing.T) {
	job, err := queueTicket().Encode(fonts(), Width80)
	if err != nil {
		t.Fatal(err)
	}
	ctx := devicetest.Ctx(t)
	t.Run("TCP 9100: a loopback printer server receives the job byte for byte", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		got := make(chan []byte, 1)
		go func() {
			c, err := ln.Accept()
			if err != nil {
				got <- nil
				return
			}
			b, _ := io.ReadAll(c)
			c.Close()
			got <- b
		}()
		opener, err := ParseURI("tcp://" + ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		p := &Printer{Open: opener, Fonts: fonts()}
		if err := p.PrintTicket(ctx, queueTicket()); err != nil {
			t.Fatal(err)
		}
		if b := <-got; !bytes.Equal(b, job) {
			t.Fatalf("server got %d bytes, want %d", len(b), len(job))
		}
	})
	t.Run("a USB printer device file receives the job", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "lp0")
		if err := os.WriteFile(path, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		opener, err := ParseURI("usb:" + path)
		if err != nil {
			t.Fatal(err)
		}
		if err := (&Printer{Open: opener, Fonts: fonts()}).PrintTicket(ctx, queueTicket()); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(path); !bytes.Equal(b, job) {
			t.Fatalf("device got %d bytes, want %d", len(b), len(job))
		}
	})
	t.Run("a serial printer on a pty pair receives the job", func(t *testing.T) {
		pty := devicetest.NewPtyPair(t)
		feeder := pty.ReadFeeder()
		got := make(chan []byte, 1)
		go func() {
			b := make([]byte, len(job))
			_, err := io.ReadFull(feeder, b)
			if err != nil {
				got <- nil
				return
			}
			got <- b
		}()
		p := &Printer{Open: Serial(serialport.Config{Name: pty.Device, Baud: 115200}), Fonts: fonts()}
		if err := p.PrintTicket(ctx, queueTicket()); err != nil {
			t.Fatal(err)
		}
		if b := <-got; !bytes.Equal(b, job) {
			t.Fatalf("serial line carried %d bytes, want %d", len(b), len(job))
		}
	})
	t.Run("an unreachable printer is ErrOffline", func(t *testing.T) {
		ln, _ := net.Listen("tcp", "127.0.0.1:0")
		addr := ln.Addr().String()
		ln.Close()
		err := (&Printer{Open: TCP(addr), Fonts: fonts()}).PrintTicket(ctx, queueTicket())
		if err == nil || !bytes.Contains([]byte(err.Error()), []byte(ErrOffline.Error())) {
			t.Fatalf("got %v", err)
		}
	})
}

func TestFitWidthScalesDownOnly(t *testing.T) {
	big := image.NewGray(image.Rect(0, 0, 1000, 500))
	if b := FitWidth(big, Width80).Bounds(); b.Dx() != Width80 || b.Dy() != 288 {
		t.Fatalf("scaled to %v", b)
	}
	small := image.NewRGBA(image.Rect(0, 0, 100, 10))
	small.Set(0, 0, color.Black)
	if FitWidth(small, Width80) != image.Image(small) {
		t.Fatal("a narrow image was rescaled")
	}
}
