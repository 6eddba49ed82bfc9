// Command icon draws motcua's application icon (assets/icon.png, 512×512)
// and its Windows .ico: a red rounded square, a white door ("một cửa", one
// door) with a yellow handle, and a yellow star above it. Run from the
// repository root:
//
//	go run ./packaging/icon -png assets/icon.png
//	go run ./packaging/icon -ico dist/motcua.ico
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"image"
	"image/color"
	"image/png"
	"log"
	"math"
	"os"
)

func main() {
	pngOut := flag.String("png", "", "write the 512×512 PNG here")
	icoOut := flag.String("ico", "", "write a Windows .ico (256×256 PNG entry) here")
	flag.Parse()
	if *pngOut != "" {
		if err := os.WriteFile(*pngOut, encode(draw(512)), 0o644); err != nil {
			log.Fatal(err)
		}
	}
	if *icoOut != "" {
		if err := os.WriteFile(*icoOut, ico(encode(draw(256))), 0o644); err != nil {
			log.Fatal(err)
		}
	}
}

func encode(img image.Image) []byte {
	var b bytes.Buffer
	if err := (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&b, img); err != nil {
		log.Fatal(err)
	}
	return b.Bytes()
}

// ico wraps one PNG image (256×256) in an ICO container (Windows Vista+).
func ico(p []byte) []byte {
	var b bytes.Buffer
	binary.Write(&b, binary.LittleEndian, [3]uint16{0, 1, 1})                // reserved, type icon, 1 image
	b.Write([]byte{0, 0, 0, 0})                                              // 256×256 (0 means 256), no palette, reserved
	binary.Write(&b, binary.LittleEndian, [2]uint16{1, 32})                  // planes, bits per pixel
	binary.Write(&b, binary.LittleEndian, [2]uint32{uint32(len(p)), 6 + 16}) // size, offset
	b.Write(p)
	return b.Bytes()
}

var (
	red    = color.NRGBA{0xC6, 0x28, 0x28, 0xFF}
	white  = color.NRGBA{0xFF, 0xFF, 0xFF, 0xFF}
	yellow = color.NRGBA{0xFF, 0xD5, 0x4F, 0xFF}
	shade  = color.NRGBA{0xE3, 0xE3, 0xE3, 0xFF}
)

// draw renders the icon at n×n, 4×4 supersampled for smooth edges.
func draw(n int) image.Image {
	img := image.NewNRGBA(image.Rect(0, 0, n, n))
	const ss = 4
	for y := 0; y < n; y++ {
		for x := 0; x < n; x++ {
			var r, g, b, a float64
			for sy := 0; sy < ss; sy++ {
				for sx := 0; sx < ss; sx++ {
					u := (float64(x) + (float64(sx)+0.5)/ss) / float64(n)
					v := (float64(y) + (float64(sy)+0.5)/ss) / float64(n)
					c, ok := shadeAt(u, v)
					if !ok {
						continue
					}
					r, g, b, a = r+float64(c.R), g+float64(c.G), b+float64(c.B), a+1
				}
			}
			if a == 0 {
				continue
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(r / a), uint8(g / a), uint8(b / a), uint8(255 * a / (ss * ss))})
		}
	}
	return img
}

// shadeAt is the colour at (u, v) in the unit square, false outside the icon.
func shadeAt(u, v float64) (color.NRGBA, bool) {
	if !inRounded(u, v, 0.04, 0.04, 0.96, 0.96, 0.18) {
		return color.NRGBA{}, false
	}
	switch {
	case inStar(u, v, 0.5, 0.19, 0.11):
		return yellow, true
	case inDoor(u, v):
		if math.Hypot(u-0.585, v-0.66) < 0.028 {
			return yellow, true
		}
		if u > 0.36 && u < 0.64 && v > 0.47 && v < 0.87 && !(u > 0.375 && u < 0.625 && v > 0.485) {
			return shade, true
		}
		return white, true
	}
	return red, true
}

// inDoor: a door with an arched top, standing on the bottom edge area.
func inDoor(u, v float64) bool {
	const l, r, top, bottom = 0.34, 0.66, 0.47, 0.86
	if u < l || u > r || v > bottom {
		return false
	}
	if v >= top {
		return true
	}
	return math.Hypot(u-0.5, v-top) <= (r-l)/2
}

func inRounded(u, v, x0, y0, x1, y1, rad float64) bool {
	if u < x0 || u > x1 || v < y0 || v > y1 {
		return false
	}
	cx := math.Max(x0+rad, math.Min(u, x1-rad))
	cy := math.Max(y0+rad, math.Min(v, y1-rad))
	return math.Hypot(u-cx, v-cy) <= rad
}

// inStar: a five-pointed star centred at (cx, cy) with outer radius R.
func inStar(u, v, cx, cy, R float64) bool {
	var pts [10][2]float64
	for i := range pts {
		rad := R
		if i%2 == 1 {
			rad = R * 0.382
		}
		a := -math.Pi/2 + float64(i)*math.Pi/5
		pts[i] = [2]float64{cx + rad*math.Cos(a), cy + rad*math.Sin(a)}
	}
	in := false
	for i, j := 0, len(pts)-1; i < len(pts); j, i = i, i+1 {
		xi, yi, xj, yj := pts[i][0], pts[i][1], pts[j][0], pts[j][1]
		if (yi > v) != (yj > v) && u < (xj-xi)*(v-yi)/(yj-yi)+xi {
			in = !in
		}
	}
	return in
}
