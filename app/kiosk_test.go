package app

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnknownModeIsAnError: a mistyped --mode stops with a clear message
// naming the valid modes, and starts nothing (not even the data directory
// is created).
func TestUnknownModeIsAnError(t *testing.T) {
	for _, mode := range []string{"kisok", "KIOSK", "", "counter "} {
		dir := filepath.Join(t.TempDir(), "data")
		var out, errOut bytes.Buffer
		code := run([]string{"--data", dir, "--mode", mode}, strings.NewReader(""), &out, &errOut)
		if code != 2 {
			t.Errorf("--mode %q: exit %d, want 2", mode, code)
		}
		msg := errOut.String()
		for _, want := range []string{"chế độ --mode", "counter", "kiosk", "review", "unknown --mode"} {
			if !strings.Contains(msg, want) {
				t.Errorf("--mode %q: message %q lacks %q", mode, msg, want)
			}
		}
		if _, err := os.Stat(dir); !os.IsNotExist(err) {
			t.Errorf("--mode %q: data directory touched (%v)", mode, err)
		}
	}
}
