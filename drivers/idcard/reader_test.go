package idcard

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/motcua/motcua/drivers/devicetest"
	"github.com/motcua/motcua/drivers/serialport"
)

func TestFramer(t *testing.T) {
	mrz := strings.Split(vnMRZ(), "\n")
	cases := []struct {
		name    string
		chunks  []string
		want    []string
		dropped int
	}{
		{"a QR frame ending in CR LF is one frame", []string{qr2021 + "\r\n"}, []string{qr2021}, 0},
		{"a frame split across reads is joined", []string{qr2021[:10], qr2021[10:40], qr2021[40:] + "\r"}, []string{qr2021}, 0},
		{"STX/ETX framing is understood", []string{"\x02" + qr2021 + "\x03"}, []string{qr2021}, 0},
		{"three MRZ lines separated by CR make one frame", []string{mrz[0] + "\r" + mrz[1] + "\r", mrz[2] + "\r\n"}, []string{vnMRZ()}, 0},
		{"an incomplete MRZ is flushed by the next line", []string{mrz[0] + "\r" + qr2021 + "\r"}, []string{mrz[0], qr2021}, 0},
		{"a run longer than MaxFrame is dropped as garbage", []string{strings.Repeat("x", MaxFrame+5) + "\r" + qr2021 + "\r"}, []string{qr2021}, 1},
		{"empty lines are ignored", []string{"\r\n\r\n"}, nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var f Framer
			var got []string
			dropped := 0
			for _, ch := range c.chunks {
				fr, d := f.Feed([]byte(ch))
				got = append(got, fr...)
				dropped += d
			}
			if strings.Join(got, "¶") != strings.Join(c.want, "¶") || dropped != c.dropped {
				t.Fatalf("got %q (%d dropped), want %q (%d)", got, dropped, c.want, c.dropped)
			}
		})
	}
}

// TestSerialReaderOverAPtyPair runs the reader against a real serial line
// (a socat pty pair): whole frames, a frame split in pieces, garbage, an
// MRZ, then an unplug (socat killed) and a replug (socat restarted), after
// which reads go on.
func TestSerialReaderOverAPtyPair(t *testing.T) {
	ctx := devicetest.Ctx(t)
	pty := devicetest.NewPtyPair(t)

	states := make(chan State, 16)
	waits := make(chan int, 4)
	proceed := make(chan struct{})
	r := &SerialReader{
		Open: SerialOpener(serialport.Config{Name: pty.Device, Baud: 115200}),
		Wait: func(ctx context.Context, attempt int) error {
			waits <- attempt
			select {
			case <-proceed:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		},
		OnState: func(s State, err error) { states <- s },
	}
	done := make(chan error, 1)
	go func() { done <- r.Serve(ctx) }()

	expectState := func(want State) {
		t.Helper()
		if s := <-states; s != want {
			t.Fatalf("state %v, want %v", s, want)
		}
	}
	expectID := func(want string) {
		t.Helper()
		id, err := r.Next(ctx)
		if err != nil {
			t.Fatalf("read: %v", err)
		}
		if id.IDNumber != want {
			t.Fatalf("read ID %q, want %q", id.IDNumber, want)
		}
	}
	expectInvalid := func() {
		t.Helper()
		_, err := r.Next(ctx)
		var inv *InvalidRead
		if !errors.As(err, &inv) {
			t.Fatalf("got %v, want an invalid read", err)
		}
	}

	expectState(Connected)
	pty.Write([]byte(qr2021 + "\r\n"))
	expectID("001088012345")

	pty.Write([]byte(qr2024[:25]))
	pty.Write([]byte(qr2024[25:] + "\r"))
	expectID("001304012345")

	pty.Write([]byte("\x00\xff garbage at the wrong baud rate \x81\r"))
	expectInvalid()

	mrz := strings.Split(vnMRZ(), "\n")
	pty.Write([]byte(mrz[0] + "\r" + mrz[1] + "\r"))
	pty.Write([]byte(mrz[2] + "\r\n"))
	expectID("001088012345")

	// unplug
	pty.Kill()
	expectState(Disconnected)
	if a := <-waits; a != 1 {
		t.Fatalf("first reconnect attempt numbered %d", a)
	}
	// the port is gone: the next attempt fails and waits again
	proceed <- struct{}{}
	expectState(Disconnected)
	if a := <-waits; a != 2 {
		t.Fatalf("second reconnect attempt numbered %d", a)
	}
	// replug
	pty.Start()
	proceed <- struct{}{}
	expectState(Connected)
	pty.Write([]byte(qrSixFld + "\n"))
	expectID("079095000123")

	r.Flush()
	ctx2, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := r.Next(ctx2); !errors.Is(err, context.Canceled) {
		t.Fatalf("Next after Flush on a cancelled context: %v", err)
	}
}
