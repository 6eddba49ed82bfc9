package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/protocol"
)

// Pull asks the office's feed for changes after the stored cursor, waiting
// up to wait for one, applies them and stores the new cursor. It returns the
// number of changes applied. Every change is applied idempotently (a
// decision by its id, a dossier by its code), so a crash between applying
// and storing the cursor repeats nothing.
func (c *Client) Pull(ctx context.Context, wait time.Duration) (int, error) {
	total := 0
	for {
		cfg, err := c.local.SyncConfig(ctx)
		if err != nil {
			return total, &Error{Kind: KindLocal, Err: err}
		}
		if !cfg.Enrolled() {
			return total, ErrNotEnrolled
		}
		path := fmt.Sprintf("%s?after=%d&limit=500&wait=%d", protocol.PathFeed, cfg.Cursor, int(wait/time.Second))
		resp, err := c.do(ctx, request{method: http.MethodGet, path: path})
		if err != nil {
			return total, err
		}
		var fr protocol.FeedResponse
		err = decodeJSON(resp, &fr)
		resp.Body.Close()
		if err != nil {
			return total, err
		}
		for _, ch := range fr.Changes {
			if err := c.apply(ctx, cfg.DeviceID, ch); err != nil {
				return total, &Error{Kind: KindLocal, Err: err}
			}
			total++
		}
		if fr.Cursor > cfg.Cursor {
			if _, err := c.local.UpdateSync(ctx, "sync", func(s *store.SyncConfig) { s.Cursor = fr.Cursor }); err != nil {
				return total, &Error{Kind: KindLocal, Err: err}
			}
		}
		c.Stats.Pulled.Add(int64(len(fr.Changes)))
		if !fr.More {
			return total, nil
		}
		wait = 0
	}
}

func (c *Client) apply(ctx context.Context, self string, ch protocol.Change) error {
	switch ch.Kind {
	case protocol.ChangeReceived:
		if ch.Origin == self {
			return nil
		}
		_, err := c.local.ApplyRemoteDossier(ctx, ch.Payload, ch.Origin)
		return err
	case protocol.ChangeDecision:
		var d protocol.Decision
		if err := json.Unmarshal(ch.Payload, &d); err != nil {
			return fmt.Errorf("decision in feed: %w", err)
		}
		applied, err := c.local.ApplyDecision(ctx, store.Decision{ID: d.ID, Dossier: d.Dossier, Outcome: d.Outcome,
			Status: dossier.Status(d.Status), Note: d.Note, DecidedBy: d.DecidedBy, At: d.At})
		if err == nil {
			c.Stats.Decisions.Add(1)
			c.log.Info("decision received", "dossier", d.Dossier, "outcome", d.Outcome, "applied", applied)
		}
		return err
	}
	// Later events of other devices' dossiers and kinds this version does
	// not know are skipped: the hub keeps them.
	return nil
}
