package app

import (
	"io"
	"log/slog"
	"path/filepath"

	"github.com/motcua/motcua/internal/logfile"
)

// openLog is the process's logger: to stderr and to rotated files in
// <data dir>/logs (5 × 5 MB), attributes naming personal data redacted.
// If the log folder cannot be written, stderr alone is used.
func openLog(dataDir string, stderr io.Writer) (*slog.Logger, func()) {
	opts := &slog.HandlerOptions{Level: slog.LevelInfo}
	console := slog.NewTextHandler(stderr, opts)
	w, err := logfile.Open(filepath.Join(dataDir, "logs"), logfile.Options{})
	if err != nil {
		l := slog.New(logfile.Redact(console))
		l.Warn("log file unavailable", "err", err)
		return l, func() {}
	}
	h := slog.NewMultiHandler(console, slog.NewTextHandler(w, opts))
	return slog.New(logfile.Redact(h)), func() { w.Close() }
}
