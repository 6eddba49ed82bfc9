package devicetest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Tool returns the path of command name, or fails the test naming the Debian
// package that provides it. Tests never skip for a missing tool.
func Tool(t testing.TB, name, debianPackage string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s not found: install the Debian package %q (apt-get install %s)", name, debianPackage, debianPackage)
	}
	return p
}

// PtyPair is two linked pseudo-terminals made by socat: the driver opens
// Device like a serial port; the test writes to (or reads from) Feeder as the
// device would. Kill simulates unplugging; Start plugs it back with the same
// paths.
type PtyPair struct {
	Device, Feeder string
	t              testing.TB
	socat          string
	mu             sync.Mutex
	cmd            *exec.Cmd
}

// NewPtyPair starts socat with two pty links in a temp dir and waits until
// its data loop runs.
func NewPtyPair(t testing.TB) *PtyPair {
	t.Helper()
	dir := t.TempDir()
	p := &PtyPair{Device: filepath.Join(dir, "device"), Feeder: filepath.Join(dir, "feeder"), t: t,
		socat: Tool(t, "socat", "socat")}
	p.Start()
	t.Cleanup(p.Kill)
	return p
}

// Start starts socat (again).
func (p *PtyPair) Start() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd != nil {
		p.t.Fatal("pty pair already started")
	}
	cmd := exec.Command(p.socat, "-d", "-d",
		"pty,link="+p.Device+",raw,echo=0", "pty,link="+p.Feeder+",raw,echo=0")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		p.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	sc := bufio.NewScanner(stderr)
	var seen []string
	for sc.Scan() {
		seen = append(seen, sc.Text())
		if strings.Contains(sc.Text(), "starting data transfer loop") {
			break
		}
	}
	if len(seen) == 0 || !strings.Contains(seen[len(seen)-1], "starting data transfer loop") {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		p.t.Fatalf("socat did not start: %s", strings.Join(seen, "\n"))
	}
	go func() { _, _ = io.Copy(io.Discard, stderr) }()
	p.cmd = cmd
}

// Kill stops socat, which removes both links: the device is unplugged.
func (p *PtyPair) Kill() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil {
		return
	}
	_ = p.cmd.Process.Kill()
	_ = p.cmd.Wait()
	p.cmd = nil
	_ = os.Remove(p.Device)
	_ = os.Remove(p.Feeder)
}

// Write writes b to the feeder end, as the device would send it.
func (p *PtyPair) Write(b []byte) {
	p.t.Helper()
	f, err := os.OpenFile(p.Feeder, os.O_WRONLY, 0)
	if err != nil {
		p.t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write(b); err != nil {
		p.t.Fatal(err)
	}
}

// ReadFeeder opens the feeder end for reading what the driver writes.
func (p *PtyPair) ReadFeeder() *os.File {
	p.t.Helper()
	f, err := os.OpenFile(p.Feeder, os.O_RDONLY, 0)
	if err != nil {
		p.t.Fatal(err)
	}
	p.t.Cleanup(func() { f.Close() })
	return f
}

// Recorder is a transport that records what a driver writes and plays back
// scripted reads; a read past the script returns io.EOF.
type Recorder struct {
	mu     sync.Mutex
	Script [][]byte
	buf    bytes.Buffer
	closed bool
}

// Read returns the next scripted chunk.
func (r *Recorder) Read(b []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.Script) == 0 {
		return 0, io.EOF
	}
	n := copy(b, r.Script[0])
	if n == len(r.Script[0]) {
		r.Script = r.Script[1:]
	} else {
		r.Script[0] = r.Script[0][n:]
	}
	return n, nil
}

// Write records b.
func (r *Recorder) Write(b []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return 0, fmt.Errorf("write on closed recorder")
	}
	return r.buf.Write(b)
}

// Close marks the recorder closed.
func (r *Recorder) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	return nil
}

// Bytes is what was written.
func (r *Recorder) Bytes() []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]byte(nil), r.buf.Bytes()...)
}

// Closed reports whether Close was called.
func (r *Recorder) Closed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}

// Golden compares got with testdata/<name>, rewriting it when
// MOTCUA_UPDATE_GOLDEN=1.
func Golden(t testing.TB, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if os.Getenv("MOTCUA_UPDATE_GOLDEN") == "1" {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden %s: %v (run with MOTCUA_UPDATE_GOLDEN=1 to create it)", path, err)
	}
	if !bytes.Equal(got, want) {
		i := 0
		for i < len(got) && i < len(want) && got[i] == want[i] {
			i++
		}
		t.Fatalf("golden %s differs at byte %d (got %d bytes, want %d)", path, i, len(got), len(want))
	}
}

// Ctx is a context cancelled when the test ends.
func Ctx(t testing.TB) context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return ctx
}
