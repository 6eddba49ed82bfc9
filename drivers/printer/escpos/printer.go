package escpos

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/image/draw"

	"github.com/motcua/motcua/drivers/serialport"
)

// Opener opens the printer's transport for one job.
type Opener func(ctx context.Context) (io.WriteCloser, error)

// TCP opens a raw TCP connection (port 9100 by default) to a network printer.
func TCP(addr string) Opener {
	if _, _, err := net.SplitHostPort(addr); err != nil {
		addr = net.JoinHostPort(addr, "9100")
	}
	return func(ctx context.Context) (io.WriteCloser, error) {
		d := net.Dialer{Timeout: 5 * time.Second}
		c, err := d.DialContext(ctx, "tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrOffline, err)
		}
		_ = c.SetWriteDeadline(time.Now().Add(30 * time.Second))
		return c, nil
	}
}

// DeviceFile opens a USB printer class device (/dev/usb/lp0) or any file.
func DeviceFile(path string) Opener {
	return func(context.Context) (io.WriteCloser, error) {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrOffline, err)
		}
		return f, nil
	}
}

// Serial opens a serial thermal printer.
func Serial(cfg serialport.Config) Opener {
	return func(context.Context) (io.WriteCloser, error) {
		p, err := serialport.Open(cfg)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrOffline, err)
		}
		return p, nil
	}
}

// ParseURI reads a printer address as the settings store it:
// tcp://HOST[:PORT], serial:DEV?baud=N, usb:/dev/usb/lp0 or file:PATH.
func ParseURI(s string) (Opener, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("printer address %q: %w", s, err)
	}
	switch u.Scheme {
	case "tcp":
		return TCP(u.Host), nil
	case "serial":
		path := u.Opaque
		if path == "" {
			path = u.Path
		}
		cfg := serialport.DefaultConfig(path)
		if b := u.Query().Get("baud"); b != "" {
			if cfg.Baud, err = strconv.Atoi(b); err != nil {
				return nil, fmt.Errorf("printer address %q: baud %q", s, b)
			}
		}
		return Serial(cfg), nil
	case "usb", "file":
		path := u.Opaque
		if path == "" {
			path = u.Path
		}
		return DeviceFile(path), nil
	}
	return nil, fmt.Errorf("printer address %q: scheme must be tcp, serial, usb or file", s)
}

// ErrOffline: the printer cannot be reached.
var ErrOffline = errors.New("thermal printer not reachable")

// Printer is an ESC/POS thermal printer.
type Printer struct {
	Open  Opener
	Dots  int // printable width: Width58 or Width80 (0 = Width80)
	Fonts Fonts
	// RenderPDF renders a PDF page at dpi (internal/preview.RenderPage);
	// needed by PrintPDF only.
	RenderPDF func(pdf []byte, page int, dpi float64) (image.Image, error)
	PageCount func(pdf []byte) (int, error)
}

func (p *Printer) dots() int {
	if p.Dots == 0 {
		return Width80
	}
	return p.Dots
}

// Send writes a finished job.
func (p *Printer) Send(ctx context.Context, job []byte) error {
	w, err := p.Open(ctx)
	if err != nil {
		return err
	}
	if _, err := w.Write(job); err != nil {
		w.Close()
		return fmt.Errorf("%w: %v", ErrOffline, err)
	}
	return w.Close()
}

// PrintTicket prints a ticket.
func (p *Printer) PrintTicket(ctx context.Context, t Ticket) error {
	job, err := t.Encode(p.Fonts, p.dots())
	if err != nil {
		return err
	}
	return p.Send(ctx, job)
}

// PrintImage prints img scaled to the paper width.
func (p *Printer) PrintImage(ctx context.Context, img image.Image) error {
	job, err := Job(func(e *Encoder) error { return e.Raster(FitWidth(img, p.dots())) })
	if err != nil {
		return err
	}
	return p.Send(ctx, job)
}

// PrintPDF prints each page of pdf scaled to the paper width, copies times,
// with a cut after each page (drivers/printer's Printer interface).
func (p *Printer) PrintPDF(ctx context.Context, pdf []byte, copies int, _ string) error {
	if p.RenderPDF == nil || p.PageCount == nil {
		return errors.New("escpos: no PDF renderer")
	}
	n, err := p.PageCount(pdf)
	if err != nil {
		return err
	}
	var job []byte
	for c := 0; c < max(copies, 1); c++ {
		for i := 0; i < n; i++ {
			img, err := p.RenderPDF(pdf, i, 203)
			if err != nil {
				return err
			}
			b, err := Job(func(e *Encoder) error { return e.Raster(FitWidth(img, p.dots())) })
			if err != nil {
				return err
			}
			job = append(job, b...)
		}
	}
	return p.Send(ctx, job)
}

// FitWidth scales img down to dots wide (never up).
func FitWidth(img image.Image, dots int) image.Image {
	b := img.Bounds()
	if b.Dx() <= dots {
		return img
	}
	h := b.Dy() * dots / b.Dx()
	dst := image.NewGray(image.Rect(0, 0, dots, max(h, 1)))
	draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	return dst
}

// TestTicket is the technician's test page: the Vietnamese alphabet with
// every tone mark and a QR code, so a printer that drops glyphs shows it.
func TestTicket(title string, at time.Time) Ticket {
	return Ticket{
		Lines: []Line{
			{Text: title, Size: 11, Bold: true, Align: AlignCenter},
			{Text: "Trang in thử — " + at.Format("15:04 02/01/2006"), Align: AlignCenter},
			{Text: "ĂÂĐÊÔƠƯ ăâđêôơư"},
			{Text: "à á ả ã ạ  ằ ắ ẳ ẵ ặ  ầ ấ ẩ ẫ ậ"},
			{Text: "Nguyễn Thị Hồng Nhung — Thừa Thiên Huế"},
		},
		QR:     "motcua test " + at.Format("20060102T150405"),
		Footer: []Line{{Text: strings.Repeat("—", 12), Align: AlignCenter}},
	}
}
