package kiosk_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/motcua/motcua/internal/kiosk"
)

func TestTwoCountersShareTheQueueAndTheHallHearsEach(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	svcs := e.svc.Services()
	q1, err := e.CounterQueue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	q2 := kiosk.CounterQueue{Queue: q1.Queue, Counter: "2"}
	if q1.Name() != "1" {
		t.Fatalf("counter of device slot 1 is %q", q1.Name())
	}
	if _, err := q1.Recall(ctx); !errors.Is(err, kiosk.ErrNothingToRecall) {
		t.Fatalf("recall before any call: %v", err)
	}
	if _, err := q1.CallNext(ctx, ""); !errors.Is(err, kiosk.ErrQueueEmpty) {
		t.Fatalf("call on an empty queue: %v", err)
	}
	for _, s := range []string{svcs[0], svcs[1], svcs[0]} {
		if _, err := e.svc.TakeTicket(ctx, s); err != nil {
			t.Fatal(err)
		}
		e.clock.Advance(time.Second)
	}
	tests := []struct {
		name          string
		q             kiosk.CounterQueue
		service       string
		want          string
		wantHall      []string // label@counter, newest first
		waitingBefore int
	}{
		{"counter 1 calls the oldest number", q1, "", "A001", []string{"A001@1"}, 3},
		{"counter 2 calls the next one", q2, "", "B001", []string{"B001@2", "A001@1"}, 2},
		{"counter 1 calls the next of the first service", q1, svcs[0], "A002", []string{"A002@1", "B001@2"}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := tt.q.Board(ctx, tt.service)
			if err != nil || len(b.Waiting) != tt.waitingBefore {
				t.Fatalf("board before: %+v, %v", b, err)
			}
			e.clock.Advance(time.Second)
			c, err := tt.q.CallNext(ctx, tt.service)
			if err != nil || c.Label != tt.want || c.Counter != tt.q.Counter {
				t.Fatalf("call: %+v, %v; want %s", c, err, tt.want)
			}
			calls, err := e.svc.Calls(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, c := range calls {
				got = append(got, c.Label+"@"+c.Counter)
			}
			if len(got) != len(tt.wantHall) {
				t.Fatalf("hall %v, want %v", got, tt.wantHall)
			}
			for i := range got {
				if got[i] != tt.wantHall[i] {
					t.Fatalf("hall %v, want %v", got, tt.wantHall)
				}
			}
		})
	}
	// counter 2 calls its number again: it is the newest call again
	e.clock.Advance(time.Second)
	if c, err := q2.Recall(ctx); err != nil || c.Label != "B001" {
		t.Fatalf("recall: %+v, %v", c, err)
	}
	calls, _ := e.svc.Calls(ctx)
	if len(calls) != 2 || calls[0].Label != "B001" || calls[1].Label != "A002" {
		t.Fatalf("hall after a recall: %+v", calls)
	}
	b, err := q1.Board(ctx, "")
	if err != nil || b.Serving == nil || b.Serving.Label != "A002" || b.Served != 2 || len(b.Waiting) != 0 {
		t.Fatalf("counter 1's board: %+v, %v", b, err)
	}
	// the queue is read from the store: a restart keeps it
	e.reopen(t)
	calls, _ = e.svc.Calls(ctx)
	if len(calls) != 2 || calls[0].Label != "B001" {
		t.Fatalf("hall after a restart: %+v", calls)
	}
}
