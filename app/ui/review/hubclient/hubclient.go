// Package hubclient adapts protocol.ReviewClient, the hub's reviewer API, to
// review.Service, the interface the review screens use. It maps the hub's
// wire types to the screens' types and the hub's errors to review's errors
// (network failures become review.ErrUnreachable).
package hubclient

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/motcua/motcua/app/ui/review"
	"github.com/motcua/motcua/sync/protocol"
)

// WeeklyAfter is the longest period the dashboard's chart shows per day;
// longer periods are shown per week.
const WeeklyAfter = 92 * 24 * time.Hour

// MaxFile bounds a scanned file fetched from the hub.
const MaxFile = 64 << 20

// Client is a review.Service over one hub.
type Client struct {
	C *protocol.ReviewClient
}

var _ review.Service = (*Client)(nil)

// New makes the client of hub (an http or https URL).
func New(hub string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(strings.TrimSpace(hub))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: hub address %q is not an http(s) URL", review.ErrBadAddress, hub)
	}
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	return &Client{C: &protocol.ReviewClient{HubURL: u.String(), HTTP: hc}}, nil
}

// Connector is a review.Connector making Clients.
func Connector(hc *http.Client) review.Connector {
	return func(hub string) (review.Service, error) {
		c, err := New(hub, hc)
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}

// mapErr turns the hub's answers into review's errors.
func mapErr(err error) error {
	if err == nil {
		return nil
	}
	var ae *protocol.APIError
	if errors.As(err, &ae) {
		var kind error
		switch ae.Code {
		case protocol.ErrBadLogin:
			kind = review.ErrBadLogin
		case protocol.ErrLocked:
			kind = review.ErrLocked
		case protocol.ErrDisabled:
			kind = review.ErrDisabled
		case protocol.ErrSessionExpired, protocol.ErrNoSession:
			kind = review.ErrSession
		case protocol.ErrForbidden:
			kind = review.ErrForbidden
		case protocol.ErrNotFound:
			kind = review.ErrNotFound
		case protocol.ErrConflict:
			kind = review.ErrConflict
		case protocol.ErrBadRequest:
			kind = review.ErrBadRequest
		}
		if kind == nil {
			switch ae.Status {
			case http.StatusUnauthorized:
				kind = review.ErrSession
			case http.StatusForbidden:
				kind = review.ErrForbidden
			case http.StatusNotFound:
				kind = review.ErrNotFound
			case http.StatusConflict:
				kind = review.ErrConflict
			case http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
				kind = review.ErrUnreachable
			}
		}
		if kind != nil {
			return fmt.Errorf("%w: %w", kind, err)
		}
		return err
	}
	var ne net.Error
	var ue *url.Error
	if errors.As(err, &ne) || errors.As(err, &ue) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%w: %w", review.ErrUnreachable, err)
	}
	return err
}

// Login implements review.Service.
func (c *Client) Login(ctx context.Context, user, password string) (review.Session, error) {
	s, err := c.C.Login(ctx, user, password)
	if err != nil {
		return review.Session{}, mapErr(err)
	}
	out := review.Session{User: s.Username, Name: s.DisplayName, Role: s.Role, Expires: s.ExpiresAt}
	for _, cm := range s.Communes {
		out.Communes = append(out.Communes, review.Commune{Code: cm.Code, Name: cm.Name})
	}
	return out, nil
}

// Logout ends the session at the hub (the screens call it on sign-out).
func (c *Client) Logout(ctx context.Context) error { return mapErr(c.C.Logout(ctx)) }

// Queue implements review.Service. The dates of q are days: To includes its
// whole day.
func (c *Client) Queue(ctx context.Context, q review.Query) (review.Page, error) {
	pq := protocol.QueueQuery{Queue: q.Queue, Office: q.Office, Procedure: q.Procedure, From: q.From, Status: q.Status,
		Q: q.Text, After: q.After, Limit: q.Limit}
	if !q.To.IsZero() {
		pq.To = q.To.AddDate(0, 0, 1)
	}
	p, err := c.C.Queue(ctx, pq)
	if err != nil {
		return review.Page{}, mapErr(err)
	}
	out := review.Page{Next: p.Next, Items: make([]review.Row, 0, len(p.Items))}
	for _, it := range p.Items {
		out.Items = append(out.Items, review.Row{Code: it.Code, Office: it.Office, OfficeName: it.OfficeName,
			Procedure: it.Procedure, ProcedureName: it.ProcedureName, Applicant: it.Applicant, IDNumber: it.IDNumber,
			Status: it.Status, ReceivedAt: it.ReceivedAt, DueAt: it.DueAt, Overdue: it.Overdue})
	}
	return out, nil
}

