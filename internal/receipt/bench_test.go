package receipt_test

import (
	"testing"

	"github.com/motcua/motcua/internal/receipt"
)

// BenchmarkReceipt measures one receipt as the counter prints it: the QR
// code and the two-copy PDF.
func BenchmarkReceipt(b *testing.B) {
	d := birthDossier(b, birthPapers)
	payload, err := receipt.Sign(receipt.Payload{Code: d.Code.String(), ReceivedAt: d.ReceivedAt, DueAt: d.DueAt}, testKey())
	if err != nil {
		b.Fatal(err)
	}
	data := receipt.ReceiptData{Dossier: d, Office: testOffice(), ClerkName: "Trần Văn Hưởng", QRPayload: payload}
	b.ReportAllocs()
	var size int
	for b.Loop() {
		pdf, err := receipt.Receipt(data)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "pdf-bytes")
}

// BenchmarkQRPNG is the baseline: the QR code alone, as a 300-pixel PNG.
func BenchmarkQRPNG(b *testing.B) {
	d := birthDossier(b, birthPapers)
	payload, err := receipt.Sign(receipt.Payload{Code: d.Code.String(), ReceivedAt: d.ReceivedAt, DueAt: d.DueAt}, testKey())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := receipt.QRPNG(payload, 300); err != nil {
			b.Fatal(err)
		}
	}
}
