package client_test

import (
	"bytes"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// faultProxy sits between a client and the hub and misbehaves as rural
// links and captive portals do: it drops connections, delays, duplicates
// requests (the hub sees them twice), cuts request bodies and answers in
// the middle, and answers 500, 502 or an HTML page with 200 — some of these
// after the hub applied the request, so the client must retry something that
// already happened.
type faultProxy struct {
	srv      *httptest.Server
	target   func() string
	mu       sync.Mutex
	r        *mrand.Rand
	rate     float64 // probability of a fault per request
	disabled atomic.Bool
	counts   sync.Map // fault name → *atomic.Int64
	hc       *http.Client
}

func newFaultProxy(t testing.TB, target func() string, seed uint64, rate float64) *faultProxy {
	p := &faultProxy{target: target, r: mrand.New(mrand.NewPCG(seed, seed^0x5eed)), rate: rate,
		hc: &http.Client{Transport: &http.Transport{DisableCompression: true}}}
	p.srv = httptest.NewServer(http.HandlerFunc(p.serve))
	t.Cleanup(func() { p.srv.CloseClientConnections(); p.srv.Close() })
	return p
}

func (p *faultProxy) URL() string { return p.srv.URL }

func (p *faultProxy) count(name string) {
	v, _ := p.counts.LoadOrStore(name, new(atomic.Int64))
	v.(*atomic.Int64).Add(1)
}

// Counts returns how many faults of each kind were injected.
func (p *faultProxy) Counts() map[string]int64 {
	out := map[string]int64{}
	p.counts.Range(func(k, v any) bool { out[k.(string)] = v.(*atomic.Int64).Load(); return true })
	return out
}

var faults = []string{"drop", "delay", "duplicate", "cut_request", "cut_response", "500_before", "502_after", "html_200"}

func (p *faultProxy) pick() (string, time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.disabled.Load() || p.r.Float64() >= p.rate {
		return "", 0
	}
	return faults[p.r.IntN(len(faults))], time.Duration(p.r.IntN(40)) * time.Millisecond
}

func hijackClose(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if c, _, err := hj.Hijack(); err == nil {
			c.Close()
			return
		}
	}
	panic(http.ErrAbortHandler)
}

func (p *faultProxy) forward(r *http.Request, body []byte) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(r.Context(), r.Method, p.target()+r.URL.RequestURI(), bytes.NewReader(body))
	if err != nil {
		return nil, nil, err
	}
	req.Header = r.Header.Clone()
	resp, err := p.hc.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func (p *faultProxy) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		hijackClose(w)
		return
	}
	fault, delay := p.pick()
	if fault != "" {
		p.count(fault)
	}
	switch fault {
	case "drop":
		hijackClose(w)
		return
	case "delay":
		t := time.NewTimer(delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	case "500_before":
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(500)
		w.Write([]byte(`{"code":"internal","message":"proxy"}`))
		return
	case "html_200":
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><body><h1>Đăng nhập Wi-Fi miễn phí</h1></body></html>"))
		return
	case "cut_request":
		// The hub receives half of the body, then the connection dies.
		if len(body) > 1 {
			req, _ := http.NewRequestWithContext(r.Context(), r.Method, p.target()+r.URL.RequestURI(),
				io.MultiReader(bytes.NewReader(body[:len(body)/2]), failing{}))
			req.Header = r.Header.Clone()
			req.ContentLength = int64(len(body))
			if resp, err := p.hc.Do(req); err == nil {
				resp.Body.Close()
			}
		}
		hijackClose(w)
		return
	}
	resp, rb, err := p.forward(r, body)
	if err != nil {
		hijackClose(w)
		return
	}
	switch fault {
	case "duplicate":
		// The same signed request reaches the hub twice; the client gets
		// the answer to the second copy (usually a refused replay).
		if r2, b2, err := p.forward(r, body); err == nil {
			resp, rb = r2, b2
		}
	case "cut_response":
		// The hub did the work; the client sees half an answer.
		copyHeader(w, resp)
		w.Header().Set("Content-Length", itoa(len(rb)))
		w.WriteHeader(resp.StatusCode)
		w.Write(rb[:len(rb)/2])
		hijackClose(w)
		return
	case "502_after":
		w.WriteHeader(http.StatusBadGateway)
		w.Write([]byte("Bad Gateway"))
		return
	}
	copyHeader(w, resp)
	w.WriteHeader(resp.StatusCode)
	w.Write(rb)
}

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func copyHeader(w http.ResponseWriter, resp *http.Response) {
	for k, vs := range resp.Header {
		if k == "Content-Length" {
			continue
		}
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
}

func itoa(n int) string {
	var b [20]byte
	i := len(b)
	if n == 0 {
		return "0"
	}
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}
