package hub_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

const reviewPW = "Mật-khẩu-đủ-dài-2026"

// addAccount creates a reviewer account scoped to communes.
func (e *env) addAccount(user, role string, communes ...string) {
	e.t.Helper()
	h, err := hub.HashPassword(reviewPW)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := e.st.AddAccount(context.Background(), hub.Account{Username: user, DisplayName: "Chuyên viên " + user, Role: role,
		Communes: communes, CreatedAt: e.clk.Now()}, h); err != nil {
		e.t.Fatal(err)
	}
}

// login returns a client logged in as user.
func (e *env) login(user string) *protocol.ReviewClient {
	e.t.Helper()
	c := &protocol.ReviewClient{HubURL: e.srv.URL}
	if _, err := c.Login(context.Background(), user, reviewPW); err != nil {
		e.t.Fatalf("login %s: %v", user, err)
	}
	return c
}

// storeFile puts a file on the hub's disk as a finished upload would.
func (e *env) storeFile(b []byte) string {
	e.t.Helper()
	h := sha256.Sum256(b)
	sha := hex.EncodeToString(h[:])
	p := e.server.FilePath(sha)
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		e.t.Fatal(err)
	}
	if err := os.WriteFile(p, b, 0o600); err != nil {
		e.t.Fatal(err)
	}
	return sha
}

// dossierEvent is a received event with a chosen applicant, procedure, ID
// number, received and due time.
func dossierEvent(code, name, id, proc string, rec, due time.Time, files ...string) protocol.Event {
	p := map[string]any{"id": 1, "code": code, "procedure_code": proc, "procedure_name": "Đăng ký khai sinh",
		"applicant": map[string]any{"full_name": name, "id_number": id, "address": "Số 1 Trần Phú"},
		"papers": []map[string]any{{"name": "Tờ khai đăng ký khai sinh", "form": 1, "count": 1, "required": true, "files": files},
			{"name": "Giấy chứng sinh", "form": 1, "count": 1, "required": true}},
		"fee": 8000, "received_at": rec, "due_at": due, "status": 2, "channel": 1, "received_by": "Lê Thị Cán Bộ", "tracking_no": 1, "updated_at": rec}
	if len(files) == 0 {
		p["papers"].([]map[string]any)[0]["files"] = []string{}
	}
	b, _ := json.Marshal(p)
	return protocol.Event{UUID: newUUID(), Dossier: code, Seq: 1, Kind: protocol.KindReceived, Payload: b, CreatedAt: rec}
}

func apiCode(err error) string {
	var ae *protocol.APIError
	if e, ok := err.(*protocol.APIError); ok {
		ae = e
		return ae.Code
	}
	if err == nil {
		return "<nil>"
	}
	return "other: " + err.Error()
}

