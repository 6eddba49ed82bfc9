package hub

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/sync/protocol"
)

// The reviewer API of accounts (issue #9): bearer sessions opened by
// PathReviewLogin. Device signatures are refused here, and session tokens
// are refused by the device API (which only knows signatures).

var reviewCalendar = calendar.New(calendar.DefaultHours())

// reviewRoutes registers the reviewer API of accounts.
func (s *Server) reviewRoutes(mux *http.ServeMux) {
	mux.HandleFunc("POST "+protocol.PathReviewLogin, s.reviewLogin)
	mux.HandleFunc("POST "+protocol.PathReviewLogout, s.reviewLogout)
	mux.HandleFunc("GET "+protocol.PathReviewQueue, s.reviewQueue)
	mux.HandleFunc("GET "+protocol.PathReviewDossier+"{code}", s.reviewDossier)
	mux.HandleFunc("POST "+protocol.PathReviewDossier+"{code}/decision", s.reviewDecision)
	mux.HandleFunc("GET "+protocol.PathReviewFile+"{sha}", s.reviewFile)
	mux.HandleFunc("GET "+protocol.PathReviewDashboard, s.reviewDashboard)
	mux.HandleFunc("GET "+protocol.PathReviewDashCSV, s.reviewDashboardCSV)
}

func (s *Server) audit(r *http.Request, actor, action, entity string, detail map[string]any) {
	if detail == nil {
		detail = map[string]any{}
	}
	detail["remote"] = r.RemoteAddr
	if err := s.st.Audit(r.Context(), AuditEntry{At: s.now().UTC(), Actor: actor, Action: action, Entity: entity,
		Detail: auditDetail(detail)}); err != nil {
		s.log.Error("audit", "err", err.Error())
	}
}

// session authenticates a reviewer's request by its bearer token.
func (s *Server) session(w http.ResponseWriter, r *http.Request) (Account, string, bool) {
	if r.Header.Get(protocol.HeaderSignature) != "" || r.Header.Get(protocol.HeaderDevice) != "" {
		s.refuse(w, r, &authError{http.StatusForbidden, protocol.ErrForbidden, errors.New("the reviewer API takes an account's session, not a device signature")})
		return Account{}, "", false
	}
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || tok == "" {
		s.refuse(w, r, &authError{http.StatusUnauthorized, protocol.ErrNoSession, errors.New("log in first")})
		return Account{}, "", false
	}
	a, _, err := s.st.Session(r.Context(), SessionHash(tok), s.now())
	switch {
	case errors.Is(err, ErrSessionExpired):
		s.refuse(w, r, &authError{http.StatusUnauthorized, protocol.ErrSessionExpired, err})
	case errors.Is(err, ErrDisabled):
		s.refuse(w, r, &authError{http.StatusForbidden, protocol.ErrDisabled, err})
	case errors.Is(err, ErrNoSession):
		s.refuse(w, r, &authError{http.StatusUnauthorized, protocol.ErrNoSession, err})
	case err != nil:
		s.internal(w, r, err)
	default:
		return a, tok, true
	}
	return Account{}, "", false
}

