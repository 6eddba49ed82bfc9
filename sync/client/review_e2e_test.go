package client_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	mrand "math/rand/v2"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

const officeB = "000.00.07.H56"

// communeDevice opens a provisioned device store of an office.
func communeDevice(t testing.TB, th *testHub, off, name string) *store.Store {
	t.Helper()
	ctx := context.Background()
	s, err := store.Open(ctx, t.TempDir(), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.SaveSettings(ctx, store.Settings{AgencyID: off, AgencyName: name, DeviceSlot: 1, Provisioned: true}, "tech"); err != nil {
		t.Fatal(err)
	}
	if _, err := client.Enrol(ctx, s, th.URL(), th.token(hub.RoleDevice, off), "quầy 1", nil); err != nil {
		t.Fatal(err)
	}
	return s
}

// Two communes receive, sync; a reviewer scoped to both sees them in its
// queues, reads a scan, asks one commune for a supplement and records the
// result at the other; each commune pulls and its dossier changes, the
// supplement's items and reason ready for form 02.
func TestTwoCommunesAndAReviewerAgainstARealHub(t *testing.T) {
	ctx := context.Background()
	th := newTestHub(t)
	if err := th.store.CreateOffice(ctx, hub.Office{Code: officeB, Name: "UBND xã Đông Anh", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	devA := communeDevice(t, th, office, "UBND phường Ba Đình")
	devB := communeDevice(t, th, officeB, "UBND xã Đông Anh")
	codesA, shasA := receive(t, devA, mrand.New(mrand.NewPCG(9, 1)), 1, 1, 64<<10)
	codesB, _ := receive(t, devB, mrand.New(mrand.NewPCG(9, 2)), 1, 0, 0)
	ca := client.New(devA, client.Options{Backoff: fastBackoff})
	cb := client.New(devB, client.Options{Backoff: fastBackoff})
	for _, c := range []*client.Client{ca, cb} {
		if n, err := c.Push(ctx); err != nil || n != 1 {
			t.Fatalf("push: %d %v", n, err)
		}
	}

	pw := "Thẩm-định-2026!"
	h, err := hub.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	if err := th.store.AddAccount(ctx, hub.Account{Username: "so-tu-phap", DisplayName: "Lê Thẩm Định", Role: protocol.AccountReviewer,
		Communes: []string{office, officeB}, CreatedAt: time.Now()}, h); err != nil {
		t.Fatal(err)
	}
	rv := &protocol.ReviewClient{HubURL: th.URL()}
	sess, err := rv.Login(ctx, "so-tu-phap", pw)
	if err != nil || len(sess.Communes) != 2 {
		t.Fatalf("login: %+v %v", sess, err)
	}
	page, err := rv.Queue(ctx, protocol.QueueQuery{Queue: protocol.QueueNew})
	if err != nil || len(page.Items) != 2 {
		t.Fatalf("queue: %+v %v", page, err)
	}
	seen := map[string]string{}
	for _, it := range page.Items {
		seen[it.Code] = it.OfficeName
	}
	if seen[codesA[0]] != "UBND phường Ba Đình" || seen[codesB[0]] != "UBND xã Đông Anh" {
		t.Fatalf("queue items: %+v", page.Items)
	}
	d, err := rv.Dossier(ctx, codesA[0])
	if err != nil || len(d.Papers) != 2 || len(d.Papers[0].Files) != 1 || d.Papers[0].Files[0].SHA256 != shasA[0] || !d.Papers[0].Files[0].Held {
		t.Fatalf("dossier A: %+v %v", d, err)
	}
	rc, err := rv.File(ctx, shasA[0])
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	if sum := sha256.Sum256(b); hex.EncodeToString(sum[:]) != shasA[0] {
		t.Fatalf("the scan read by the reviewer is not the commune's (%d bytes)", len(b))
	}

	items := []string{"Giấy chứng sinh (bản chính)", "Bản sao giấy đăng ký kết hôn của cha mẹ"}
	if _, err := rv.Decide(ctx, codesA[0], protocol.DecideRequest{Outcome: protocol.OutcomeSupplement, Items: items,
		Reason: "Hồ sơ thiếu giấy tờ theo quy định"}); err != nil {
		t.Fatal(err)
	}
	if _, err := rv.Decide(ctx, codesB[0], protocol.DecideRequest{Outcome: protocol.OutcomeAccept}); err != nil {
		t.Fatal(err)
	}
	if _, err := rv.Decide(ctx, codesB[0], protocol.DecideRequest{Outcome: protocol.OutcomeDone, Result: "Giấy khai sinh"}); err != nil {
		t.Fatal(err)
	}

	if n, err := ca.Pull(ctx, 0); err != nil || n < 1 {
		t.Fatalf("pull A: %d %v", n, err)
	}
	if n, err := cb.Pull(ctx, 0); err != nil || n < 2 {
		t.Fatalf("pull B: %d %v", n, err)
	}
	a, err := devA.DossierByCode(ctx, codesA[0])
	if err != nil || a.Status != dossier.StatusSupplement {
		t.Fatalf("commune A's dossier: %+v %v", a, err)
	}
	l, err := devA.Lifecycle(ctx, a.ID)
	if err != nil || len(l.Supplements) != 1 {
		t.Fatalf("commune A's supplement requests: %+v %v", l.Supplements, err)
	}
	sup := l.Supplements[0]
	if len(sup.Items) != 2 || sup.Items[0] != items[0] || sup.Items[1] != items[1] || sup.Reason != "Hồ sơ thiếu giấy tờ theo quy định" ||
		sup.Actor != "hub:Lê Thẩm Định" {
		t.Fatalf("supplement at commune A: %+v", sup)
	}
	bd, err := devB.DossierByCode(ctx, codesB[0])
	if err != nil || bd.Status != dossier.StatusDone {
		t.Fatalf("commune B's dossier: %+v %v", bd, err)
	}
	hist, _ := devB.History(ctx, bd.ID)
	if last := hist[len(hist)-1]; last.Action != "decision."+protocol.OutcomeDone {
		t.Fatalf("commune B's history ends with %+v", last)
	}
	// The other commune's decision did not reach the wrong device.
	if _, err := devA.DossierByCode(ctx, codesB[0]); err == nil {
		t.Fatal("commune A holds commune B's dossier")
	}
	// The reviewer's queues follow.
	if p, _ := rv.Queue(ctx, protocol.QueueQuery{Queue: protocol.QueueSupplement}); len(p.Items) != 1 || p.Items[0].Code != codesA[0] {
		t.Fatalf("supplement queue: %+v", p)
	}
	if p, _ := rv.Queue(ctx, protocol.QueueQuery{Queue: protocol.QueueNew}); len(p.Items) != 0 {
		t.Fatalf("new queue after deciding: %+v", p)
	}
}
