package kiosk

import (
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

	mu    sync.Mutex
	fails int
	until time.Time
}

// PINResult is the outcome of Check.
type PINResult int

const (
	PINOK     PINResult = iota
	PINWrong            // wrong PIN, try again
	PINLocked           // too many wrong PINs: wait (see the returned time)
	PINNotSet           // no PIN configured
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
		g.fails = 0
		return PINOK, time.Time{}
	}
	g.fails++
	if g.fails >= PINFreeTries {
		d := PINLockBase << (g.fails - PINFreeTries)
		if d > PINLockMax || d <= 0 {
			d = PINLockMax
		}
		g.until = now.Add(d)
		return PINLocked, g.until
	}
	return PINWrong, time.Time{}
}
