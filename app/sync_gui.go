package app

import (
	"context"
	"errors"
	"log/slog"

	"github.com/motcua/motcua/app/ui/counter"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/sync/client"
)

// startSync runs the device's link to the hub in the background until ctx
// ends, when the device is enrolled (motcua enrol). It returns nil otherwise.
// Wiring (gui.go): c := startSync(ctx, env, logger); pass linkSource(env) as
// counter.Services.Link; the push loop also wakes every minute by itself.
func startSync(ctx context.Context, env *wire.Env, logger *slog.Logger) *client.Client {
	c := client.New(env.Store, client.Options{Logger: logger})
	go func() {
		if err := c.Serve(ctx); err != nil && !errors.Is(err, context.Canceled) && !errors.Is(err, client.ErrNotEnrolled) {
			logger.Error("sync stopped", "err", err.Error())
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
