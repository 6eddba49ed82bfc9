package escpos

import (
	"bytes"
	"image"
	"testing"
)

// FuzzEncoder: any image and QR payload encode to a stream that decodes back
// to the same pixels and payload.
func FuzzEncoder(f *testing.F) {
	f.Add(uint16(13), uint16(5), []byte{0, 255, 127, 128, 1}, []byte("https://motcua.example/q/A-042"))
	f.Add(uint16(576), uint16(130), []byte{200, 10}, []byte("x"))
	f.Add(uint16(1), uint16(1), []byte{}, []byte("Nguyễn"))
	f.Fuzz(func(t *testing.T, w, h uint16, pix, qr []byte) {
		w, h = w%600+1, h%300+1
		img := image.NewGray(image.Rect(0, 0, int(w), int(h)))
		for i := range img.Pix {
			if len(pix) > 0 {
				img.Pix[i] = pix[i%len(pix)]
			}
		}
		checkRaster(t, img)
		if len(qr) == 0 || len(qr) > 200 {
			return
		}
		job, err := Job(func(e *Encoder) error { return e.QR(qr, 3, QRLevelL) })
		if err != nil {
			t.Fatal(err)
		}
		out, err := Decode(job, Width80*4)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.QRs) != 1 || !bytes.Equal(out.QRs[0], qr) {
			t.Fatalf("QR payload %q, want %q", out.QRs, qr)
		}
	})
}

// FuzzDecode: Decode never panics on arbitrary bytes.
func FuzzDecode(f *testing.F) {
	job, _ := Job(func(e *Encoder) error { return e.QR([]byte("A-042"), 4, QRLevelM) })
	f.Add(job)
	f.Add([]byte{0x1d, 'v', '0', 0, 1, 0, 1, 0, 0xff})
	f.Add([]byte{0x1d, '(', 'k', 3, 0, 49, 81, 48})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _ = Decode(b, 64)
	})
}
