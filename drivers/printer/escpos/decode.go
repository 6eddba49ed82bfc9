package escpos

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"

	qrcode "github.com/skip2/go-qrcode"
)

// Printout is what a command stream prints, as Decode understands it.
type Printout struct {
	Page  *image.Gray // the paper: rasters and QR codes stacked, white background
	QRs   [][]byte    // native QR payloads in order
	Cuts  int
	Inits int
}

// LineDots is how far ESC d feeds per line in Decode's rendering (the
// default line spacing of 1/6 inch at 203 dpi).
const LineDots = 34

// Decode interprets an ESC/POS stream made of the commands Encoder emits and
// renders it onto paper dots wide. Unknown commands are an error.
func Decode(b []byte, dots int) (*Printout, error) {
	d := &decoder{b: b, dots: dots, out: &Printout{}}
	if err := d.run(); err != nil {
		return nil, err
	}
	d.out.Page = d.page()
	return d.out, nil
}

type placed struct {
	img   *image.Gray
	align Align
}

type decoder struct {
	b     []byte
	i     int
	dots  int
	align Align
	parts []placed
	qr    struct {
		size  int
		level QRLevel
		data  []byte
	}
	out *Printout
}

var errShort = errors.New("escpos: truncated command")

func (d *decoder) need(n int) ([]byte, error) {
	if n < 0 || d.i+n > len(d.b) {
		return nil, errShort
	}
	p := d.b[d.i : d.i+n]
	d.i += n
	return p, nil
}

func (d *decoder) run() error {
	for d.i < len(d.b) {
		c := d.b[d.i]
		d.i++
		switch c {
		case 0x0a: // LF
			d.blank(LineDots)
		case 0x1b:
			p, err := d.need(1)
			if err != nil {
				return err
			}
			switch p[0] {
			case '@':
				d.out.Inits++
				d.align = AlignLeft
			case 'a':
				n, err := d.need(1)
				if err != nil {
					return err
				}
				if n[0] > 2 && n[0] != '0' && n[0] != '1' && n[0] != '2' {
					return fmt.Errorf("escpos: ESC a %d", n[0])
				}
				d.align = Align(n[0] % 48)
			case 'd':
				n, err := d.need(1)
				if err != nil {
					return err
				}
				d.blank(int(n[0]) * LineDots)
			default:
				return fmt.Errorf("escpos: unknown command ESC 0x%02x at %d", p[0], d.i-2)
			}
		case 0x1d:
			p, err := d.need(1)
			if err != nil {
				return err
			}
			switch p[0] {
			case 'V':
				m, err := d.need(1)
				if err != nil {
					return err
				}
				if m[0] == 65 || m[0] == 66 {
					if _, err := d.need(1); err != nil {
						return err
					}
				}
				d.out.Cuts++
			case 'v':
				if err := d.raster(); err != nil {
					return err
				}
			case '(':
				if err := d.function(); err != nil {
					return err
				}
			default:
				return fmt.Errorf("escpos: unknown command GS 0x%02x at %d", p[0], d.i-2)
			}
		default:
			return fmt.Errorf("escpos: unexpected byte 0x%02x at %d", c, d.i-1)
		}
	}
	return nil
}

func (d *decoder) blank(h int) {
	if h > 0 {
		d.parts = append(d.parts, placed{img: image.NewGray(image.Rect(0, 0, 1, h)), align: AlignLeft})
		draw.Draw(d.parts[len(d.parts)-1].img, image.Rect(0, 0, 1, h), image.White, image.Point{}, draw.Src)
	}
}

