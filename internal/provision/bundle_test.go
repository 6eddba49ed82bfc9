package provision_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/provision"
)

func sample() provision.Bundle {
	return provision.Bundle{
		Office: provision.Office{AgencyID: "000.00.06.H56", AgencyName: "UBND phường Ba Đình",
			ParentName: "UBND thành phố Hà Nội", Address: "25 Phan Đình Phùng", Phone: "024 3823 0000",
			OfficeHours: "07:00-11:30,13:30-17:00"},
		Mode: provision.ModeCounter, Slot: 2,
		Hub:     provision.Hub{URL: "https://hub.hanoi.example.vn/", EnrolToken: "tok_4f9c2a"},
		Printer: "HP_LaserJet_M404", Devices: provision.Devices{IDCardPort: "/dev/serial/by-id/usb-CCCD-if00"},
		Language: "vi", CreatedAt: time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC), CreatedBy: "kythuat",
	}
}

func TestABundleSurvivesMarshalAndParse(t *testing.T) {
	data, err := provision.Marshal(sample())
	if err != nil {
		t.Fatal(err)
	}
	got, err := provision.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	if got.Office != sample().Office || got.Hub != sample().Hub || got.Slot != 2 || !got.CreatedAt.Equal(sample().CreatedAt) {
		t.Fatalf("round trip: %+v", got)
	}
}

func TestParseRefuses(t *testing.T) {
	good, err := provision.Marshal(sample())
	if err != nil {
		t.Fatal(err)
	}
	edit := func(f func(*provision.Bundle)) []byte {
		b := sample()
		f(&b)
		// Re-checksum by hand: Marshal would refuse an invalid bundle.
		return provisionUnchecked(t, b)
	}
	cases := []struct {
		name string
		data []byte
		want error
	}{
		{"a file with one character changed inside the bundle", bytes.Replace(good, []byte("Ba Đình"), []byte("Ba Dình"), 1), provision.ErrChecksum},
		{"a file of another format", bytes.Replace(good, []byte(provision.Format), []byte("motcua-provision/9"), 1), provision.ErrFormat},
		{"a file that is not JSON", []byte("PK\x03\x04 a zip file"), provision.ErrFormat},
		{"a file with trailing data", append(append([]byte{}, good...), []byte("{}")...), provision.ErrFormat},
		{"an empty file", nil, provision.ErrFormat},
		{"a file larger than 64 KB", bytes.Repeat([]byte(" "), provision.MaxSize+1), provision.ErrFormat},
		{"a bad agency id", edit(func(b *provision.Bundle) { b.Office.AgencyID = "H56;DROP" }), provision.ErrInvalid},
		{"an empty agency name", edit(func(b *provision.Bundle) { b.Office.AgencyName = " " }), provision.ErrInvalid},
		{"a mode that does not exist", edit(func(b *provision.Bundle) { b.Mode = "review" }), provision.ErrInvalid},
		{"slot 0", edit(func(b *provision.Bundle) { b.Slot = 0 }), provision.ErrInvalid},
		{"slot 10", edit(func(b *provision.Bundle) { b.Slot = 10 }), provision.ErrInvalid},
		{"a hub address with a password in it", edit(func(b *provision.Bundle) { b.Hub.URL = "https://u:p@hub.example/" }), provision.ErrInvalid},
		{"a hub address that is a file", edit(func(b *provision.Bundle) { b.Hub.URL = "file:///etc/passwd" }), provision.ErrInvalid},
		{"a token without a hub", edit(func(b *provision.Bundle) { b.Hub.URL = "" }), provision.ErrInvalid},
		{"a printer name with a newline", edit(func(b *provision.Bundle) { b.Printer = "lp\n-o evil" }), provision.ErrInvalid},
		{"an agency name of 201 characters", edit(func(b *provision.Bundle) { b.Office.AgencyName = strings.Repeat("ă", 201) }), provision.ErrInvalid},
		{"an unknown field", bytesUnknownField(t), provision.ErrInvalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := provision.Parse(c.data); !errors.Is(err, c.want) {
				t.Fatalf("Parse: %v, want %v", err, c.want)
			}
		})
	}
}
