package client_test

import (
	"context"
	"errors"
	mrand "math/rand/v2"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

func TestDossiersReceivedOfflineArriveExactlyOnceWithTheirScans(t *testing.T) {
	ctx := context.Background()
	th := newTestHub(t)
	dev := device(t, t.TempDir(), 1)
	enrol(t, th, dev)
	th.Down() // the office's link goes down
	codes, shas := receive(t, dev, mrand.New(mrand.NewPCG(1, 1)), 12, 2, 300<<10)

	c := client.New(dev, client.Options{Backoff: fastBackoff, Chunk: 256 << 10})
	if _, err := c.Push(ctx); client.KindOf(err) != client.KindOffline {
		t.Fatalf("push with the hub down: %v, want an offline error", err)
	}
	st, _ := client.Read(ctx, dev)
	if st.Pending != 12 || st.PendingBytes < 12*2*300<<10 {
		t.Fatalf("waiting: %d events, %d bytes", st.Pending, st.PendingBytes)
	}

	th.Up()
	n, err := c.Push(ctx)
	if err != nil || n != 12 {
		t.Fatalf("push: %d, %v", n, err)
	}
	if n, err := c.Push(ctx); err != nil || n != 0 {
		t.Fatalf("second push: %d, %v; want nothing left", n, err)
	}
	rv := th.reviewer()
	list, err := rv.List(ctx, office, 0, false, 100)
	if err != nil || len(list) != 12 {
		t.Fatalf("hub holds %d dossiers (%v), want 12", len(list), err)
	}
	for _, code := range codes {
		d, err := rv.Show(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Events) != 1 || d.Files != 2 || d.FilesHeld != 2 {
			t.Fatalf("%s: %d events, %d/%d files", code, len(d.Events), d.FilesHeld, d.Files)
		}
	}
	for _, sha := range shas {
		if got := hubFileSHA(th, sha); got != sha {
			t.Fatalf("hub file %s hashes to %q", sha, got)
		}
	}
	st, _ = client.Read(ctx, dev)
	if st.Pending != 0 || st.PendingBytes != 0 {
		t.Fatalf("after push: %d events, %d bytes waiting", st.Pending, st.PendingBytes)
	}
	if c.Stats.Uploads.Load() != 24 {
		t.Fatalf("%d uploads, want 24", c.Stats.Uploads.Load())
	}
}

func TestADecisionOnTheHubChangesTheOfficesDossier(t *testing.T) {
	ctx := context.Background()
	th := newTestHub(t)
	dev := device(t, t.TempDir(), 1)
	enrol(t, th, dev)
	codes, _ := receive(t, dev, mrand.New(mrand.NewPCG(2, 2)), 3, 0, 0)
	c := client.New(dev, client.Options{Backoff: fastBackoff})
	if _, err := c.Push(ctx); err != nil {
		t.Fatal(err)
	}
	rv := th.reviewer()
	tests := []struct {
		name    string
		code    string
		outcome string
		status  dossier.Status
		applied bool
	}{
		{"accepting into processing moves a received dossier to processing", codes[0], protocol.OutcomeProcessing, dossier.StatusProcessing, true},
		{"refusing a received dossier closes it", codes[1], protocol.OutcomeRefused, dossier.StatusRefused, true},
		{"a result on a dossier that is not in processing is recorded and shown, not applied", codes[2], protocol.OutcomeDone, dossier.StatusReceived, false},
	}
	for _, tt := range tests {
		if _, err := rv.Decide(ctx, tt.code, protocol.DecideRequest{Outcome: tt.outcome, Note: "đã xem xét"}); err != nil {
			t.Fatalf("%s: decide: %v", tt.name, err)
		}
	}
	if n, err := c.Pull(ctx, 0); err != nil || n < 3 {
		t.Fatalf("pull: %d changes, %v", n, err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := dev.DossierByCode(ctx, tt.code)
			if err != nil {
				t.Fatal(err)
			}
			if d.Status != tt.status {
				t.Fatalf("status %d, want %d", d.Status, tt.status)
			}
			hist, _ := dev.History(ctx, d.ID)
			last := hist[len(hist)-1]
			if tt.applied != (last.Action == "decision."+tt.outcome) {
				t.Fatalf("history ends with %+v", last)
			}
		})
	}
	st, _ := client.Read(ctx, dev)
	if len(st.Problems) != 1 || st.Problems[0].Dossier != codes[2] {
		t.Fatalf("problems shown: %+v", st.Problems)
	}
	// Pulling again applies nothing twice.
	if n, err := c.Pull(ctx, 0); err != nil || n != 0 {
		t.Fatalf("second pull: %d, %v", n, err)
	}
}

