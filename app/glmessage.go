package app

import (
	"fmt"
	"io"
)

// glMessage is what a user reads when the PC has no OpenGL 2.1: what is
// wrong and what to do, in Vietnamese then English. detail is GLFW's reason.
func glMessage(detail string) string {
	return "motcua không mở được cửa sổ: máy tính này chưa có OpenGL 2.1 (trình điều khiển card màn hình).\n" +
		"Cách sửa: cài trình điều khiển card màn hình của hãng (Intel, AMD, NVIDIA) hoặc chạy Windows Update; " +
		"trên máy ảo, bật tăng tốc 3D. Các lệnh dòng lệnh (motcua backup, motcua --help) vẫn dùng được.\n\n" +
		"motcua cannot open its window: this PC has no OpenGL 2.1 (graphics driver).\n" +
		"To fix: install the graphics driver from the maker (Intel, AMD, NVIDIA) or run Windows Update; " +
		"in a virtual machine, enable 3D acceleration. The command-line tools still work.\n\n" +
		"(" + detail + ")"
}

// reportGLProblem shows msg where the user will see it: stderr, and a
// message box on Windows (a GUI build has no console).
func reportGLProblem(stderr io.Writer, msg string) {
	fmt.Fprintln(stderr, msg)
	messageBox("motcua", msg)
}
