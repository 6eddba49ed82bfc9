package printer

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
)

// Errors a screen can explain in plain words.
var (
	ErrNoPrinter   = errors.New("no printer configured")
	ErrNoSpooler   = errors.New("printing system not installed")
	ErrPrintFailed = errors.New("printing failed")
)

// Runner runs a command with stdin and returns its combined output.
type Runner func(ctx context.Context, name string, args []string, stdin []byte) ([]byte, error)

// ExecRunner runs commands with os/exec.
func ExecRunner(ctx context.Context, name string, args []string, stdin []byte) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdin = bytes.NewReader(stdin)
	return cmd.CombinedOutput()
}

// System is the operating system's printer.
type System struct {
	Printer string // destination name; "" = the system default
	Run     Runner // nil = ExecRunner
	GOOS    string // "" = runtime.GOOS
}

// PrintPDF prints pdf in copies copies under the job title.
func (s *System) PrintPDF(ctx context.Context, pdf []byte, copies int, title string) error {
	if copies < 1 {
		copies = 1
	}
	run := s.Run
	if run == nil {
		run = ExecRunner
	}
	goos := s.GOOS
	if goos == "" {
		goos = runtime.GOOS
	}
	if goos == "windows" {
		return s.printWindows(ctx, run, pdf, copies)
	}
	args := []string{"-n", strconv.Itoa(copies), "-t", title, "-o", "media=A4", "-o", "fit-to-page"}
	if s.Printer != "" {
		args = append([]string{"-d", s.Printer}, args...)
	}
	out, err := run(ctx, "lp", append(args, "-"), pdf)
	if err != nil {
		return classify(out, err)
	}
	return nil
}

func classify(out []byte, err error) error {
	msg := strings.TrimSpace(string(out))
	var ee *exec.Error
	switch {
	case errors.As(err, &ee) || errors.Is(err, exec.ErrNotFound):
		return fmt.Errorf("%w: %v", ErrNoSpooler, err)
	case strings.Contains(msg, "No default destination"),
		strings.Contains(msg, "does not exist"),
		strings.Contains(msg, "Unknown destination"):
		return fmt.Errorf("%w: %s", ErrNoPrinter, msg)
	}
	return fmt.Errorf("%w: %v: %s", ErrPrintFailed, err, msg)
}

// printWindows hands the PDF to the default PDF application's print verb,
// which every PDF reader registers; it prints on the default printer (or the
// named one through Start-Process -ArgumentList with SumatraPDF when that is
// the handler). See docs/printing.md.
func (s *System) printWindows(ctx context.Context, run Runner, pdf []byte, copies int) error {
	f, err := os.CreateTemp("", "motcua-*.pdf")
	if err != nil {
		return fmt.Errorf("print: %w", err)
	}
	name := f.Name()
	defer os.Remove(name) // the receipt holds personal data: never leave it in %TEMP%
	if _, err := f.Write(pdf); err != nil {
		f.Close()
		return fmt.Errorf("print: %w", err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("print: %w", err)
	}
	verb := "Print"
	if s.Printer != "" {
		verb = "PrintTo"
	}
	for i := 0; i < copies; i++ {
		script := fmt.Sprintf("Start-Process -FilePath %s -Verb %s -WindowStyle Hidden -Wait",
			psQuote(filepath.Clean(name)), verb)
		if s.Printer != "" {
			script += " -ArgumentList " + psQuote(s.Printer)
		}
		if out, err := run(ctx, "powershell", []string{"-NoProfile", "-NonInteractive", "-Command", script}, nil); err != nil {
			return classify(out, err)
		}
	}
	return nil
}

func psQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }
