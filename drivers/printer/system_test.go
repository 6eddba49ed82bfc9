package printer

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeLP writes an executable lp into a temp dir that records its arguments
// and the job it was sent, the way CUPS' lp would receive them.
func fakeLP(t *testing.T, script string) (dir string) {
	t.Helper()
	dir = t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lp"), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
	return dir
}

func TestPrintPDFSendsTheJobToLP(t *testing.T) {
	dir := fakeLP(t, `printf '%s\n' "$@" > "$(dirname "$0")/args"; cat > "$(dirname "$0")/job"; echo "request id is office-1 (1 file(s))"`)
	pdf := []byte("%PDF-1.4 test job")
	p := &System{Printer: "office", GOOS: "linux"}
	if err := p.PrintPDF(context.Background(), pdf, 2, "Giấy tiếp nhận"); err != nil {
		t.Fatal(err)
	}
	job, _ := os.ReadFile(filepath.Join(dir, "job"))
	if !bytes.Equal(job, pdf) {
		t.Fatalf("lp received %q, want the PDF", job)
	}
	args, _ := os.ReadFile(filepath.Join(dir, "args"))
	want := "-d\noffice\n-n\n2\n-t\nGiấy tiếp nhận\n-o\nmedia=A4\n-o\nfit-to-page\n-\n"
	if string(args) != want {
		t.Fatalf("lp args:\n%s\nwant:\n%s", args, want)
	}
}

func TestPrintPDFErrorsAreClassified(t *testing.T) {
	tests := []struct {
		name   string
		script string
		want   error
	}{
		{"no default printer", `echo "lp: Error - No default destination." >&2; exit 1`, ErrNoPrinter},
		{"unknown printer", `echo "lp: The printer or class does not exist." >&2; exit 1`, ErrNoPrinter},
		{"other failure", `echo "lp: scheduler not responding" >&2; exit 1`, ErrPrintFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fakeLP(t, tt.script)
			err := (&System{GOOS: "linux"}).PrintPDF(context.Background(), []byte("%PDF"), 1, "x")
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestPrintPDFWithoutCUPSSaysSo(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := (&System{GOOS: "linux"}).PrintPDF(context.Background(), []byte("%PDF"), 1, "x")
	if !errors.Is(err, ErrNoSpooler) {
		t.Fatalf("err = %v, want ErrNoSpooler", err)
	}
}

func TestPrintPDFOnWindowsUsesThePrintVerb(t *testing.T) {
	var calls []string
	run := func(_ context.Context, name string, args []string, _ []byte) ([]byte, error) {
		calls = append(calls, name+" "+strings.Join(args, " "))
		return nil, nil
	}
	p := &System{GOOS: "windows", Run: run, Printer: "HP LaserJet"}
	if err := p.PrintPDF(context.Background(), []byte("%PDF"), 2, "x"); err != nil {
		t.Fatal(err)
	}
	if len(calls) != 2 || !strings.Contains(calls[0], "-Verb PrintTo") || !strings.Contains(calls[0], "'HP LaserJet'") {
		t.Fatalf("calls = %q", calls)
	}
}
