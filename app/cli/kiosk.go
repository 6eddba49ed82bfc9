package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/kiosk"
)

// KioskPIN sets the technician's PIN that leaves kiosk mode (read from the
// first line of stdin, 4 to 12 digits, stored as an argon2id hash) and,
// optionally, the kiosk's other settings:
//
//	printf '%s\n' "$PIN" | motcua kiosk-pin --idle 60 --orientation portrait \
//	    --ticket-printer tcp://192.168.1.50:9100
//
// --keep-pin changes only the other settings.
func KioskPIN(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env *wire.Env) int {
	fs := flag.NewFlagSet("kiosk-pin", flag.ContinueOnError)
	fs.SetOutput(stderr)
	ks, err := env.Store.KioskSettings(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "motcua kiosk-pin:", err)
		return 1
	}
	fs.IntVar(&ks.IdleSeconds, "idle", ks.IdleSeconds, "seconds without a touch before the kiosk returns to its start screen (0 = 60)")
	fs.StringVar(&ks.Orientation, "orientation", ks.Orientation, "portrait, landscape, or empty to follow the screen")
	fs.StringVar(&ks.TicketPrinter, "ticket-printer", ks.TicketPrinter,
		"ESC/POS printer: tcp://HOST:9100, serial:/dev/ttyUSB0?baud=19200, usb:/dev/usb/lp0; empty = system printer")
	fs.Float64Var(&ks.FontScale, "font-scale", ks.FontScale, "text size factor (0 = 1)")
	fs.StringVar(&ks.Scanner, "scanner", ks.Scanner,
		"serial QR scanner: /dev/ttyACM0, COM3, optionally ?baud=9600; empty = keyboard-wedge scanner only")
	keep := fs.Bool("keep-pin", false, "keep the current PIN, change only the other settings")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if ks.Scanner != "" {
		if _, err := wire.ParseScannerPort(ks.Scanner); err != nil {
			fmt.Fprintf(stderr, "motcua kiosk-pin: cổng máy quét QR không hợp lệ (invalid --scanner): %v\n", err)
			return 2
		}
	}
	if !*keep {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && line == "" {
			fmt.Fprintln(stderr, "motcua kiosk-pin: no PIN on standard input")
			return 2
		}
		pin := strings.TrimRight(line, "\r\n")
		if len(pin) < 4 || len(pin) > kiosk.MaxPINLen || strings.Trim(pin, "0123456789") != "" {
			fmt.Fprintf(stderr, "motcua kiosk-pin: the PIN must be 4 to %d digits\n", kiosk.MaxPINLen)
			return 2
		}
		if ks.PINHash, err = auth.HashPassword(pin); err != nil {
			fmt.Fprintln(stderr, "motcua kiosk-pin:", err)
			return 1
		}
	}
	if err := env.Store.SaveKioskSettings(ctx, ks, "technician"); err != nil {
		fmt.Fprintln(stderr, "motcua kiosk-pin:", err)
		return 1
	}
	fmt.Fprintln(stdout, "kiosk settings saved")
	return 0
}
