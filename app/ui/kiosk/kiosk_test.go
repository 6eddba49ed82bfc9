package kiosk_test

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/kiosk"
	journey "github.com/motcua/motcua/internal/kiosk"
)

var secrets = []string{"Nguyễn Văn An", "001090012345", "0912345678", "Đội Cấn", "Văn"}

func (r *rig) noSecrets(t *testing.T) {
	t.Helper()
	for _, s := range secrets {
		if r.shows(s) {
			t.Fatalf("%v shows %q", r.step(), s)
		}
	}
}

func TestLookupByKeypad(t *testing.T) {
	r := open(t, kiosk.Landscape)
	r.tap(t, "lookup")
	r.typeKeypad(t, shortCode(r.ready)[:9])
	r.tap(t, "key9")
	r.tap(t, "backspace")
	r.typeKeypad(t, shortCode(r.ready)[9:])
	if want := "000.00.06.H56 - " + shortCode(r.ready)[:6] + " - " + shortCode(r.ready)[6:]; r.k.Display.Text != want {
		t.Fatalf("display %q, want %q", r.k.Display.Text, want)
	}
	r.tap(t, "submit")
	if r.step() != journey.StepLookupConfirm {
		t.Fatalf("step %v: %s", r.step(), r.k.Message.Text)
	}
	// nothing of the dossier before the digits
	r.noSecrets(t)
	if r.shows("Đăng ký khai sinh") || r.shows("Nguyễn V***") || r.shows("Đã có kết quả") {
		t.Fatalf("dossier shown before confirmation: %q", r.k.Texts)
	}
	r.typeKeypad(t, "23")
	if r.k.Display.Text != "● ● _ _" {
		t.Fatalf("digits display %q", r.k.Display.Text)
	}
	r.typeKeypad(t, "45")
	r.tap(t, "submit")
	if r.step() != journey.StepLookupResult {
		t.Fatalf("step %v: %s", r.step(), r.k.Message.Text)
	}
	for _, want := range []string{"Nguyễn V*** A**", "Đã có kết quả – mời đến nhận", "Đăng ký khai sinh", r.ready.Code.String(),
		"Khi đến nhận, xin mang theo giấy tiếp nhận"} {
		if !r.shows(want) {
			t.Errorf("result does not show %q: %q", want, r.k.Texts)
		}
	}
	r.noSecrets(t)
	r.tap(t, "rate_dossier")
	r.tap(t, "rate1")
	if r.step() != journey.StepRateDone {
		t.Fatalf("step %v", r.step())
	}
	r.tap(t, "home")
	if r.step() != journey.StepHome {
		t.Fatal("not home")
	}
}

func TestScanAndWrongDigitsThreeTimes(t *testing.T) {
	r := open(t, kiosk.Portrait)
	r.scan(r.qr(t, r.ready))
	if r.step() != journey.StepLookupConfirm {
		t.Fatalf("scan on the start screen: %v %q", r.step(), r.k.Message.Text)
	}
	for i := 1; i <= 2; i++ {
		r.typeKeypad(t, "9999")
		r.tap(t, "submit")
		if !strings.Contains(r.k.Message.Text, "Còn") {
			t.Fatalf("try %d: %q", i, r.k.Message.Text)
		}
		r.noSecrets(t)
	}
	r.typeKeypad(t, "9999")
	r.tap(t, "submit")
	if r.step() != journey.StepHome || !strings.HasPrefix(r.k.Message.Text, "Nhập sai 3 lần") {
		t.Fatalf("third wrong try: %v %q", r.step(), r.k.Message.Text)
	}
	// scanning again: locked, and the right digits cannot be tried
	r.scan(r.ready.Code.String())
	if r.step() != journey.StepLookupCode || !strings.Contains(r.k.Message.Text, "tạm khóa") {
		t.Fatalf("after lock: %v %q", r.step(), r.k.Message.Text)
	}
}

func TestVerifyReceipt(t *testing.T) {
	r := open(t, kiosk.Landscape)
	r.tap(t, "verify")
	good := r.qr(t, r.ready)
	r.scan(good)
	if !r.shows("Giấy tiếp nhận thật") || !r.shows(r.ready.Code.String()) {
		t.Fatalf("valid receipt: %q", r.k.Texts)
	}
	r.tap(t, "verify_lookup")
	if r.step() != journey.StepLookupConfirm {
		t.Fatalf("verify → lookup: %v", r.step())
	}
	r.tap(t, "home")
	r.tap(t, "verify")
	forged := strings.Replace(good, ".fe", ".fe", 1)
	forged = forged[:len(forged)-3] + "AAA"
	r.scan(forged)
	if !r.shows("KHÔNG hợp lệ") || r.shows(r.ready.Code.String()) {
		t.Fatalf("forged receipt: %q", r.k.Texts)
	}
}

func TestProcedures(t *testing.T) {
	r := open(t, kiosk.Portrait)
	r.tap(t, "procedures")
	all := len(r.m.State().Procedures)
	r.tap(t, "field1")
	if n := len(r.m.State().Procedures); n == 0 || n >= all {
		t.Fatalf("field filter: %d of %d", n, all)
	}
	r.tap(t, "proc0")
	if r.step() != journey.StepProcedure || !r.shows("Giấy tờ cần nộp") || !r.shows("Thời hạn giải quyết") {
		t.Fatalf("procedure: %v %q", r.step(), r.k.Texts)
	}
	r.tap(t, "back")
	if r.step() != journey.StepProcedures {
		t.Fatal("back")
	}
}

