package protocol

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Reviewer calls the hub's reviewer API with a reviewer's key (the review
// screens come later; `motcua-hub review` uses it now).
type Reviewer struct {
	HubURL   string
	DeviceID string
	Key      ed25519.PrivateKey
	HTTP     *http.Client
	Now      func() time.Time
}

func (r *Reviewer) call(ctx context.Context, method, path string, body []byte, v any) error {
	var rd *bytes.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	} else {
		rd = bytes.NewReader(nil)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(r.HubURL, "/")+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	if err := Sign(req, r.DeviceID, r.Key, now(), BodySHA(body)); err != nil {
		return err
	}
	hc := r.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		var e Error
		json.NewDecoder(io.LimitReader(resp.Body, 4096)).Decode(&e)
		return fmt.Errorf("hub answered %d %s: %s", resp.StatusCode, e.Code, e.Message)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// List lists dossiers, newest first; office "" for every office, status 0
// for every status.
func (r *Reviewer) List(ctx context.Context, office string, status int, overdue bool, limit int) ([]DossierSummary, error) {
	q := url.Values{}
	if office != "" {
		q.Set("office", office)
	}
	if status != 0 {
		q.Set("status", strconv.Itoa(status))
	}
	if overdue {
		q.Set("overdue", "true")
	}
	if limit > 0 {
		q.Set("limit", strconv.Itoa(limit))
	}
	path := PathReview
	if len(q) > 0 {
		path += "?" + q.Encode()
	}
	var out ListResponse
	err := r.call(ctx, http.MethodGet, path, nil, &out)
	return out.Dossiers, err
}

// Show fetches one dossier with its events, decisions and files.
func (r *Reviewer) Show(ctx context.Context, code string) (DossierDetail, error) {
	var out DossierDetail
	err := r.call(ctx, http.MethodGet, PathReview+"/"+url.PathEscape(code), nil, &out)
	return out, err
}

// Decide records a decision on a dossier.
func (r *Reviewer) Decide(ctx context.Context, code string, d DecideRequest) (Decision, error) {
	body, err := json.Marshal(d)
	if err != nil {
		return Decision{}, err
	}
	var out Decision
	err = r.call(ctx, http.MethodPost, PathReview+"/"+url.PathEscape(code)+"/decision", body, &out)
	return out, err
}
