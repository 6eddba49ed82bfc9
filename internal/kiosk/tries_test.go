package kiosk_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/kiosk"
)

// reopen closes the kiosk's data directory and opens it again, as a restart
// (or a power cut and a reboot) of the kiosk does, with a fresh Service.
func (e *env) reopen(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	dir := e.Dir
	if err := e.Env.Close(); err != nil {
		t.Fatal(err)
	}
	ne, err := wire.Open(ctx, dir, wire.Options{
		Now:    e.clock.Now,
		Params: &auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ne.Close() })
	e.Env = ne
	if e.svc, _, err = ne.Kiosk(ctx); err != nil {
		t.Fatal(err)
	}
}

func TestWrongTriesSurviveARestart(t *testing.T) {
	ctx := context.Background()
	code := func(e *env) string { return e.ready.Code.String() }

	t.Run("two wrong tries, a restart, then the third wrong try locks the code", func(t *testing.T) {
		e := newEnv(t)
		for i, left := range []int{2, 1} {
			var wrong *kiosk.WrongDigitsError
			if _, err := e.svc.Confirm(ctx, code(e), "0000"); !errors.As(err, &wrong) || wrong.Left != left {
				t.Fatalf("wrong try %d: %v, want %d left", i+1, err, left)
			}
		}
		e.reopen(t)
		if _, err := e.svc.Lookup(ctx, code(e)); err != nil {
			t.Fatalf("lookup after restart: %v", err)
		}
		if _, err := e.svc.Confirm(ctx, code(e), "0000"); !errors.Is(err, kiosk.ErrLocked) {
			t.Fatalf("third wrong try after a restart: %v, want ErrLocked (the restart gave fresh tries)", err)
		}
		e.reopen(t)
		if _, err := e.svc.Confirm(ctx, code(e), "2345"); !errors.Is(err, kiosk.ErrLocked) {
			t.Fatalf("right digits after a restart while locked: %v, want ErrLocked", err)
		}
		if _, err := e.svc.Lookup(ctx, code(e)); !errors.Is(err, kiosk.ErrLocked) {
			t.Fatalf("lookup after a restart while locked: %v, want ErrLocked", err)
		}
		e.clock.Advance(kiosk.LockFor)
		e.reopen(t)
		if _, err := e.svc.Confirm(ctx, code(e), "2345"); err != nil {
			t.Fatalf("right digits once the lock has passed: %v", err)
		}
	})

	t.Run("a right confirmation clears the code's counter on disk", func(t *testing.T) {
		e := newEnv(t)
		if _, err := e.svc.Confirm(ctx, code(e), "0000"); !errors.Is(err, kiosk.ErrWrongDigits) {
			t.Fatal(err)
		}
		if _, err := e.svc.Confirm(ctx, code(e), "5678"); err != nil { // last 4 of the phone
			t.Fatal(err)
		}
		e.reopen(t)
		var wrong *kiosk.WrongDigitsError
		if _, err := e.svc.Confirm(ctx, code(e), "0000"); !errors.As(err, &wrong) || wrong.Left != kiosk.MaxTries-1 {
			t.Fatalf("first wrong try after a success and a restart: %v, want %d left", err, kiosk.MaxTries-1)
		}
		tries, _, err := e.Store.KioskTries(ctx, time.Time{})
		if err != nil || len(tries) != 1 || tries[0].Fails != 1 || tries[0].Code != code(e) {
			t.Fatalf("stored counters %+v, %v", tries, err)
		}
	})

	t.Run("the kiosk-wide limit survives a restart", func(t *testing.T) {
		e := newEnv(t)
		var codes []string // two wrong tries each: none is locked on its own
		for i := 0; i < kiosk.GlobalMaxFailures/2; i++ {
			codes = append(codes, e.seed(t, "Phạm Văn Cường", "001090000111", "0900000111", dossier.StatusDone).Code.String())
		}
		for i := 0; i < kiosk.GlobalMaxFailures; i++ {
			if _, err := e.svc.Confirm(ctx, codes[i/2], "0000"); !errors.Is(err, kiosk.ErrWrongDigits) {
				t.Fatalf("wrong try %d: %v", i+1, err)
			}
			e.clock.Advance(time.Second)
		}
		e.reopen(t)
		if _, err := e.svc.Lookup(ctx, e.noContact.Code.String()); !errors.Is(err, kiosk.ErrLocked) {
			t.Fatalf("lookup of a third code after %d failures and a restart: %v, want ErrLocked", kiosk.GlobalMaxFailures, err)
		}
		e.clock.Advance(kiosk.GlobalWindow)
		e.reopen(t)
		if _, err := e.svc.Lookup(ctx, e.noContact.Code.String()); err != nil {
			t.Fatalf("lookup once the window has passed: %v", err)
		}
		_, fails, err := e.Store.KioskTries(ctx, time.Time{})
		if err != nil || len(fails) != kiosk.GlobalMaxFailures {
			t.Fatalf("stored failures %d, %v", len(fails), err)
		}
		// the next wrong try prunes what aged out, on disk too
		if _, err := e.svc.Confirm(ctx, e.ready.Code.String(), "0000"); !errors.Is(err, kiosk.ErrWrongDigits) {
			t.Fatal(err)
		}
		tries, fails, err := e.Store.KioskTries(ctx, time.Time{})
		if err != nil || len(fails) != 1 || len(tries) != 1 {
			t.Fatalf("after pruning: %d failures, counters %+v, %v", len(fails), tries, err)
		}
	})

	t.Run("a kiosk that cannot read its counters takes no tries", func(t *testing.T) {
		e := newEnv(t)
		e.Env.Close() // the store is gone under the service
		if _, err := e.svc.Confirm(ctx, code(e), "2345"); !errors.Is(err, kiosk.ErrUnavailable) {
			t.Fatalf("confirm with an unreadable store: %v, want ErrUnavailable", err)
		}
	})
}

