package logfile_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/motcua/motcua/internal/logfile"
)

func TestTheLogRotatesAtItsSizeAndKeepsOnlyTheNewestFiles(t *testing.T) {
	dir := t.TempDir()
	w, err := logfile.Open(dir, logfile.Options{MaxSize: 100, Keep: 2})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 10 {
		fmt.Fprintf(w, "line %02d %s\n", i, strings.Repeat("x", 30)) // 40 bytes: two lines a file
	}
	w.Close()
	names, _ := filepath.Glob(filepath.Join(dir, "motcua.log*"))
	if len(names) != 3 {
		t.Fatalf("files %v, want motcua.log and two rotated", names)
	}
	cur, _ := os.ReadFile(filepath.Join(dir, "motcua.log"))
	old, _ := os.ReadFile(filepath.Join(dir, "motcua.log.2"))
	if !strings.HasPrefix(string(cur), "line 08") || !strings.HasPrefix(string(old), "line 04") {
		t.Fatalf("current starts %q, .2 starts %q", cur[:7], old[:7])
	}
	// Reopening appends to the current file.
	w, _ = logfile.Open(dir, logfile.Options{MaxSize: 1000, Keep: 2})
	fmt.Fprintln(w, "again")
	w.Close()
	cur, _ = os.ReadFile(filepath.Join(dir, "motcua.log"))
	if !strings.HasSuffix(string(cur), "again\n") || !strings.HasPrefix(string(cur), "line 08") {
		t.Fatalf("after reopen: %q", cur)
	}
}

func TestPersonalDataNeverReachesTheLog(t *testing.T) {
	cases := []struct {
		name  string
		log   func(*slog.Logger)
		leaks []string
		keeps []string
	}{
		{"a citizen's name and ID number", func(l *slog.Logger) {
			l.Info("received", "code", "000.00.06.H56-261123-1001", "full_name", "Lê Thị Hoa", "id_number", "001190012345")
		}, []string{"Lê Thị Hoa", "001190012345"}, []string{"000.00.06.H56-261123-1001"}},
		{"a phone inside a group", func(l *slog.Logger) {
			l.Warn("sms", slog.Group("applicant", "phone", "0912345678"), "dossiers", 3)
		}, []string{"0912345678"}, []string{"dossiers=3"}},
		{"an enrolment token in a logger's attributes", func(l *slog.Logger) {
			l.With("enrol_token", "tok_secret").Info("enrol", "hub", "https://hub.example")
		}, []string{"tok_secret"}, []string{"https://hub.example"}},
		{"a backup file name is not personal", func(l *slog.Logger) {
			l.Info("backup", "file", "motcua-000.00.06.H56-20261123-120000-daily.tar.gz")
		}, nil, []string{"daily.tar.gz"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var buf bytes.Buffer
			c.log(slog.New(logfile.Redact(slog.NewTextHandler(&buf, nil))))
			for _, s := range c.leaks {
				if strings.Contains(buf.String(), s) {
					t.Fatalf("log holds %q: %s", s, &buf)
				}
			}
			for _, s := range c.keeps {
				if !strings.Contains(buf.String(), s) {
					t.Fatalf("log lost %q: %s", s, &buf)
				}
			}
		})
	}
}
