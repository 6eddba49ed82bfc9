package hub_test

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

func TestRequestsThatAreNotProperlySignedAreRefusedAndLogged(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		e := newEnv(t, st)
		e.push(e.a, received(officeA+"-261123-1001"))
		body := gz(t, protocol.PushRequest{Events: []protocol.Event{received(officeA + "-261123-1002")}})
		hdr := map[string]string{"Content-Encoding": "gzip", "Content-Type": "application/json"}
		_, stranger, _ := ed25519.GenerateKey(rand.Reader)
		reviewer := e.enrolReviewer()
		tests := []struct {
			name   string
			req    func() *http.Request
			status int
			code   string
		}{
			{"an unsigned push is refused", func() *http.Request { return e.req(nil, "POST", protocol.PathPush, body, hdr) }, 401, protocol.ErrUnsigned},
			{"a push signed with another key is refused", func() *http.Request {
				return e.req(&dev{id: e.a.id, key: stranger}, "POST", protocol.PathPush, body, hdr)
			}, 401, protocol.ErrBadSignature},
			{"a push whose body was changed after signing is refused", func() *http.Request {
				r := e.req(&e.a, "POST", protocol.PathPush, body, hdr)
				tampered := gz(t, protocol.PushRequest{Events: []protocol.Event{received(officeA + "-261123-1003")}})
				return withBody(r, tampered)
			}, 401, protocol.ErrBadSignature},
			{"a request signed for another path is refused", func() *http.Request {
				r := e.req(&e.a, "GET", protocol.PathFeed+"?after=0", nil, nil)
				r.URL.RawQuery = "after=5"
				return r
			}, 401, protocol.ErrBadSignature},
			{"a request from a device the hub does not know is refused", func() *http.Request {
				pub, key, _ := ed25519.GenerateKey(rand.Reader)
				return e.req(&dev{id: protocol.DeviceID(pub), key: key}, "GET", protocol.PathFeed, nil, nil)
			}, 401, protocol.ErrUnknown},
			{"a request signed ten minutes ahead of the hub's clock is refused", func() *http.Request {
				e.clk.Add(10 * time.Minute)
				defer e.clk.Add(-10 * time.Minute)
				return e.req(&e.a, "GET", protocol.PathFeed, nil, nil)
			}, 401, protocol.ErrSkew},
			{"a request signed ten minutes ago is refused", func() *http.Request {
				e.clk.Add(-10 * time.Minute)
				defer e.clk.Add(10 * time.Minute)
				return e.req(&e.a, "GET", protocol.PathFeed, nil, nil)
			}, 401, protocol.ErrSkew},
			{"malformed signature headers are refused", func() *http.Request {
				r := e.req(&e.a, "GET", protocol.PathFeed, nil, nil)
				r.Header.Set(protocol.HeaderNonce, "not hex")
				return r
			}, 401, protocol.ErrBadSignature},
			{"a device cannot use the reviewer API", func() *http.Request { return e.req(&e.a, "GET", protocol.PathReview, nil, nil) }, 403, protocol.ErrForbidden},
			{"a device cannot read another office's dossier", func() *http.Request {
				return e.req(&e.b, "GET", protocol.PathReview+"/"+officeA+"-261123-1001", nil, nil)
			}, 403, protocol.ErrForbidden},
			{"a device cannot decide", func() *http.Request {
				b := []byte(`{"outcome":"done"}`)
				return e.req(&e.b, "POST", protocol.PathReview+"/"+officeA+"-261123-1001/decision", b, nil)
			}, 403, protocol.ErrForbidden},
			{"a reviewer cannot push events", func() *http.Request { return e.req(&reviewer, "POST", protocol.PathPush, body, hdr) }, 403, protocol.ErrForbidden},
			{"a device cannot download files", func() *http.Request {
				return e.req(&e.a, "GET", protocol.PathBlobs+strings.Repeat("a", 64), nil, nil)
			}, 403, protocol.ErrForbidden},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				resp, b := e.do(tt.req())
				var pe protocol.Error
				json.Unmarshal(b, &pe)
				if resp.StatusCode != tt.status || pe.Code != tt.code {
					t.Fatalf("got %d %s, want %d %s", resp.StatusCode, b, tt.status, tt.code)
				}
				if !strings.Contains(e.logs.String(), "reason="+tt.code) {
					t.Fatalf("refusal not logged:\n%s", e.logs.String())
				}
			})
		}
		t.Run("a replayed request is refused", func(t *testing.T) {
			r := e.req(&e.a, "GET", protocol.PathFeed, nil, nil)
			replay := r.Clone(context.Background())
			if resp, b := e.do(r); resp.StatusCode != 200 {
				t.Fatalf("first: %d %s", resp.StatusCode, b)
			}
			resp, b := e.do(replay)
			if resp.StatusCode != 401 || !strings.Contains(string(b), protocol.ErrReplay) {
				t.Fatalf("replay: %d %s", resp.StatusCode, b)
			}
		})
		t.Run("an enrolment token works once", func(t *testing.T) {
			tok, _ := hub.NewToken(context.Background(), st, officeA, hub.RoleDevice, e.clk.Now().Add(time.Hour))
			for i, want := range []int{200, 403} {
				pub, _, _ := ed25519.GenerateKey(rand.Reader)
				b, _ := json.Marshal(protocol.EnrolRequest{Token: tok, PublicKey: pub})
				resp, body := e.do(e.req(nil, "POST", protocol.PathEnrol, b, nil))
				if resp.StatusCode != want {
					t.Fatalf("enrolment %d: %d %s", i, resp.StatusCode, body)
				}
			}
		})
		t.Run("an expired enrolment token is refused", func(t *testing.T) {
			tok, _ := hub.NewToken(context.Background(), st, officeA, hub.RoleDevice, e.clk.Now().Add(-time.Second))
			pub, _, _ := ed25519.GenerateKey(rand.Reader)
			b, _ := json.Marshal(protocol.EnrolRequest{Token: tok, PublicKey: pub})
			if resp, body := e.do(e.req(nil, "POST", protocol.PathEnrol, b, nil)); resp.StatusCode != 403 {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
		})
		// Nothing personal in the logs: the applicant's name never appears.
		if strings.Contains(e.logs.String(), "Bí Mật") {
			t.Fatalf("personal data in logs:\n%s", e.logs.String())
		}
		// The refused push changed nothing.
		if _, err := st.Dossier(context.Background(), officeA+"-261123-1002"); err == nil {
			t.Fatal("a refused push was applied")
		}
	})
}

