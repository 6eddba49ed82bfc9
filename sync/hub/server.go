package hub

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/motcua/motcua/sync/protocol"
)

// Options configure a Server.
type Options struct {
	Store Store
	// Dir holds the files (Dir/files/<ab>/<sha256>) and the uploads in
	// progress (Dir/uploads/<id>.part).
	Dir    string
	Now    func() time.Time
	Logger *slog.Logger
	// MaxWait caps a feed long-poll; 0 means 30 s.
	MaxWait time.Duration
	// MaxUpload is the largest file accepted; 0 means 512 MiB.
	MaxUpload int64
	// UploadRetention is how long uploads are kept after their creation
	// (CleanupUploads); 0 means DefaultUploadRetention.
	UploadRetention time.Duration
}

// Server is the hub's HTTP API.
type Server struct {
	st      Store
	dir     string
	now     func() time.Time
	log     *slog.Logger
	maxWait time.Duration
	maxUp   int64
	m       *metrics
	// retention of uploads (cleanup.go)
	retention time.Duration

	mu      sync.Mutex
	waiters map[string]chan struct{} // office → closed on its next change
	upLocks map[string]*sync.Mutex

	// onApplied, when set (an office relay), is called after a push
	// applied events.
	onApplied func()
}

// NewServer makes the hub's HTTP server over a store.
func NewServer(opt Options) (*Server, error) {
	if opt.Store == nil || opt.Dir == "" {
		return nil, errors.New("hub: store and dir required")
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.MaxWait <= 0 {
		opt.MaxWait = 30 * time.Second
	}
	if opt.MaxUpload <= 0 {
		opt.MaxUpload = 512 << 20
	}
	for _, d := range []string{"files", "uploads"} {
		if err := os.MkdirAll(filepath.Join(opt.Dir, d), 0o700); err != nil {
			return nil, fmt.Errorf("hub: %w", err)
		}
	}
	if opt.UploadRetention <= 0 {
		opt.UploadRetention = DefaultUploadRetention
	}
	s := &Server{st: opt.Store, dir: opt.Dir, now: opt.Now, log: opt.Logger, maxWait: opt.MaxWait,
		maxUp: opt.MaxUpload, m: newMetrics(), waiters: map[string]chan struct{}{}, upLocks: map[string]*sync.Mutex{},
		retention: opt.UploadRetention}
	if err := s.loadMetrics(context.Background()); err != nil {
		return nil, fmt.Errorf("hub: %w", err)
	}
	return s, nil
}

// Store returns the server's store.
func (s *Server) Store() Store { return s.st }

// Handler is the hub's HTTP API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET "+protocol.PathOpenAPI, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/yaml")
		w.Write(protocol.OpenAPI)
	})
	mux.HandleFunc("GET "+protocol.PathHealth, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET "+protocol.PathMetrics, s.serveMetrics)
	mux.HandleFunc("POST "+protocol.PathEnrol, s.enrol)
	mux.HandleFunc("POST "+protocol.PathPush, s.push)
	mux.HandleFunc("GET "+protocol.PathFeed, s.feed)
	mux.HandleFunc("OPTIONS "+protocol.PathFiles, s.tusOptions)
	mux.HandleFunc("POST "+protocol.PathFiles, s.tusCreate)
	mux.HandleFunc("HEAD "+protocol.PathFiles+"{id}", s.tusHead)
	mux.HandleFunc("PATCH "+protocol.PathFiles+"{id}", s.tusPatch)
	mux.HandleFunc("DELETE "+protocol.PathFiles+"{id}", s.tusDelete)
	mux.HandleFunc("HEAD "+protocol.PathBlobs+"{sha}", s.blobHead)
	mux.HandleFunc("GET "+protocol.PathBlobs+"{sha}", s.blobGet)
	mux.HandleFunc("GET "+protocol.PathReview, s.reviewList)
	mux.HandleFunc("GET "+protocol.PathReview+"/{code}", s.reviewShow)
	mux.HandleFunc("POST "+protocol.PathReview+"/{code}/decision", s.reviewDecide)
	s.reviewRoutes(mux) // reviewer accounts' API (review_api.go)
	return s.m.wrap(mux)
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

func writeErr(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set(protocol.HeaderError, code)
	writeJSON(w, status, protocol.Error{Code: code, Message: msg})
}

// authError is a refused request: its status and error code.
type authError struct {
	status int
	code   string
	err    error
}

func (e *authError) Error() string { return e.code + ": " + e.err.Error() }

// authenticate checks the signature headers of r against the device's key,
// the clock and the nonce table. bodySHA is the hex SHA-256 of the body as
// read, or "" when the caller checks it later (streamed uploads).
func (s *Server) authenticate(r *http.Request, bodySHA string) (Device, *authError) {
	sg, err := protocol.ParseSigned(r.Header)
	if errors.Is(err, protocol.ErrNoSignature) {
		return Device{}, &authError{http.StatusUnauthorized, protocol.ErrUnsigned, err}
	}
	if err != nil {
		return Device{}, &authError{http.StatusUnauthorized, protocol.ErrBadSignature, err}
	}
	dev, err := s.st.Device(r.Context(), sg.Device)
	if errors.Is(err, ErrNotFound) {
		return Device{}, &authError{http.StatusUnauthorized, protocol.ErrUnknown, errors.New("unknown device")}
	}
	if err != nil {
		return Device{}, &authError{http.StatusInternalServerError, protocol.ErrInternal, err}
	}
	now := s.now()
	if err := sg.Verify(ed25519.PublicKey(dev.PublicKey), r.Method, r.URL.RequestURI(), now); err != nil {
		code := protocol.ErrBadSignature
		if errors.Is(err, protocol.ErrClockSkew) {
			code = protocol.ErrSkew
		}
		return Device{}, &authError{http.StatusUnauthorized, code, err}
	}
	if dev.Revoked {
		// Said only to the key's holder (the signature verified), so that
		// the counter can tell the clerk plainly; nothing is accepted.
		return Device{}, &authError{http.StatusUnauthorized, protocol.ErrRevoked, errors.New("device revoked")}
	}
	if bodySHA != "" {
		if err := sg.CheckBody(bodySHA); err != nil {
			return Device{}, &authError{http.StatusUnauthorized, protocol.ErrBadSignature, err}
		}
	}
	fresh, err := s.st.UseNonce(r.Context(), dev.ID, sg.Nonce, sg.Time, now.Add(-2*protocol.MaxSkew))
	if err != nil {
		return Device{}, &authError{http.StatusInternalServerError, protocol.ErrInternal, err}
	}
	if !fresh {
		return Device{}, &authError{http.StatusUnauthorized, protocol.ErrReplay, errors.New("nonce used before")}
	}
	return dev, nil
}

// refuse logs and answers a refused request. Logs name the device id, the
// path and the reason, never a body.
func (s *Server) refuse(w http.ResponseWriter, r *http.Request, e *authError) {
	s.m.refused(e.code)
	s.log.Warn("request refused", "reason", e.code, "method", r.Method, "path", r.URL.Path,
		"device", r.Header.Get(protocol.HeaderDevice), "remote", r.RemoteAddr, "err", e.err.Error())
	writeErr(w, e.status, e.code, e.err.Error())
}

// readBody reads at most limit bytes of r's body.
func readBody(r *http.Request, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, errTooLarge
	}
	return b, nil
}