// The exit PIN's rate limit is kept in the store too: a restart does not
// reopen a locked exit nor give fresh tries (migration 0010).
func TestPINTriesSurviveARestart(t *testing.T) {
	e := newEnv(t)
	params := &auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	hash, err := params.Hash("2468")
	if err != nil {
		t.Fatal(err)
	}
	gate := func() *kiosk.PINGate { // a fresh gate on the (re)opened store, as app/kiosk.go builds it
		return &kiosk.PINGate{Hash: hash, Verify: auth.VerifyPassword, Now: e.clock.Now, Log: e.Store}
	}
	g := gate()
	for i := 1; i < kiosk.PINFreeTries; i++ {
		if res, _ := g.Check("0000"); res != kiosk.PINWrong {
			t.Fatalf("wrong PIN %d: %v, want PINWrong", i, res)
		}
	}
	e.reopen(t)
	g = gate()
	res, until := g.Check("1111")
	if res != kiosk.PINLocked || !until.Equal(e.clock.Now().Add(kiosk.PINLockBase)) {
		t.Fatalf("wrong PIN %d after a restart: %v until %v, want locked for %v (the restart gave fresh tries)",
			kiosk.PINFreeTries, res, until, kiosk.PINLockBase)
	}
	e.reopen(t)
	g = gate()
	if res, got := g.Check("2468"); res != kiosk.PINLocked || !got.Equal(until) {
		t.Fatalf("right PIN after a restart while locked: %v until %v, want PINLocked until %v", res, got, until)
	}
	e.clock.Advance(kiosk.PINLockBase)
	e.reopen(t)
	g = gate()
	// The lock has expired but the count has not: the next wrong PIN locks
	// again, for twice as long.
	if res, got := g.Check("0000"); res != kiosk.PINLocked || !got.Equal(e.clock.Now().Add(2*kiosk.PINLockBase)) {
		t.Fatalf("wrong PIN after the lock expired: %v until %v, want locked for %v", res, got, 2*kiosk.PINLockBase)
	}
	e.clock.Advance(2 * kiosk.PINLockBase)
	e.reopen(t)
	g = gate()
	if res, _ := g.Check("2468"); res != kiosk.PINOK {
		t.Fatalf("right PIN once the lock has passed: %v, want PINOK", res)
	}
	ctx := context.Background()
	if fails, until, err := e.Store.LoadPINTries(ctx); err != nil || fails != 0 || !until.IsZero() {
		t.Fatalf("stored PIN counter after a right PIN: %d, %v, %v; want cleared", fails, until, err)
	}
	e.reopen(t)
	g = gate()
	if res, _ := g.Check("0000"); res != kiosk.PINWrong {
		t.Fatalf("first wrong PIN after a right one and a restart: %v, want PINWrong", res)
	}
	if fails, _, err := e.Store.LoadPINTries(ctx); err != nil || fails != 1 {
		t.Fatalf("stored PIN counter: %d, %v; want 1", fails, err)
	}
}
