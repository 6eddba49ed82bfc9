//go:build !windows

package app

// messageBox: on Linux the message went to stderr, which the desktop
// launcher keeps in the journal; there is no dependable dialog tool to call.
func messageBox(title, text string) {}
