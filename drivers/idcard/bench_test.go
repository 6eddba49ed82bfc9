package idcard

import "testing"

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
