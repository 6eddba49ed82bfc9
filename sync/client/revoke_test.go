package client_test

import (
	"context"
	"errors"
	mrand "math/rand/v2"
	"testing"
	"time"

	"github.com/motcua/motcua/sync/client"
	"github.com/motcua/motcua/sync/hub"
)

func TestARevokedDeviceStopsSyncingSaysSoAndKeepsItsData(t *testing.T) {
	th := newTestHub(t)
	s := device(t, t.TempDir(), 1)
	enrol(t, th, s)
	ctx := context.Background()
	r := mrand.New(mrand.NewPCG(9, 9))
	first, _ := receive(t, s, r, 1, 1, 2000)
	c := client.New(s, client.Options{Backoff: fastBackoff, Wait: time.Second, Interval: 50 * time.Millisecond})
	if n, err := c.Push(ctx); err != nil || n != 1 {
		t.Fatalf("push before revocation: %d, %v", n, err)
	}
	cfg, _ := s.SyncConfig(ctx)
	if err := th.store.RevokeDevice(ctx, cfg.DeviceID); err != nil {
		t.Fatal(err)
	}
	later, _ := receive(t, s, r, 2, 1, 2000)

	// Serve stops by itself with ErrRevoked (bounded by the test's context).
	sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	if err := c.Serve(sctx); !errors.Is(err, client.ErrRevoked) {
		t.Fatalf("Serve returned %v, want ErrRevoked", err)
	}
	if _, err := c.Push(ctx); client.KindOf(err) != client.KindRevoked {
		t.Fatalf("push after revocation: %v", err)
	}
	st, err := client.Read(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if st.Online || st.LastError != client.KindRevoked || st.Pending != 2 {
		t.Fatalf("status of a revoked device: %+v", st)
	}
	// Nothing local is lost: every dossier is still here, the later ones
	// still wait in the outbox.
	for _, code := range append(first, later...) {
		if _, err := s.DossierByCode(ctx, code); err != nil {
			t.Fatalf("dossier %s after revocation: %v", code, err)
		}
	}
	// The hub holds only what came before the revocation.
	for _, code := range later {
		if _, err := th.store.Dossier(ctx, code); !errors.Is(err, hub.ErrNotFound) {
			t.Fatalf("hub has %s pushed after revocation: %v", code, err)
		}
	}
}

func TestARevokedTokenCannotEnrolADevice(t *testing.T) {
	th := newTestHub(t)
	ctx := context.Background()
	tok := th.token(hub.RoleDevice, office)
	spare := th.token(hub.RoleDevice, office)
	if err := th.store.RevokeToken(ctx, hub.TokenHash(tok), time.Now()); err != nil {
		t.Fatal(err)
	}
	if err := th.store.RevokeToken(ctx, hub.TokenHash(tok), time.Now()); !errors.Is(err, hub.ErrNotFound) {
		t.Fatalf("revoking twice: %v", err)
	}
	s := device(t, t.TempDir(), 1)
	if _, err := client.Enrol(ctx, s, th.URL(), tok, "quầy 1", nil); client.KindOf(err) != client.KindToken {
		t.Fatalf("enrol with a revoked token: %v", err)
	}
	if n, err := th.store.RevokeOfficeTokens(ctx, office, time.Now()); err != nil || n != 1 {
		t.Fatalf("revoke the office's tokens: %d, %v", n, err)
	}
	if _, err := client.Enrol(ctx, s, th.URL(), spare, "quầy 1", nil); client.KindOf(err) != client.KindToken {
		t.Fatalf("enrol with the office's revoked token: %v", err)
	}
	if cfg, _ := s.SyncConfig(ctx); cfg.Enrolled() {
		t.Fatalf("device enrolled with revoked tokens: %+v", cfg)
	}
}
