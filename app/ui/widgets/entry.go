package widgets

import (
	"sync/atomic"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/widget"
)

var activity atomic.Pointer[func()]

// SetActivityHook sets the function called on every key typed into an Entry
// of this package and every Act-wrapped action; the idle lock uses it to know
// the clerk is still there. nil removes it.
func SetActivityHook(f func()) {
	if f == nil {
		activity.Store(nil)
		return
	}
	activity.Store(&f)
}

// Touch reports user activity to the hook.
func Touch() {
	if f := activity.Load(); f != nil {
		(*f)()
	}
}

// Act wraps a tap handler so that it also reports activity.
func Act(f func()) func() {
	return func() {
		Touch()
		if f != nil {
			f()
		}
	}
}

// Entry is a widget.Entry that reports typing as activity and lets the
// window's own shortcuts (Ctrl+N, Ctrl+F…) through: a plain Entry swallows
// every shortcut while it has the focus.
type Entry struct {
	widget.Entry
}

// NewEntry builds a single-line entry.
func NewEntry() *Entry {
	e := &Entry{}
	e.ExtendBaseWidget(e)
	return e
}

// NewPasswordEntry builds an entry that hides what is typed.
func NewPasswordEntry() *Entry {
	e := &Entry{}
	e.Password = true
	e.ExtendBaseWidget(e)
	return e
}

// NewMultiLineEntry builds a multi-line entry.
func NewMultiLineEntry() *Entry {
	e := &Entry{}
	e.MultiLine = true
	e.Wrapping = fyne.TextWrapWord
	e.ExtendBaseWidget(e)
	return e
}

// TypedRune reports activity and types r.
func (e *Entry) TypedRune(r rune) {
	Touch()
	e.Entry.TypedRune(r)
}

// TypedKey reports activity and handles key.
func (e *Entry) TypedKey(key *fyne.KeyEvent) {
	Touch()
	e.Entry.TypedKey(key)
}

type shortcutCanvas interface {
	TypedShortcut(fyne.Shortcut)
}

// TypedShortcut passes custom (Ctrl+letter) shortcuts to the canvas so the
// window's shortcuts work from inside an entry; clipboard and undo
// shortcuts stay with the entry.
func (e *Entry) TypedShortcut(s fyne.Shortcut) {
	Touch()
	if _, ok := s.(*desktop.CustomShortcut); ok {
		if c, ok := fyne.CurrentApp().Driver().CanvasForObject(e).(shortcutCanvas); ok {
			c.TypedShortcut(s)
			return
		}
	}
	e.Entry.TypedShortcut(s)
}
