package escpos

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
)

// Paper widths in dots at 203 dpi (8 dots/mm): the printable width of 58 mm
// and 80 mm rolls.
const (
	Width58 = 384
	Width80 = 576
)

// MaxBand is the height of one GS v 0 raster command: small printers have
// buffers of a few kilobytes, so a tall image is sent in bands.
const MaxBand = 128

// Align of ESC a.
type Align byte

const (
	AlignLeft   Align = 0
	AlignCenter Align = 1
	AlignRight  Align = 2
)

// ErrTooWide is returned for an image wider than the paper or a QR payload
// the printer cannot hold.
var (
	ErrTooWide    = errors.New("image wider than the paper")
	ErrQRTooLarge = errors.New("QR payload too large")
)

// Encoder builds an ESC/POS command stream.
type Encoder struct {
	buf bytes.Buffer
}

// Bytes returns the stream.
func (e *Encoder) Bytes() []byte { return e.buf.Bytes() }

// Init resets the printer (ESC @).
func (e *Encoder) Init() *Encoder { e.buf.Write([]byte{0x1b, '@'}); return e }

// Align sets the justification of what follows (ESC a n).
func (e *Encoder) Align(a Align) *Encoder { e.buf.Write([]byte{0x1b, 'a', byte(a)}); return e }

// Feed feeds n lines (ESC d n).
func (e *Encoder) Feed(n int) *Encoder {
	if n < 0 {
		n = 0
	}
	if n > 255 {
		n = 255
	}
	e.buf.Write([]byte{0x1b, 'd', byte(n)})
	return e
}

// Cut feeds to the cutter and makes a partial cut (GS V 66 n).
func (e *Encoder) Cut() *Encoder { e.buf.Write([]byte{0x1d, 'V', 66, 3}); return e }

// Raster prints img as a 1-bit raster (GS v 0, normal density) in bands of
// MaxBand rows: a pixel prints black when its luminance is below 50 %.
func (e *Encoder) Raster(img image.Image) error {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return nil
	}
	bytesPerRow := (w + 7) / 8
	if bytesPerRow > 0xffff {
		return ErrTooWide
	}
	gray := toGray(img)
	for y0 := 0; y0 < h; y0 += MaxBand {
		y1 := min(y0+MaxBand, h)
		rows := y1 - y0
		e.buf.Write([]byte{0x1d, 'v', '0', 0,
			byte(bytesPerRow), byte(bytesPerRow >> 8), byte(rows), byte(rows >> 8)})
		row := make([]byte, bytesPerRow)
		for y := y0; y < y1; y++ {
			clear(row)
			off := y * gray.Stride
			for x := 0; x < w; x++ {
				if gray.Pix[off+x] < 128 {
					row[x>>3] |= 0x80 >> (x & 7)
				}
			}
			e.buf.Write(row)
		}
	}
	return nil
}

func toGray(img image.Image) *image.Gray {
	b := img.Bounds()
	if g, ok := img.(*image.Gray); ok && b.Min == (image.Point{}) && g.Stride == b.Dx() {
		return g
	}
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	// transparent pixels are paper: draw over white
	draw.Draw(g, g.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
	draw.Draw(g, g.Bounds(), img, b.Min, draw.Over)
	return g
}

// QR levels of error correction (GS ( k function 169).
type QRLevel byte

const (
	QRLevelL QRLevel = 48
	QRLevelM QRLevel = 49
	QRLevelQ QRLevel = 50
	QRLevelH QRLevel = 51
)

// MaxQR is the largest payload the QR store function accepts (model 2,
// version 40, level L, byte mode: 2953; printers' buffers are smaller, so we
// stay well under).
const MaxQR = 1000

// QR prints data as a native QR code (model 2) with modules of size dots
// (1-16) and error correction level.
func (e *Encoder) QR(data []byte, size int, level QRLevel) error {
	if len(data) == 0 || len(data) > MaxQR {
		return ErrQRTooLarge
	}
	if size < 1 {
		size = 1
	}
	if size > 16 {
		size = 16
	}
	fn := func(cn, f byte, params ...byte) {
		n := len(params) + 2
		e.buf.Write([]byte{0x1d, '(', 'k', byte(n), byte(n >> 8), cn, f})
		e.buf.Write(params)
	}
	fn(49, 65, 50, 0)                          // function 165: model 2
	fn(49, 67, byte(size))                     // function 167: module size
	fn(49, 69, byte(level))                    // function 169: error correction
	fn(49, 80, append([]byte{48}, data...)...) // function 180: store
	fn(49, 81, 48)                             // function 181: print
	return nil
}

// Job is a convenience: init, content, feed, cut.
func Job(content func(e *Encoder) error) ([]byte, error) {
	var e Encoder
	e.Init()
	if err := content(&e); err != nil {
		return nil, fmt.Errorf("escpos: %w", err)
	}
	e.Feed(3).Cut()
	return e.Bytes(), nil
}
