package scanner

import (
	"bufio"
	"errors"
	"fmt"
	"image"
	"io"
)

// MaxPixels bounds a decoded page (A4 at 600 dpi is 35 M pixels).
const MaxPixels = 40 << 20

// DecodePNM decodes the binary PNM formats scanimage writes: P4 (line
// art), P5 (gray, 8 or 16 bit) and P6 (RGB, 8 or 16 bit).
func DecodePNM(r io.Reader) (image.Image, error) {
	br := bufio.NewReader(r)
	magic := make([]byte, 2)
	if _, err := io.ReadFull(br, magic); err != nil {
		return nil, fmt.Errorf("pnm: %w", err)
	}
	if magic[0] != 'P' || magic[1] < '4' || magic[1] > '6' {
		return nil, errors.New("pnm: not a binary PNM")
	}
	kind := magic[1]
	w, err := pnmInt(br)
	if err != nil {
		return nil, err
	}
	h, err := pnmInt(br)
	if err != nil {
		return nil, err
	}
	maxv := 1
	if kind != '4' {
		if maxv, err = pnmInt(br); err != nil {
			return nil, err
		}
		if maxv < 1 || maxv > 65535 {
			return nil, errors.New("pnm: bad maxval")
		}
	}
	if w <= 0 || h <= 0 || w > 1<<16 || h > 1<<16 || w*h > MaxPixels {
		return nil, fmt.Errorf("pnm: bad size %dx%d", w, h)
	}
	// exactly one white space byte after the header was consumed by pnmInt
	bytesPer := 1
	if maxv > 255 {
		bytesPer = 2
	}
	sample := func(b []byte) uint8 {
		v := int(b[0])
		if bytesPer == 2 {
			v = int(b[0])<<8 | int(b[1])
		}
		return uint8(v * 255 / maxv)
	}
	switch kind {
	case '4':
		img := image.NewGray(image.Rect(0, 0, w, h))
		row := make([]byte, (w+7)/8)
		for y := 0; y < h; y++ {
			if _, err := io.ReadFull(br, row); err != nil {
				return nil, fmt.Errorf("pnm: %w", err)
			}
			for x := 0; x < w; x++ {
				v := uint8(255)
				if row[x>>3]&(0x80>>(x&7)) != 0 {
					v = 0
				}
				img.Pix[y*img.Stride+x] = v
			}
		}
		return img, nil
	case '5':
		img := image.NewGray(image.Rect(0, 0, w, h))
		row := make([]byte, w*bytesPer)
		for y := 0; y < h; y++ {
			if _, err := io.ReadFull(br, row); err != nil {
				return nil, fmt.Errorf("pnm: %w", err)
			}
			for x := 0; x < w; x++ {
				img.Pix[y*img.Stride+x] = sample(row[x*bytesPer:])
			}
		}
		return img, nil
	default:
		img := image.NewRGBA(image.Rect(0, 0, w, h))
		row := make([]byte, 3*w*bytesPer)
		for y := 0; y < h; y++ {
			if _, err := io.ReadFull(br, row); err != nil {
				return nil, fmt.Errorf("pnm: %w", err)
			}
			for x := 0; x < w; x++ {
				o := y*img.Stride + 4*x
				for c := 0; c < 3; c++ {
					img.Pix[o+c] = sample(row[(3*x+c)*bytesPer:])
				}
				img.Pix[o+3] = 255
			}
		}
		return img, nil
	}
}

// pnmInt reads a decimal header field, skipping white space and # comments,
// and consumes the single white space byte that ends it.
func pnmInt(br *bufio.Reader) (int, error) {
	n, digits := 0, 0
	for {
		c, err := br.ReadByte()
		if err != nil {
			return 0, fmt.Errorf("pnm header: %w", err)
		}
		switch {
		case c == '#' && digits == 0:
			if _, err := br.ReadString('\n'); err != nil {
				return 0, fmt.Errorf("pnm header: %w", err)
			}
		case c >= '0' && c <= '9':
			n = n*10 + int(c-'0')
			digits++
			if digits > 9 {
				return 0, errors.New("pnm: number too long")
			}
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if digits > 0 {
				return n, nil
			}
		default:
			return 0, fmt.Errorf("pnm: unexpected byte %q in header", c)
		}
	}
}