func (s *Server) reviewLogin(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r, 4096)
	if err != nil {
		writeErr(w, http.StatusRequestEntityTooLarge, protocol.ErrTooLarge, "body too large")
		return
	}
	var in protocol.ReviewLogin
	if json.Unmarshal(body, &in) != nil || in.Username == "" {
		writeErr(w, http.StatusBadRequest, protocol.ErrBadRequest, "username and password required")
		return
	}
	tok, hash := NewSessionToken()
	now := s.now()
	a, exp, err := s.st.Login(r.Context(), in.Username, in.Password, hash, now)
	fail := func(status int, code string, err error) {
		s.audit(r, in.Username, "review.login.refused", "account:"+in.Username, map[string]any{"reason": code})
		s.refuse(w, r, &authError{status, code, err})
	}
	switch {
	case errors.Is(err, ErrBadLogin):
		fail(http.StatusUnauthorized, protocol.ErrBadLogin, err)
		return
	case errors.Is(err, ErrLocked):
		fail(http.StatusForbidden, protocol.ErrLocked, err)
		return
	case errors.Is(err, ErrDisabled):
		fail(http.StatusForbidden, protocol.ErrDisabled, err)
		return
	case err != nil:
		s.internal(w, r, err)
		return
	}
	out := protocol.ReviewSession{Token: tok, ExpiresAt: exp, Username: a.Username, DisplayName: a.DisplayName, Role: a.Role,
		Communes: []protocol.Commune{}}
	for _, c := range a.Communes {
		o, _ := s.st.Office(r.Context(), c)
		out.Communes = append(out.Communes, protocol.Commune{Code: c, Name: o.Name})
	}
	s.audit(r, a.Username, "review.login", "account:"+a.Username, nil)
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) reviewLogout(w http.ResponseWriter, r *http.Request) {
	a, tok, ok := s.session(w, r)
	if !ok {
		return
	}
	if err := s.st.EndSession(r.Context(), SessionHash(tok)); err != nil {
		s.internal(w, r, err)
		return
	}
	s.audit(r, a.Username, "review.logout", "account:"+a.Username, nil)
	writeJSON(w, http.StatusOK, struct{}{})
}

func parseTimeParam(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.ParseInLocation(time.DateOnly, v, vnZone)
}

func (s *Server) badQuery(w http.ResponseWriter, msg string) {
	writeErr(w, http.StatusBadRequest, protocol.ErrBadRequest, msg)
}

func (s *Server) reviewQueue(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.session(w, r)
	if !ok {
		return
	}
	v := r.URL.Query()
	q := protocol.QueueQuery{Queue: v.Get("queue"), Office: v.Get("office"), Procedure: v.Get("procedure"), Q: v.Get("q"), After: v.Get("after")}
	var err1, err2, err3, err4 error
	q.From, err1 = parseTimeParam(v.Get("from"))
	q.To, err2 = parseTimeParam(v.Get("to"))
	if v.Get("status") != "" {
		q.Status, err3 = strconv.Atoi(v.Get("status"))
	}
	if v.Get("limit") != "" {
		q.Limit, err4 = strconv.Atoi(v.Get("limit"))
	}
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		s.badQuery(w, "bad query parameter: "+err.Error())
		return
	}
	if q.Office != "" && !a.scopeHas(q.Office) {
		s.audit(r, a.Username, "review.queue.refused", "office:"+q.Office, nil)
		writeErr(w, http.StatusForbidden, protocol.ErrForbidden, "commune not in your scope")
		return
	}
	now := s.now()
	page, err := s.st.ReviewQueue(r.Context(), a.Communes, q, now, reviewCalendar.AddWorkingDays(now, 2))
	if errors.Is(err, ErrBadQuery) {
		s.badQuery(w, err.Error())
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.audit(r, a.Username, "review.queue", "queue:"+q.Queue, map[string]any{"office": q.Office, "q": q.Q, "items": len(page.Items)})
	writeJSON(w, http.StatusOK, page)
}

