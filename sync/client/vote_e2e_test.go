package client_test

import (
	"context"
	mrand "math/rand/v2"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

// A kiosk vote without a dossier code and a vote about a dossier both reach
// a real hub once, nothing is refused, and the reviewer's dashboard counts
// both for the office.
func TestKioskVotesWithAndWithoutADossierReachTheHubOnce(t *testing.T) {
	ctx := context.Background()
	th := newTestHub(t)
	dev := device(t, t.TempDir(), 1)
	enrol(t, th, dev)
	codes, _ := receive(t, dev, mrand.New(mrand.NewPCG(6, 1)), 1, 0, 0)
	if _, err := dev.RecordVote(ctx, store.Vote{Rating: store.RatingVerySatisfied, Source: "kiosk"}); err != nil {
		t.Fatal(err)
	}
	if _, err := dev.RecordVote(ctx, store.Vote{Rating: store.RatingNotSatisfied, DossierCode: codes[0], Source: "kiosk"}); err != nil {
		t.Fatal(err)
	}
	c := client.New(dev, client.Options{Backoff: fastBackoff})
	if n, err := c.Push(ctx); err != nil || n != 3 {
		t.Fatalf("first push: %d %v", n, err)
	}
	if n, err := c.Push(ctx); err != nil || n != 0 {
		t.Fatalf("second push: %d %v", n, err)
	}
	sc, err := dev.SyncCounts(ctx)
	if err != nil || sc.Pending != 0 || len(sc.Failed) != 0 || c.Stats.Rejected.Load() != 0 {
		t.Fatalf("sync status: %+v %v (rejected %d)", sc, err, c.Stats.Rejected.Load())
	}
	pw := "Thẩm-định-2026!"
	h, err := hub.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if err := th.store.AddAccount(ctx, hub.Account{Username: "so-tu-phap", DisplayName: "Lê Thẩm Định", Role: protocol.AccountReviewer,
		Communes: []string{office}, CreatedAt: time.Now()}, h); err != nil {
		t.Fatal(err)
	}
	rv := &protocol.ReviewClient{HubURL: th.URL()}
	if _, err := rv.Login(ctx, "so-tu-phap", pw); err != nil {
		t.Fatal(err)
	}
	dash, err := rv.Dashboard(ctx, protocol.DashboardQuery{From: time.Now().Add(-48 * time.Hour), To: time.Now().Add(48 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if o := dash.Overall; o.Received != 1 || o.VotesGood != 1 || o.VotesOK != 0 || o.VotesBad != 1 {
		t.Fatalf("dashboard: %+v", dash.Overall)
	}
}
