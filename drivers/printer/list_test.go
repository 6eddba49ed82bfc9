package printer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeLpstat installs a recording lpstat answering -e and -d like CUPS.
func fakeLpstat(t *testing.T, script string) {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "lpstat"), []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir+string(os.PathListSeparator)+os.Getenv("PATH"))
}

func TestDestinations(t *testing.T) {
	t.Run("CUPS destinations and the default are listed", func(t *testing.T) {
		fakeLpstat(t, `case "$1" in -e) printf 'office\nPDF\n';; -d) echo "system default destination: office";; esac`)
		names, def, err := (&System{GOOS: "linux"}).Destinations(context.Background())
		if err != nil || strings.Join(names, ",") != "office,PDF" || def != "office" {
			t.Fatalf("%v %q %v", names, def, err)
		}
	})
	t.Run("no printer at all is an empty list, not an error", func(t *testing.T) {
		fakeLpstat(t, `echo "lpstat: No destinations added." >&2; exit 1`)
		names, _, err := (&System{GOOS: "linux"}).Destinations(context.Background())
		if err != nil || len(names) != 0 {
			t.Fatalf("%v %v", names, err)
		}
	})
	t.Run("without CUPS installed the spooler is missing", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		_, _, err := (&System{GOOS: "linux"}).Destinations(context.Background())
		if !errors.Is(err, ErrNoSpooler) {
			t.Fatalf("got %v", err)
		}
	})
}
