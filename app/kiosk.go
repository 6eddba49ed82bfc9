package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"fyne.io/fyne/v2"

	"github.com/motcua/motcua/app/ui/counter"
	uikiosk "github.com/motcua/motcua/app/ui/kiosk"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/kiosk"
)

// runKiosk opens the citizen kiosk (motcua --mode kiosk): one full-screen
// window with no way out but the technician's PIN. It answers from this
// device's store through kiosk.Directory only.
func runKiosk(ctx context.Context, env *wire.Env, langCode string, log *slog.Logger) int {
	set, err := env.Store.Settings(ctx)
	if err != nil {
		log.Error("read settings", "err", err)
		return 1
	}
	if !set.Provisioned || set.AgencyID == "" {
		fmt.Fprintln(os.Stderr, "motcua: this device is not set up for an office yet: run motcua provision (or start the counter once) before kiosk mode")
		return 1
	}
	svc, ks, err := env.Kiosk(ctx)
	if err != nil {
		log.Error("kiosk", "err", err)
		return 1
	}
	a, ok := newFyneApp(langCode, set.Language, log)
	if !ok {
		return 1
	}
	// A kiosk box with its own store gets the office's dossiers (status
	// look-ups) and sends its votes like a counter: runs once enrolled.
	startSync(ctx, env, log)
	w := a.NewWindow("motcua — Ki-ốt một cửa")
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1920, 1080))
	w.SetFullScreen(true)
	w.SetCloseIntercept(func() {}) // only the technician's PIN leaves kiosk mode

	m := kiosk.NewMachine(svc, set.AgencyID, env.Now)
	m.Idle = time.Duration(ks.IdleSeconds) * time.Second
	m.Saver = 2 * m.Idle // 0 keeps the default
	m.PIN = &kiosk.PINGate{Hash: ks.PINHash, Verify: auth.VerifyPassword, Now: env.Now, Log: env.Store}
	if m.Printer, err = env.TicketPrinter(ks); err != nil {
		log.Warn("ticket printer address", "err", err) // tickets are then shown on screen only
	}
	k := uikiosk.New(w, svc, m, uikiosk.Options{
		Now: env.Now, Orientation: ks.Orientation, FontScale: float32(ks.FontScale),
		OnExit: func() {
			log.Info("kiosk mode left with the technician PIN")
			a.Quit()
		},
	})
	w.SetContent(k.Content())
	if ks.Scanner != "" { // a serial QR scanner; a keyboard-wedge one types into the window
		if cfg, err := wire.ParseScannerPort(ks.Scanner); err != nil {
			log.Error("qr scanner setting", "err", err)
		} else {
			go wire.ReadScanner(ctx, cfg, k.ScanInput, log, 2*time.Second)
		}
	}
	ticker := time.NewTicker(time.Second)
	go func() {
		defer ticker.Stop()
		k.RunIdle(ctx, ticker.C)
	}()
	w.SetMaster()
	go func() {
		<-ctx.Done()
		fyne.Do(a.Quit)
	}()
	log.Info("kiosk mode started", "orientation", ks.Orientation, "ticket_printer", ks.TicketPrinter != "")
	w.ShowAndRun()
	return 0
}

// counterQueue is the kiosk's queue as this counter calls it (the queue
// page); nil, with the reason logged, when it cannot be built.
func counterQueue(ctx context.Context, env *wire.Env, log *slog.Logger) counter.QueueService {
	q, err := env.CounterQueue(ctx)
	if err != nil {
		log.Error("queue page", "err", err)
		return nil
	}
	return q
}