func (s *Server) reviewDossier(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.session(w, r)
	if !ok {
		return
	}
	code := r.PathValue("code")
	d, err := s.st.ReviewDossier(r.Context(), a.Communes, code, s.now())
	if errors.Is(err, ErrNotFound) {
		s.audit(r, a.Username, "review.dossier.refused", "dossier:"+code, nil)
		writeErr(w, http.StatusNotFound, protocol.ErrNotFound, "no such dossier in your scope")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	for i := range d.Papers {
		for j := range d.Papers[i].Files {
			f := &d.Papers[i].Files[j]
			f.MIME = "application/octet-stream"
			if fi, err := os.Stat(s.FilePath(f.SHA256)); err == nil && protocol.ValidSHA256(f.SHA256) {
				f.Held, f.Size, f.MIME = true, fi.Size(), s.sniff(f.SHA256)
			}
			f.Name = fileName(d.Papers[i].Name, j, len(d.Papers[i].Files), f.MIME)
		}
	}
	s.audit(r, a.Username, "review.dossier", "dossier:"+code, nil)
	writeJSON(w, http.StatusOK, d)
}

// sniff guesses a held file's MIME type from its first bytes.
func (s *Server) sniff(sha string) string {
	f, err := os.Open(s.FilePath(sha))
	if err != nil {
		return "application/octet-stream"
	}
	defer f.Close()
	b := make([]byte, 512)
	n, _ := io.ReadFull(f, b)
	b = b[:n]
	if bytes.HasPrefix(b, []byte("%PDF-")) {
		return "application/pdf"
	}
	return http.DetectContentType(b)
}

var extOf = map[string]string{"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/tiff": ".tif",
	"image/webp": ".webp"}

// fileName names the i-th of n files of a paper for the reviewer.
func fileName(paper string, i, n int, mime string) string {
	name := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`/\:*?"<>|`, r) || r < 32 {
			return '_'
		}
		return r
	}, strings.TrimSpace(paper))
	if name == "" {
		name = "tep"
	}
	if n > 1 {
		name += " (" + strconv.Itoa(i+1) + ")"
	}
	return name + extOf[mime]
}

func (s *Server) reviewFile(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.session(w, r)
	if !ok {
		return
	}
	sha := r.PathValue("sha")
	if !protocol.ValidSHA256(sha) {
		writeErr(w, http.StatusNotFound, protocol.ErrNotFound, "no such file")
		return
	}
	offices, err := s.st.FileOffices(r.Context(), sha)
	if err != nil {
		s.internal(w, r, err)
		return
	}
	in := false
	for _, o := range offices {
		in = in || a.scopeHas(o)
	}
	if !in {
		s.audit(r, a.Username, "review.file.refused", "file:"+sha, nil)
		writeErr(w, http.StatusNotFound, protocol.ErrNotFound, "no such file in your scope")
		return
	}
	f, err := os.Open(s.FilePath(sha))
	if err != nil {
		writeErr(w, http.StatusNotFound, protocol.ErrNotFound, "the hub does not hold this file yet")
		return
	}
	defer f.Close()
	s.audit(r, a.Username, "review.file", "file:"+sha, nil)
	w.Header().Set("Content-Type", s.sniff(sha))
	w.Header().Set("Cache-Control", "private, max-age=86400, immutable")
	http.ServeContent(w, r, "", time.Time{}, f)
}

