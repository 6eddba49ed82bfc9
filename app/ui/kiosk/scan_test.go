package kiosk_test

import (
	"testing"

	"github.com/motcua/motcua/app/ui/kiosk"
	journey "github.com/motcua/motcua/internal/kiosk"
)

// TestASerialScannerLineOpensTheConfirmation: what wire.ReadScanner hands
// over from a serial QR scanner goes through ScanInput like a wedge scan.
func TestASerialScannerLineOpensTheConfirmation(t *testing.T) {
	r := open(t, kiosk.Landscape)
	r.k.ScanInput(r.qr(t, r.ready))
	r.k.Wait()
	if st := r.m.State(); st.Step != journey.StepLookupConfirm || st.Code != r.ready.Code.String() {
		t.Fatalf("after a serial scan: %v %q (%q)", st.Step, st.Code, st.Msg)
	}
	r.k.ScanInput("not a code")
	r.k.Wait()
	if st := r.m.State(); st.Msg != "kiosk.lookup.bad_code" || !r.shows("không phải là mã hồ sơ") {
		t.Fatalf("a bad serial scan: %v %q %q", st.Step, st.Msg, r.k.Texts)
	}
}