func TestTicketWithAndWithoutPrinter(t *testing.T) {
	r := open(t, kiosk.Landscape)
	r.tap(t, "ticket")
	r.tap(t, "service0")
	if r.step() != journey.StepTicket || !r.shows("A001") || r.pr.n != 1 || !r.shows("Xin nhận phiếu") {
		t.Fatalf("ticket: %v %q printed %d", r.step(), r.k.Texts, r.pr.n)
	}
	r.tap(t, "home")
	r.pr.err = journey.ErrNoPrinter
	r.tap(t, "ticket")
	r.tap(t, "service0")
	if r.step() != journey.StepTicket || !r.shows("A002") || !strings.Contains(r.k.Message.Text, "Máy in phiếu") {
		t.Fatalf("no printer: %v %q", r.step(), r.k.Texts)
	}
}

func TestIdleResetAndScreenSaver(t *testing.T) {
	r := open(t, kiosk.Landscape)
	r.tap(t, "lookup")
	r.typeKeypad(t, "26112")
	r.env.Clock.Advance(journey.DefaultIdle)
	r.k.Tick()
	if r.step() != journey.StepHome || r.m.State().Input != "" {
		t.Fatalf("idle: %v %q", r.step(), r.m.State().Input)
	}
	r.env.Clock.Advance(journey.DefaultSaver)
	r.k.Tick()
	if r.step() != journey.StepSaver || !r.shows("Chạm vào màn hình để bắt đầu") || !r.shows("UBND xã Tân Phú") {
		t.Fatalf("saver: %v %q", r.step(), r.k.Texts)
	}
	test.Tap(r.k.Saver())
	if r.step() != journey.StepHome {
		t.Fatal("tap does not wake")
	}
}

func TestTechnicianExit(t *testing.T) {
	r := open(t, kiosk.Landscape)
	try := func(p string) {
		if r.step() != journey.StepHome {
			r.tap(t, "home")
		}
		r.tap(t, "tech")
		r.typeKeypad(t, p)
		r.tap(t, "submit")
	}
	try("111111")
	try("111111")
	try("111111")
	if !strings.Contains(r.k.Message.Text, "Thử lại sau 09:01") {
		t.Fatalf("locked: %q", r.k.Message.Text)
	}
	r.tap(t, "home")
	try(pin)
	if r.exits != 0 {
		t.Fatal("exit while locked")
	}
	r.env.Clock.Advance(time.Minute)
	r.tap(t, "home")
	try(pin)
	if r.exits != 1 {
		t.Fatalf("no exit with the right PIN: %q", r.k.Message.Text)
	}
}

// reach drives the kiosk to a step.
func reach(t *testing.T, r *rig, step journey.Step) {
	t.Helper()
	switch step {
	case journey.StepHome:
	case journey.StepSaver:
		r.env.Clock.Advance(journey.DefaultSaver)
		r.k.Tick()
	case journey.StepLookupCode:
		r.tap(t, "lookup")
		r.typeKeypad(t, "261123")
	case journey.StepLookupConfirm:
		r.scan(r.ready.Code.String())
		r.typeKeypad(t, "23")
	case journey.StepLookupResult:
		r.scan(r.ready.Code.String())
		r.typeKeypad(t, "2345")
		r.tap(t, "submit")
	case journey.StepVerifyScan:
		r.tap(t, "verify")
	case journey.StepVerifyResult:
		r.tap(t, "verify")
		r.scan(r.qr(t, r.ready))
	case journey.StepProcedures:
		r.tap(t, "procedures")
	case journey.StepProcedure:
		r.tap(t, "procedures")
		r.tap(t, "proc0")
	case journey.StepTicketServices:
		r.tap(t, "ticket")
	case journey.StepTicket:
		r.tap(t, "ticket")
		r.tap(t, "service0")
	case journey.StepRate:
		r.tap(t, "rate")
	case journey.StepRateDone:
		r.tap(t, "rate")
		r.tap(t, "rate2")
	case journey.StepPIN:
		r.tap(t, "tech")
		r.typeKeypad(t, "12")
	}
	if r.step() != step {
		t.Fatalf("reached %v, want %v (%q)", r.step(), step, r.m.State().Msg)
	}
}

// TestTouchTargets lays every screen out at both orientations and checks
// that every button is at least 48 px in both directions.
func TestTouchTargets(t *testing.T) {
	for _, o := range []string{kiosk.Landscape, kiosk.Portrait} {
		for _, step := range journey.Steps {
			t.Run(o+"/"+step.String(), func(t *testing.T) {
				r := open(t, o)
				reach(t, r, step)
				size := r.w.Canvas().Size()
				r.w.Resize(size.SubtractWidthHeight(1, 1))
				r.w.Resize(size)
				if min := r.k.Content().MinSize(); min.Width > size.Width || min.Height > size.Height {
					t.Errorf("content needs %v, more than the screen %v", min, size)
				}
				for id, b := range r.k.Buttons {
					if s := b.Size(); s.Width < 48 || s.Height < 48 {
						t.Errorf("button %q is %v", id, s)
					}
				}
				if step == journey.StepSaver {
					if r.k.Saver() == nil {
						t.Error("no tap area on the screen saver")
					}
				}
			})
		}
	}
}
