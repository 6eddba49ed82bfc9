package hub

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
	"github.com/motcua/motcua/sync/protocol"
)

// An office relay is this hub run on an office machine with --upstream: it
// serves the office's devices on the LAN exactly as the provincial hub
// does (they enrol with it, push to it, long-poll its feed), so the
// counters and the kiosk see each other's dossiers while the internet link
// is down; and it forwards to the provincial hub as one client of the same
// protocol (sync/client, enrolled with a token of role "relay"): every
// event it applied, with the same UUID (so the province applies each
// exactly once, whatever was repeated), after uploading the event's files
// with tus; and it passes the province's decisions and publications
// (catalog, holidays, accounts) on to its office's feed.
//
// Its upstream identity is DATA/relay.json (the same fields a device keeps
// under its "sync" setting) and its key DATA/relay.key.

// Relay forwards an office hub's traffic to the provincial hub.
type Relay struct {
	srv   *Server
	up    *client.Client
	local *relayLocal
}

// relayFiles are the relay's identity files in dir.
func relayFiles(dir string) (cfg, key string) {
	return filepath.Join(dir, "relay.json"), filepath.Join(dir, "relay.key")
}

// RelayEnrol registers this hub (its data directory dir) with the
// provincial hub at upstream, with a one-time token of role "relay", and
// creates the office locally so that its devices can enrol here.
func RelayEnrol(ctx context.Context, srv *Server, upstream, token, name string, hc *http.Client) (store.SyncConfig, error) {
	l := &relayLocal{srv: srv}
	if cfg, err := l.SyncConfig(ctx); err == nil && cfg.Enrolled() {
		return cfg, fmt.Errorf("relay already enrolled with %s as %s", cfg.HubURL, cfg.DeviceID)
	}
	cfg, err := client.Enrol(ctx, l, upstream, token, name, hc)
	if err != nil {
		return cfg, err
	}
	if err := srv.st.CreateOffice(ctx, Office{Code: cfg.Office, Name: cfg.OfficeName, CreatedAt: srv.now()}); err != nil && !errors.Is(err, ErrExists) {
		return cfg, err
	}
	return cfg, nil
}

// NewRelay makes the forwarder of srv, enrolled before with RelayEnrol.
// opt configures its client (retries, long-poll wait); opt.OnItem is set
// by the relay.
func NewRelay(ctx context.Context, srv *Server, opt client.Options) (*Relay, error) {
	l := &relayLocal{srv: srv}
	cfg, err := l.SyncConfig(ctx)
	if err != nil {
		return nil, err
	}
	if !cfg.Enrolled() {
		return nil, errors.New("relay not enrolled: motcua-hub relay enrol --upstream URL --token TOKEN")
	}
	l.office = cfg.Office
	r := &Relay{srv: srv, local: l}
	r.up = client.New(l, opt)
	srv.mu.Lock()
	srv.onApplied = r.up.Notify
	srv.mu.Unlock()
	return r, nil
}

// Upstream is the relay's client of the provincial hub (its Stats, Push,
// Pull).
func (r *Relay) Upstream() *client.Client { return r.up }

// Serve forwards until ctx ends (client.Serve: push on every local
// apply and every interval, long-poll the province's feed, retry with
// backoff and no deadline).
func (r *Relay) Serve(ctx context.Context) error { return r.up.Serve(ctx) }

// RelayStatus is the relay's link at a glance.
type RelayStatus struct {
	Config            store.SyncConfig
	Pending, Rejected int
}

// ReadRelayStatus reads the relay's link state from its files and store.
func ReadRelayStatus(ctx context.Context, srv *Server) (RelayStatus, error) {
	l := &relayLocal{srv: srv}
	cfg, err := l.SyncConfig(ctx)
	if err != nil {
		return RelayStatus{}, err
	}
	p, rj, err := srv.st.RelayCounts(ctx)
	return RelayStatus{Config: cfg, Pending: p, Rejected: rj}, err
}

// relayLocal is the relay's side of sync/client: what a device's store
// does, over the hub's store and files.
type relayLocal struct {
	srv    *Server
	office string
	mu     sync.Mutex
}

var _ client.Local = (*relayLocal)(nil)

func (l *relayLocal) SyncConfig(ctx context.Context) (store.SyncConfig, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.load()
}

func (l *relayLocal) load() (store.SyncConfig, error) {
	var c store.SyncConfig
	path, _ := relayFiles(l.srv.dir)
	b, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return c, err
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%s damaged: %w", path, err)
	}
	return c, nil
}

func (l *relayLocal) UpdateSync(ctx context.Context, actor string, fn func(*store.SyncConfig)) (store.SyncConfig, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	c, err := l.load()
	if err != nil {
		return c, err
	}
	fn(&c)
	b, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		return c, err
	}
	path, _ := relayFiles(l.srv.dir)
	return c, writeFileAtomic(path, b)
}