var errTooLarge = errors.New("body too large")

func (s *Server) enrol(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r, 64<<10)
	if err != nil {
		writeErr(w, http.StatusBadRequest, protocol.ErrBadRequest, "unreadable body")
		return
	}
	var req protocol.EnrolRequest
	if err := json.Unmarshal(body, &req); err != nil || req.Token == "" || len(req.PublicKey) != ed25519.PublicKeySize {
		writeErr(w, http.StatusBadRequest, protocol.ErrBadRequest, "token and a 32-byte Ed25519 public key required")
		return
	}
	pub := ed25519.PublicKey(req.PublicKey)
	dev, err := s.st.Enrol(r.Context(), TokenHash(req.Token), Device{ID: protocol.DeviceID(pub), PublicKey: pub,
		Name: truncate(req.Name, 100)}, s.now())
	switch {
	case errors.Is(err, ErrBadToken):
		s.refuse(w, r, &authError{http.StatusForbidden, protocol.ErrBadToken, err})
		return
	case errors.Is(err, ErrExists):
		writeErr(w, http.StatusConflict, protocol.ErrConflict, "this key is already enrolled")
		return
	case err != nil:
		s.internal(w, r, err)
		return
	}
	name := ""
	if o, err := s.st.Office(r.Context(), dev.Office); err == nil {
		name = o.Name
	}
	s.log.Info("device enrolled", "device", dev.ID, "office", dev.Office, "role", dev.Role)
	writeJSON(w, http.StatusOK, protocol.EnrolResponse{DeviceID: dev.ID, Office: dev.Office, OfficeName: name})
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func (s *Server) internal(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err.Error())
	writeErr(w, http.StatusInternalServerError, protocol.ErrInternal, "internal error")
}

// DecodePush decodes a push body, gzip-compressed when encoding is "gzip".
// It bounds the decompressed size and the number of events.
func DecodePush(body []byte, encoding string) (protocol.PushRequest, error) {
	var req protocol.PushRequest
	var rd io.Reader = bytes.NewReader(body)
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "", "identity":
	case "gzip":
		zr, err := gzip.NewReader(rd)
		if err != nil {
			return req, fmt.Errorf("gzip: %w", err)
		}
		rd = zr
	default:
		return req, fmt.Errorf("unsupported content encoding %q", encoding)
	}
	raw, err := io.ReadAll(io.LimitReader(rd, protocol.MaxPushBytes+1))
	if err != nil {
		return req, fmt.Errorf("read: %w", err)
	}
	if len(raw) > protocol.MaxPushBytes {
		return req, errTooLarge
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if err := dec.Decode(&req); err != nil {
		return req, fmt.Errorf("json: %w", err)
	}
	if dec.More() {
		return req, errors.New("json: trailing data")
	}
	if len(req.Events) > protocol.MaxBatch {
		return req, fmt.Errorf("more than %d events", protocol.MaxBatch)
	}
	return req, nil
}