func TestReviewerAccountsLoginLockoutDisableAndExpiry(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		e.addAccount("thamdinh", protocol.AccountReviewer, officeA)
		c := &protocol.ReviewClient{HubURL: e.srv.URL}
		s, err := c.Login(ctx, "thamdinh", reviewPW)
		if err != nil {
			t.Fatal(err)
		}
		if s.Token == "" || s.Role != "reviewer" || s.DisplayName != "Chuyên viên thamdinh" || len(s.Communes) != 1 ||
			s.Communes[0] != (protocol.Commune{Code: officeA, Name: "UBND " + officeA}) || !s.ExpiresAt.Equal(e.clk.Now().Add(hub.SessionTTL)) {
			t.Fatalf("session %+v", s)
		}
		if _, err := c.Queue(ctx, protocol.QueueQuery{}); err != nil {
			t.Fatal(err)
		}
		// An unknown user and a wrong password look the same.
		if _, err := (&protocol.ReviewClient{HubURL: e.srv.URL}).Login(ctx, "khong-co", reviewPW); apiCode(err) != protocol.ErrBadLogin {
			t.Fatalf("unknown user: %v", err)
		}
		// Four wrong passwords, then the right one: still fine (the count resets).
		for i := 0; i < hub.MaxFailures-1; i++ {
			if _, err := (&protocol.ReviewClient{HubURL: e.srv.URL}).Login(ctx, "thamdinh", "sai"); apiCode(err) != protocol.ErrBadLogin {
				t.Fatalf("wrong password %d: %v", i, err)
			}
		}
		e.login("thamdinh")
		// Five wrong passwords lock the account, even against the right one.
		for i := 0; i < hub.MaxFailures; i++ {
			(&protocol.ReviewClient{HubURL: e.srv.URL}).Login(ctx, "thamdinh", "sai")
		}
		if _, err := (&protocol.ReviewClient{HubURL: e.srv.URL}).Login(ctx, "thamdinh", reviewPW); apiCode(err) != protocol.ErrLocked {
			t.Fatalf("locked account: %v", err)
		}
		e.clk.Add(hub.LockFor + time.Second)
		c2 := e.login("thamdinh")
		// The session ends after SessionTTL.
		e.clk.Add(hub.SessionTTL)
		if _, err := c2.Queue(ctx, protocol.QueueQuery{}); apiCode(err) != protocol.ErrSessionExpired {
			t.Fatalf("expired session: %v", err)
		}
		// A disabled account can neither use its session nor log in.
		c3 := e.login("thamdinh")
		if err := st.SetAccountDisabled(ctx, "thamdinh", true); err != nil {
			t.Fatal(err)
		}
		if _, err := c3.Queue(ctx, protocol.QueueQuery{}); apiCode(err) != protocol.ErrNoSession && apiCode(err) != protocol.ErrDisabled {
			t.Fatalf("disabled account's session: %v", err)
		}
		if _, err := (&protocol.ReviewClient{HubURL: e.srv.URL}).Login(ctx, "thamdinh", reviewPW); apiCode(err) != protocol.ErrDisabled {
			t.Fatalf("disabled account login: %v", err)
		}
		if err := st.SetAccountDisabled(ctx, "thamdinh", false); err != nil {
			t.Fatal(err)
		}
		// A new password closes the sessions.
		c4 := e.login("thamdinh")
		h, _ := hub.HashPassword("Mật-khẩu-mới-2027")
		if err := st.SetAccountPassword(ctx, "thamdinh", h); err != nil {
			t.Fatal(err)
		}
		if _, err := c4.Queue(ctx, protocol.QueueQuery{}); apiCode(err) != protocol.ErrNoSession {
			t.Fatalf("session after a new password: %v", err)
		}
		// Logging out ends the session.
		if _, err := c4.Login(ctx, "thamdinh", "Mật-khẩu-mới-2027"); err != nil {
			t.Fatal(err)
		}
		tok := c4.Session().Token
		if err := c4.Logout(ctx); err != nil {
			t.Fatal(err)
		}
		c4.SetSession(protocol.ReviewSession{Token: tok})
		if _, err := c4.Queue(ctx, protocol.QueueQuery{}); apiCode(err) != protocol.ErrNoSession {
			t.Fatalf("session after logout: %v", err)
		}
		// Weak passwords and bad accounts are refused.
		if _, err := hub.HashPassword("ngan"); err == nil {
			t.Fatal("a weak password was accepted")
		}
		for _, a := range []hub.Account{{Username: "x y", Role: "reviewer", Communes: []string{officeA}},
			{Username: "ok", Role: "boss", Communes: []string{officeA}}, {Username: "ok", Role: "reviewer"},
			{Username: "ok", Role: "reviewer", Communes: []string{"000.00.99.H56"}}, {Username: "thamdinh", Role: "reviewer", Communes: []string{officeA}}} {
			if err := st.AddAccount(ctx, a, h); err == nil {
				t.Fatalf("account %+v accepted", a)
			}
		}
		// Every action is audited, refusals too.
		log, err := st.AuditLog(ctx, "thamdinh", 0, 0)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, a := range log {
			got[a.Action]++
		}
		if got["review.login"] < 5 || got["review.login.refused"] < 2*hub.MaxFailures || got["review.queue"] < 1 || got["review.logout"] != 1 {
			t.Fatalf("audit: %v", got)
		}
	})
}

