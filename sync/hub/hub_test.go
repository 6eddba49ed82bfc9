package hub_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

const officeA, officeB = "000.00.06.H56", "000.00.07.H56"

type backend struct {
	name string
	open func(t testing.TB) hub.Store
}

var backends = []backend{
	{"sqlite", func(t testing.TB) hub.Store {
		st, err := hub.OpenSQLite(context.Background(), filepath.Join(t.TempDir(), "hub.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}},
	{"postgres", func(t testing.TB) hub.Store {
		st, err := hub.OpenPostgres(context.Background(), postgresURL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}},
}

// forEachStore runs fn against SQLite and PostgreSQL.
func forEachStore(t *testing.T, fn func(t *testing.T, st hub.Store)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, b.open(t)) })
	}
}

// clock is an injectable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// env is a hub on loopback with two offices and a device in each.
type env struct {
	t      testing.TB
	st     hub.Store
	srv    *httptest.Server
	clk    *clock
	logs   *syncBuffer
	a, b   dev
	api    *apiRecorder
	server *hub.Server
}

type dev struct {
	id  string
	key ed25519.PrivateKey
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newEnv(t testing.TB, st hub.Store) *env {
	t.Helper()
	ctx := context.Background()
	e := &env{t: t, st: st, clk: &clock{t: time.Date(2026, 11, 23, 2, 0, 0, 0, time.UTC)}, logs: &syncBuffer{}}
	s, err := hub.NewServer(hub.Options{Store: st, Dir: t.TempDir(), Now: e.clk.Now, MaxWait: 5 * time.Second,
		Logger: slog.New(slog.NewTextHandler(e.logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	e.server = s
	e.api = newAPIRecorder(t)
	e.srv = httptest.NewServer(e.api.wrap(s.Handler()))
	t.Cleanup(e.srv.Close)
	for _, o := range []string{officeA, officeB} {
		if err := st.CreateOffice(ctx, hub.Office{Code: o, Name: "UBND " + o, CreatedAt: e.clk.Now()}); err != nil {
			t.Fatal(err)
		}
	}
	e.a = e.enrol(officeA, hub.RoleDevice)
	e.b = e.enrol(officeB, hub.RoleDevice)
	return e
}

func (e *env) enrol(office, role string) dev {
	e.t.Helper()
	tok, err := hub.NewToken(context.Background(), e.st, office, role, e.clk.Now().Add(time.Hour))
	if err != nil {
		e.t.Fatal(err)
	}
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	body, _ := json.Marshal(protocol.EnrolRequest{Token: tok, PublicKey: pub, Name: "quầy"})
	resp, err := http.Post(e.srv.URL+protocol.PathEnrol, "application/json", bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	var er protocol.EnrolResponse
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&er) != nil || er.Office != office {
		e.t.Fatalf("enrol: %d %+v", resp.StatusCode, er)
	}
	return dev{id: er.DeviceID, key: key}
}

// req builds a request signed by d (nil d: unsigned).
func (e *env) req(d *dev, method, path string, body []byte, hdr map[string]string) *http.Request {
	e.t.Helper()
	r, err := http.NewRequest(method, e.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		e.t.Fatal(err)
	}
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	if d != nil {
		if err := protocol.Sign(r, d.id, d.key, e.clk.Now(), protocol.BodySHA(body)); err != nil {
			e.t.Fatal(err)
		}
	}
	return r
}

func (e *env) do(r *http.Request) (*http.Response, []byte) {
	e.t.Helper()
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func gz(t testing.TB, v any) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	json.NewEncoder(zw).Encode(v)
	zw.Close()
	return buf.Bytes()
}

// push sends events signed by d and returns the results.
func (e *env) push(d dev, evs ...protocol.Event) []protocol.Result {
	e.t.Helper()
	body := gz(e.t, protocol.PushRequest{Events: evs})
	resp, b := e.do(e.req(&d, "POST", protocol.PathPush, body, map[string]string{"Content-Encoding": "gzip", "Content-Type": "application/json"}))
	if resp.StatusCode != 200 {
		e.t.Fatalf("push: %d %s", resp.StatusCode, b)
	}
	var pr protocol.PushResponse
	if err := json.Unmarshal(b, &pr); err != nil {
		e.t.Fatal(err)
	}
	return pr.Results
}

var uuidN int

func newUUID() string {
	uuidN++
	return fmt.Sprintf("01900000-0000-7000-8000-%012d", uuidN)
}

func received(code string, files ...string) protocol.Event {
	payload := fmt.Sprintf(`{"id":1,"code":%q,"procedure_code":"1.001612","applicant":{"full_name":"Nguyễn Văn Bí Mật"},"papers":[{"name":"Tờ khai","form":1,"count":1,"files":%s}],"sets":1,"received_at":"2026-11-23T02:00:00Z","due_at":"2026-11-20T02:00:00Z","status":2,"channel":1,"return_method":1,"received_by":"canbo","tracking_no":1,"updated_at":"2026-11-23T02:00:00Z"}`,
		code, mustJSON(files))
	return protocol.Event{UUID: newUUID(), Dossier: code, Seq: 1, Kind: protocol.KindReceived, Payload: json.RawMessage(payload),
		CreatedAt: time.Date(2026, 11, 23, 1, 0, 0, 0, time.UTC)}
}

func later(code string, seq, to int) protocol.Event {
	return protocol.Event{UUID: newUUID(), Dossier: code, Seq: seq, Kind: "dossier.status",
		Payload: json.RawMessage(fmt.Sprintf(`{"code":%q,"action":"start","from":2,"to":%d}`, code, to)), CreatedAt: time.Now()}
}

func mustJSON(v any) string {
	if s, ok := v.([]string); ok && s == nil {
		return "[]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}
