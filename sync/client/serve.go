package client

import (
	"context"
	"errors"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/motcua/motcua/internal/store"
)

// ErrRevoked is returned by Serve when the hub says this device was
// revoked: nothing more is sent or pulled, nothing local is touched, and
// the link state records "revoked" for the clerk.
var ErrRevoked = errors.New("device revoked at the hub")

// Serve pushes and pulls until ctx ends: the push loop wakes on Notify or
// every Interval and drains the outbox; the pull loop long-polls the feed.
// Both retry with backoff and no deadline; after an error that retrying
// cannot mend the pull loop waits an Interval before asking again. It
// returns ErrNotEnrolled at once for a device without a hub identity,
// ErrRevoked once the hub refuses the device as revoked, else ctx's error.
func (c *Client) Serve(ctx context.Context) error {
	if _, _, err := c.identity(ctx); err != nil {
		return err
	}
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stopIfRevoked := func(err error) bool {
		if KindOf(err) == KindRevoked {
			c.log.Warn("device revoked at the hub: sync stopped")
			cancel(ErrRevoked)
			return true
		}
		return false
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ctx.Err() == nil {
			err := c.retry(ctx, func(ctx context.Context) error {
				_, err := c.Pull(ctx, c.opt.Wait)
				return err
			})
			if err != nil && ctx.Err() == nil && !stopIfRevoked(err) {
				t := time.NewTimer(c.opt.Interval)
				select {
				case <-ctx.Done():
				case <-t.C:
				}
				t.Stop()
			}
		}
	}()
	tick := time.NewTicker(c.opt.Interval)
	defer tick.Stop()
	for {
		err := c.retry(ctx, func(ctx context.Context) error {
			_, err := c.Push(ctx)
			return err
		})
		stopIfRevoked(err)
		select {
		case <-ctx.Done():
			<-done
			if errors.Is(context.Cause(ctx), ErrRevoked) {
				return ErrRevoked
			}
			return ctx.Err()
		case <-c.notify:
		case <-tick.C:
		}
	}
}

// retry runs op until it succeeds, fails for good, or ctx ends, recording
// the link's state after each attempt.
func (c *Client) retry(ctx context.Context, op func(context.Context) error) error {
	b := backoff.WithContext(c.opt.Backoff(), ctx)
	return backoff.RetryNotify(func() error {
		err := op(ctx)
		c.record(ctx, err)
		if err == nil || ctx.Err() != nil {
			return err
		}
		var e *Error
		if errors.As(err, &e) && !e.Transient() {
			return backoff.Permanent(err)
		}
		return err
	}, b, func(err error, d time.Duration) {
		c.Stats.Retries.Add(1)
		c.log.Info("sync retry", "kind", string(KindOf(err)), "in", d.Round(time.Millisecond).String())
	})
}

// record keeps the link state in memory and in the store.
func (c *Client) record(ctx context.Context, err error) {
	if ctx.Err() != nil {
		return
	}
	now := c.opt.Now().UTC()
	c.mu.Lock()
	wasOnline, prevErr := c.online, c.err
	c.online = err == nil || (KindOf(err) != KindOffline && KindOf(err) != KindPortal && KindOf(err) != KindLocal && KindOf(err) != KindRevoked)
	c.err = err
	c.mu.Unlock()
	if err == nil && wasOnline && prevErr == nil {
		// Steady state: store the success at most once a minute.
		cfg, e := c.local.SyncConfig(ctx)
		if e == nil && now.Sub(cfg.LastSuccess) < time.Minute && cfg.LastError == "" {
			return
		}
	}
	c.local.UpdateSync(ctx, "sync", func(s *store.SyncConfig) {
		s.LastAttempt = now
		if err == nil {
			s.LastSuccess, s.LastError = now, ""
		} else {
			s.LastError = string(KindOf(err))
		}
	})
}

// Status is the link at a glance.
type Status struct {
	Enrolled     bool
	Online       bool
	HubURL       string
	Office       string
	Pending      int
	PendingBytes int64
	Failed       []store.FailedEvent
	Problems     []store.DecisionProblem
	LastSuccess  time.Time
	LastError    Kind // "" when the last attempt succeeded
}

// Status reads the link state (from the store, so another process's client
// is seen too: `motcua sync status` and the GUI agree).
func Read(ctx context.Context, local Local) (Status, error) {
	cfg, err := local.SyncConfig(ctx)
	if err != nil {
		return Status{}, err
	}
	n, err := local.SyncCounts(ctx)
	if err != nil {
		return Status{}, err
	}
	st := Status{Enrolled: cfg.Enrolled(), HubURL: cfg.HubURL, Office: cfg.Office, Pending: n.Pending,
		PendingBytes: n.PendingBytes, Failed: n.Failed, Problems: n.Problems, LastSuccess: cfg.LastSuccess,
		LastError: Kind(cfg.LastError)}
	st.Online = st.Enrolled && cfg.LastError == "" && !cfg.LastSuccess.IsZero() ||
		(cfg.LastError != "" && cfg.LastError != string(KindOffline) && cfg.LastError != string(KindPortal) && cfg.LastError != string(KindLocal) &&
			cfg.LastError != string(KindRevoked))
	return st, nil
}
