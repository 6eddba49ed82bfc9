package app

import (
	"context"
	"log/slog"

	"github.com/motcua/motcua/app/ui/technician"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/backup"
)

// backupWake tells the daily backup that the technician screen saved new
// settings.
var backupWake = make(chan struct{}, 1)

// technicianService is the technician screen's service (app/ui/technician).
func technicianService(env *wire.Env, log *slog.Logger, quit func()) *technician.EnvService {
	return &technician.EnvService{Env: env, Wake: backupWake, Log: log, OnQuit: quit}
}

// startBackground starts the services that run beside the window for as
// long as ctx lives: the daily backup (settings key "backup"; it waits
// while the device is not provisioned).
func startBackground(ctx context.Context, env *wire.Env, log *slog.Logger) {
	s := &backup.Scheduler{DataDir: env.Dir, Store: env.Store, AppVersion: Version, Log: log, Wake: backupWake}
	go func() {
		if err := s.Serve(ctx); err != nil && ctx.Err() == nil {
			log.Error("daily backup stopped", "err", err)
		}
	}()
}