// writeFileAtomic writes, fsyncs and renames, so a power cut leaves the
// old file or the new one.
func writeFileAtomic(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".relay-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

func (l *relayLocal) DeviceKey(ctx context.Context) (ed25519.PrivateKey, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	_, path := relayFiles(l.srv.dir)
	if b, err := os.ReadFile(path); err == nil {
		seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(seed) != ed25519.SeedSize {
			return nil, fmt.Errorf("%s is damaged", path)
		}
		return ed25519.NewKeyFromSeed(seed), nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	if err := writeFileAtomic(path, []byte(base64.StdEncoding.EncodeToString(key.Seed())+"\n")); err != nil {
		return nil, err
	}
	return key, os.Chmod(path, 0o600)
}

func (l *relayLocal) PendingSync(ctx context.Context, limit int) ([]store.SyncEvent, error) {
	evs, err := l.srv.st.RelayPending(ctx, limit)
	if err != nil {
		return nil, err
	}
	out := make([]store.SyncEvent, len(evs))
	for i, e := range evs {
		out[i] = store.SyncEvent{OutboxEvent: store.OutboxEvent{UUID: e.UUID, Seq: e.Seq, Kind: e.Kind, Payload: e.Payload,
			CreatedAt: e.CreatedAt}, DossierCode: e.Dossier}
	}
	return out, nil
}

func (l *relayLocal) MarkOutboxSent(ctx context.Context, uuids []string) error {
	return l.srv.st.RelayMark(ctx, uuids, "sent", "", "", l.srv.now())
}

func (l *relayLocal) MarkOutboxFailed(ctx context.Context, uuid string, permanent bool, code, message string) error {
	if !permanent {
		return nil
	}
	l.srv.log.Warn("relay: event rejected by the provincial hub", "uuid", uuid, "code", code, "message", message)
	return l.srv.st.RelayMark(ctx, []string{uuid}, "rejected", code, message, l.srv.now())
}

func (l *relayLocal) OpenFile(sha string) (io.ReadCloser, error) {
	if !protocol.ValidSHA256(sha) {
		return nil, store.ErrNotFound
	}
	f, err := os.Open(l.srv.FilePath(sha))
	if errors.Is(err, os.ErrNotExist) {
		return nil, store.ErrNotFound
	}
	return f, err
}

func (l *relayLocal) FileSize(ctx context.Context, sha string) (int64, error) {
	held, size, err := l.srv.st.HasFile(ctx, sha)
	if err != nil {
		return 0, err
	}
	if !held {
		return 0, store.ErrNotFound
	}
	return size, nil
}

func (l *relayLocal) FileUploaded(ctx context.Context, sha string) (bool, error) {
	return l.srv.st.RelayFileUploaded(ctx, sha)
}

func (l *relayLocal) MarkFileUploaded(ctx context.Context, sha string) error {
	return l.srv.st.RelayMarkFileUploaded(ctx, sha, l.srv.now())
}

// ApplyDecision passes a decision of the province on to the office's feed
// (once, by its id); a decision on a dossier the relay does not hold is
// skipped (the province keeps it).
func (l *relayLocal) ApplyDecision(ctx context.Context, d store.Decision) (bool, error) {
	if has, err := l.srv.st.HasDecision(ctx, d.ID); err != nil || has {
		return false, err
	}
	_, err := l.srv.st.Decide(ctx, protocol.Decision{ID: d.ID, Dossier: d.Dossier, Outcome: d.Outcome, Status: int(d.Status),
		Note: d.Note, DecidedBy: d.DecidedBy, At: d.At})
	if errors.Is(err, ErrNotFound) {
		l.srv.log.Warn("relay: decision on a dossier not held here", "dossier", d.Dossier, "decision", d.ID)
		return false, nil
	}
	if err != nil {
		return false, err
	}
	l.srv.wake(l.office)
	return true, nil
}

// Dossiers and steps of devices that talk to the province directly are
// not copied into the relay: an office's devices all go through its relay.
func (l *relayLocal) ApplyRemoteDossier(ctx context.Context, payload json.RawMessage, origin string) (bool, error) {
	return false, nil
}

func (l *relayLocal) ApplyRemoteEvent(ctx context.Context, ev store.RemoteEvent) (bool, error) {
	return false, nil
}

// ApplyFeedItem republishes a publication of the province to the office,
// once per upstream publication id.
func (l *relayLocal) ApplyFeedItem(ctx context.Context, it store.FeedItem) (bool, error) {
	if it.Problem != "" {
		l.srv.log.Warn("relay: unusable publication from the province", "kind", it.Kind, "key", it.Key, "problem", it.Problem)
		return false, nil
	}
	have, err := l.srv.st.RelayItem(ctx, it.Kind, it.Key)
	if err != nil || have >= it.ID {
		return false, err
	}
	if _, _, err := l.srv.st.Publish(ctx, protocol.Publication{Kind: it.Kind, Key: it.Key, Office: l.office, Data: it.Data,
		By: "province", At: l.srv.now()}); err != nil {
		return false, err
	}
	if err := l.srv.st.RelaySetItem(ctx, it.Kind, it.Key, it.ID); err != nil {
		return false, err
	}
	l.srv.wake(l.office)
	return true, nil
}

func (l *relayLocal) SyncCounts(ctx context.Context) (store.SyncCounts, error) {
	p, _, err := l.srv.st.RelayCounts(ctx)
	return store.SyncCounts{Pending: p}, err
}
