package hub

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// metrics are the hub's counters, served in the Prometheus text format.
type metrics struct {
	mu       sync.Mutex
	requests map[string]int64 // "method path code"
	events   map[string]int64 // applied, duplicate, gap, rejected, upload_*
	refusals map[string]int64
	bytes    map[string]int64
	lagS     map[string]float64 // office → seconds the newest applied event waited on its device
	lastPush map[string]time.Time
	waiting  atomic.Int64
	// flushed is what the store holds of the counters (see FlushMetrics).
	flushed map[string]int64
}

func newMetrics() *metrics {
	return &metrics{requests: map[string]int64{}, events: map[string]int64{}, refusals: map[string]int64{},
		bytes: map[string]int64{}, lagS: map[string]float64{}, lastPush: map[string]time.Time{}, flushed: map[string]int64{}}
}

// The counters are kept in the store under "<family> <label>", so that a
// hub restart (or another hub process on the same PostgreSQL) continues
// them; the gauges of lag and last push are derived from the events table
// at start.
func (m *metrics) families() map[string]map[string]int64 {
	return map[string]map[string]int64{"requests": m.requests, "events": m.events, "refused": m.refusals, "bytes": m.bytes}
}

// snapshot is every counter under its store name (m.mu held).
func (m *metrics) snapshot() map[string]int64 {
	out := map[string]int64{}
	for fam, vals := range m.families() {
		for k, v := range vals {
			out[fam+" "+k] = v
		}
	}
	return out
}

// loadMetrics continues the counters the store holds and the office gauges.
func (s *Server) loadMetrics(ctx context.Context) error {
	saved, err := s.st.LoadCounters(ctx)
	if err != nil {
		return fmt.Errorf("load metrics: %w", err)
	}
	last, err := s.st.LastApplied(ctx)
	if err != nil {
		return fmt.Errorf("load metrics: %w", err)
	}
	m := s.m
	m.mu.Lock()
	defer m.mu.Unlock()
	fams := m.families()
	for name, v := range saved {
		fam, label, ok := strings.Cut(name, " ")
		if vals := fams[fam]; ok && vals != nil {
			vals[label] = v
			m.flushed[name] = v
		}
	}
	for office, a := range last {
		m.lastPush[office] = a.AppliedAt
		m.lagS[office] = a.AppliedAt.Sub(a.CreatedAt).Seconds()
	}
	return nil
}

// FlushMetrics adds to the store what the counters gained since the last
// flush. Run calls it every few seconds and when the hub stops.
func (s *Server) FlushMetrics(ctx context.Context) error {
	m := s.m
	m.mu.Lock()
	now := m.snapshot()
	m.mu.Unlock()
	delta := map[string]int64{}
	for k, v := range now {
		if d := v - m.flushedValue(k); d != 0 {
			delta[k] = d
		}
	}
	if len(delta) == 0 {
		return nil
	}
	if err := s.st.AddCounters(ctx, delta); err != nil {
		return fmt.Errorf("save metrics: %w", err)
	}
	m.mu.Lock()
	for k, d := range delta {
		m.flushed[k] += d
	}
	m.mu.Unlock()
	return nil
}

func (m *metrics) flushedValue(k string) int64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.flushed[k]
}

type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(c int) {
	if w.code == 0 {
		w.code = c
	}
	w.ResponseWriter.WriteHeader(c)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// route is the path with ids and codes replaced, to keep label sets small.
func route(p string) string {
	for _, pre := range []string{"/v1/files/", "/v1/blobs/", "/v1/review/dossiers/"} {
		if strings.HasPrefix(p, pre) && len(p) > len(pre) {
			return pre + "{id}"
		}
	}
	return p
}

func (m *metrics) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		h.ServeHTTP(sw, r)
		if sw.code == 0 {
			sw.code = http.StatusOK
		}
		m.mu.Lock()
		m.requests[fmt.Sprintf("method=%q,route=%q,code=\"%d\"", r.Method, route(r.URL.Path), sw.code)]++
		m.mu.Unlock()
	})
}

func (m *metrics) event(kind string) {
	m.mu.Lock()
	m.events[kind]++
	m.mu.Unlock()
}

func (m *metrics) refused(code string) {
	m.mu.Lock()
	m.refusals[code]++
	m.mu.Unlock()
}

func (m *metrics) addBytes(kind string, n int64) {
	m.mu.Lock()
	m.bytes[kind] += n
	m.mu.Unlock()
}

func (m *metrics) lag(office string, d time.Duration, now time.Time) {
	m.mu.Lock()
	m.lagS[office] = d.Seconds()
	m.lastPush[office] = now
	m.mu.Unlock()
}

func (m *metrics) polling(d int64) { m.waiting.Add(d) }

func writeMap(b *strings.Builder, name, help, label string, vals map[string]int64, raw bool) {
	fmt.Fprintf(b, "# HELP %s %s\n# TYPE %s counter\n", name, help, name)
	keys := make([]string, 0, len(vals))
	for k := range vals {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if raw {
			fmt.Fprintf(b, "%s{%s} %d\n", name, k, vals[k])
		} else {
			fmt.Fprintf(b, "%s{%s=%q} %d\n", name, label, k, vals[k])
		}
	}
}

func (s *Server) serveMetrics(w http.ResponseWriter, r *http.Request) {
	m := s.m
	var b strings.Builder
	m.mu.Lock()
	writeMap(&b, "motcua_hub_requests_total", "HTTP requests by method, route and status code.", "", m.requests, true)
	writeMap(&b, "motcua_hub_events_total", "Pushed events by result (applied, duplicate, gap, rejected) and upload outcomes.", "result", m.events, false)
	writeMap(&b, "motcua_hub_refused_total", "Requests refused by authentication, by reason.", "reason", m.refusals, false)
	writeMap(&b, "motcua_hub_bytes_total", "Request body bytes received, by kind (push, upload).", "kind", m.bytes, false)
	fmt.Fprintf(&b, "# HELP motcua_hub_office_lag_seconds How long the newest applied event of an office waited on its device.\n# TYPE motcua_hub_office_lag_seconds gauge\n")
	offices := make([]string, 0, len(m.lagS))
	for o := range m.lagS {
		offices = append(offices, o)
	}
	sort.Strings(offices)
	for _, o := range offices {
		fmt.Fprintf(&b, "motcua_hub_office_lag_seconds{office=%q} %g\n", o, m.lagS[o])
	}
	fmt.Fprintf(&b, "# HELP motcua_hub_office_last_push_seconds Unix time of the office's last applied event.\n# TYPE motcua_hub_office_last_push_seconds gauge\n")
	for _, o := range offices {
		fmt.Fprintf(&b, "motcua_hub_office_last_push_seconds{office=%q} %d\n", o, m.lastPush[o].Unix())
	}
	m.mu.Unlock()
	fmt.Fprintf(&b, "# HELP motcua_hub_feed_waiting Long-polls waiting for a change.\n# TYPE motcua_hub_feed_waiting gauge\nmotcua_hub_feed_waiting %d\n", m.waiting.Load())
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	w.Write([]byte(b.String()))
}
