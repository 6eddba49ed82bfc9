//go:build (linux || windows || freebsd) && !android && !gles && !arm && !arm64

package app

import (
	"fmt"

	"github.com/go-gl/glfw/v3.3/glfw"
)

// glProblem asks GLFW, before Fyne starts, for a hidden window with the
// OpenGL 2.1 context Fyne draws with, and returns why it could not get one
// ("" when it could). Fyne itself would only log the failure and quit, which
// on Windows (no console) looks like the program not starting at all.
// It must run on the main thread, as Fyne's driver does (it locks it).
func glProblem() (problem string) {
	defer func() {
		if r := recover(); r != nil {
			problem = fmt.Sprint(r)
		}
	}()
	if err := glfw.Init(); err != nil {
		return err.Error()
	}
	defer glfw.Terminate()
	glfw.DefaultWindowHints()
	glfw.WindowHint(glfw.Visible, glfw.False)
	glfw.WindowHint(glfw.ContextVersionMajor, 2)
	glfw.WindowHint(glfw.ContextVersionMinor, 1)
	w, err := glfw.CreateWindow(16, 16, "motcua OpenGL check", nil, nil)
	if err != nil {
		return err.Error()
	}
	if w == nil {
		return "no OpenGL context"
	}
	w.Destroy()
	return ""
}
