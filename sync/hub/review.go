package hub

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/motcua/motcua/sync/protocol"
)

// reviewer authenticates a reviewer's request.
func (s *Server) reviewer(w http.ResponseWriter, r *http.Request, bodySHA string) (Device, bool) {
	dev, aerr := s.authenticate(r, bodySHA)
	if aerr != nil {
		s.refuse(w, r, aerr)
		return dev, false
	}
	if dev.Role != RoleReviewer {
		s.refuse(w, r, &authError{http.StatusForbidden, protocol.ErrForbidden, errors.New("reviewer API is for reviewers")})
		return dev, false
	}
	return dev, true
}

func (s *Server) reviewList(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.reviewer(w, r, protocol.EmptySHA256); !ok {
		return
	}
	q := r.URL.Query()
	status, _ := strconv.Atoi(q.Get("status"))
	limit, _ := strconv.Atoi(q.Get("limit"))
	list, err := s.st.ListDossiers(r.Context(), ReviewFilter{Office: q.Get("office"), Status: status,
		Overdue: q.Get("overdue") == "true" || q.Get("overdue") == "1", Limit: limit, Now: s.now()})
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, protocol.ListResponse{Dossiers: list})
}

func (s *Server) reviewShow(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.reviewer(w, r, protocol.EmptySHA256); !ok {
		return
	}
	d, err := s.st.Dossier(r.Context(), r.PathValue("code"))
	if errors.Is(err, ErrNotFound) {
		writeErr(w, http.StatusNotFound, protocol.ErrNotFound, "no such dossier")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

func (s *Server) reviewDecide(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(r, 64<<10)
	if err != nil {
		writeErr(w, http.StatusRequestEntityTooLarge, protocol.ErrTooLarge, "body too large")
		return
	}
	dev, ok := s.reviewer(w, r, protocol.BodySHA(body))
	if !ok {
		return
	}
	var req protocol.DecideRequest
	if err := json.Unmarshal(body, &req); err != nil || protocol.OutcomeStatus(req.Outcome) == 0 {
		writeErr(w, http.StatusBadRequest, protocol.ErrBadRequest, "outcome must be processing, supplement, done or refused")
		return
	}
	if req.Outcome == protocol.OutcomeSupplement && strings.TrimSpace(req.Note) == "" {
		writeErr(w, http.StatusBadRequest, protocol.ErrBadRequest, "a supplement request needs a note saying what is missing")
		return
	}
	// A reviewer key sees every office: the decision goes through the same
	// path as an account's (review index, rollup, feed) with the dossier's
	// own office as scope.
	var scope []string
	if dd, err := s.st.Dossier(r.Context(), r.PathValue("code")); err == nil {
		scope = []string{dd.Office}
	}
	d, _, err := s.st.ReviewDecide(r.Context(), scope, protocol.Decision{ID: newID(), Dossier: r.PathValue("code"), Outcome: req.Outcome,
		Status: protocol.OutcomeStatus(req.Outcome), Note: req.Note, Result: req.Result, DecidedBy: dev.Name, At: s.now().UTC()})
	if errors.Is(err, ErrNotFound) {
		writeErr(w, http.StatusNotFound, protocol.ErrNotFound, "no such dossier")
		return
	}
	if err != nil {
		s.internal(w, r, err)
		return
	}
	if dd, err := s.st.Dossier(r.Context(), d.Dossier); err == nil {
		s.wake(dd.Office)
	}
	s.log.Info("decision recorded", "dossier", d.Dossier, "outcome", d.Outcome, "reviewer", dev.ID)
	writeJSON(w, http.StatusOK, d)
}
