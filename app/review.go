package app

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"

	"fyne.io/fyne/v2"

	"github.com/motcua/motcua/app/ui/review"
	"github.com/motcua/motcua/app/ui/review/hubclient"
	"github.com/motcua/motcua/app/wire"
)

// runReview opens the review window (motcua --mode review): a district or
// provincial reviewer signs in to the hub with their own account. The hub
// address comes from --hub, then $MOTCUA_HUB, then the hub this device is
// enrolled with. The last loaded queues and dossiers are cached under
// <data>/review-cache for reading while the hub is unreachable.
func runReview(ctx context.Context, env *wire.Env, langCode, hub string, log *slog.Logger) int {
	set, err := env.Store.Settings(ctx)
	if err != nil {
		log.Error("read settings", "err", err)
		return 1
	}
	if hub == "" {
		hub = os.Getenv("MOTCUA_HUB")
	}
	if hub == "" {
		if cfg, err := env.Store.SyncConfig(ctx); err == nil {
			hub = cfg.HubURL
		}
	}
	a, ok := newFyneApp(langCode, set.Language, log)
	if !ok {
		return 1
	}
	w := a.NewWindow("motcua — Xem xét hồ sơ")
	w.Resize(fyne.NewSize(1440, 900))
	s := review.New(w, review.Options{
		Hub:     hub,
		Connect: hubclient.Connector(nil),
		Cache:   review.NewCache(filepath.Join(env.Dir, "review-cache")),
		Now:     env.Now,
		Log:     log,
	})
	w.SetContent(s.Content())
	s.FocusLogin()
	w.SetMaster()
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	log.Info("review mode started", "hub", hub)
	w.ShowAndRun()
	return 0
}
