package hub_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

// officeVote is a satisfaction vote as internal/store RecordVote queues it
// when no dossier is known: no dossier, sequence 1, "at" in Unix ms.
func officeVote(rating int, at time.Time) protocol.Event {
	return protocol.Event{UUID: newUUID(), Seq: 1, Kind: "satisfaction.vote", CreatedAt: at,
		Payload: json.RawMessage(fmt.Sprintf(`{"vote_id":7,"at":%d,"rating":%d,"dossier_code":"","source":"kiosk"}`, at.UnixMilli(), rating))}
}

// A vote cast without a dossier is applied once, counted for the device's
// office on the day it was cast, and a second push of it is a duplicate.
func TestAVoteWithoutADossierCountsOnceForItsOffice(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		now := e.clk.Now()
		// The dashboard lists communes that received dossiers in the range.
		code := officeA + "-261123-0001"
		e.push(e.a, dossierEvent(code, "Nguyễn Văn Bình", "001190000009", "1.001193", now.Add(-2*time.Hour), now.Add(48*time.Hour)))
		good, bad := officeVote(1, now), officeVote(3, now.Add(-time.Hour))
		if r := e.push(e.a, good, bad); len(r) != 2 || r[0].Status != protocol.Applied || r[1].Status != protocol.Applied {
			t.Fatalf("first push: %+v", r)
		}
		if r := e.push(e.a, good, bad); len(r) != 2 || r[0].Status != protocol.Duplicate || r[1].Status != protocol.Duplicate {
			t.Fatalf("second push: %+v", r)
		}
		// The same UUID from another office's device is not its vote.
		if r := e.push(e.b, good); len(r) != 1 || r[0].Status != protocol.Rejected || r[0].Code != protocol.ErrConflict {
			t.Fatalf("other office: %+v", r)
		}
		// A vote that is not a vote is refused and counts nothing.
		for _, p := range []string{`{"rating":0}`, `{"rating":4}`, `{"rating":"tốt"}`, `[]`} {
			ev := officeVote(1, now)
			ev.Payload = json.RawMessage(p)
			if r := e.push(e.a, ev); len(r) != 1 || r[0].Status != protocol.Rejected || r[0].Code != protocol.ErrBadRequest {
				t.Fatalf("%s: %+v", p, r)
			}
		}
		e.addAccount("xa", protocol.AccountReviewer, officeA)
		c := e.login("xa")
		q := protocol.DashboardQuery{From: now.Add(-24 * time.Hour), To: now.Add(24 * time.Hour)}
		dash, err := c.Dashboard(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if o := dash.Overall; o.VotesGood != 1 || o.VotesOK != 0 || o.VotesBad != 1 || o.Received != 1 {
			t.Fatalf("dashboard: %+v", dash)
		}
		// A long period reads today's whole week from the weekly rollup, and
		// a rebuilt rollup keeps the votes.
		long := protocol.DashboardQuery{From: now.AddDate(0, 0, -100), To: now.AddDate(0, 0, 14)}
		for _, rebuild := range []bool{false, true} {
			if rebuild {
				if err := st.RebuildReviewRollup(ctx); err != nil {
					t.Fatal(err)
				}
			}
			for _, q := range []protocol.DashboardQuery{q, long} {
				if d, err := c.Dashboard(ctx, q); err != nil || d.Overall.VotesGood != 1 || d.Overall.VotesBad != 1 {
					t.Fatalf("rebuilt %v, %v–%v: %+v %v", rebuild, q.From, q.To, d.Overall, err)
				}
			}
		}
		e.addAccount("xb", protocol.AccountReviewer, officeB)
		if d, err := e.login("xb").Dashboard(ctx, q); err != nil || d.Overall.VotesGood != 0 || d.Overall.VotesBad != 0 {
			t.Fatalf("office B's dashboard: %+v %v", d, err)
		}
	})
}
