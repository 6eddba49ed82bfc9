package kiosk

import (
	"context"
	"sync"
	"time"
)

// PIN gate limits: after PINFreeTries wrong PINs every further wrong PIN
// locks the exit for PINLockBase, doubling each time up to PINLockMax.
const (
	PINFreeTries = 3
	PINLockBase  = time.Minute
	PINLockMax   = 30 * time.Minute
	MaxPINLen    = 12
)

// PINGate guards the technician's way out of kiosk mode.
type PINGate struct {
	// Hash is the argon2id hash of the PIN (auth.HashPassword); "" means no
	// PIN is set and the kiosk cannot be left from the screen.
	Hash string
	// Verify compares a PIN with Hash (auth.VerifyPassword).
	Verify func(hash, pin string) (bool, error)
	Now    func() time.Time
	// Log keeps the wrong-PIN counter and the lock on disk so a restart
	// gives no fresh tries; nil keeps them in memory only.
	Log PINLog

	mu     sync.Mutex
	loaded bool // the counter was read from Log
	fails  int
	until  time.Time
}

// PINLog persists the exit PIN's rate limit (the store, *store.Store).
type PINLog interface {
	// LoadPINTries returns the wrong PINs since the last right one and the
	// time the exit is locked until (zero when not locked).
	LoadPINTries(ctx context.Context) (int, time.Time, error)
	// SavePINTries durably stores the counter before the answer is shown.
	SavePINTries(ctx context.Context, fails int, until time.Time) error
}

// PINResult is the outcome of Check.
type PINResult int

const (
	PINOK     PINResult = iota
	PINWrong            // wrong PIN, try again
	PINLocked           // too many wrong PINs: wait (see the returned time)
	PINNotSet           // no PIN configured
	// PINUnavailable: the counter could not be read or saved; the exit
	// stays closed (a try that a restart would forget is not allowed).
	PINUnavailable
)

// Check compares pin with the technician's PIN. While locked it does not
// even compare, so guessing costs the full wait.
func (g *PINGate) Check(pin string) (PINResult, time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := time.Now()
	if g.Now != nil {
		now = g.Now()
	}
	ctx := context.Background()
	if !g.loaded && g.Log != nil {
		fails, until, err := g.Log.LoadPINTries(ctx)
		if err != nil {
			return PINUnavailable, time.Time{}
		}
		g.fails, g.until, g.loaded = fails, until, true
	}
	if now.Before(g.until) {
		return PINLocked, g.until
	}
	if g.Hash == "" || g.Verify == nil {
		return PINNotSet, time.Time{}
	}
	ok, err := false, error(nil)
	if len(pin) >= 4 && len(pin) <= MaxPINLen && allDigits(pin) {
		ok, err = g.Verify(g.Hash, pin)
	}
	if ok && err == nil {
		if g.Log != nil && (g.fails != 0 || !g.until.IsZero()) {
			if err := g.Log.SavePINTries(ctx, 0, time.Time{}); err != nil {
				return PINUnavailable, time.Time{}
			}
		}
		g.fails, g.until = 0, time.Time{}
		return PINOK, time.Time{}
	}
	// The wrong try counts even when it cannot be saved; the exit then
	// stays closed rather than trusting a count a restart would forget.
	g.fails++
	res, until := PINWrong, time.Time{}
	if g.fails >= PINFreeTries {
		d := PINLockBase << (g.fails - PINFreeTries)
		if d > PINLockMax || d <= 0 {
			d = PINLockMax
		}
		g.until = now.Add(d)
		res, until = PINLocked, g.until
	}
	if g.Log != nil {
		if err := g.Log.SavePINTries(ctx, g.fails, g.until); err != nil {
			return PINUnavailable, time.Time{}
		}
	}
	return res, until
}
