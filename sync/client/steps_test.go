package client_test

import (
	"context"
	"encoding/json"
	mrand "math/rand/v2"
	"testing"

	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/store"
	"github.com/motcua/motcua/sync/client"
)

func TestEveryCounterSeesTheLaterStatusOfAnotherCountersDossier(t *testing.T) {
	ctx := context.Background()
	th := newTestHub(t)
	one, two := device(t, t.TempDir(), 1), device(t, t.TempDir(), 2)
	enrol(t, th, one)
	enrol(t, th, two)
	c1 := client.New(one, client.Options{Backoff: fastBackoff})
	c2 := client.New(two, client.Options{Backoff: fastBackoff})
	codes, _ := receive(t, one, mrand.New(mrand.NewPCG(4, 4)), 2, 0, 0)
	if _, err := c1.Push(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c2.Pull(ctx, 0); err != nil {
		t.Fatal(err)
	}
	// The first counter starts processing and records the result of the
	// first dossier, refuses the second; the second counter follows.
	d0, _ := one.DossierByCode(ctx, codes[0])
	d1, _ := one.DossierByCode(ctx, codes[1])
	steps := []struct {
		id int64
		ch dossier.Change
	}{
		{d0.ID, dossier.Change{Action: dossier.ActionStart, From: dossier.StatusReceived, Actor: "canbo"}},
		{d0.ID, dossier.Change{Action: dossier.ActionResult, From: dossier.StatusProcessing, Actor: "canbo", Note: "Đã cấp giấy khai sinh"}},
		{d1.ID, dossier.Change{Action: dossier.ActionRefuse, From: dossier.StatusReceived, Actor: "canbo", Note: "Không thuộc thẩm quyền"}},
	}
	for _, s := range steps {
		if _, err := one.Apply(ctx, s.id, s.ch); err != nil {
			t.Fatalf("%s: %v", s.ch.Action, err)
		}
	}
	if _, err := c1.Push(ctx); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second pull repeats nothing
		if _, err := c2.Pull(ctx, 0); err != nil {
			t.Fatal(err)
		}
		if _, err := two.UpdateSync(ctx, "test", func(c *store.SyncConfig) { c.Cursor = 0 }); err != nil {
			t.Fatal(err)
		}
	}
	if got := c2.Stats.Steps.Load(); got != 3 {
		t.Fatalf("second counter applied %d steps, want 3", got)
	}
	r0, err := two.DossierByCode(ctx, codes[0])
	if err != nil {
		t.Fatal(err)
	}
	r1, _ := two.DossierByCode(ctx, codes[1])
	if r0.Status != dossier.StatusDone || r1.Status != dossier.StatusRefused {
		t.Fatalf("second counter sees statuses %d and %d, want %d and %d", r0.Status, r1.Status, dossier.StatusDone, dossier.StatusRefused)
	}
	h, err := two.History(ctx, r0.ID)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range h {
		actions = append(actions, e.Action)
	}
	if len(h) != 3 || h[1].Action != "start" || h[2].Action != "result" || h[2].Note != "Đã cấp giấy khai sinh" || h[2].Actor != "canbo" {
		t.Fatalf("history on the second counter: %v (%+v)", actions, h)
	}
	// The second counter sends nothing for steps that are not its own.
	if n, _ := two.SyncCounts(ctx); n.Pending != 0 {
		t.Fatalf("second counter has %d events to send", n.Pending)
	}
	// The first counter does not apply its own steps twice.
	if _, err := c1.Pull(ctx, 0); err != nil {
		t.Fatal(err)
	}
	if c1.Stats.Steps.Load() != 0 {
		t.Fatalf("first counter applied %d of its own steps", c1.Stats.Steps.Load())
	}
}

func TestAStepThatArrivesOutOfOrderOrCannotApplyIsKeptNotApplied(t *testing.T) {
	ctx := context.Background()
	th := newTestHub(t)
	one, two := device(t, t.TempDir(), 1), device(t, t.TempDir(), 2)
	enrol(t, th, one)
	enrol(t, th, two)
	codes, _ := receive(t, one, mrand.New(mrand.NewPCG(5, 5)), 1, 0, 0)
	if _, err := client.New(one, client.Options{Backoff: fastBackoff}).Push(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := client.New(two, client.Options{Backoff: fastBackoff}).Pull(ctx, 0); err != nil {
		t.Fatal(err)
	}
	step := func(to int) json.RawMessage {
		b, _ := json.Marshal(map[string]any{"code": codes[0], "action": "result", "from": 4, "to": to, "actor": "canbo"})
		return b
	}
	tests := []struct {
		name    string
		ev      store.RemoteEvent
		applied bool
	}{
		{"a move the lifecycle forbids is kept", store.RemoteEvent{UUID: "00000000-0000-7000-8000-000000000002", Dossier: codes[0], Seq: 2,
			Kind: store.KindStatus, Payload: step(10), Origin: "d-1"}, false},
		{"a step whose predecessor is missing is kept", store.RemoteEvent{UUID: "00000000-0000-7000-8000-000000000005", Dossier: codes[0], Seq: 5,
			Kind: store.KindStatus, Payload: step(9), Origin: "d-1"}, false},
		{"a step of a dossier not here is kept", store.RemoteEvent{UUID: "00000000-0000-7000-8000-000000000004", Dossier: "000.00.06.H56-261123-9999", Seq: 2,
			Kind: store.KindStatus, Payload: step(9), Origin: "d-1"}, false},
		{"the same event again changes nothing", store.RemoteEvent{UUID: "00000000-0000-7000-8000-000000000002", Dossier: codes[0], Seq: 2,
			Kind: store.KindStatus, Payload: step(4), Origin: "d-1"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			applied, err := two.ApplyRemoteEvent(ctx, tt.ev)
			if err != nil || applied != tt.applied {
				t.Fatalf("applied %v, %v", applied, err)
			}
		})
	}
	d, _ := two.DossierByCode(ctx, codes[0])
	if d.Status != dossier.StatusReceived {
		t.Fatalf("status became %d", d.Status)
	}
	// What was not applied is shown with the decisions' problems.
	n, err := two.SyncCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(n.Problems) != 3 {
		t.Fatalf("problems shown: %+v", n.Problems)
	}
}
