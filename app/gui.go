package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"runtime"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"github.com/motcua/motcua/app/ui/counter"
	"github.com/motcua/motcua/app/ui/setup"
	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/auth"
)

// runGUI opens the counter window: the setup screen on a device that is not
// provisioned yet, the login screen otherwise.
func runGUI(ctx context.Context, env *wire.Env, langCode string, log *slog.Logger) int {
	set, err := env.Store.Settings(ctx)
	if err != nil {
		log.Error("read settings", "err", err)
		return 1
	}
	a, ready := newFyneApp(langCode, set.Language, log)
	if !ready {
		return 1
	}
	w := a.NewWindow("motcua — Một cửa")
	w.Resize(fyne.NewSize(1280, 800))

	startSync(ctx, env, log) // runs only once the device is enrolled (motcua enrol)
	startCounter := func() {
		set, err := env.Store.Settings(ctx)
		if err != nil {
			log.Error("read settings", "err", err)
			return
		}
		policy := auth.DefaultPolicy()
		if set.IdleLockMinutes > 0 {
			policy.IdleLock = time.Duration(set.IdleLockMinutes) * time.Minute
		}
		devs, devAdmin := counterDevices(ctx, env, log) // devices.go
		// the backup and provisioning tab (services_backup.go)
		tech := technicianService(env, log, func() { fyne.Do(a.Quit) })
		c := counter.New(w, counter.Services{
			Reception:   env.Reception,
			Dossiers:    env.Store,
			Receipts:    env.Receipts,
			Auth:        env.Auth,
			Office:      counter.Office{AgencyID: set.AgencyID, Name: set.AgencyName},
			Lifecycle:   env.Lifecycle,
			Reports:     env.NewReports(),
			Forms:       env.NewForms(),
			Devices:     devs,
			DeviceAdmin: devAdmin,
			Technician:  tech,
			Link:        linkSource(env),
			Queue:       counterQueue(ctx, env, log), // kiosk.go
		}, counter.Options{Policy: policy, OnLogout: func(acc auth.Account) {
			log.Info("logout", "login", acc.Login)
		}})
		devAdmin.Actor = func() string { return c.Account().Login }
		tech.Actor = devAdmin.Actor
		w.SetContent(c.Content())
		ticker := time.NewTicker(15 * time.Second)
		go func() {
			defer ticker.Stop()
			c.RunIdle(ctx, ticker.C)
		}()
	}

	ok, err := env.Provisioned(ctx)
	if err != nil {
		log.Error("read settings", "err", err)
		return 1
	}
	if ok {
		startCounter()
	} else {
		sc := setup.New(w, setup.SetupFunc(func(ctx context.Context, in setup.SetupInput) error {
			return setupError(env.Provision(ctx, wire.Office{
				AgencyID: in.AgencyID, AgencyName: in.AgencyName, ParentName: in.ParentName,
				Address: in.Address, Phone: in.Phone, ReturnPlace: in.ReturnPlace, Slot: in.DeviceSlot,
				AdminLogin: in.AdminLogin, AdminName: in.AdminFullName, AdminPassword: in.AdminPassword,
			}))
		}), func(setup.SetupInput) { startCounter() })
		sc.SetEnroller(enroller(env)) // sync_gui.go
		w.SetContent(sc.Content())
	}
	w.SetMaster()
	startBackground(ctx, env, log) // services_backup.go: daily backup
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	w.ShowAndRun()
	return 0
}

// setupError maps provisioning errors to the setup screen's fields.
func setupError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, wire.ErrAgencyID):
		return setup.FieldError{Field: "agency_id", Key: "err.setup.agency_id.format"}
	case errors.Is(err, wire.ErrAgencyName):
		return setup.FieldError{Field: "agency_name", Key: "err.setup.agency_name.required"}
	case errors.Is(err, wire.ErrSlot):
		return setup.FieldError{Field: "slot", Key: "err.setup.slot.range"}
	}
	return fmt.Errorf("provision: %w", err)
}

// displayProblem explains, in plain words, why no window can open; "" when a
// display is there (or the platform always has one).
func displayProblem() string {
	if runtime.GOOS != "linux" && runtime.GOOS != "freebsd" {
		return ""
	}
	if os.Getenv("DISPLAY") == "" && os.Getenv("WAYLAND_DISPLAY") == "" {
		return "no display: start motcua from a desktop session (or under Xvfb: xvfb-run -a motcua); " +
			"the command-line tools (motcua --help) work without one"
	}
	return ""
}

// newFyneApp checks that a window can open (display, OpenGL 2.1), settles the
// interface language (flag, then settings, then Vietnamese) and creates the
// Fyne app with motcua's light theme. ok is false when it already told the
// user why no window can open.
func newFyneApp(langCode, configured string, log *slog.Logger) (a fyne.App, ok bool) {
	if langCode == "" {
		langCode = configured
	}
	if langCode == "" {
		langCode = "vi"
	}
	if msg := displayProblem(); msg != "" {
		fmt.Fprintln(os.Stderr, "motcua:", msg)
		return nil, false
	}
	if p := glProblem(); p != "" { // glcheck.go: no OpenGL 2.1, say so plainly
		log.Error("no OpenGL 2.1", "detail", p)
		reportGLProblem(os.Stderr, glMessage(p))
		return nil, false
	}
	// Fyne reads the interface language from the locale; a bare "C" locale
	// (services, minimal installs) is not a language tag and only makes noise.
	switch os.Getenv("LANG") {
	case "", "C", "POSIX", "C.UTF-8":
		os.Setenv("LANG", langCode+".UTF-8")
	}
	a = fyneapp.NewWithID("vn.motcua.app")
	a.Settings().SetTheme(widgets.NewLightTheme())
	if err := widgets.SetLanguage(langCode); err != nil {
		log.Warn("language", "lang", langCode, "err", err)
	}
	return a, true
}
