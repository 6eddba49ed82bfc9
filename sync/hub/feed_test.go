package hub_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

func (e *env) feedOf(d dev) protocol.FeedResponse {
	e.t.Helper()
	resp, b := e.do(e.req(&d, "GET", protocol.PathFeed+"?after=0&limit=100", nil, nil))
	if resp.StatusCode != 200 {
		e.t.Fatalf("feed: %d %s", resp.StatusCode, b)
	}
	var fr protocol.FeedResponse
	if err := json.Unmarshal(b, &fr); err != nil {
		e.t.Fatal(err)
	}
	return fr
}

func TestPublicationsReachTheFeedsOfTheOfficesTheyAreFor(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		all, offices, err := st.Publish(ctx, protocol.Publication{Kind: protocol.ChangeHolidays, Key: "2027",
			Data: json.RawMessage(`{"year":2027,"holidays":[]}`), By: "kythuat", At: e.clk.Now()})
		if err != nil || len(offices) != 2 || all.ID == 0 {
			t.Fatalf("publish to all: %+v %v %v", all, offices, err)
		}
		one, offices, err := st.Publish(ctx, protocol.Publication{Kind: protocol.ChangeAccount, Key: "ntlan", Office: officeA,
			Data: json.RawMessage(`{"login":"ntlan","full_name":"Nguyễn Thị Lan","role":"clerk","disabled":false}`), By: "kythuat", At: e.clk.Now()})
		if err != nil || len(offices) != 1 || one.ID <= all.ID {
			t.Fatalf("publish to one office: %+v %v %v", one, offices, err)
		}
		if _, _, err := st.Publish(ctx, protocol.Publication{Kind: protocol.ChangeAccount, Key: "x", Office: "000.00.99.H56",
			Data: json.RawMessage(`{}`)}); !errors.Is(err, hub.ErrNotFound) {
			t.Fatalf("publish to an unknown office: %v", err)
		}
		fa, fb := e.feedOf(e.a), e.feedOf(e.b)
		if len(fa.Changes) != 2 || len(fb.Changes) != 1 {
			t.Fatalf("office A sees %d changes, B %d", len(fa.Changes), len(fb.Changes))
		}
		var p protocol.Publication
		if err := json.Unmarshal(fa.Changes[1].Payload, &p); err != nil || fa.Changes[1].Kind != protocol.ChangeAccount ||
			p.ID != one.ID || p.Key != "ntlan" || fa.Changes[1].Origin != "hub" {
			t.Fatalf("account change: %+v (%+v, %v)", fa.Changes[1], p, err)
		}
		list, err := st.Publications(ctx, "", 10)
		if err != nil || len(list) != 2 || list[0].ID != one.ID {
			t.Fatalf("publications: %+v, %v", list, err)
		}
	})
}

func TestARevokedDeviceIsToldSoEvenWithoutABody(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		ctx := context.Background()
		e := newEnv(t, st)
		if err := st.RevokeDevice(ctx, e.a.id); err != nil {
			t.Fatal(err)
		}
		if err := st.RevokeDevice(ctx, "d-unknown"); !errors.Is(err, hub.ErrNotFound) {
			t.Fatalf("revoking an unknown device: %v", err)
		}
		for _, m := range []string{"GET", "HEAD"} {
			path := protocol.PathFeed
			if m == "HEAD" {
				path = protocol.PathBlobs + "0000000000000000000000000000000000000000000000000000000000000000"
			}
			resp, _ := e.do(e.req(&e.a, m, path, nil, nil))
			if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get(protocol.HeaderError) != protocol.ErrRevoked {
				t.Fatalf("%s by a revoked device: %d %q", m, resp.StatusCode, resp.Header.Get(protocol.HeaderError))
			}
		}
		// The other office's device is untouched; the revoked one is listed.
		if fb := e.feedOf(e.b); fb.Changes == nil {
			t.Fatal("no feed for the other device")
		}
		ds, err := st.Devices(ctx, officeA)
		if err != nil || len(ds) != 1 || !ds[0].Revoked {
			t.Fatalf("devices of office A: %+v, %v", ds, err)
		}
	})
}