func (s *Server) reviewDecision(w http.ResponseWriter, r *http.Request) {
	a, _, ok := s.session(w, r)
	if !ok {
		return
	}
	code := r.PathValue("code")
	if a.Role != protocol.AccountReviewer {
		s.audit(r, a.Username, "review.decide.refused", "dossier:"+code, map[string]any{"reason": "role"})
		writeErr(w, http.StatusForbidden, protocol.ErrForbidden, "this account may read but not decide")
		return
	}
	body, err := readBody(r, 64<<10)
	if err != nil {
		writeErr(w, http.StatusRequestEntityTooLarge, protocol.ErrTooLarge, "body too large")
		return
	}
	var req protocol.DecideRequest
	if err := json.Unmarshal(body, &req); err != nil {
		s.badQuery(w, "body is not a decision")
		return
	}
	req.Outcome = protocol.NormalizeOutcome(req.Outcome)
	var items []string
	for _, it := range req.Items {
		if it = strings.TrimSpace(it); it != "" {
			items = append(items, it)
		}
	}
	switch {
	case protocol.OutcomeStatus(req.Outcome) == 0:
		s.badQuery(w, "outcome must be accept, supplement, done or refuse")
		return
	case req.Outcome == protocol.OutcomeSupplement && len(items) == 0 && strings.TrimSpace(req.Note) == "":
		s.badQuery(w, "a supplement request needs the items that are missing")
		return
	case req.Outcome == protocol.OutcomeSupplement && strings.TrimSpace(req.Reason) == "":
		s.badQuery(w, "a supplement request needs a reason")
		return
	case req.Outcome == protocol.OutcomeRefused && strings.TrimSpace(req.Reason) == "" && strings.TrimSpace(req.Note) == "":
		s.badQuery(w, "a refusal needs a reason")
		return
	}
	if req.Outcome == protocol.OutcomeSupplement && len(items) == 0 {
		items = []string{strings.TrimSpace(req.Note)}
	}
	name := a.DisplayName
	if name == "" {
		name = a.Username
	}
	d, office, err := s.st.ReviewDecide(r.Context(), a.Communes, protocol.Decision{ID: newID(), Dossier: code, Outcome: req.Outcome,
		Status: protocol.OutcomeStatus(req.Outcome), Note: req.Note, Result: req.Result, Items: items, Reason: strings.TrimSpace(req.Reason),
		DecidedBy: name, At: s.now().UTC()})
	if errors.Is(err, ErrNotFound) {
		s.audit(r, a.Username, "review.decide.refused", "dossier:"+code, map[string]any{"reason": "scope"})
		writeErr(w, http.StatusNotFound, protocol.ErrNotFound, "no such dossier in your scope")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	s.wake(office)
	s.audit(r, a.Username, "review.decide", "dossier:"+code, map[string]any{"decision": d.ID, "outcome": d.Outcome, "items": len(d.Items)})
	s.log.Info("decision recorded", "dossier", d.Dossier, "outcome", d.Outcome, "account", a.Username)
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) dashboardQuery(w http.ResponseWriter, r *http.Request, a Account) (protocol.DashboardQuery, bool) {
	v := r.URL.Query()
	q := protocol.DashboardQuery{Office: v.Get("office"), Bucket: v.Get("bucket")}
	var err1, err2 error
	q.From, err1 = parseTimeParam(v.Get("from"))
	q.To, err2 = parseTimeParam(v.Get("to"))
	if err := errors.Join(err1, err2); err != nil {
		s.badQuery(w, "bad query parameter: "+err.Error())
		return q, false
	}
	if q.Office != "" && !a.scopeHas(q.Office) {
		s.audit(r, a.Username, "review.dashboard.refused", "office:"+q.Office, nil)
		writeErr(w, http.StatusForbidden, protocol.ErrForbidden, "commune not in your scope")
		return q, false
	}
	return q, true
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) (protocol.Dashboard, Account, bool) {
	a, _, ok := s.session(w, r)
	if !ok {
		return protocol.Dashboard{}, a, false
	}
	q, ok := s.dashboardQuery(w, r, a)
	if !ok {
		return protocol.Dashboard{}, a, false
	}
	d, err := s.st.ReviewDashboard(r.Context(), a.Communes, q, s.now())
	if errors.Is(err, ErrBadQuery) {
		s.badQuery(w, err.Error())
		return d, a, false
	}
	if err != nil {
		s.internal(w, r, err)
		return d, a, false
	}
	return d, a, true
}

func (s *Server) reviewDashboard(w http.ResponseWriter, r *http.Request) {
	d, a, ok := s.dashboard(w, r)
	if !ok {
		return
	}
	s.audit(r, a.Username, "review.dashboard", "dashboard", nil)
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) reviewDashboardCSV(w http.ResponseWriter, r *http.Request) {
	d, a, ok := s.dashboard(w, r)
	if !ok {
		return
	}
	s.audit(r, a.Username, "review.dashboard.csv", "dashboard", nil)
	var b bytes.Buffer
	if err := WriteDashboardCSV(&b, d); err != nil {
		s.internal(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="bang-theo-doi.csv"`)
	w.Write(b.Bytes())
}
