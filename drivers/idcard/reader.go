package idcard

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/cenkalti/backoff/v4"

	"github.com/motcua/motcua/drivers/serialport"
	"github.com/motcua/motcua/internal/dossier"
)

// Source is anything that reads cards: the serial QR/MRZ reader now, a chip
// reader (ICAO 9303 BAC/PACE, DG1/DG13) later. Next blocks until a card is
// read, the context ends, or the read fails (an *InvalidRead for a frame that
// is not a card).
type Source interface {
	Next(ctx context.Context) (Identity, error)
}

// InvalidRead is a frame that arrived but is not a valid card; Err says why
// (without the data read).
type InvalidRead struct{ Err error }

func (e *InvalidRead) Error() string { return "card not readable: " + e.Err.Error() }
func (e *InvalidRead) Unwrap() error { return e.Err }

// State is the connection state of a reader.
type State int

const (
	Disconnected State = iota
	Connected
)

func (s State) String() string {
	if s == Connected {
		return "connected"
	}
	return "disconnected"
}

// Opener opens the reader's transport.
type Opener func() (io.ReadCloser, error)

// SerialOpener opens a serial port with cfg.
func SerialOpener(cfg serialport.Config) Opener {
	return func() (io.ReadCloser, error) { return serialport.Open(cfg) }
}

// Read is one frame's result.
type Read struct {
	Identity Identity
	Err      error     // *InvalidRead
	At       time.Time // when the frame arrived
}

// MaxCardAge is how old a read ReadCard still hands out: a card shown to the
// reader just before the clerk pressed "Đọc thẻ" counts, the previous
// citizen's does not.
const MaxCardAge = 2 * time.Minute

// SerialReader reads cards from a serial (USB-CDC or RS-232) QR/MRZ reader.
// Serve keeps the port open, reconnecting after an unplug; Next hands out the
// reads.
type SerialReader struct {
	Open Opener
	// Wait pauses before reconnect attempt n (1, 2, …); nil = exponential
	// backoff from 250 ms to 5 s with no overall deadline.
	Wait func(ctx context.Context, attempt int) error
	// OnState is told of every connection change (err is why it went down).
	OnState func(s State, err error)
	Logger  *slog.Logger
	Now     func() time.Time // nil = time.Now

	once  sync.Once
	reads chan Read
}

var _ Source = (*SerialReader)(nil)

func (r *SerialReader) init() {
	r.once.Do(func() { r.reads = make(chan Read, 8) })
}

// Next returns the next read.
func (r *SerialReader) Next(ctx context.Context) (Identity, error) {
	r.init()
	select {
	case rd := <-r.reads:
		return rd.Identity, rd.Err
	case <-ctx.Done():
		return Identity{}, ctx.Err()
	}
}

// Reads is the channel Next reads from, for callers that select on it.
func (r *SerialReader) Reads() <-chan Read {
	r.init()
	return r.reads
}

// Serve reads until ctx ends. It returns ctx's error.
func (r *SerialReader) Serve(ctx context.Context) error {
	r.init()
	wait := r.Wait
	if wait == nil {
		bo := backoff.NewExponentialBackOff(backoff.WithInitialInterval(250*time.Millisecond),
			backoff.WithMaxInterval(5*time.Second), backoff.WithMaxElapsedTime(0))
		wait = func(ctx context.Context, attempt int) error {
			if attempt == 1 {
				bo.Reset()
			}
			t := time.NewTimer(bo.NextBackOff())
			defer t.Stop()
			select {
			case <-t.C:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	attempt := 0
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		port, err := r.Open()
		if err != nil {
			attempt++
			r.state(Disconnected, err)
			if werr := wait(ctx, attempt); werr != nil {
				return werr
			}
			continue
		}
		attempt = 0
		r.state(Connected, nil)
		err = r.pump(ctx, port)
		port.Close()
		if ctx.Err() != nil {
			r.state(Disconnected, nil)
			return ctx.Err()
		}
		r.state(Disconnected, err)
		attempt++
		if werr := wait(ctx, attempt); werr != nil {
			return werr
		}
	}
}

func (r *SerialReader) state(s State, err error) {
	if r.Logger != nil {
		if err != nil {
			r.Logger.Info("card reader", "state", s.String(), "err", err)
		} else {
			r.Logger.Info("card reader", "state", s.String())
		}
	}
	if r.OnState != nil {
		r.OnState(s, err)
	}
}

// pump reads frames from port until an error other than a timeout.
func (r *SerialReader) pump(ctx context.Context, port io.Reader) error {
	var f Framer
	buf := make([]byte, 512)
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		n, err := port.Read(buf)
		if n > 0 {
			frames, dropped := f.Feed(buf[:n])
			for i := 0; i < dropped; i++ {
				r.emit(ctx, Read{Err: &InvalidRead{Err: errors.New("frame too long")}})
			}
			for _, fr := range frames {
				id, perr := Parse(fr)
				if perr != nil {
					r.emit(ctx, Read{Err: &InvalidRead{Err: perr}})
					continue
				}
				r.emit(ctx, Read{Identity: id})
			}
		}
		switch {
		case err == nil:
		case errors.Is(err, serialport.ErrTimeout):
		case errors.Is(err, io.EOF):
			return fmt.Errorf("%w: end of stream", serialport.ErrUnplugged)
		default:
			return err
		}
	}
}

// emit hands a read to Next; when nobody has taken the last eight, the
// oldest is dropped (a stale card must not fill a later form).
func (r *SerialReader) emit(ctx context.Context, rd Read) {
	rd.At = r.now()
	for {
		select {
		case r.reads <- rd:
			return
		case <-ctx.Done():
			return
		default:
			select {
			case <-r.reads:
			default:
			}
		}
	}
}

// Flush drops reads nobody took yet, so that the next Next waits for a card
// presented from now on.
func (r *SerialReader) Flush() {
	r.init()
	for {
		select {
		case <-r.reads:
		default:
			return
		}
	}
}

func (r *SerialReader) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// ReadCard waits for a card read no older than MaxCardAge and returns it as
// the reception form's applicant (counter.CardReader).
func (r *SerialReader) ReadCard(ctx context.Context) (dossier.Applicant, error) {
	r.init()
	for {
		select {
		case rd := <-r.reads:
			if r.now().Sub(rd.At) > MaxCardAge {
				continue
			}
			if rd.Err != nil {
				return dossier.Applicant{}, rd.Err
			}
			return rd.Identity.Applicant(), nil
		case <-ctx.Done():
			return dossier.Applicant{}, ctx.Err()
		}
	}
}
