package cli

import (
	"bytes"
	"strings"
	"sync"
	"testing"
)

// linePipe is an io.Writer that sends each written line on a channel.
type linePipe struct{ ch chan string }

func newLinePipe() (<-chan string, *linePipe) {
	p := &linePipe{ch: make(chan string, 16)}
	return p.ch, p
}

func (p *linePipe) Write(b []byte) (int, error) {
	for _, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		p.ch <- l
	}
	return len(b), nil
}

// syncBuffer is a goroutine-safe buffer that can wait for a substring.
type syncBuffer struct {
	mu   sync.Mutex
	buf  bytes.Buffer
	cond *sync.Cond
}

func (s *syncBuffer) init() {
	if s.cond == nil {
		s.cond = sync.NewCond(&s.mu)
	}
}

func (s *syncBuffer) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	n, err := s.buf.Write(b)
	s.cond.Broadcast()
	return n, err
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor blocks until sub was written (the test's deadline bounds it).
func (s *syncBuffer) waitFor(t *testing.T, sub string) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	for !strings.Contains(s.buf.String(), sub) {
		s.cond.Wait()
	}
}
