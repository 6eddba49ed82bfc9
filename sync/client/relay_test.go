package client_test

import (
	"context"
	"errors"
	mrand "math/rand/v2"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/motcua/motcua/assets"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

// officeRelay is a hub serving the office on loopback, enrolled with the
// provincial hub as a relay.
type officeRelay struct {
	srv   *hub.Server
	st    hub.Store
	url   string
	relay *hub.Relay
}

func newOfficeRelay(t *testing.T, th *testHub, upstream string) *officeRelay {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := hub.OpenSQLite(ctx, filepath.Join(dir, "hub.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	srv, err := hub.NewServer(hub.Options{Store: st, Dir: dir, MaxWait: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	cfg, err := hub.RelayEnrol(ctx, srv, upstream, th.token(hub.RoleRelay, office), "máy chủ văn phòng", nil)
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Office != office {
		t.Fatalf("relay enrolled for %q", cfg.Office)
	}
	r, err := hub.NewRelay(ctx, srv, client.Options{Backoff: fastBackoff, Wait: time.Second, Interval: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	return &officeRelay{srv: srv, st: st, url: hs.URL, relay: r}
}

// enrolAt enrols a device store with the office relay.
func (or *officeRelay) enrolAt(t *testing.T, s *store.Store) {
	t.Helper()
	tok, err := hub.NewToken(context.Background(), or.st, office, hub.RoleDevice, time.Now().Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.Enrol(context.Background(), s, or.url, tok, "quầy", nil); err != nil {
		t.Fatal(err)
	}
}

func TestAnOfficeRelayKeepsCountersTogetherOfflineAndForwardsEverythingOnceWhenTheLinkReturns(t *testing.T) {
	ctx := context.Background()
	th := newTestHub(t)
	// The relay reaches the province through a proxy that drops, delays,
	// duplicates and cuts requests and answers once the link is back.
	proxy := newFaultProxy(t, th.URL, 7, 0.3)
	proxy.disabled.Store(true)
	or := newOfficeRelay(t, th, proxy.URL())
	one, two := device(t, t.TempDir(), 1), device(t, t.TempDir(), 2)
	or.enrolAt(t, one)
	or.enrolAt(t, two)
	c1 := client.New(one, client.Options{Backoff: fastBackoff})
	c2 := client.New(two, client.Options{Backoff: fastBackoff})

	// The internet link is down: the province cannot be reached.
	th.Down()
	codes, shas := receive(t, one, mrand.New(mrand.NewPCG(8, 8)), 3, 2, 40_000)
	d0, _ := one.DossierByCode(ctx, codes[0])
	if _, err := one.Apply(ctx, d0.ID, dossier.Change{Action: dossier.ActionStart, From: dossier.StatusReceived, Actor: "canbo"}); err != nil {
		t.Fatal(err)
	}
	if n, err := c1.Push(ctx); err != nil || n != 4 {
		t.Fatalf("push to the relay: %d, %v", n, err)
	}
	if _, err := c2.Pull(ctx, 0); err != nil {
		t.Fatal(err)
	}
	for _, code := range codes {
		if _, err := two.DossierByCode(ctx, code); err != nil {
			t.Fatalf("the second counter does not see %s while the link is down: %v", code, err)
		}
	}
	if r0, _ := two.DossierByCode(ctx, codes[0]); r0.Status != dossier.StatusProcessing {
		t.Fatalf("the second counter sees status %d", r0.Status)
	}
	up := or.relay.Upstream()
	if _, err := up.Push(ctx); client.KindOf(err) != client.KindOffline {
		t.Fatalf("relay push with the link down: %v", err)
	}
	rs, _ := hub.ReadRelayStatus(ctx, or.srv)
	if rs.Pending != 4 {
		t.Fatalf("relay waiting %d events", rs.Pending)
	}

	// The link comes back, unreliable: the relay's own loop forwards
	// everything, each event once.
	th.Up()
	proxy.disabled.Store(false)
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- or.relay.Serve(sctx) }()
	for deadline := time.Now().Add(20 * time.Second); ; {
		rs, _ := hub.ReadRelayStatus(ctx, or.srv)
		if rs.Pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("relay still has %d events after 20 s", rs.Pending)
		}
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	if err := <-served; !errors.Is(err, context.Canceled) {
		t.Fatalf("relay Serve: %v", err)
	}
	proxy.disabled.Store(true)
	t.Logf("relay forwarded through faults %v: %d requests, %d retries, %d duplicates acknowledged, %d resumes",
		proxy.Counts(), up.Stats.Requests.Load(), up.Stats.Retries.Load(), up.Stats.Duplicates.Load(), up.Stats.Resumes.Load())
	if n, err := up.Push(ctx); err != nil || n != 0 {
		t.Fatalf("a second forward sent %d events, %v", n, err)
	}
	rv := th.reviewer()
	for i, code := range codes {
		d, err := rv.Show(ctx, code)
		if err != nil {
			t.Fatalf("province lacks %s: %v", code, err)
		}
		want := 1
		if i == 0 {
			want = 2
		}
		if len(d.Events) != want {
			t.Fatalf("%s has %d events at the province, want %d", code, len(d.Events), want)
		}
	}
	for _, sha := range shas {
		if hubFileSHA(th, sha) != sha {
			t.Fatalf("file %s missing or different at the province", sha)
		}
	}

	// The province decides and publishes; the relay passes both on, and the
	// counters see them through the relay.
	if _, err := rv.Decide(ctx, codes[1], protocol.DecideRequest{Outcome: "processing"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := th.store.Publish(ctx, protocol.Publication{Kind: protocol.ChangeCatalog, Key: "catalog",
		Data: assets.MustRead("catalog/default.json"), By: "kythuat", At: time.Now()}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second pull repeats nothing
		if _, err := up.Pull(ctx, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := c1.Pull(ctx, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := c2.Pull(ctx, 0); err != nil {
			t.Fatal(err)
		}
	}
	if d1, _ := one.DossierByCode(ctx, codes[1]); d1.Status != dossier.StatusProcessing {
		t.Fatalf("the province's decision did not reach the office: status %d", d1.Status)
	}
	if c1.Stats.Decisions.Load() != 1 {
		t.Fatalf("decisions applied on the first counter: %d", c1.Stats.Decisions.Load())
	}
	if cats, _ := two.SyncedItems(ctx, store.ItemCatalog); len(cats) != 1 {
		t.Fatalf("the catalog did not reach the second counter: %d", len(cats))
	}
	// The province holds each dossier once and nothing else of the office.
	list, err := rv.List(ctx, office, 0, false, 100)
	if err != nil || len(list) != 3 {
		t.Fatalf("province lists %d dossiers, %v", len(list), err)
	}
}
