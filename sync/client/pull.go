package client

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
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
			Status: dossier.Status(d.Status), Note: d.Note, Items: d.Items, Reason: d.Reason, DecidedBy: d.DecidedBy, At: d.At})
		if err == nil {
			c.Stats.Decisions.Add(1)
			c.log.Info("decision received", "dossier", d.Dossier, "outcome", d.Outcome, "applied", applied)
		}
		return err
	}
	if ch.Kind == protocol.ChangeEvent {
		// A later step of a dossier: this device's own steps are already
		// here; another counter's are applied to the replica, in order.
		if ch.Origin == self {
			return nil
		}
		var ev protocol.Event
		if err := json.Unmarshal(ch.Payload, &ev); err != nil {
			return fmt.Errorf("event in feed: %w", err)
		}
		applied, err := c.local.ApplyRemoteEvent(ctx, store.RemoteEvent{UUID: ev.UUID, Dossier: ev.Dossier, Seq: ev.Seq,
			Kind: ev.Kind, Payload: ev.Payload, Origin: ch.Origin})
		if err == nil && applied {
			c.Stats.Steps.Add(1)
		}
		return err
	}
	if ch.Kind == protocol.ChangeCatalog || ch.Kind == protocol.ChangeHolidays || ch.Kind == protocol.ChangeAccount {
		return c.applyPublication(ctx, ch)
	}
	// Kinds this version does not know are skipped: the hub keeps them.
	return nil
}

// applyPublication checks an item the hub published (a catalog that
// parses, a year table that parses, an account with a valid login) and
// records it; an item that fails the checks is kept with its problem and
// shown, never used. OnItem is told of every item taken.
func (c *Client) applyPublication(ctx context.Context, ch protocol.Change) error {
	var p protocol.Publication
	if err := json.Unmarshal(ch.Payload, &p); err != nil {
		return fmt.Errorf("publication in feed: %w", err)
	}
	it := store.FeedItem{Kind: p.Kind, Key: p.Key, ID: p.ID, Data: p.Data}
	switch p.Kind {
	case protocol.ChangeCatalog:
		if _, err := catalog.Parse(p.Data); err != nil {
			it.Problem = "catalog: " + err.Error()
		}
	case protocol.ChangeHolidays:
		tab, err := calendar.ParseYearTable(p.Data)
		if err != nil {
			it.Problem = "holidays: " + err.Error()
		} else if strconv.Itoa(tab.Year) != p.Key {
			it.Problem = fmt.Sprintf("holidays: table of %d published as %s", tab.Year, p.Key)
		}
	case protocol.ChangeAccount:
		var d protocol.AccountData
		if err := json.Unmarshal(p.Data, &d); err != nil || auth.ValidateLogin(d.Login) != nil {
			it.Problem = "account: login missing or invalid"
		}
	}
	taken, err := c.local.ApplyFeedItem(ctx, it)
	if err != nil {
		return err
	}
	c.log.Info("publication received", "kind", p.Kind, "key", p.Key, "id", p.ID, "taken", taken, "problem", it.Problem)
	if taken {
		c.Stats.Items.Add(1)
		if c.opt.OnItem != nil {
			c.opt.OnItem(it)
		}
	}
	return nil
}
