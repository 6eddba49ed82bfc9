package wire_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/drivers/devicetest"
)

func TestParseScannerPort(t *testing.T) {
	tests := []struct {
		name, in string
		port     string
		baud     int
		bad      bool
	}{
		{"a bare device uses 9600 baud", "/dev/ttyACM0", "/dev/ttyACM0", 9600, false},
		{"a Windows port with a baud rate", "COM3?baud=115200", "COM3", 115200, false},
		{"spaces around are ignored", "  /dev/ttyUSB0?baud=19200 ", "/dev/ttyUSB0", 19200, false},
		{"an empty port is refused", "?baud=9600", "", 0, true},
		{"a baud that is not a number is refused", "/dev/ttyACM0?baud=fast", "", 0, true},
		{"a zero baud is refused", "/dev/ttyACM0?baud=0", "", 0, true},
		{"an unknown option is refused", "/dev/ttyACM0?parity=E", "", 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := wire.ParseScannerPort(tt.in)
			if tt.bad {
				if err == nil {
					t.Fatalf("%q accepted as %+v", tt.in, cfg)
				}
				return
			}
			if err != nil || cfg.Name != tt.port || cfg.Baud != tt.baud {
				t.Fatalf("%q: %+v, %v", tt.in, cfg, err)
			}
		})
	}
}

// TestASerialQRScannerFeedsTheKioskAndSurvivesAnUnplug runs ReadScanner on
// one end of a socat pty pair and sends codes from the other end as a
// scanner does: CR, LF or CRLF after each code, an over-long line, then the
// scanner unplugged and plugged back in.
func TestASerialQRScannerFeedsTheKioskAndSurvivesAnUnplug(t *testing.T) {
	pty := devicetest.NewPtyPair(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cfg, err := wire.ParseScannerPort(pty.Device + "?baud=9600")
	if err != nil {
		t.Fatal(err)
	}
	lines := make(chan string, 16)
	done := make(chan struct{})
	go func() {
		defer close(done)
		wire.ReadScanner(ctx, cfg, func(s string) { lines <- s }, slog.New(slog.NewTextHandler(io.Discard, nil)), 20*time.Millisecond)
	}()
	warmUp := "000.00.06.H56-261123-0001"
	next := func() string { // the next line, past repeats of the warm-up line
		t.Helper()
		for {
			select {
			case s := <-lines:
				if s != warmUp {
					return s
				}
			case <-time.After(10 * time.Second):
				t.Fatal("no line from the scanner")
				return ""
			}
		}
	}
	// the reader opens the port asynchronously: send until the first line
	// arrives (a pty drops what is written before the other end is open)
	first := warmUp
	var got string
	for got == "" {
		pty.Write([]byte(first + "\r\n"))
		select {
		case got = <-lines:
		case <-time.After(100 * time.Millisecond):
		}
	}
	if got != first {
		t.Fatalf("first line %q", got)
	}
	qr := "MC1.000.00.06.H56-261123-0002.abc.def.12345678.sig"
	pty.Write([]byte(strings.Repeat("9", 600) + "\r" + qr + "\r\n\n2611230003\n"))
	if s := next(); s != qr {
		t.Fatalf("after an over-long line: %q, want the receipt payload", s)
	}
	if s := next(); s != "2611230003" {
		t.Fatalf("a bare LF line: %q", s)
	}

	// unplugged, then plugged back in: the reader reopens the same port
	pty.Kill()
	pty.Start()
	for got = ""; got == ""; {
		pty.Write([]byte("2611230004\n"))
		select {
		case got = <-lines:
		case <-time.After(100 * time.Millisecond):
		}
	}
	if got != "2611230004" {
		t.Fatalf("after replugging: %q", got)
	}

	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("ReadScanner did not stop when its context ended")
	}
}
