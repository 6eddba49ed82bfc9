package client

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/protocol"
)

// filesOf lists the SHA-256 of the scans a dossier.received payload refers to.
func filesOf(payload json.RawMessage) []string {
	var p struct {
		Papers []struct {
			Files []string `json:"files"`
		} `json:"papers"`
	}
	if json.Unmarshal(payload, &p) != nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	for _, pp := range p.Papers {
		for _, f := range pp.Files {
			if !seen[f] && protocol.ValidSHA256(f) {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	return out
}

// Push drains the outbox: for each batch it first uploads the files the
// batch's dossiers refer to, then pushes the events. It returns the number
// of events the hub acknowledged (applied or duplicate) and the first error
// that stopped it; events rejected for good are recorded, not returned.
func (c *Client) Push(ctx context.Context) (int, error) {
	total := 0
	for {
		evs, err := c.local.PendingSync(ctx, c.opt.Batch)
		if err != nil {
			return total, &Error{Kind: KindLocal, Err: err}
		}
		if len(evs) == 0 {
			return total, nil
		}
		sendable := evs[:0:0]
		for _, ev := range evs {
			if ev.Kind != protocol.KindReceived {
				sendable = append(sendable, ev)
				continue
			}
			ok, err := c.uploadAll(ctx, ev)
			if err != nil {
				return total, err
			}
			if ok {
				sendable = append(sendable, ev)
			}
		}
		n, progress, err := c.pushBatch(ctx, sendable)
		total += n
		if err != nil {
			return total, err
		}
		if !progress {
			// Only gaps came back: the hub misses an earlier event that this
			// device no longer has pending. Wait and retry rather than spin.
			return total, &Error{Kind: KindServer, Err: errors.New("hub reports gaps the device cannot fill")}
		}
	}
}

// uploadAll uploads the files of a dossier.received event. false (and no
// error) when a file is missing here: the event is then failed for good.
func (c *Client) uploadAll(ctx context.Context, ev store.SyncEvent) (bool, error) {
	for _, sha := range filesOf(ev.Payload) {
		err := c.Upload(ctx, sha)
		if errors.Is(err, store.ErrNotFound) {
			if err := c.local.MarkOutboxFailed(ctx, ev.UUID, true, "file_missing", "a scanned file of this dossier is missing on this device"); err != nil {
				return false, &Error{Kind: KindLocal, Err: err}
			}
			return false, nil
		}
		if err != nil {
			return false, fmt.Errorf("upload for %s: %w", ev.DossierCode, err)
		}
	}
	return true, nil
}

// pushBatch sends one batch and records the results. progress is false when
// nothing was acknowledged or failed (only gaps).
func (c *Client) pushBatch(ctx context.Context, evs []store.SyncEvent) (n int, progress bool, err error) {
	if len(evs) == 0 {
		return 0, true, nil
	}
	req := protocol.PushRequest{Events: make([]protocol.Event, len(evs))}
	for i, e := range evs {
		req.Events[i] = protocol.Event{UUID: e.UUID, Dossier: e.DossierCode, Seq: e.Seq, Kind: e.Kind, Payload: e.Payload, CreatedAt: e.CreatedAt}
	}
	body, err := gzipJSON(req)
	if err != nil {
		return 0, false, &Error{Kind: KindLocal, Err: err}
	}
	resp, err := c.do(ctx, request{method: http.MethodPost, path: protocol.PathPush, body: body,
		header: map[string]string{"Content-Type": "application/json", "Content-Encoding": "gzip"}})
	if err != nil {
		return 0, false, err
	}
	defer resp.Body.Close()
	c.Stats.PushBytes.Add(int64(len(body)))
	var out protocol.PushResponse
	if err := decodeJSON(resp, &out); err != nil {
		return 0, false, err
	}
	if len(out.Results) != len(evs) {
		return 0, false, &Error{Kind: KindPortal, Err: fmt.Errorf("hub answered %d results for %d events", len(out.Results), len(evs))}
	}
	var done []string
	for i, r := range out.Results {
		if r.UUID != evs[i].UUID {
			return 0, false, &Error{Kind: KindPortal, Err: errors.New("hub answered for other events")}
		}
		switch r.Status {
		case protocol.Applied:
			c.Stats.Pushed.Add(1)
			done = append(done, r.UUID)
		case protocol.Duplicate:
			c.Stats.Duplicates.Add(1)
			done = append(done, r.UUID)
		case protocol.Gap:
			c.Stats.Gaps.Add(1)
		case protocol.Rejected:
			c.Stats.Rejected.Add(1)
			progress = true
			c.log.Warn("sync event rejected by the hub", "uuid", r.UUID, "dossier", evs[i].DossierCode, "code", r.Code)
			if err := c.local.MarkOutboxFailed(ctx, r.UUID, true, r.Code, r.Error); err != nil {
				return 0, false, &Error{Kind: KindLocal, Err: err}
			}
		default:
			return 0, false, &Error{Kind: KindPortal, Err: fmt.Errorf("unknown result %q", r.Status)}
		}
	}
	if err := c.local.MarkOutboxSent(ctx, done); err != nil {
		return 0, false, &Error{Kind: KindLocal, Err: err}
	}
	return len(done), progress || len(done) > 0, nil
}
