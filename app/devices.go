package app

import (
	"context"
	"log/slog"

	"github.com/motcua/motcua/app/devicesvc"
	"github.com/motcua/motcua/app/ui/counter"
	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/app/wire"
)

// counterDevices opens the devices the settings name, starts the card
// reader (it reconnects by itself after an unplug), and returns what the
// reception screen and the technician's devices tab consume. A broken device
// setting never stops the counter: it starts without devices and the devices
// tab says what is wrong.
func counterDevices(ctx context.Context, env *wire.Env, log *slog.Logger) (*counter.Devices, *devicesvc.Service) {
	admin := &devicesvc.Service{Env: env}
	devs, err := env.OpenDevices(ctx, wire.DeviceOptions{Logger: log})
	if err != nil {
		log.Warn("devices", "err", err)
		devs, _ = wire.BuildDevices(wire.NoDevices(), "", wire.DeviceOptions{Logger: log})
	}
	admin.Running = devs
	go func() {
		if err := devs.Serve(ctx); err != nil && ctx.Err() == nil {
			log.Warn("card reader stopped", "err", err)
		}
	}()
	return devicesvc.Counter(devs, env.Store), admin
}

// doctorLanguage loads the translations "motcua doctor" prints its checks
// in: --lang, else the configured language, else Vietnamese.
func doctorLanguage(ctx context.Context, env *wire.Env, code string) {
	if code == "" {
		if set, err := env.Store.Settings(ctx); err == nil {
			code = set.Language
		}
	}
	if code == "" {
		code = widgets.DefaultLanguage
	}
	_ = widgets.SetLanguage(code)
}
