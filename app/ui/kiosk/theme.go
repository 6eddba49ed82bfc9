package kiosk

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Theme is the kiosk's high-contrast light theme with scaled type: black on
// white, dark blue for the main actions, and text FontScale times larger
// than at the counter.
type Theme struct {
	fyne.Theme
	FontScale float32
}

// NewTheme returns the kiosk theme; scale ≤ 0 means 1.
func NewTheme(scale float32) *Theme {
	if scale <= 0 {
		scale = 1
	}
	return &Theme{Theme: theme.DefaultTheme(), FontScale: scale}
}

var (
	navy  = color.NRGBA{0x0b, 0x3d, 0x91, 0xff}
	black = color.NRGBA{0x00, 0x00, 0x00, 0xff}
	white = color.NRGBA{0xff, 0xff, 0xff, 0xff}
	red   = color.NRGBA{0xa5, 0x00, 0x00, 0xff}
	green = color.NRGBA{0x00, 0x6b, 0x2d, 0xff}
	amber = color.NRGBA{0xff, 0xc8, 0x2e, 0xff} // the called number's banner, black on amber
)

// Color returns high-contrast colours.
func (t *Theme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground, theme.ColorNameInputBackground, theme.ColorNameOverlayBackground,
		theme.ColorNameMenuBackground:
		return white
	case theme.ColorNameForeground, theme.ColorNamePlaceHolder:
		return black
	case theme.ColorNamePrimary, theme.ColorNameFocus, theme.ColorNameHyperlink:
		return navy
	case theme.ColorNameForegroundOnPrimary, theme.ColorNameForegroundOnError, theme.ColorNameForegroundOnSuccess:
		return white
	case theme.ColorNameButton:
		return color.NRGBA{0xe3, 0xe8, 0xf2, 0xff}
	case theme.ColorNameError:
		return red
	case theme.ColorNameSuccess:
		return green
	case theme.ColorNameSeparator, theme.ColorNameInputBorder:
		return color.NRGBA{0x55, 0x55, 0x55, 0xff}
	}
	return t.Theme.Color(n, theme.VariantLight)
}

// Size scales the text sizes and gives buttons more padding.
func (t *Theme) Size(n fyne.ThemeSizeName) float32 {
	s := t.FontScale
	switch n {
	case theme.SizeNameText:
		return 22 * s
	case theme.SizeNameHeadingText:
		return 40 * s
	case theme.SizeNameSubHeadingText:
		return 30 * s
	case theme.SizeNameCaptionText:
		return 18 * s
	case theme.SizeNameInlineIcon:
		return 32 * s
	case theme.SizeNameInnerPadding:
		return 14
	case theme.SizeNamePadding:
		return 8
	case theme.SizeNameSeparatorThickness:
		return 2
	}
	return t.Theme.Size(n)
}