// Dossier implements review.Service.
func (c *Client) Dossier(ctx context.Context, code string) (review.Dossier, error) {
	d, err := c.C.Dossier(ctx, code)
	if err != nil {
		return review.Dossier{}, mapErr(err)
	}
	out := review.Dossier{
		Row: review.Row{Code: d.Code, Office: d.Office, OfficeName: d.OfficeName, Procedure: d.Procedure,
			ProcedureName: d.ProcedureName, Applicant: d.Applicant.FullName, IDNumber: d.Applicant.IDNumber,
			Status: d.Status, ReceivedAt: d.ReceivedAt, DueAt: d.DueAt, Overdue: d.Overdue},
		Address: d.Applicant.Address, Phone: d.Applicant.Phone, Missing: d.Missing,
	}
	for _, p := range d.Papers {
		rp := review.Paper{Name: p.Name, Required: p.Required, Provided: p.Provided, Digitised: p.Digitised}
		for _, f := range p.Files {
			rp.Files = append(rp.Files, review.File{SHA256: f.SHA256, Name: f.Name, Size: f.Size, MIME: f.MIME, Held: f.Held})
		}
		out.Papers = append(out.Papers, rp)
	}
	for _, h := range d.History {
		out.History = append(out.History, review.Event{At: h.At, Actor: h.Actor, Action: h.Action, To: h.To, Note: h.Note})
	}
	for _, n := range d.Notes {
		t := n.Text
		if n.Author != "" {
			t = n.Author + ": " + t
		}
		if !n.At.IsZero() {
			t = n.At.In(time.FixedZone("ICT", 7*3600)).Format("15:04 02/01/2006") + " · " + t
		}
		out.Notes = append(out.Notes, t)
	}
	return out, nil
}

// File implements review.Service.
func (c *Client) File(ctx context.Context, sha string) ([]byte, error) {
	rc, err := c.C.File(ctx, sha)
	if err != nil {
		return nil, mapErr(err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, MaxFile+1))
	if err != nil {
		return nil, mapErr(err)
	}
	if len(b) > MaxFile {
		return nil, fmt.Errorf("file %s: larger than %d bytes", sha, MaxFile)
	}
	return b, nil
}

// Decide implements review.Service.
func (c *Client) Decide(ctx context.Context, code string, d review.Decision) error {
	req := protocol.DecideRequest{Items: d.Items, Reason: d.Reason, Result: d.Result}
	switch d.Outcome {
	case review.Accept:
		req.Outcome = protocol.OutcomeProcessing
	case review.Supplement:
		req.Outcome = protocol.OutcomeSupplement
		req.Note = d.Reason
	case review.Done:
		req.Outcome = protocol.OutcomeDone
	case review.Refuse:
		req.Outcome = protocol.OutcomeRefused
		req.Note = d.Reason
	default:
		return fmt.Errorf("%w: outcome %q", review.ErrBadRequest, d.Outcome)
	}
	_, err := c.C.Decide(ctx, code, req)
	return mapErr(err)
}

func dashQuery(q review.DashQuery) protocol.DashboardQuery {
	pq := protocol.DashboardQuery{Office: q.Office, From: q.From, Bucket: protocol.BucketDay}
	if !q.To.IsZero() {
		pq.To = q.To.AddDate(0, 0, 1)
	}
	to := pq.To
	if to.IsZero() {
		to = time.Now()
	}
	if !q.From.IsZero() && to.Sub(q.From) > WeeklyAfter {
		pq.Bucket = protocol.BucketWeek // a readable chart over a long period
	}
	return pq
}

func stats(r protocol.DashboardRow) review.Stats {
	return review.Stats{Office: r.Office, Name: r.Name, Received: int(r.Received), Done: int(r.Done), OnTime: int(r.OnTime),
		Late: int(r.Late), OverdueNow: int(r.OverdueNow), AvgDays: r.AvgHours / 24,
		Votes: [3]int{int(r.VotesGood), int(r.VotesOK), int(r.VotesBad)}, Digitised: r.DigitisedShare}
}

// Dashboard implements review.Service.
func (c *Client) Dashboard(ctx context.Context, q review.DashQuery) (review.Dashboard, error) {
	d, err := c.C.Dashboard(ctx, dashQuery(q))
	if err != nil {
		return review.Dashboard{}, mapErr(err)
	}
	out := review.Dashboard{Total: stats(d.Overall), Weekly: d.Bucket == protocol.BucketWeek}
	for _, r := range d.Communes {
		out.Offices = append(out.Offices, stats(r))
	}
	for _, p := range d.Series {
		out.Series = append(out.Series, review.Point{Day: p.Start, Received: int(p.Received), Done: int(p.Done)})
	}
	return out, nil
}

// DashboardCSV implements review.Service.
func (c *Client) DashboardCSV(ctx context.Context, q review.DashQuery) ([]byte, error) {
	b, err := c.C.DashboardCSV(ctx, dashQuery(q))
	return b, mapErr(err)
}
