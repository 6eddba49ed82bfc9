package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/motcua/motcua/drivers/idcard"
	"github.com/motcua/motcua/drivers/serialport"
)

const idcardUsage = `usage: motcua idcard parse < card.txt
       motcua idcard listen --port DEV [--baud N] [--parity N|E|O] [--stop-bits 1|2] [--count N]

parse   reads a CCCD QR string or the three MRZ lines (ICAO 9303 TD1) on
        stdin and prints one JSON object: id_number, old_id_number,
        full_name, birth_date (YYYY-MM-DD), sex ("male"|"female"), address,
        issue_date, expiry_date, source ("qr"|"mrz"); absent fields are
        omitted. Invalid input: exit status 1 and a one-line reason.
listen  opens a serial card reader and prints each card read as one JSON
        line (reads that are not a card go to stderr); it reconnects when
        the reader is unplugged and plugged back, and stops on Ctrl+C or
        after --count cards.
`

// maxCardInput bounds what parse reads from stdin.
const maxCardInput = 64 << 10

// IDCard runs "motcua idcard …".
func IDCard(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, idcardUsage)
		return 2
	}
	switch args[0] {
	case "parse":
		return idcardParse(args[1:], stdin, stdout, stderr)
	case "listen":
		return idcardListen(ctx, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, idcardUsage)
		return 0
	}
	fmt.Fprintf(stderr, "idcard: unknown subcommand %q\n%s", args[0], idcardUsage)
	return 2
}

func idcardParse(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) != 0 {
		fmt.Fprint(stderr, idcardUsage)
		return 2
	}
	data, err := io.ReadAll(io.LimitReader(stdin, maxCardInput+1))
	if err != nil {
		fmt.Fprintln(stderr, "idcard: read stdin:", err)
		return 1
	}
	if len(data) > maxCardInput {
		fmt.Fprintln(stderr, "idcard: input too long")
		return 1
	}
	id, err := idcard.Parse(string(data))
	if err != nil {
		fmt.Fprintln(stderr, "idcard:", oneLine(err))
		return 1
	}
	out, _ := json.Marshal(id)
	fmt.Fprintf(stdout, "%s\n", out)
	return 0
}

func oneLine(err error) string {
	return strings.Join(strings.Fields(err.Error()), " ")
}

func idcardListen(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("idcard listen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	port := fs.String("port", "", "serial port of the reader, e.g. /dev/ttyACM0 or COM3 (required)")
	baud := fs.Int("baud", 9600, "baud rate")
	parity := fs.String("parity", "N", "parity: N, E or O")
	stop := fs.Int("stop-bits", 1, "stop bits: 1 or 2")
	count := fs.Int("count", 0, "stop after this many cards (0 = until interrupted)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *port == "" || len(*parity) != 1 || fs.NArg() != 0 {
		fmt.Fprintln(stderr, "idcard listen: --port is required")
		return 2
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	r := &idcard.SerialReader{
		Open: idcard.SerialOpener(serialport.Config{Name: *port, Baud: *baud, Parity: (*parity)[0], StopBits: *stop}),
		OnState: func(s idcard.State, err error) {
			switch {
			case s == idcard.Connected:
				fmt.Fprintf(stderr, "%s reader connected on %s\n", time.Now().Format("15:04:05"), *port)
			case err != nil:
				fmt.Fprintf(stderr, "%s reader not available: %s\n", time.Now().Format("15:04:05"), oneLine(err))
			}
		},
	}
	served := make(chan error, 1)
	go func() { served <- r.Serve(ctx) }()
	n := 0
	for *count == 0 || n < *count {
		id, err := r.Next(ctx)
		var inv *idcard.InvalidRead
		switch {
		case errors.As(err, &inv):
			fmt.Fprintln(stderr, "idcard:", oneLine(err))
			continue
		case err != nil:
			cancel()
			<-served
			return 0 // interrupted
		}
		out, _ := json.Marshal(id)
		fmt.Fprintf(stdout, "%s\n", out)
		n++
	}
	cancel()
	<-served
	return 0
}
