package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

func TestEventsAreAppliedExactlyOnceAndInOrderPerDossier(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		e := newEnv(t, st)
		code := officeA + "-261123-1001"
		first := received(code)
		second, third := later(code, 2, 4), later(code, 3, 5)
		steps := []struct {
			name   string
			by     dev
			ev     protocol.Event
			status string
			expect int
			code   string
		}{
			{"the first event of a dossier is applied", e.a, first, protocol.Applied, 0, ""},
			{"the same event again is acknowledged as a duplicate", e.a, first, protocol.Duplicate, 0, ""},
			{"an event after a missing one is a gap that names the missing sequence", e.a, third, protocol.Gap, 2, ""},
			{"the missing event is applied", e.a, second, protocol.Applied, 0, ""},
			{"then the one that waited is applied", e.a, third, protocol.Applied, 0, ""},
			{"another event claiming a used sequence is rejected", e.a, later(code, 2, 9), protocol.Rejected, 0, protocol.ErrConflict},
			{"a used UUID on another dossier is rejected", e.a, func() protocol.Event { x := received(officeA + "-261123-1002"); x.UUID = first.UUID; return x }(), protocol.Rejected, 0, protocol.ErrConflict},
			{"a dossier that does not start with its reception is rejected", e.a, later(officeA+"-261123-1003", 1, 4), protocol.Rejected, 0, protocol.ErrBadRequest},
			{"a device cannot push another office's dossier", e.b, later(code, 4, 9), protocol.Rejected, 0, protocol.ErrForbidden},
			{"a device cannot create a dossier in another office", e.b, received(officeA + "-261123-2001"), protocol.Rejected, 0, protocol.ErrForbidden},
			{"a payload whose code differs from the event's is rejected", e.a, func() protocol.Event {
				x := received(officeA + "-261123-1004")
				x.Dossier = officeA + "-261123-1005"
				return x
			}(), protocol.Rejected, 0, protocol.ErrBadRequest},
			{"an event without a UUID is rejected", e.a, func() protocol.Event { x := received(officeA + "-261123-1006"); x.UUID = "x"; return x }(), protocol.Rejected, 0, protocol.ErrBadRequest},
		}
		for _, s := range steps {
			res := e.push(s.by, s.ev)
			if len(res) != 1 || res[0].Status != s.status || res[0].Expect != s.expect || res[0].Code != s.code {
				t.Fatalf("%s: got %+v", s.name, res)
			}
		}
		d, err := st.Dossier(context.Background(), code)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Events) != 3 || d.Status != 5 {
			t.Fatalf("hub holds %d events, status %d; want 3, 5", len(d.Events), d.Status)
		}
		cs, _ := st.Feed(context.Background(), officeA, 0, 100)
		if len(cs) != 3 {
			t.Fatalf("feed has %d changes, want 3", len(cs))
		}
		if other, _ := st.Feed(context.Background(), officeB, 0, 100); len(other) != 0 {
			t.Fatalf("office B sees %d of A's changes", len(other))
		}
	})
}

func TestConcurrentPushesOfTheSameBatchApplyEachEventOnce(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		e := newEnv(t, st)
		var evs []protocol.Event
		for i := range 50 {
			code := fmt.Sprintf("%s-261123-%04d", officeA, 1000+i)
			evs = append(evs, received(code))
		}
		var wg sync.WaitGroup
		results := make([][]protocol.Result, 6)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i] = e.push(e.a, evs...)
			}()
		}
		wg.Wait()
		applied := map[string]int{}
		for _, rs := range results {
			for _, r := range rs {
				if r.Status == protocol.Applied {
					applied[r.UUID]++
				} else if r.Status != protocol.Duplicate {
					t.Fatalf("unexpected result %+v", r)
				}
			}
		}
		if len(applied) != 50 {
			t.Fatalf("%d events applied, want 50", len(applied))
		}
		for u, n := range applied {
			if n != 1 {
				t.Fatalf("%s applied %d times", u, n)
			}
		}
		list, _ := st.ListDossiers(context.Background(), hub.ReviewFilter{Office: officeA, Limit: 1000, Now: e.clk.Now()})
		cs, _ := st.Feed(context.Background(), officeA, 0, 1000)
		if len(list) != 50 || len(cs) != 50 {
			t.Fatalf("%d dossiers, %d changes; want 50 each", len(list), len(cs))
		}
	})
}

func TestTheFeedLongPollWakesOnAChangeOfItsOfficeOnly(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		e := newEnv(t, st)
		e.push(e.a, received(officeA+"-261123-1001"))
		got := make(chan protocol.FeedResponse, 1)
		go func() {
			resp, b := e.do(e.req(&e.a, "GET", protocol.PathFeed+"?after=1&wait=5", nil, nil))
			var fr protocol.FeedResponse
			if resp.StatusCode == 200 {
				json.Unmarshal(b, &fr)
			}
			got <- fr
		}()
		// B's push does not wake A's poll; A's own second dossier does.
		e.push(e.b, received(officeB+"-261123-1001"))
		waitPolling(t, e, 1)
		e.push(e.a, received(officeA+"-261123-1002"))
		fr := <-got
		if len(fr.Changes) != 1 || fr.Changes[0].Dossier != officeA+"-261123-1002" || fr.Cursor != fr.Changes[0].Cursor {
			t.Fatalf("long-poll answered %+v", fr)
		}
		// Nothing new: an immediate answer with the same cursor.
		resp, b := e.do(e.req(&e.a, "GET", protocol.PathFeed+"?after="+itoa(fr.Cursor), nil, nil))
		var again protocol.FeedResponse
		json.Unmarshal(b, &again)
		if resp.StatusCode != 200 || len(again.Changes) != 0 || again.Cursor != fr.Cursor {
			t.Fatalf("feed after the cursor: %d %s", resp.StatusCode, b)
		}
	})
}

// waitPolling waits until n long-polls are parked on the hub, reading its
// metrics (the poll registers before it parks).
func waitPolling(t *testing.T, e *env, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		_, b := e.do(e.req(nil, "GET", protocol.PathMetrics, nil, nil))
		if strings.Contains(string(b), "motcua_hub_feed_waiting "+itoa(int64(n))+"\n") {
			return
		}
		// Yield to the server goroutines; each metrics request is a round trip.
	}
	t.Fatalf("no long-poll parked")
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return string(b)
}
