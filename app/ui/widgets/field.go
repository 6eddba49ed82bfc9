package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Field is a labelled input with an error line under it: a red, wrapped
// label, hidden while there is no error.
type Field struct {
	Label *widget.Label
	Input fyne.CanvasObject
	Error *widget.Label

	box *fyne.Container
}

// NewField builds a field with a translated label text.
func NewField(label string, input fyne.CanvasObject) *Field {
	f := &Field{
		Label: widget.NewLabelWithStyle(label, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		Input: input,
		Error: NewErrorLabel(),
	}
	f.Error.Hide()
	f.box = container.NewVBox(f.Label, input, f.Error)
	return f
}

// ErrorColor is the colour of error text and overdue marks.
func ErrorColor() color.Color {
	return theme.Color(theme.ColorNameError)
}

// SetError shows msg under the input; "" hides the error line.
func (f *Field) SetError(msg string) {
	f.Error.SetText(msg)
	if msg == "" {
		f.Error.Hide()
	} else {
		f.Error.Show()
	}
	f.box.Refresh() // lay the field out again: the error line changes its height
}

// NewErrorLabel is a red, word-wrapped label for error messages.
func NewErrorLabel() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

// ErrorText is the message shown, "" when none.
func (f *Field) ErrorText() string {
	if !f.Error.Visible() {
		return ""
	}
	return f.Error.Text
}

// Object is the field's canvas object to put in a layout.
func (f *Field) Object() fyne.CanvasObject { return f.box }

// BigButton is a button at least MinTouch high, for the kiosk's touch screen
// and the counter's main actions.
type BigButton struct {
	widget.Button
}

// MinTouch is the minimum height of a touch target (about 9 mm on a 96 dpi
// screen, above the 44 px most guidelines ask for).
const MinTouch = 56

// NewBigButton builds a large button; importance may be widget.HighImportance
// for the main action of a screen.
func NewBigButton(label string, icon fyne.Resource, tapped func()) *BigButton {
	b := &BigButton{}
	b.Text = label
	b.Icon = icon
	b.OnTapped = tapped
	b.ExtendBaseWidget(b)
	return b
}

// MinSize makes the button at least MinTouch high and twice as wide.
func (b *BigButton) MinSize() fyne.Size {
	return b.Button.MinSize().Max(fyne.NewSize(2*MinTouch, MinTouch))
}
