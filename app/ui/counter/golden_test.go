package counter_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// Goldens of screens whose content holds no date or time. Regenerate after a
// deliberate change by deleting the file and copying testdata/failed/<name>.

func TestGoldenLogin(t *testing.T) {
	_, w, _ := open(t)
	w.Resize(fyne.NewSize(900, 600))
	test.AssertRendersToMarkup(t, "login/login.xml", w.Canvas())
}

func TestGoldenLoginError(t *testing.T) {
	_, w, c := open(t)
	w.Resize(fyne.NewSize(900, 600))
	test.Type(c.Login.Login, "nhung.tran")
	test.Type(c.Login.Password, "sai-mat-khau")
	test.Tap(c.Login.Submit)
	c.Wait()
	c.Login.Login.FocusLost()
	c.Login.Password.FocusLost()
	test.AssertRendersToMarkup(t, "login/login_error.xml", w.Canvas())
}

func TestGoldenReceptionStep1(t *testing.T) {
	_, w, c := open(t)
	login(t, c)
	w.Resize(fyne.NewSize(1100, 700))
	test.Type(c.Reception.Search, "khai sinh")
	w.Canvas().Unfocus()
	c.Reception.Search.FocusLost()
	test.AssertRendersToMarkup(t, "reception/step1.xml", w.Canvas())
}
