package app

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/motcua/motcua/app/ui/counter"
	"github.com/motcua/motcua/app/ui/setup"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
)

// startSync runs the device's link to the hub in the background until ctx
// ends, once the device is enrolled (motcua enrol or the setup screen), and
// until the hub revokes it.
// Wiring (gui.go): c := startSync(ctx, env, logger); pass linkSource(env) as
// counter.Services.Link; the push loop also wakes every minute by itself.
func startSync(ctx context.Context, env *wire.Env, logger *slog.Logger) *client.Client {
	c := client.New(env.Store, client.Options{Logger: logger, OnItem: func(it store.FeedItem) {
		// A holiday table from the hub counts at once; a catalog from the
		// next start (app/wire/synced.go); accounts are in the store already.
		if it.Kind == store.ItemHolidays {
			if t, err := calendar.ParseYearTable(it.Data); err == nil {
				env.Calendar.SetTable(t)
			}
		}
	}})
	go func() {
		// A device enrolled later (on the setup screen) starts syncing
		// within a few seconds, without a restart.
		tick := time.NewTicker(5 * time.Second)
		defer tick.Stop()
		for {
			err := c.Serve(ctx)
			if !errors.Is(err, client.ErrNotEnrolled) {
				if err != nil && !errors.Is(err, context.Canceled) {
					logger.Error("sync stopped", "err", err.Error())
				}
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return c
}

// linkSource reads the link state for the counter's status line.
func linkSource(env *wire.Env) counter.LinkSource {
	return func(ctx context.Context) (counter.LinkState, error) {
		st, err := client.Read(ctx, env.Store)
		if err != nil {
			return counter.LinkState{}, err
		}
		return counter.LinkState{Enrolled: st.Enrolled, Online: st.Online, Pending: st.Pending, PendingBytes: st.PendingBytes,
			LastSuccess: st.LastSuccess, Error: string(st.LastError), Refused: len(st.Failed), Problems: len(st.Problems)}, nil
	}
}

// enroller enrols the device from the setup screen (app/ui/setup/enrol.go)
// with the device's own key, named after the computer at the hub.
func enroller(env *wire.Env) setup.EnrolFunc {
	return func(ctx context.Context, hubURL, token string) (setup.Enrolled, error) {
		name, _ := os.Hostname()
		cfg, err := client.Enrol(ctx, env.Store, hubURL, token, name, &http.Client{Timeout: time.Minute})
		if err != nil {
			return setup.Enrolled{}, err
		}
		return setup.Enrolled{Office: cfg.Office, OfficeName: cfg.OfficeName, DeviceID: cfg.DeviceID}, nil
	}
}
