package kiosk_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/kiosk"
	"github.com/motcua/motcua/internal/receipt"
)

var inputSeeds = []string{
	"000.00.06.H56-261123-1001",
	" 000.00.06.h56-261123-1001\r\n",
	"2611231001",
	"261123-1001",
	"MC1.000.00.06.H56-261123-1361.htcyn.htfj0.fe812c12.0vnPY-7w7XTrxzlH7airY5uqeJkf6-QjhzWWbXvj0qJ7XWHFUfLcc0wbvIJyfIpze_LJWWKM1cURPVpqIgoTAQ",
	"MC1.x.y",
	"",
	"123",
	"001090012345|123456789|Nguyễn Văn An|01011990|Nam|Hà Nội|01012021",
	strings.Repeat("9", 300),
}

func TestParseInput(t *testing.T) {
	cases := []struct {
		in, want string
		qr       bool
	}{
		{"000.00.06.H56-261123-1001", "000.00.06.H56-261123-1001", false},
		{" 000.00.06.h56-261123-1001\r\n", "000.00.06.H56-261123-1001", false},
		{"2611231001", "000.00.06.H56-261123-1001", false},
		{"261123-1001", "000.00.06.H56-261123-1001", false},
		{inputSeeds[4], "000.00.06.H56-261123-1361", true},
	}
	for _, c := range cases {
		got, err := kiosk.ParseInput(c.in, "000.00.06.H56")
		if err != nil || got.Code != c.want || (got.QR != "") != c.qr {
			t.Errorf("ParseInput(%q) = %+v, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{"", "123", "MC1.x.y", inputSeeds[8], inputSeeds[9], "26112310011"} {
		if got, err := kiosk.ParseInput(bad, "000.00.06.H56"); err == nil {
			t.Errorf("ParseInput(%q) accepted: %+v", bad, got)
		}
	}
}

// FuzzParseInput: whatever a scanner or keyboard wedge sends, the kiosk
// either refuses it or gets a canonical dossier code; it never panics.
func FuzzParseInput(f *testing.F) {
	for _, s := range inputSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := kiosk.ParseInput(s, "000.00.06.H56")
		if err != nil {
			return
		}
		c, err := dossier.ParseCode(got.Code)
		if err != nil || c.String() != got.Code {
			t.Fatalf("ParseInput(%q) gave non-canonical code %q", s, got.Code)
		}
		if got.QR != "" {
			if _, err := receipt.ParsePayload(got.QR); err != nil {
				t.Fatalf("ParseInput(%q) kept a bad payload", s)
			}
		}
	})
}

// FuzzMaskName: the mask never shows more than the family name and one
// letter of each other word.
func FuzzMaskName(f *testing.F) {
	for _, s := range []string{"Nguyễn Văn An", "Lê", "", " a  b ", "Tôn Nữ Thị Hồng Nhung"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m := kiosk.MaskName(s)
		if !utf8.ValidString(s) {
			return
		}
		words := strings.Fields(m)
		for i, w := range words {
			if i == 0 && len(words) > 1 {
				continue
			}
			if n := utf8.RuneCountInString(strings.TrimRight(w, "*")); n > 1 {
				t.Fatalf("MaskName(%q) = %q shows %q", s, m, w)
			}
		}
	})
}

// FuzzScan: any scanner input on the start screen ends on the code step
// (with a message) or the confirmation step, and never shows the
// applicant's data.
func FuzzScan(f *testing.F) {
	e := newEnv(f)
	for _, s := range inputSeeds {
		f.Add(s)
	}
	f.Add(e.qr(f, e.ready))
	f.Add(e.ready.Code.String())
	f.Fuzz(func(t *testing.T, s string) {
		m := e.machine(nil)
		m.Scan(ctx, s)
		st := m.State()
		if st.Step != kiosk.StepLookupCode && st.Step != kiosk.StepLookupConfirm {
			t.Fatalf("scan %q ended on %v", s, st.Step)
		}
		if st.Details != (kiosk.Details{}) || st.Busy {
			t.Fatalf("scan %q: %+v", s, st)
		}
	})
}