func TestASecondCounterFindsTheFirstCountersDossiers(t *testing.T) {
	ctx := context.Background()
	th := newTestHub(t)
	one, two := device(t, t.TempDir(), 1), device(t, t.TempDir(), 2)
	enrol(t, th, one)
	enrol(t, th, two)
	c1 := client.New(one, client.Options{Backoff: fastBackoff})
	c2 := client.New(two, client.Options{Backoff: fastBackoff})
	// The second counter is already waiting on the feed when the first pushes.
	got := make(chan error, 1)
	go func() {
		n, err := c2.Pull(ctx, 10*time.Second)
		if err == nil && n == 0 {
			err = errors.New("long-poll returned nothing")
		}
		got <- err
	}()
	codes, _ := receive(t, one, mrand.New(mrand.NewPCG(3, 3)), 4, 0, 0)
	if _, err := c1.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-got; err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Pull(ctx, 0); err != nil {
		t.Fatal(err)
	}
	for _, code := range codes {
		d, err := two.DossierByCode(ctx, code)
		if err != nil {
			t.Fatalf("second counter does not find %s: %v", code, err)
		}
		if len(d.Papers) != 2 {
			t.Fatalf("%s has %d papers", code, len(d.Papers))
		}
	}
	page, err := two.List(ctx, dossier.Query{Text: names[0][:6]})
	if err != nil {
		t.Fatal(err)
	}
	_ = page
	// The first counter does not receive its own dossiers back.
	if _, err := c1.Pull(ctx, 0); err != nil {
		t.Fatal(err)
	}
	n, _ := one.SyncCounts(ctx)
	if n.Remote != 0 {
		t.Fatalf("first counter recorded %d of its own dossiers as remote", n.Remote)
	}
}

func TestAnEventTheHubCanNeverAcceptIsStoppedAndShown(t *testing.T) {
	ctx := context.Background()
	th := newTestHub(t)
	if err := th.store.CreateOffice(ctx, hub.Office{Code: "000.00.07.H56", Name: "UBND xã khác", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	dev := device(t, t.TempDir(), 1) // provisioned for office, enrolled for the other one
	if _, err := client.Enrol(ctx, dev, th.URL(), th.token(hub.RoleDevice, "000.00.07.H56"), "", nil); err != nil {
		t.Fatal(err)
	}
	receive(t, dev, mrand.New(mrand.NewPCG(4, 4)), 2, 0, 0)
	c := client.New(dev, client.Options{Backoff: fastBackoff})
	if n, err := c.Push(ctx); err != nil || n != 0 {
		t.Fatalf("push: %d, %v", n, err)
	}
	st, _ := client.Read(ctx, dev)
	if len(st.Failed) != 2 || st.Failed[0].Code != protocol.ErrForbidden {
		t.Fatalf("failed events shown: %+v", st.Failed)
	}
	// Not retried: the next push sends nothing.
	before := c.Stats.Requests.Load()
	if _, err := c.Push(ctx); err != nil || c.Stats.Requests.Load() != before {
		t.Fatalf("stopped events were sent again (%v)", err)
	}
}

func TestAnAnswerThatIsNotTheHubIsNotSuccess(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    client.Kind
	}{
		{"a Wi-Fi login page answering 200 with HTML", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte("<html><body>Đăng nhập Wi-Fi</body></html>"))
		}, client.KindPortal},
		{"a gateway answering 502", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusBadGateway)
		}, client.KindServer},
		{"a server answering 500 with JSON", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(500)
			w.Write([]byte(`{"code":"internal","message":"x"}`))
		}, client.KindServer},
		{"a JSON 200 cut in the middle", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"results":[{"uuid":`))
		}, client.KindOffline},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			th := newTestHub(t)
			dev := device(t, t.TempDir(), 1)
			enrol(t, th, dev)
			receive(t, dev, mrand.New(mrand.NewPCG(5, 5)), 1, 0, 0)
			fake := httptest.NewServer(tt.handler)
			defer fake.Close()
			if _, err := dev.UpdateSync(ctx, "t", func(c *store.SyncConfig) { c.HubURL = fake.URL }); err != nil {
				t.Fatal(err)
			}
			c := client.New(dev, client.Options{Backoff: fastBackoff})
			_, err := c.Push(ctx)
			if client.KindOf(err) != tt.want {
				t.Fatalf("push: %v, want kind %s", err, tt.want)
			}
			st, _ := client.Read(ctx, dev)
			if st.Pending != 1 {
				t.Fatalf("%d pending, want the event kept", st.Pending)
			}
		})
	}
}

func TestServePushesAfterNotifyAndStopsOnCancel(t *testing.T) {
	th := newTestHub(t)
	one, two := device(t, t.TempDir(), 1), device(t, t.TempDir(), 2)
	enrol(t, th, one)
	enrol(t, th, two)
	ctx, cancel := context.WithCancel(context.Background())
	c1 := client.New(one, client.Options{Backoff: fastBackoff, Wait: time.Second})
	done := make(chan error, 1)
	go func() { done <- c1.Serve(ctx) }()
	codes, _ := receive(t, one, mrand.New(mrand.NewPCG(6, 6)), 1, 0, 0)
	c1.Notify()
	// The second counter long-polls until the dossier shows up.
	c2 := client.New(two, client.Options{Backoff: fastBackoff})
	for {
		if _, err := c2.Pull(context.Background(), 5*time.Second); err != nil {
			t.Fatal(err)
		}
		if _, err := two.DossierByCode(context.Background(), codes[0]); err == nil {
			break
		}
	}
	// The hub has the dossier; Serve records the success just after the
	// hub's answer, so wait for that record (bounded) before cancelling.
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		if st, _ := client.Read(context.Background(), one); !st.LastSuccess.IsZero() && st.Pending == 0 {
			break
		}
		runtime.Gosched()
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Serve returned %v", err)
	}
	st, _ := client.Read(context.Background(), one)
	if !st.Online || st.Pending != 0 || st.LastSuccess.IsZero() {
		t.Fatalf("status after serving: %+v", st)
	}
}
