//go:build !((linux || windows || freebsd) && !android && !gles && !arm && !arm64)

package app

// glProblem: on these platforms Fyne uses OpenGL ES or the system's own
// drawing, and there is nothing to check before it starts.
func glProblem() string { return "" }
