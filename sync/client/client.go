package client

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/protocol"
)

// Local is what the client needs of the device's store; *store.Store
// implements it.
type Local interface {
	SyncConfig(ctx context.Context) (store.SyncConfig, error)
	UpdateSync(ctx context.Context, actor string, fn func(*store.SyncConfig)) (store.SyncConfig, error)
	DeviceKey(ctx context.Context) (ed25519.PrivateKey, error)
	PendingSync(ctx context.Context, limit int) ([]store.SyncEvent, error)
	MarkOutboxSent(ctx context.Context, uuids []string) error
	MarkOutboxFailed(ctx context.Context, uuid string, permanent bool, code, message string) error
	OpenFile(sha string) (io.ReadCloser, error)
	FileSize(ctx context.Context, sha string) (int64, error)
	FileUploaded(ctx context.Context, sha string) (bool, error)
	MarkFileUploaded(ctx context.Context, sha string) error
	ApplyDecision(ctx context.Context, d store.Decision) (bool, error)
	ApplyRemoteDossier(ctx context.Context, payload json.RawMessage, origin string) (bool, error)
	ApplyRemoteEvent(ctx context.Context, ev store.RemoteEvent) (bool, error)
	ApplyFeedItem(ctx context.Context, it store.FeedItem) (bool, error)
	SyncCounts(ctx context.Context) (store.SyncCounts, error)
}

var _ Local = (*store.Store)(nil)

// Options configure a Client; the zero value is production.
type Options struct {
	HTTP   *http.Client // nil: a client with a 60 s overall timeout
	Now    func() time.Time
	Logger *slog.Logger
	// Batch is the number of events per push (default 500).
	Batch int
	// Wait is how long a feed request may wait for a change (default 25 s).
	Wait time.Duration
	// Interval wakes the push loop when nothing notified it (default 1 min).
	Interval time.Duration
	// Backoff makes the retry policy; nil: exponential from 1 s to 5 min,
	// jittered, no overall deadline.
	Backoff func() backoff.BackOff
	// Chunk is the size of an upload PATCH (default protocol.ChunkSize).
	Chunk int
	// OnItem, if set, is called after a publication of the hub (catalog,
	// holiday table, account) was recorded, from the pull goroutine.
	OnItem func(store.FeedItem)
}

// Stats are what the client has done since it started.
type Stats struct {
	Requests, Retries, Pushed, Duplicates, Gaps, Rejected atomic.Int64
	Uploads, Resumes, UploadBytes, Pulled, Decisions      atomic.Int64
	PushBytes                                             atomic.Int64
	Steps                                                 atomic.Int64 // other devices' status steps applied here
	Items                                                 atomic.Int64 // publications taken (catalog, holidays, accounts)
}

// Client talks to the hub for one device.
type Client struct {
	local  Local
	opt    Options
	log    *slog.Logger
	notify chan struct{}
	Stats  Stats

	mu     sync.Mutex
	online bool
	err    error
	cfg    store.SyncConfig
	key    ed25519.PrivateKey
}

