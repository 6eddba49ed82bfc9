package kiosk

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"
)

// The queue's other side: the counter calls the next number, the kiosk
// tells the hall "Mời số A012 đến quầy 1". Both read the same store, so the
// queue survives a restart of either.

// QueuedTicket is a ticket as the store keeps it.
type QueuedTicket struct {
	ID       int64
	Service  string
	Number   int
	TakenAt  time.Time
	CalledAt time.Time // zero while waiting
	CalledBy string    // the counter that called it
}

// QueueRecords is what Queue reads and writes; app/wire adapts the store.
type QueueRecords interface {
	// QueueToday returns today's tickets in the order they were taken.
	QueueToday(ctx context.Context) ([]QueuedTicket, error)
	// CallNext marks today's oldest waiting ticket (of service, or of any
	// service when service is "") as called by counter; an error wrapping
	// ErrQueueEmpty when nobody waits.
	CallNext(ctx context.Context, service, counter string) (QueuedTicket, error)
	// Recall calls ticket id again from counter (its call time becomes now).
	Recall(ctx context.Context, id int64, counter string) (QueuedTicket, error)
}

// Errors of Queue.
var (
	ErrQueueEmpty      = errors.New("nobody is waiting")
	ErrNothingToRecall = errors.New("this counter has called no number today")
)

// Call is a number called to a counter: all the hall is told.
type Call struct {
	Label   string // "A012"
	Service string
	Counter string // "1"
	At      time.Time
}

// Waiting is a ticket not called yet.
type Waiting struct {
	Label   string
	Service string
	TakenAt time.Time
}

// Board is what a counter's queue page shows.
type Board struct {
	Serving *Call     // the number this counter called last today; nil if none
	Waiting []Waiting // in the order they will be called (oldest first)
	Served  int       // numbers this counter called today
}

// Queue is the counter's side of the queue. Labels come from the kiosk's
// services, so the counter shows the number printed on the ticket.
type Queue struct {
	Records QueueRecords
	// Services are the kiosk's queue services in order (Service.Services).
	Services func() []string
}

func (q *Queue) label(services []string, t QueuedTicket) string {
	if i := slices.Index(services, t.Service); i >= 0 {
		return TicketLabel(i, t.Number)
	}
	return fmt.Sprintf("#%03d", t.Number) // a service no longer offered
}

func (q *Queue) services() []string {
	if q.Services == nil {
		return nil
	}
	return q.Services()
}

func (q *Queue) call(services []string, t QueuedTicket) Call {
	return Call{Label: q.label(services, t), Service: t.Service, Counter: t.CalledBy, At: t.CalledAt}
}

// Board returns counter's view of today's queue, waiting tickets of
// service only unless service is "".
func (q *Queue) Board(ctx context.Context, counter, service string) (Board, error) {
	ts, err := q.Records.QueueToday(ctx)
	if err != nil {
		return Board{}, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	sv := q.services()
	var b Board
	for _, t := range ts {
		switch {
		case t.CalledAt.IsZero():
			if service == "" || t.Service == service {
				b.Waiting = append(b.Waiting, Waiting{Label: q.label(sv, t), Service: t.Service, TakenAt: t.TakenAt})
			}
		case t.CalledBy == counter:
			b.Served++
			if b.Serving == nil || !t.CalledAt.Before(b.Serving.At) {
				c := q.call(sv, t)
				b.Serving = &c
			}
		}
	}
	return b, nil
}

// CallNext calls the oldest waiting number (of service, or of any service)
// to counter. ErrQueueEmpty when nobody waits.
func (q *Queue) CallNext(ctx context.Context, counter, service string) (Call, error) {
	t, err := q.Records.CallNext(ctx, service, counter)
	if errors.Is(err, ErrQueueEmpty) {
		return Call{}, ErrQueueEmpty
	}
	if err != nil {
		return Call{}, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return q.call(q.services(), t), nil
}

// Recall calls counter's current number again (the citizen did not come).
func (q *Queue) Recall(ctx context.Context, counter string) (Call, error) {
	b, err := q.Records.QueueToday(ctx)
	if err != nil {
		return Call{}, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	var last *QueuedTicket
	for i, t := range b {
		if t.CalledBy == counter && !t.CalledAt.IsZero() && (last == nil || !t.CalledAt.Before(last.CalledAt)) {
			last = &b[i]
		}
	}
	if last == nil {
		return Call{}, ErrNothingToRecall
	}
	t, err := q.Records.Recall(ctx, last.ID, counter)
	if err != nil {
		return Call{}, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	return q.call(q.services(), t), nil
}

// Calls returns the last number each counter called today, the newest
// first: what the kiosk shows the hall.
func (q *Queue) Calls(ctx context.Context) ([]Call, error) {
	ts, err := q.Records.QueueToday(ctx)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnavailable, err)
	}
	sv := q.services()
	last := map[string]QueuedTicket{}
	for _, t := range ts {
		if t.CalledAt.IsZero() {
			continue
		}
		if l, ok := last[t.CalledBy]; !ok || !t.CalledAt.Before(l.CalledAt) {
			last[t.CalledBy] = t
		}
	}
	out := make([]Call, 0, len(last))
	for _, t := range last {
		out = append(out, q.call(sv, t))
	}
	slices.SortFunc(out, func(a, b Call) int {
		return cmp.Or(b.At.Compare(a.At), cmp.Compare(a.Counter, b.Counter))
	})
	return out, nil
}

// CounterQueue is Queue bound to one counter, as the counter's queue page
// uses it.
type CounterQueue struct {
	*Queue
	Counter string
}

// Board is the counter's board (see Queue.Board).
func (c CounterQueue) Board(ctx context.Context, service string) (Board, error) {
	return c.Queue.Board(ctx, c.Counter, service)
}

// CallNext calls the next number to this counter.
func (c CounterQueue) CallNext(ctx context.Context, service string) (Call, error) {
	return c.Queue.CallNext(ctx, c.Counter, service)
}

// Recall calls this counter's current number again.
func (c CounterQueue) Recall(ctx context.Context) (Call, error) {
	return c.Queue.Recall(ctx, c.Counter)
}

// Name is the counter's number as the hall is told ("1").
func (c CounterQueue) Name() string { return c.Counter }

// ServiceList returns the queue's services.
func (c CounterQueue) ServiceList() []string { return c.services() }