func (e *env) enrolReviewer() dev {
	pub, key, _ := ed25519.GenerateKey(rand.Reader)
	d := dev{id: protocol.DeviceID(pub), key: key}
	if err := e.st.AddDevice(context.Background(), hub.Device{ID: d.id, PublicKey: pub, Name: "Lê Thẩm Định", Role: hub.RoleReviewer, EnrolledAt: e.clk.Now()}); err != nil {
		e.t.Fatal(err)
	}
	return d
}

func withBody(r *http.Request, b []byte) *http.Request {
	r2, _ := http.NewRequest(r.Method, r.URL.String(), strings.NewReader(string(b)))
	r2.Header = r.Header.Clone()
	return r2
}

func TestAReviewerDecisionReachesTheOfficeFeed(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		e := newEnv(t, st)
		code := officeA + "-261123-1001"
		e.push(e.a, received(code))
		rv := e.enrolReviewer()
		tests := []struct {
			name   string
			body   string
			status int
		}{
			{"a supplement request without a note is refused", `{"outcome":"supplement"}`, 400},
			{"an unknown outcome is refused", `{"outcome":"maybe"}`, 400},
			{"accepting into processing is recorded", `{"outcome":"processing","note":"hồ sơ đủ"}`, 200},
		}
		for _, tt := range tests {
			resp, b := e.do(e.req(&rv, "POST", protocol.PathReview+"/"+code+"/decision", []byte(tt.body), nil))
			if resp.StatusCode != tt.status {
				t.Fatalf("%s: %d %s", tt.name, resp.StatusCode, b)
			}
		}
		resp, b := e.do(e.req(&rv, "GET", protocol.PathReview+"?office="+officeA+"&overdue=true", nil, nil))
		var list protocol.ListResponse
		json.Unmarshal(b, &list)
		if resp.StatusCode != 200 || len(list.Dossiers) != 1 || list.Dossiers[0].Status != 4 || !list.Dossiers[0].Overdue {
			t.Fatalf("overdue list: %d %s", resp.StatusCode, b)
		}
		resp, b = e.do(e.req(&rv, "GET", protocol.PathReview+"/"+code, nil, nil))
		var d protocol.DossierDetail
		json.Unmarshal(b, &d)
		if resp.StatusCode != 200 || len(d.Decisions) != 1 || len(d.Events) != 1 {
			t.Fatalf("show: %d %s", resp.StatusCode, b)
		}
		_, b = e.do(e.req(&e.a, "GET", protocol.PathFeed+"?after=0", nil, nil))
		var fr protocol.FeedResponse
		json.Unmarshal(b, &fr)
		if len(fr.Changes) != 2 || fr.Changes[1].Kind != protocol.ChangeDecision {
			t.Fatalf("office feed: %s", b)
		}
		if resp, _ := e.do(e.req(&e.b, "GET", protocol.PathFeed+"?after=0", nil, nil)); resp.StatusCode != 200 {
			t.Fatal("office B feed")
		}
	})
}