func TestAReviewerSeesAndActsOnlyWithinScope(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		now := e.clk.Now()
		shaA := e.storeFile([]byte("%PDF-1.4 scan of A"))
		shaB := e.storeFile([]byte("%PDF-1.4 scan of B"))
		codeA, codeB := officeA+"-261123-0001", officeB+"-261123-0001"
		e.push(e.a, dossierEvent(codeA, "Trần Thị A", "001190000001", "1.001193", now.Add(-time.Hour), now.Add(72*time.Hour), shaA))
		e.push(e.b, dossierEvent(codeB, "Trần Thị B", "001190000002", "1.001193", now.Add(-time.Hour), now.Add(72*time.Hour), shaB))
		e.addAccount("xa-a", protocol.AccountReviewer, officeA)
		c := e.login("xa-a")

		page, err := c.Queue(ctx, protocol.QueueQuery{})
		if err != nil || len(page.Items) != 1 || page.Items[0].Code != codeA {
			t.Fatalf("queue: %+v %v", page, err)
		}
		if _, err := c.Queue(ctx, protocol.QueueQuery{Office: officeB}); apiCode(err) != protocol.ErrForbidden {
			t.Fatalf("queue of another commune: %v", err)
		}
		if p, err := c.Queue(ctx, protocol.QueueQuery{Q: "Trần Thị B"}); err != nil || len(p.Items) != 0 {
			t.Fatalf("search reached another commune: %+v %v", p, err)
		}
		if _, err := c.Dossier(ctx, codeA); err != nil {
			t.Fatal(err)
		}
		if _, err := c.Dossier(ctx, codeB); apiCode(err) != protocol.ErrNotFound {
			t.Fatalf("dossier of another commune: %v", err)
		}
		rc, err := c.File(ctx, shaA)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if string(b) != "%PDF-1.4 scan of A" {
			t.Fatalf("file: %q", b)
		}
		if _, err := c.File(ctx, shaB); apiCode(err) != protocol.ErrNotFound {
			t.Fatalf("file of another commune: %v", err)
		}
		if _, err := c.Decide(ctx, codeB, protocol.DecideRequest{Outcome: "done"}); apiCode(err) != protocol.ErrNotFound {
			t.Fatalf("decision on another commune: %v", err)
		}
		if d, _ := st.Dossier(ctx, codeB); d.Status != 2 {
			t.Fatalf("dossier B changed: %d", d.Status)
		}
		if _, err := c.Dashboard(ctx, protocol.DashboardQuery{Office: officeB}); apiCode(err) != protocol.ErrForbidden {
			t.Fatalf("dashboard of another commune: %v", err)
		}
		if _, err := c.DashboardCSV(ctx, protocol.DashboardQuery{Office: officeB}); apiCode(err) != protocol.ErrForbidden {
			t.Fatalf("dashboard CSV of another commune: %v", err)
		}
		dash, err := c.Dashboard(ctx, protocol.DashboardQuery{})
		if err != nil || len(dash.Communes) != 1 || dash.Communes[0].Office != officeA || dash.Overall.Received != 1 {
			t.Fatalf("dashboard: %+v %v", dash, err)
		}
		// A viewer reads but cannot decide.
		e.addAccount("xem", protocol.AccountViewer, officeA, officeB)
		v := e.login("xem")
		if p, err := v.Queue(ctx, protocol.QueueQuery{}); err != nil || len(p.Items) != 2 {
			t.Fatalf("viewer queue: %+v %v", p, err)
		}
		if _, err := v.Decide(ctx, codeA, protocol.DecideRequest{Outcome: "done"}); apiCode(err) != protocol.ErrForbidden {
			t.Fatalf("viewer decision: %v", err)
		}
		// A commune device's signature cannot call the reviewer API, not
		// even with a session token beside it.
		for _, p := range []string{protocol.PathReviewQueue, protocol.PathReviewDossier + codeA, protocol.PathReviewFile + shaA, protocol.PathReviewDashboard} {
			resp, body := e.do(e.req(&e.a, "GET", p, nil, nil))
			if resp.StatusCode != http.StatusForbidden || !strings.Contains(string(body), protocol.ErrForbidden) {
				t.Fatalf("device on %s: %d %s", p, resp.StatusCode, body)
			}
			resp, body = e.do(e.req(&e.a, "GET", p, nil, map[string]string{"Authorization": "Bearer " + c.Session().Token}))
			if resp.StatusCode != http.StatusForbidden {
				t.Fatalf("device with a token on %s: %d %s", p, resp.StatusCode, body)
			}
		}
		body, _ := json.Marshal(protocol.DecideRequest{Outcome: "done"})
		if resp, b := e.do(e.req(&e.a, "POST", protocol.PathReviewDossier+codeA+"/decision", body, nil)); resp.StatusCode != http.StatusForbidden {
			t.Fatalf("device decision: %d %s", resp.StatusCode, b)
		}
		// A session token cannot call the device API.
		for _, r := range []struct{ method, path string }{{"GET", protocol.PathFeed + "?after=0"}, {"POST", protocol.PathPush},
			{"GET", protocol.PathBlobs + shaA}, {"GET", protocol.PathReview}} {
			resp, b := e.do(e.req(nil, r.method, r.path, nil, map[string]string{"Authorization": "Bearer " + c.Session().Token}))
			if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(string(b), protocol.ErrUnsigned) {
				t.Fatalf("token on %s %s: %d %s", r.method, r.path, resp.StatusCode, b)
			}
		}
		// The refusals are audited.
		log, _ := st.AuditLog(ctx, "xa-a", 0, 0)
		refused := 0
		for _, a := range log {
			if strings.HasSuffix(a.Action, ".refused") {
				refused++
			}
		}
		if refused < 6 {
			t.Fatalf("%d refusals audited: %+v", refused, log)
		}
	})
}