func (d *decoder) raster() error {
	h, err := d.need(6)
	if err != nil {
		return err
	}
	if h[0] != '0' || h[1] > 3 && h[1] != 48 && h[1] != 49 && h[1] != 50 && h[1] != 51 {
		return fmt.Errorf("escpos: GS v %c %d", h[0], h[1])
	}
	bpr := int(h[2]) | int(h[3])<<8
	rows := int(h[4]) | int(h[5])<<8
	if bpr == 0 || rows == 0 || bpr*8 > 1<<16 || rows > 1<<12 {
		return fmt.Errorf("escpos: raster %dx%d", bpr, rows)
	}
	data, err := d.need(bpr * rows)
	if err != nil {
		return err
	}
	img := image.NewGray(image.Rect(0, 0, bpr*8, rows))
	for y := 0; y < rows; y++ {
		for x := 0; x < bpr*8; x++ {
			v := uint8(255)
			if data[y*bpr+x>>3]&(0x80>>(x&7)) != 0 {
				v = 0
			}
			img.Pix[y*img.Stride+x] = v
		}
	}
	d.parts = append(d.parts, placed{img: img, align: d.align})
	return nil
}

func (d *decoder) function() error {
	h, err := d.need(3) // GS ( fn pL pH
	if err != nil {
		return err
	}
	if h[0] != 'k' {
		return fmt.Errorf("escpos: GS ( %c not supported", h[0])
	}
	n := int(h[1]) | int(h[2])<<8
	if n < 2 {
		return errShort
	}
	body, err := d.need(n)
	if err != nil {
		return err
	}
	if body[0] != 49 {
		return fmt.Errorf("escpos: GS ( k symbol %d not supported", body[0])
	}
	params := body[2:]
	switch body[1] {
	case 65: // model
	case 67:
		if len(params) > 0 {
			d.qr.size = int(params[0])
		}
	case 69:
		if len(params) > 0 {
			d.qr.level = QRLevel(params[0])
		}
	case 80:
		if len(params) < 1 {
			return errShort
		}
		d.qr.data = append([]byte(nil), params[1:]...)
	case 81:
		if len(d.qr.data) == 0 {
			return errors.New("escpos: QR print with nothing stored")
		}
		d.out.QRs = append(d.out.QRs, d.qr.data)
		img, err := renderQR(d.qr.data, d.qr.size, d.qr.level)
		if err != nil {
			return err
		}
		d.parts = append(d.parts, placed{img: img, align: d.align})
	default:
		return fmt.Errorf("escpos: GS ( k function %d not supported", body[1])
	}
	return nil
}

func renderQR(data []byte, size int, level QRLevel) (*image.Gray, error) {
	lv := map[QRLevel]qrcode.RecoveryLevel{QRLevelL: qrcode.Low, QRLevelM: qrcode.Medium, QRLevelQ: qrcode.High, QRLevelH: qrcode.Highest}[level]
	q, err := qrcode.New(string(data), lv)
	if err != nil {
		return nil, fmt.Errorf("escpos: QR: %w", err)
	}
	q.DisableBorder = true
	bm := q.Bitmap()
	if size < 1 {
		size = 3
	}
	img := image.NewGray(image.Rect(0, 0, len(bm)*size, len(bm)*size))
	for y := range img.Bounds().Dy() {
		for x := range img.Bounds().Dx() {
			v := uint8(255)
			if bm[y/size][x/size] {
				v = 0
			}
			img.Pix[y*img.Stride+x] = v
		}
	}
	return img, nil
}

// page stacks the printed parts on white paper dots wide.
func (d *decoder) page() *image.Gray {
	h := 0
	for _, p := range d.parts {
		h += p.img.Bounds().Dy()
	}
	page := image.NewGray(image.Rect(0, 0, d.dots, max(h, 1)))
	draw.Draw(page, page.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	y := 0
	for _, p := range d.parts {
		w := p.img.Bounds().Dx()
		x := 0
		switch p.align {
		case AlignCenter:
			x = (d.dots - w) / 2
		case AlignRight:
			x = d.dots - w
		}
		r := image.Rect(x, y, x+w, y+p.img.Bounds().Dy())
		draw.Draw(page, r, p.img, image.Point{}, draw.Src)
		y += p.img.Bounds().Dy()
	}
	return page
}
