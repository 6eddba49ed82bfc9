// Package logfile writes motcua's log to size-rotated files and keeps
// personal data out of it.
//
// Writer appends to <dir>/motcua.log; when a write would take it past
// MaxSize it is renamed to motcua.log.1 (older ones shift to .2 … .Keep, the
// oldest is deleted) and a new file is started. A technician attaches the
// folder to a support request; nothing in it may identify a citizen.
//
// Redact wraps a slog.Handler and replaces the value of any attribute whose
// key names personal data (name, id_number, phone, address, email, birth…,
// password, token) with "[redacted]": a second line of defence behind the
// rule that code never logs such values.
package logfile

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Options of Open; zero fields take the defaults.
type Options struct {
	Name    string // file name, default "motcua.log"
	MaxSize int64  // bytes per file, default 5 MB
	Keep    int    // rotated files kept, default 5
}

// Writer is a size-rotated log file, safe for concurrent use.
type Writer struct {
	mu   sync.Mutex
	path string
	opt  Options
	f    *os.File
	size int64
}

// Open opens (creating dir and the file if needed) the log in dir.
func Open(dir string, opt Options) (*Writer, error) {
	if opt.Name == "" {
		opt.Name = "motcua.log"
	}
	if opt.MaxSize <= 0 {
		opt.MaxSize = 5 << 20
	}
	if opt.Keep <= 0 {
		opt.Keep = 5
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("log file: %w", err)
	}
	w := &Writer{path: filepath.Join(dir, opt.Name), opt: opt}
	if err := w.open(); err != nil {
		return nil, err
	}
	return w, nil
}

func (w *Writer) open() error {
	f, err := os.OpenFile(w.path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("log file: %w", err)
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return fmt.Errorf("log file: %w", err)
	}
	w.f, w.size = f, fi.Size()
	return nil
}

// Write appends p, rotating first if p would not fit.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return 0, os.ErrClosed
	}
	if w.size > 0 && w.size+int64(len(p)) > w.opt.MaxSize {
		if err := w.rotate(); err != nil {
			return 0, err
		}
	}
	n, err := w.f.Write(p)
	w.size += int64(n)
	return n, err
}

func (w *Writer) rotate() error {
	w.f.Close()
	w.f = nil
	os.Remove(fmt.Sprintf("%s.%d", w.path, w.opt.Keep))
	for i := w.opt.Keep - 1; i >= 1; i-- {
		os.Rename(fmt.Sprintf("%s.%d", w.path, i), fmt.Sprintf("%s.%d", w.path, i+1))
	}
	if err := os.Rename(w.path, w.path+".1"); err != nil {
		return fmt.Errorf("rotate log: %w", err)
	}
	return w.open()
}

// Close closes the file.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.f == nil {
		return nil
	}
	err := w.f.Close()
	w.f = nil
	return err
}

// personal lists key fragments that name personal data.
var personal = []string{"name", "id_number", "idnumber", "cccd", "cmnd", "phone", "address", "email", "birth",
	"password", "token", "applicant", "citizen", "mrz", "qr_payload"}

// allowed are keys that contain a fragment above but name no person.
var allowed = map[string]bool{"file": true, "filename": true, "hostname": true, "procedure_name": true, "agency_name": true}

// Personal reports whether an attribute key names personal data.
func Personal(key string) bool {
	k := strings.ToLower(key)
	if allowed[k] {
		return false
	}
	for _, p := range personal {
		if strings.Contains(k, p) {
			return true
		}
	}
	return false
}

// Redact wraps h so that attributes whose key names personal data are
// logged as "[redacted]", groups included.
func Redact(h slog.Handler) slog.Handler { return redact{h} }

type redact struct{ h slog.Handler }

func (r redact) Enabled(ctx context.Context, l slog.Level) bool { return r.h.Enabled(ctx, l) }

func (r redact) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, rec.Message, rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(clean(a))
		return true
	})
	return r.h.Handle(ctx, out)
}

func (r redact) WithAttrs(as []slog.Attr) slog.Handler {
	c := make([]slog.Attr, len(as))
	for i, a := range as {
		c[i] = clean(a)
	}
	return redact{r.h.WithAttrs(c)}
}

func (r redact) WithGroup(name string) slog.Handler { return redact{r.h.WithGroup(name)} }

func clean(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	if v.Kind() == slog.KindGroup {
		g := v.Group()
		c := make([]any, len(g))
		for i, x := range g {
			c[i] = clean(x)
		}
		return slog.Group(a.Key, c...)
	}
	if Personal(a.Key) {
		return slog.String(a.Key, "[redacted]")
	}
	return slog.Attr{Key: a.Key, Value: v}
}