// New makes a client over the device's store.
func New(local Local, opt Options) *Client {
	if opt.HTTP == nil {
		opt.HTTP = &http.Client{Timeout: 60 * time.Second}
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	if opt.Logger == nil {
		opt.Logger = slog.New(slog.DiscardHandler)
	}
	if opt.Batch <= 0 {
		opt.Batch = 500
	}
	if opt.Wait <= 0 {
		opt.Wait = 25 * time.Second
	}
	if opt.Interval <= 0 {
		opt.Interval = time.Minute
	}
	if opt.Chunk <= 0 {
		opt.Chunk = protocol.ChunkSize
	}
	if opt.Backoff == nil {
		opt.Backoff = func() backoff.BackOff {
			return backoff.NewExponentialBackOff(backoff.WithInitialInterval(time.Second),
				backoff.WithMaxInterval(5*time.Minute), backoff.WithMaxElapsedTime(0))
		}
	}
	return &Client{local: local, opt: opt, log: opt.Logger, notify: make(chan struct{}, 1)}
}

// Notify wakes the push loop (after a commit that appended to the outbox).
func (c *Client) Notify() {
	select {
	case c.notify <- struct{}{}:
	default:
	}
}

// ErrNotEnrolled is returned when the device has no hub identity.
var ErrNotEnrolled = errors.New("device not enrolled with a hub")

// identity loads the hub URL, device id and key once.
func (c *Client) identity(ctx context.Context) (store.SyncConfig, ed25519.PrivateKey, error) {
	c.mu.Lock()
	cfg, key := c.cfg, c.key
	c.mu.Unlock()
	if key != nil {
		return cfg, key, nil
	}
	cfg, err := c.local.SyncConfig(ctx)
	if err != nil {
		return cfg, nil, &Error{Kind: KindLocal, Err: err}
	}
	if !cfg.Enrolled() {
		return cfg, nil, ErrNotEnrolled
	}
	key, err = c.local.DeviceKey(ctx)
	if err != nil {
		return cfg, nil, &Error{Kind: KindLocal, Err: err}
	}
	c.mu.Lock()
	c.cfg, c.key = cfg, key
	c.mu.Unlock()
	return cfg, key, nil
}

// request is one signed exchange.
type request struct {
	method, path string
	body         []byte
	header       map[string]string
	bodySHA      string // when body is nil but the hash is known (never used for GET)
}

// do sends a signed request and returns the response (caller closes the
// body). It turns transport failures into KindOffline.
func (c *Client) do(ctx context.Context, r request) (*http.Response, error) {
	cfg, key, err := c.identity(ctx)
	if err != nil {
		return nil, err
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, strings.TrimRight(cfg.HubURL, "/")+r.path, body)
	if err != nil {
		return nil, &Error{Kind: KindLocal, Err: err}
	}
	for k, v := range r.header {
		req.Header.Set(k, v)
	}
	sha := r.bodySHA
	if sha == "" {
		sha = protocol.BodySHA(r.body)
	}
	if err := protocol.Sign(req, cfg.DeviceID, key, c.opt.Now(), sha); err != nil {
		return nil, &Error{Kind: KindLocal, Err: err}
	}
	c.Stats.Requests.Add(1)
	resp, err := c.opt.HTTP.Do(req)
	if err != nil {
		return nil, offline(err)
	}
	return resp, nil
}

// httpError classifies a non-success answer.
func httpError(resp *http.Response) error {
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	var e protocol.Error
	isJSON := jsonType(resp)
	if isJSON {
		json.Unmarshal(b, &e)
	}
	if hc := resp.Header.Get(protocol.HeaderError); e.Code == "" && hc != "" && (isJSON || len(b) == 0) {
		// An answer without a body (HEAD) names its error in a header.
		e.Code, isJSON = hc, true
	}
	out := &Error{Status: resp.StatusCode, Code: e.Code}
	if e.Message != "" {
		out.Err = errors.New(e.Message)
	}
	switch {
	case !isJSON || e.Code == "":
		// Not our hub: a proxy, a captive portal, a gateway error page.
		if resp.StatusCode >= 500 {
			out.Kind = KindServer
		} else {
			out.Kind = KindPortal
		}
	case resp.StatusCode >= 500:
		out.Kind = KindServer
	case e.Code == protocol.ErrSkew:
		out.Kind = KindClock
	case e.Code == protocol.ErrBadToken:
		out.Kind = KindToken
	case e.Code == protocol.ErrRevoked:
		out.Kind = KindRevoked
	case e.Code == protocol.ErrReplay:
		// A retried request whose first copy arrived: sign again and retry.
		out.Kind = KindOffline
	case resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden:
		out.Kind = KindRefused
	default:
		out.Kind = KindRejected
	}
	return out
}

func jsonType(resp *http.Response) bool {
	mt, _, err := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	return err == nil && mt == "application/json"
}

// decodeJSON reads a 200 answer into v; an HTML page or anything but JSON
// is KindPortal (a Wi-Fi login page answering 200 is not success).
func decodeJSON(resp *http.Response, v any) error {
	if resp.StatusCode != http.StatusOK {
		return httpError(resp)
	}
	if !jsonType(resp) {
		return &Error{Kind: KindPortal, Status: resp.StatusCode, Err: fmt.Errorf("answer is %q, not JSON", resp.Header.Get("Content-Type"))}
	}
	dec := json.NewDecoder(io.LimitReader(resp.Body, 64<<20))
	if err := dec.Decode(v); err != nil {
		// A cut in the middle of the answer, or a page that claims JSON.
		return &Error{Kind: KindOffline, Status: resp.StatusCode, Err: fmt.Errorf("answer unreadable: %w", err)}
	}
	return nil
}

// Enrol registers this device with the hub using a one-time token and
// stores its identity. The key is the device's key (store.DeviceKey), the
// one that also signs receipt QR codes.
func Enrol(ctx context.Context, local Local, hubURL, token, name string, hc *http.Client) (store.SyncConfig, error) {
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	hubURL = strings.TrimRight(strings.TrimSpace(hubURL), "/")
	if !strings.HasPrefix(hubURL, "http://") && !strings.HasPrefix(hubURL, "https://") {
		return store.SyncConfig{}, fmt.Errorf("hub URL must start with http:// or https://")
	}
	key, err := local.DeviceKey(ctx)
	if err != nil {
		return store.SyncConfig{}, err
	}
	body, err := json.Marshal(protocol.EnrolRequest{Token: strings.TrimSpace(token), PublicKey: key.Public().(ed25519.PublicKey), Name: name})
	if err != nil {
		return store.SyncConfig{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hubURL+protocol.PathEnrol, bytes.NewReader(body))
	if err != nil {
		return store.SyncConfig{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return store.SyncConfig{}, offline(err)
	}
	defer resp.Body.Close()
	var er protocol.EnrolResponse
	if err := decodeJSON(resp, &er); err != nil {
		return store.SyncConfig{}, err
	}
	if er.DeviceID != protocol.DeviceID(key.Public().(ed25519.PublicKey)) || er.Office == "" {
		return store.SyncConfig{}, &Error{Kind: KindPortal, Err: errors.New("enrolment answer does not match this device")}
	}
	return local.UpdateSync(ctx, "technician", func(c *store.SyncConfig) {
		*c = store.SyncConfig{HubURL: hubURL, DeviceID: er.DeviceID, Office: er.Office, OfficeName: er.OfficeName, EnrolledAt: time.Now().UTC()}
	})
}

// gzipJSON marshals v and compresses it.
func gzipJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestSpeed)
	if err := json.NewEncoder(zw).Encode(v); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
