// Package kiosk is the citizen kiosk's window content: full screen, touch
// first, Vietnamese, large type and high contrast, laid out for a portrait
// (1080×1920) or landscape (1920×1080) screen.
//
// It only renders the state of internal/kiosk's Machine and forwards taps,
// keypad digits and scanner input to it; everything it reads comes through
// the narrow kiosk.Directory (masked, kiosk-safe fields only). Calls that
// read or write run off the UI goroutine through widgets.Tasks and are
// applied with fyne.Do. A keyboard-wedge QR scanner types into the window's
// canvas and ends with Enter; a serial scanner calls ScanInput. Above every
// screen (and on the screen saver) a band tells the hall the numbers the
// counters called ("Mời số A012 đến quầy 1"), polled by RunIdle.
//
// It holds no SQL, no device I/O and no business rules, and never imports
// fyne.io/fyne/v2/app.
package kiosk
