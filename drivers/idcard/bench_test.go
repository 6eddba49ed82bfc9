package idcard

import (
	"strings"
	"testing"
)

func BenchmarkParseQR(b *testing.B) {
	for b.Loop() {
		if _, err := Parse(qr2021); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkParseMRZ(b *testing.B) {
	m := vnMRZ()
	for b.Loop() {
		if _, err := Parse(m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSplitQR is the floor of BenchmarkParseQR: only splitting the QR
// string at its separators, no validation, dates or Unicode normalisation.
func BenchmarkSplitQR(b *testing.B) {
	for b.Loop() {
		if len(strings.Split(qr2021, "|")) < 6 {
			b.Fatal("short")
		}
	}
}