func TestReviewQueuesFiltersSearchAndPaging(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		now := e.clk.Now() // Monday 2026-11-23 09:00 in Vietnam
		var evs []protocol.Event
		names := []string{"Nguyễn Văn Đức", "Phạm Thị Hoa", "Nguyễn Thị Lan", "Đỗ Văn Minh", "Lê Văn Nam", "Nguyễn Văn Đạt", "Hoàng Thị Oanh"}
		for i, n := range names {
			due := now.Add(time.Duration(10*(i+1)) * 24 * time.Hour) // far
			switch i {
			case 0:
				due = now.Add(-24 * time.Hour) // overdue
			case 1:
				due = now.Add(30 * time.Hour) // due within 2 working days
			}
			proc := "1.001193"
			if i%2 == 1 {
				proc = "2.000986"
			}
			evs = append(evs, dossierEvent(fmt.Sprintf("%s-261123-%04d", officeA, i+1), n, fmt.Sprintf("0011900000%02d", i+1), proc,
				now.Add(-time.Duration(len(names)-i)*time.Hour), due))
		}
		e.push(e.a, evs...)
		codeOf := func(i int) string { return fmt.Sprintf("%s-261123-%04d", officeA, i+1) }
		e.push(e.a, later(codeOf(2), 2, 4))                                                             // processing: awaiting
		e.push(e.a, protocol.Event{UUID: newUUID(), Dossier: codeOf(3), Seq: 2, Kind: "dossier.status", // supplement
			Payload: json.RawMessage(`{"action":"supplement","from":2,"to":5}`), CreatedAt: now})
		e.addAccount("huyen", protocol.AccountReviewer, officeA, officeB)
		c := e.login("huyen")
		codes := func(q protocol.QueueQuery) []string {
			t.Helper()
			p, err := c.Queue(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, it := range p.Items {
				out = append(out, it.Code[len(it.Code)-1:])
			}
			return out
		}
		for _, tc := range []struct {
			name string
			q    protocol.QueueQuery
			want string
		}{
			{"all, newest first", protocol.QueueQuery{}, "7654321"},
			{"new", protocol.QueueQuery{Queue: protocol.QueueNew}, "76521"},
			{"awaiting", protocol.QueueQuery{Queue: protocol.QueueAwaiting}, "3"},
			{"supplement", protocol.QueueQuery{Queue: protocol.QueueSupplement}, "4"},
			{"overdue", protocol.QueueQuery{Queue: protocol.QueueOverdue}, "1"},
			{"due in 2 working days", protocol.QueueQuery{Queue: protocol.QueueDue2}, "2"},
			{"procedure", protocol.QueueQuery{Procedure: "2.000986"}, "642"},
			{"status", protocol.QueueQuery{Status: 4}, "3"},
			{"office", protocol.QueueQuery{Office: officeB}, ""},
			{"date range", protocol.QueueQuery{From: now.Add(-4 * time.Hour), To: now.Add(-2 * time.Hour)}, "54"},
			{"name without diacritics", protocol.QueueQuery{Q: "nguyen van d"}, "61"},
			{"name with diacritics", protocol.QueueQuery{Q: "ĐỖ VĂN"}, "4"},
			{"ID number", protocol.QueueQuery{Q: "001190000005"}, "5"},
			{"code", protocol.QueueQuery{Q: strings.ToLower(codeOf(6))}, "7"},
			{"like characters are literal", protocol.QueueQuery{Q: "%"}, ""},
		} {
			if got := strings.Join(codes(tc.q), ""); got != tc.want {
				t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
			}
		}
		// Keyset paging walks every dossier once.
		var all []string
		q := protocol.QueueQuery{Limit: 3}
		for pages := 0; ; pages++ {
			p, err := c.Queue(ctx, q)
			if err != nil || pages > 5 {
				t.Fatal(err, pages)
			}
			for _, it := range p.Items {
				all = append(all, it.Code)
			}
			if p.Next == "" {
				break
			}
			q.After = p.Next
		}
		if len(all) != 7 || all[0] != codeOf(6) || all[6] != codeOf(0) {
			t.Fatalf("paging: %v", all)
		}
		if _, err := c.Queue(ctx, protocol.QueueQuery{Queue: "khac"}); apiCode(err) != protocol.ErrBadRequest {
			t.Fatalf("unknown queue: %v", err)
		}
		if _, err := c.Queue(ctx, protocol.QueueQuery{After: "rác"}); apiCode(err) != protocol.ErrBadRequest {
			t.Fatalf("bad cursor: %v", err)
		}
	})
}

