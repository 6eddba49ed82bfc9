package review

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"github.com/motcua/motcua/internal/auth"
)

// Cache keeps what the reviewer last loaded, one JSON file per queue and per
// dossier and the scanned files by their SHA-256, under one folder of the
// data directory. It is what the screens show while the hub is unreachable.
// Each entry records when it was loaded.
type Cache struct {
	Dir string
	mu  sync.Mutex
}

// NewCache uses dir (created when needed).
func NewCache(dir string) *Cache { return &Cache{Dir: dir} }

type cachedQueue struct {
	At    time.Time `json:"at"`
	Query Query     `json:"query"`
	Page  Page      `json:"page"`
}

type cachedDossier struct {
	At      time.Time `json:"at"`
	Dossier Dossier   `json:"dossier"`
}

type cachedSession struct {
	At      time.Time `json:"at"`
	Hub     string    `json:"hub"`
	Session Session   `json:"session"`
	Hash    string    `json:"hash"` // argon2id of the password, to open the cache offline
}

var safeName = regexp.MustCompile(`[^A-Za-z0-9._-]`)

func (c *Cache) path(kind, name string) string {
	return filepath.Join(c.Dir, kind+"-"+safeName.ReplaceAllString(name, "_")+".json")
}

func (c *Cache) write(path string, v any) error {
	if c == nil || c.Dir == "" {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("review cache: %w", err)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("review cache: %w", err)
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("review cache: %w", err)
	}
	return os.Rename(tmp, path)
}

func (c *Cache) read(path string, v any) error {
	if c == nil || c.Dir == "" {
		return fs.ErrNotExist
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("review cache %s: %w", filepath.Base(path), err)
	}
	return nil
}

// PutSession remembers the last signed-in reviewer of hub with an argon2id
// hash of the password (never the password or the hub's token), so that the
// same reviewer can read the cached queues when the hub is down at sign-in.
func (c *Cache) PutSession(hub string, s Session, password string, at time.Time) error {
	if c == nil || c.Dir == "" {
		return nil
	}
	h, err := auth.HashPassword(password)
	if err != nil {
		return fmt.Errorf("review cache: %w", err)
	}
	return c.write(c.path("session", "last"), cachedSession{At: at, Hub: hub, Session: s, Hash: h})
}

// Owner is the hub and user of the last sign-in kept ("" when none).
func (c *Cache) Owner() (hub, user string) {
	var cs cachedSession
	if err := c.read(c.path("session", "last"), &cs); err != nil {
		return "", ""
	}
	return cs.Hub, cs.Session.User
}

// Clear removes everything kept: done when another reviewer (or the same
// on another hub) signs in, so that nobody reads offline what another's
// scope allowed.
func (c *Cache) Clear() error {
	if c == nil || c.Dir == "" {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := os.RemoveAll(c.Dir); err != nil {
		return fmt.Errorf("review cache: %w", err)
	}
	return nil
}

// ErrCacheLogin is returned by Session for another reviewer, another hub or
// a wrong password.
var ErrCacheLogin = errors.New("review cache: not the reviewer who signed in last")

// Session returns the last reviewer who signed in to hub, if user and
// password are theirs.
func (c *Cache) Session(hub, user, password string) (Session, time.Time, error) {
	var cs cachedSession
	if err := c.read(c.path("session", "last"), &cs); err != nil {
		return Session{}, time.Time{}, err
	}
	if cs.Hub != hub || cs.Session.User != user {
		return Session{}, time.Time{}, ErrCacheLogin
	}
	if ok, err := auth.VerifyPassword(cs.Hash, password); err != nil || !ok {
		return Session{}, time.Time{}, ErrCacheLogin
	}
	return cs.Session, cs.At, nil
}

// PutQueue remembers the page last loaded for q.Queue.
func (c *Cache) PutQueue(q Query, p Page, at time.Time) error {
	return c.write(c.path("queue", q.Queue), cachedQueue{At: at, Query: q, Page: p})
}

// Queue returns the page last loaded for queue, the query that loaded it and
// when.
func (c *Cache) Queue(queue string) (Page, Query, time.Time, error) {
	var cq cachedQueue
	err := c.read(c.path("queue", queue), &cq)
	return cq.Page, cq.Query, cq.At, err
}

// PutDossier remembers an opened dossier.
func (c *Cache) PutDossier(d Dossier, at time.Time) error {
	return c.write(c.path("dossier", d.Code), cachedDossier{At: at, Dossier: d})
}

// Dossier returns a dossier opened before and when it was loaded.
func (c *Cache) Dossier(code string) (Dossier, time.Time, error) {
	var cd cachedDossier
	err := c.read(c.path("dossier", code), &cd)
	return cd.Dossier, cd.At, err
}

var shaName = regexp.MustCompile(`^[0-9a-f]{64}$`)

// PutFile keeps a scanned file's bytes.
func (c *Cache) PutFile(sha string, data []byte) error {
	if c == nil || c.Dir == "" || !shaName.MatchString(sha) {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	dir := filepath.Join(c.Dir, "files")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("review cache: %w", err)
	}
	tmp := filepath.Join(dir, sha+".tmp")
	if err := os.WriteFile(tmp, data, 0o600); err != nil {
		return fmt.Errorf("review cache: %w", err)
	}
	return os.Rename(tmp, filepath.Join(dir, sha))
}

// File returns a kept scanned file.
func (c *Cache) File(sha string) ([]byte, error) {
	if c == nil || c.Dir == "" || !shaName.MatchString(sha) {
		return nil, fs.ErrNotExist
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return os.ReadFile(filepath.Join(c.Dir, "files", sha))
}

// IsMissing tells a cache miss from a damaged cache.
func IsMissing(err error) bool { return errors.Is(err, fs.ErrNotExist) }
