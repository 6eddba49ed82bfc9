package app

import (
	"context"
	"log/slog"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/backup"
)

// startBackground starts the services that run beside the window for as
// long as ctx lives: the daily backup (settings key "backup").
func startBackground(ctx context.Context, env *wire.Env, log *slog.Logger) {
	s := &backup.Scheduler{DataDir: env.Dir, Store: env.Store, AppVersion: Version, Log: log}
	go func() {
		if err := s.Serve(ctx); err != nil && ctx.Err() == nil {
			log.Error("daily backup stopped", "err", err)
		}
	}()
}
