package protocol

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// More outcomes a reviewer may post; the hub records them as
// OutcomeProcessing and OutcomeRefused.
const (
	OutcomeAccept = "accept"
	OutcomeRefuse = "refuse"
)

// NormalizeOutcome maps the aliases accept and refuse to the outcomes the
// hub records; other values are returned unchanged.
func NormalizeOutcome(o string) string {
	switch o {
	case OutcomeAccept:
		return OutcomeProcessing
	case OutcomeRefuse:
		return OutcomeRefused
	}
	return o
}

// APIError is a 4xx or 5xx answer of the hub.
type APIError struct {
	Status  int
	Code    string // one of the Err* codes
	Message string
}

func (e *APIError) Error() string {
	return fmt.Sprintf("hub answered %d %s: %s", e.Status, e.Code, e.Message)
}

// IsCode reports whether err is an APIError with that code.
func IsCode(err error, code string) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Code == code
}

// ReviewClient calls the hub's reviewer API with an account's session
// (Login first). It is safe for concurrent use.
type ReviewClient struct {
	HubURL string
	HTTP   *http.Client

	mu      sync.Mutex
	session ReviewSession
}

// Session is the current session (zero before Login).
func (c *ReviewClient) Session() ReviewSession {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.session
}

// SetSession resumes a session obtained earlier.
func (c *ReviewClient) SetSession(s ReviewSession) {
	c.mu.Lock()
	c.session = s
	c.mu.Unlock()
}

func (c *ReviewClient) do(ctx context.Context, method, path string, body any, accept string) (*http.Response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.HubURL, "/")+path, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok := c.Session().Token; tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		defer resp.Body.Close()
		e := &APIError{Status: resp.StatusCode}
		var body Error
		if json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&body) == nil {
			e.Code, e.Message = body.Code, body.Message
		}
		return nil, e
	}
	if accept != "" && !strings.HasPrefix(resp.Header.Get("Content-Type"), accept) {
		resp.Body.Close()
		return nil, fmt.Errorf("hub answered %q, want %s", resp.Header.Get("Content-Type"), accept)
	}
	return resp, nil
}

func (c *ReviewClient) json(ctx context.Context, method, path string, body, v any) error {
	resp, err := c.do(ctx, method, path, body, "application/json")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	return json.NewDecoder(resp.Body).Decode(v)
}

// Login opens a session; the client keeps it for the other calls.
func (c *ReviewClient) Login(ctx context.Context, username, password string) (ReviewSession, error) {
	c.SetSession(ReviewSession{})
	var s ReviewSession
	if err := c.json(ctx, http.MethodPost, PathReviewLogin, ReviewLogin{Username: username, Password: password}, &s); err != nil {
		return ReviewSession{}, err
	}
	c.SetSession(s)
	return s, nil
}

// Logout ends the session at the hub.
func (c *ReviewClient) Logout(ctx context.Context) error {
	var out struct{}
	err := c.json(ctx, http.MethodPost, PathReviewLogout, struct{}{}, &out)
	c.SetSession(ReviewSession{})
	return err
}

// Values encodes the query as URL query parameters.
func (q QueueQuery) Values() url.Values {
	v := url.Values{}
	set := func(k, s string) {
		if s != "" {
			v.Set(k, s)
		}
	}
	set("queue", q.Queue)
	set("office", q.Office)
	set("procedure", q.Procedure)
	if !q.From.IsZero() {
		v.Set("from", q.From.UTC().Format(time.RFC3339))
	}
	if !q.To.IsZero() {
		v.Set("to", q.To.UTC().Format(time.RFC3339))
	}
	if q.Status != 0 {
		v.Set("status", strconv.Itoa(q.Status))
	}
	set("q", q.Q)
	set("after", q.After)
	if q.Limit != 0 {
		v.Set("limit", strconv.Itoa(q.Limit))
	}
	return v
}

// Values encodes the query as URL query parameters.
func (q DashboardQuery) Values() url.Values {
	v := url.Values{}
	if q.Office != "" {
		v.Set("office", q.Office)
	}
	if !q.From.IsZero() {
		v.Set("from", q.From.UTC().Format(time.RFC3339))
	}
	if !q.To.IsZero() {
		v.Set("to", q.To.UTC().Format(time.RFC3339))
	}
	if q.Bucket != "" {
		v.Set("bucket", q.Bucket)
	}
	return v
}

func withQuery(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// Queue fetches a page of a queue.
func (c *ReviewClient) Queue(ctx context.Context, q QueueQuery) (QueuePage, error) {
	var out QueuePage
	err := c.json(ctx, http.MethodGet, withQuery(PathReviewQueue, q.Values()), nil, &out)
	return out, err
}

// Dossier fetches one dossier in scope.
func (c *ReviewClient) Dossier(ctx context.Context, code string) (ReviewDossier, error) {
	var out ReviewDossier
	err := c.json(ctx, http.MethodGet, PathReviewDossier+url.PathEscape(code), nil, &out)
	return out, err
}

// File fetches a scanned file of a dossier in scope. The caller closes it.
func (c *ReviewClient) File(ctx context.Context, sha256 string) (io.ReadCloser, error) {
	resp, err := c.do(ctx, http.MethodGet, PathReviewFile+url.PathEscape(sha256), nil, "")
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// Decide records a decision on a dossier in scope; it reaches the commune
// through its feed.
func (c *ReviewClient) Decide(ctx context.Context, code string, d DecideRequest) (Decision, error) {
	var out Decision
	err := c.json(ctx, http.MethodPost, PathReviewDossier+url.PathEscape(code)+"/decision", d, &out)
	return out, err
}

// Dashboard fetches the figures of the communes in scope.
func (c *ReviewClient) Dashboard(ctx context.Context, q DashboardQuery) (Dashboard, error) {
	var out Dashboard
	err := c.json(ctx, http.MethodGet, withQuery(PathReviewDashboard, q.Values()), nil, &out)
	return out, err
}

// DashboardCSV fetches the dashboard as CSV (UTF-8 with BOM, for Excel).
func (c *ReviewClient) DashboardCSV(ctx context.Context, q DashboardQuery) ([]byte, error) {
	resp, err := c.do(ctx, http.MethodGet, withQuery(PathReviewDashCSV, q.Values()), nil, "text/csv")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 64<<20))
}
