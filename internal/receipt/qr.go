package receipt

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// qrLevel is the error correction of receipt QR codes: M (15 %) keeps a
// ~140-byte payload at version 8 (49 modules), about 0.5 mm a module at
// 25 mm, which office laser and 203-dpi thermal printers both resolve.
const qrLevel = qrcode.Medium

// QRPNG renders payload as a PNG QR code px pixels square, quiet zone
// included, for screens and thermal printers.
func QRPNG(payload string, px int) ([]byte, error) {
	if px <= 0 {
		return nil, fmt.Errorf("qr png: size %d must be positive", px)
	}
	q, err := qrcode.New(payload, qrLevel)
	if err != nil {
		return nil, fmt.Errorf("qr png: %w", err)
	}
	return q.PNG(px)
}

// qrModules returns the symbol's modules (true is dark) without the quiet
// zone.
func qrModules(payload string) ([][]bool, error) {
	q, err := qrcode.New(payload, qrLevel)
	if err != nil {
		return nil, fmt.Errorf("qr code: %w", err)
	}
	q.DisableBorder = true
	return q.Bitmap(), nil
}

// qr draws the modules as vector rectangles, size points square, top-left
// at (x, y): one rectangle per horizontal run of dark modules and one per
// vertical run of two or more. Every edge between two dark modules is then
// inside some rectangle, so anti-aliased renderers leave no light seams
// between rows or columns.
func (s *sheet) qr(x, y, size float64, modules [][]bool) {
	if s.err != nil || len(modules) == 0 {
		return
	}
	n := len(modules)
	m := size / float64(n)
	dark := func(row, col int) bool { return row < n && col < len(modules[row]) && modules[row][col] }
	s.pdf.SetFillColor(0, 0, 0)
	for row := 0; row < n; row++ {
		for col := 0; col < n; {
			start := col
			for dark(row, col) {
				col++
			}
			if col > start {
				s.pdf.RectFromUpperLeftWithStyle(x+float64(start)*m, y+float64(row)*m, float64(col-start)*m, m, "F")
			} else {
				col++
			}
		}
	}
	for col := 0; col < n; col++ {
		for row := 0; row < n; {
			start := row
			for dark(row, col) {
				row++
			}
			if row-start >= 2 {
				s.pdf.RectFromUpperLeftWithStyle(x+float64(col)*m, y+float64(start)*m, m, float64(row-start)*m, "F")
			}
			if row == start {
				row++
			}
		}
	}
}
