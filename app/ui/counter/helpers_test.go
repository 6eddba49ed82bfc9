package counter_test

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/motcua/motcua/app/ui/counter"
	"github.com/motcua/motcua/app/ui/uitest"
)

// open builds a counter window on a fresh Env.
func open(t *testing.T) (*uitest.Env, fyne.Window, *counter.Counter) {
	t.Helper()
	test.NewTempApp(t)
	env := uitest.NewEnv(t)
	w := test.NewWindow(nil)
	t.Cleanup(w.Close)
	w.Resize(fyne.NewSize(1280, 800))
	c := counter.New(w, env.Services(), counter.Options{Now: env.Clock.Now})
	c.Tasks.Inline = true // the test driver runs fyne.Do on the caller's goroutine
	w.SetContent(c.Content())
	return env, w, c
}

// login logs the clerk in through the login screen.
func login(t *testing.T, c *counter.Counter) {
	t.Helper()
	c.Login.Login.SetText("")
	test.Type(c.Login.Login, uitest.ClerkLogin)
	test.Type(c.Login.Password, uitest.ClerkPassword)
	test.Tap(c.Login.Submit)
	c.Wait()
	if c.Account().Login != uitest.ClerkLogin {
		t.Fatalf("not logged in: %q", c.Login.Error.Text)
	}
}

// showing reports whether o is in the window's content tree and visible.
func showing(w fyne.Window, o fyne.CanvasObject) bool {
	found := false
	var walk func(fyne.CanvasObject) bool
	walk = func(x fyne.CanvasObject) bool {
		if x == nil || !x.Visible() {
			return false
		}
		if x == o {
			found = true
			return true
		}
		switch v := x.(type) {
		case *fyne.Container:
			for _, ch := range v.Objects {
				if walk(ch) {
					return true
				}
			}
		case fyne.Widget:
			for _, ch := range test.WidgetRenderer(v).Objects() {
				if walk(ch) {
					return true
				}
			}
		}
		return false
	}
	walk(w.Content())
	return found
}

func enter(e fyne.Focusable) {
	e.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
}