func TestADossierDecisionsAndTheDashboardAsAReviewerSeesThem(t *testing.T) {
	forEachStore(t, func(t *testing.T, st hub.Store) {
		e := newEnv(t, st)
		ctx := context.Background()
		now := e.clk.Now()
		scan := e.storeFile([]byte("%PDF-1.7\nthe birth certificate form"))
		code := officeA + "-261123-0001"
		e.push(e.a, dossierEvent(code, "Nguyễn Văn Bình", "001190000009", "1.001193", now.Add(-2*time.Hour), now.Add(48*time.Hour), scan))
		e.push(e.a, protocol.Event{UUID: newUUID(), Dossier: code, Seq: 2, Kind: "dossier.note",
			Payload: json.RawMessage(`{"action":"note","actor":"Lê Thị Cán Bộ","text":"Công dân hẹn bổ sung sau","at":"2026-11-23T01:30:00Z"}`), CreatedAt: now})
		e.push(e.a, protocol.Event{UUID: newUUID(), Dossier: code, Seq: 3, Kind: "satisfaction.vote",
			// As internal/store RecordVote writes it: "at" in Unix milliseconds.
			Payload: json.RawMessage(fmt.Sprintf(`{"vote_id":1,"at":%d,"rating":1,"dossier_code":%q,"source":"kiosk"}`, now.UnixMilli(), code)), CreatedAt: now})
		e.addAccount("tinh", protocol.AccountReviewer, officeA)
		c := e.login("tinh")
		d, err := c.Dossier(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		if d.Applicant.FullName != "Nguyễn Văn Bình" || d.Applicant.IDNumber != "001190000009" || d.OfficeName != "UBND "+officeA ||
			d.ProcedureName != "Đăng ký khai sinh" || len(d.Papers) != 2 || !d.Papers[0].Digitised || d.Papers[1].Digitised ||
			len(d.Papers[0].Files) != 1 || d.Papers[0].Files[0] != (protocol.ReviewFile{SHA256: scan, Name: "Tờ khai đăng ký khai sinh.pdf",
			Size: 35, MIME: "application/pdf", Held: true}) || len(d.Missing) != 0 {
			t.Fatalf("dossier: %+v", d)
		}
		if len(d.Notes) != 1 || d.Notes[0].Text != "Công dân hẹn bổ sung sau" || d.Notes[0].Author != "Lê Thị Cán Bộ" {
			t.Fatalf("notes: %+v", d.Notes)
		}
		if len(d.History) != 1 || d.History[0].Action != "receive" || d.History[0].Actor != "Lê Thị Cán Bộ" {
			t.Fatalf("history: %+v", d.History)
		}
		// Bad decisions are refused with a clear message and change nothing.
		for _, bad := range []protocol.DecideRequest{{Outcome: "maybe"}, {Outcome: "supplement", Reason: "thiếu"},
			{Outcome: "supplement", Items: []string{"Giấy chứng sinh"}}, {Outcome: "refuse"}} {
			if _, err := c.Decide(ctx, code, bad); apiCode(err) != protocol.ErrBadRequest {
				t.Fatalf("%+v: %v", bad, err)
			}
		}
		dec, err := c.Decide(ctx, code, protocol.DecideRequest{Outcome: "supplement", Items: []string{"Giấy chứng sinh (bản chính)", " "},
			Reason: "Thiếu giấy chứng sinh"})
		if err != nil || dec.Status != 5 || dec.DecidedBy != "Chuyên viên tinh" || len(dec.Items) != 1 {
			t.Fatalf("decision: %+v %v", dec, err)
		}
		// The decision is in the commune's feed with its items and reason.
		resp, b := e.do(e.req(&e.a, "GET", protocol.PathFeed+"?after=0", nil, nil))
		var fr protocol.FeedResponse
		json.Unmarshal(b, &fr)
		var got protocol.Decision
		for _, ch := range fr.Changes {
			if ch.Kind == protocol.ChangeDecision {
				json.Unmarshal(ch.Payload, &got)
			}
		}
		if resp.StatusCode != 200 || got.ID != dec.ID || got.Reason != "Thiếu giấy chứng sinh" || len(got.Items) != 1 || got.Items[0] != "Giấy chứng sinh (bản chính)" {
			t.Fatalf("feed: %d %+v", resp.StatusCode, got)
		}
		d, _ = c.Dossier(ctx, code)
		if d.Status != 5 || len(d.Decisions) != 1 || d.Decisions[0].Reason != "Thiếu giấy chứng sinh" || d.History[len(d.History)-1].Action != "decision.supplement" {
			t.Fatalf("after the decision: %+v", d)
		}
		if p, _ := c.Queue(ctx, protocol.QueueQuery{Queue: protocol.QueueSupplement}); len(p.Items) != 1 || !p.Items[0].Decided {
			t.Fatalf("supplement queue: %+v", p)
		}
		e.clk.Add(time.Hour)
		if _, err := c.Decide(ctx, code, protocol.DecideRequest{Outcome: "accept"}); err != nil {
			t.Fatal(err)
		}
		e.clk.Add(time.Hour)
		if dec, err = c.Decide(ctx, code, protocol.DecideRequest{Outcome: "done", Result: "Giấy khai sinh số 12"}); err != nil || dec.Status != 9 {
			t.Fatal(dec, err)
		}
		dash, err := c.Dashboard(ctx, protocol.DashboardQuery{From: now.Add(-24 * time.Hour), To: now.Add(24 * time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		o := dash.Overall
		if o.Received != 1 || o.Done != 1 || o.OnTime != 1 || o.Late != 0 || o.VotesGood != 1 || o.Papers != 2 || o.PapersDigitised != 1 ||
			o.DigitisedShare != 0.5 || o.AvgHours != 4 || len(dash.Series) != 1 || dash.Series[0].Received != 1 || dash.Series[0].Done != 1 ||
			!dash.Series[0].Start.Equal(time.Date(2026, 11, 23, 0, 0, 0, 0, time.FixedZone("", 7*3600))) {
			t.Fatalf("dashboard: %+v", dash)
		}
		// A range spanning months reads the dossier's whole week (23–29/11)
		// from the weekly rollup, kept step by step too.
		long := protocol.DashboardQuery{From: now.AddDate(0, -2, -3), To: now.AddDate(0, 0, 10)}
		longWk := long
		longWk.Bucket = protocol.BucketWeek
		longDash, err := c.Dashboard(ctx, long)
		if err != nil || !reflect.DeepEqual(longDash.Overall, dash.Overall) || !reflect.DeepEqual(longDash.Series, dash.Series) {
			t.Fatalf("dashboard over months: %+v %v", longDash, err)
		}
		longWkDash, err := c.Dashboard(ctx, longWk)
		if err != nil || !reflect.DeepEqual(longWkDash.Overall, dash.Overall) || len(longWkDash.Series) != 1 ||
			longWkDash.Series[0].Received != 1 || longWkDash.Series[0].Done != 1 {
			t.Fatalf("weekly dashboard over months: %+v %v", longWkDash, err)
		}
		// The rollups kept up step by step equal ones rebuilt from the index.
		if err := st.RebuildReviewRollup(ctx); err != nil {
			t.Fatal(err)
		}
		if again, err := c.Dashboard(ctx, protocol.DashboardQuery{From: now.Add(-24 * time.Hour), To: now.Add(24 * time.Hour)}); err != nil ||
			!reflect.DeepEqual(again, dash) {
			t.Fatalf("rebuilt rollup: %+v, kept: %+v (%v)", again, dash, err)
		}
		for _, q := range []struct {
			q    protocol.DashboardQuery
			kept protocol.Dashboard
		}{{long, longDash}, {longWk, longWkDash}} {
			if again, err := c.Dashboard(ctx, q.q); err != nil || !reflect.DeepEqual(again, q.kept) {
				t.Fatalf("rebuilt rollups over months: %+v, kept: %+v (%v)", again, q.kept, err)
			}
		}
		wk, err := c.Dashboard(ctx, protocol.DashboardQuery{From: now.Add(-24 * time.Hour), To: now.Add(24 * time.Hour), Bucket: "week"})
		if err != nil || len(wk.Series) != 1 || wk.Series[0].Start.Weekday() != time.Monday {
			t.Fatalf("weekly: %+v %v", wk, err)
		}
		csvb, err := c.DashboardCSV(ctx, protocol.DashboardQuery{From: now.Add(-24 * time.Hour), To: now.Add(24 * time.Hour)})
		if err != nil || !bytes.HasPrefix(csvb, []byte("\uFEFF")) || !strings.Contains(string(csvb), "Tỷ lệ số hoá (%)") ||
			!strings.Contains(string(csvb), officeA+",UBND "+officeA+",1,1,1,0,0,4.0,1,0,0,2,1,50.0") {
			t.Fatalf("CSV: %v\n%s", err, csvb)
		}
		if _, err := c.Dashboard(ctx, protocol.DashboardQuery{Bucket: "month"}); apiCode(err) != protocol.ErrBadRequest {
			t.Fatalf("bad bucket: %v", err)
		}
	})
}

// A hub that applied dossiers before the review index existed fills it (and
// the dashboard's rollup) when it opens.
func TestAnOlderHubsDossiersAreIndexedWhenItOpens(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "hub.db")
	st, err := hub.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, st)
	now := e.clk.Now()
	code := officeA + "-261123-0001"
	e.push(e.a, dossierEvent(code, "Nguyễn Văn Cũ", "001190000077", "1.001193", now.Add(-time.Hour), now.Add(48*time.Hour)))
	e.srv.Close()
	st.Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DELETE FROM review_dossiers`, `DELETE FROM review_daily`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	st, err = hub.OpenSQLite(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	p, err := st.ReviewQueue(ctx, []string{officeA}, protocol.QueueQuery{Q: "nguyen van cu"}, now, now)
	if err != nil || len(p.Items) != 1 || p.Items[0].Applicant != "Nguyễn Văn Cũ" || p.Items[0].IDNumber != "001190000077" {
		t.Fatalf("queue after reindexing: %+v %v", p, err)
	}
	d, err := st.ReviewDashboard(ctx, []string{officeA}, protocol.DashboardQuery{From: now.Add(-24 * time.Hour), To: now}, now)
	if err != nil || d.Overall.Received != 1 || d.Overall.Papers != 2 {
		t.Fatalf("dashboard after reindexing: %+v %v", d, err)
	}
}
