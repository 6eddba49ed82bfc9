package receipt_test

import (
	"bytes"
	"image/png"
	"testing"

	"github.com/motcua/motcua/internal/receipt"
)

func TestQRPNGDecodesToThePayload(t *testing.T) {
	payload := mustSign(t, samplePayload(), testKey())
	for _, px := range []int{120, 300} {
		b, err := receipt.QRPNG(payload, px)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if s := img.Bounds().Size(); s.X != px || s.Y != px {
			t.Fatalf("QRPNG(%d) is %v", px, s)
		}
		if got := decodeQR(t, img); got != payload {
			t.Fatalf("QRPNG(%d) decodes to %q", px, got)
		}
	}
}

func TestQRPNGRefusesAnEmptyImage(t *testing.T) {
	if _, err := receipt.QRPNG("MC1.x", 0); err == nil {
		t.Fatal("QRPNG accepted size 0")
	}
}
