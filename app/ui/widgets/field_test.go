package widgets

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

func TestFieldShowsAndHidesItsError(t *testing.T) {
	test.NewTempApp(t)
	f := NewField("Họ và tên", NewEntry())
	if f.ErrorText() != "" || f.Error.Visible() {
		t.Fatal("a new field shows an error")
	}
	f.SetError("Chưa nhập họ và tên.")
	if f.ErrorText() != "Chưa nhập họ và tên." || !f.Error.Visible() || f.Error.Importance != widget.DangerImportance {
		t.Fatalf("error %q visible=%v", f.ErrorText(), f.Error.Visible())
	}
	f.SetError("")
	if f.ErrorText() != "" || f.Error.Visible() {
		t.Fatal("cleared error still shown")
	}
}

func TestBigButtonIsATouchTarget(t *testing.T) {
	test.NewTempApp(t)
	tapped := false
	b := NewBigButton("In", nil, func() { tapped = true })
	if s := b.MinSize(); s.Height < MinTouch || s.Width < 2*MinTouch {
		t.Fatalf("min size %v", s)
	}
	test.Tap(b)
	if !tapped {
		t.Fatal("tap not delivered")
	}
}

func TestEntryReportsActivity(t *testing.T) {
	test.NewTempApp(t)
	n := 0
	SetActivityHook(func() { n++ })
	defer SetActivityHook(nil)
	e := NewEntry()
	test.Type(e, "Nhung")
	if n != 5 || e.Text != "Nhung" {
		t.Fatalf("%d activity reports for 5 runes, text %q", n, e.Text)
	}
	Act(nil)()
	if n != 6 {
		t.Fatal("Act did not report activity")
	}
}