func (s *Server) push(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r, protocol.MaxPushBytes)
	if err != nil {
		writeErr(w, http.StatusRequestEntityTooLarge, protocol.ErrTooLarge, "body too large")
		return
	}
	dev, aerr := s.authenticate(r, protocol.BodySHA(body))
	if aerr != nil {
		s.refuse(w, r, aerr)
		return
	}
	if dev.Role == RoleReviewer {
		s.refuse(w, r, &authError{http.StatusForbidden, protocol.ErrForbidden, errors.New("reviewers do not push")})
		return
	}
	req, err := DecodePush(body, r.Header.Get("Content-Encoding"))
	if err != nil {
		writeErr(w, http.StatusBadRequest, protocol.ErrBadRequest, err.Error())
		return
	}
	s.m.addBytes("push", int64(len(body)))
	now := s.now()
	res, err := s.st.Apply(r.Context(), dev, req.Events, now)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	applied := 0
	for i, x := range res {
		s.m.event(x.Status)
		if x.Status == protocol.Applied {
			applied++
			s.m.lag(dev.Office, now.Sub(req.Events[i].CreatedAt), now)
		}
		if x.Status == protocol.Rejected {
			s.log.Warn("event rejected", "device", dev.ID, "office", dev.Office, "uuid", x.UUID, "code", x.Code)
		}
	}
	if applied > 0 {
		s.wake(dev.Office)
		s.mu.Lock()
		notify := s.onApplied
		s.mu.Unlock()
		if notify != nil {
			notify()
		}
	}
	writeJSON(w, http.StatusOK, protocol.PushResponse{Results: res})
}

// wake releases the long-polls waiting on office's feed.
func (s *Server) wake(office string) {
	s.mu.Lock()
	if ch, ok := s.waiters[office]; ok {
		close(ch)
		delete(s.waiters, office)
	}
	s.mu.Unlock()
}

func (s *Server) waiter(office string) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	ch, ok := s.waiters[office]
	if !ok {
		ch = make(chan struct{})
		s.waiters[office] = ch
	}
	return ch
}

func (s *Server) feed(w http.ResponseWriter, r *http.Request) {
	dev, aerr := s.authenticate(r, protocol.EmptySHA256)
	if aerr != nil {
		s.refuse(w, r, aerr)
		return
	}
	if dev.Office == "" {
		s.refuse(w, r, &authError{http.StatusForbidden, protocol.ErrForbidden, errors.New("no office")})
		return
	}
	q := r.URL.Query()
	after, _ := strconv.ParseInt(q.Get("after"), 10, 64)
	limit, _ := strconv.Atoi(q.Get("limit"))
	if limit <= 0 || limit > 1000 {
		limit = 500
	}
	waitS, _ := strconv.Atoi(q.Get("wait"))
	wait := min(time.Duration(waitS)*time.Second, s.maxWait)
	var timer <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timer = t.C
	}
	for {
		ch := s.waiter(dev.Office) // before the query, so no change slips between
		cs, err := s.st.Feed(r.Context(), dev.Office, after, limit+1)
		if err != nil {
			s.internal(w, r, err)
			return
		}
		if len(cs) > 0 || timer == nil {
			more := len(cs) > limit
			if more {
				cs = cs[:limit]
			}
			cur := after
			if len(cs) > 0 {
				cur = cs[len(cs)-1].Cursor
			}
			if cs == nil {
				cs = []protocol.Change{}
			}
			writeJSON(w, http.StatusOK, protocol.FeedResponse{Changes: cs, Cursor: cur, More: more})
			return
		}
		s.m.polling(1)
		select {
		case <-ch:
			s.m.polling(-1)
		case <-timer:
			s.m.polling(-1)
			timer = nil
		case <-r.Context().Done():
			s.m.polling(-1)
			return
		}
	}
}

// TokenHash is how the store keeps an enrolment token: hex SHA-256.
func TokenHash(token string) string {
	h := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return hex.EncodeToString(h[:])
}

// NewToken makes a one-time enrolment token for office and stores it.
func NewToken(ctx context.Context, st Store, office, role string, expires time.Time) (string, error) {
	var b [20]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	tok := strings.ToUpper(hex.EncodeToString(b[:]))
	tok = tok[0:8] + "-" + tok[8:16] + "-" + tok[16:24] + "-" + tok[24:32] + "-" + tok[32:40]
	if err := st.CreateToken(ctx, TokenHash(tok), office, role, expires); err != nil {
		return "", err
	}
	return tok, nil
}

func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
