package widgets

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// LightTheme is Fyne's default theme always in its light variant: counters
// stand in bright offices and print on white paper, and a dark screen that
// follows the desktop's setting surprises clerks more than it helps them.
type LightTheme struct{ fyne.Theme }

// NewLightTheme returns the light variant of the default theme.
func NewLightTheme() LightTheme { return LightTheme{theme.DefaultTheme()} }

// Color returns the light variant of every colour.
func (t LightTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, theme.VariantLight)
}
