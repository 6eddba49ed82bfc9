// Package app is motcua's composition root: it parses the command line,
// opens the data directory, wires the concrete services and starts either a
// CLI subcommand or the GUI. Only this package imports Fyne's app package.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/motcua/motcua/app/cli"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/calendar"
)

// Version is stamped at build time with -ldflags "-X github.com/motcua/motcua/app.Version=…".
var Version = "dev"

const usage = `motcua — một cửa: tiếp nhận và trả kết quả hồ sơ thủ tục hành chính

usage: motcua [--data DIR] [--lang vi|en] [command] [args]

commands:
  (none)       start the counter application (GUI)
  calendar     holidays, lunar dates and due dates (motcua calendar --help)
  demo         seed a demo office and synthetic dossiers
  provision    set this device up for its office and create the first account;
               provision export FILE --slot N / provision apply FILE: provisioning bundles
  backup       backup FILE|FOLDER: a verified backup while the app runs; backup --check FILE
  restore      --data NEW_FOLDER restore FILE: restore a backup into an empty folder, checked
  kiosk-pin    set the technician's PIN that leaves kiosk mode (read from stdin)
  idcard       idcard parse < card.txt: a CCCD QR or MRZ as JSON; idcard listen --port DEV
  doctor       check the data directory and the devices (card reader, scanners, printers)
  enrol        enrol --hub URL --token T: register this device with the provincial hub
  sync         sync status: the link to the hub, events and bytes waiting, last error
  version      print the version

global flags:
`

// Main runs motcua with the arguments after the program name and returns the
// process exit status.
func Main(args []string) int {
	return run(args, os.Stdin, os.Stdout, os.Stderr)
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("motcua", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, usage)
		fs.PrintDefaults()
	}
	dir := fs.String("data", "", "data directory (default: the per-user application data directory)")
	langCode := fs.String("lang", "", "interface language: vi (default) or en")
	mode := fs.String("mode", "counter", "counter, or kiosk: the citizen self-service kiosk, full screen (kiosk.go), or review: district/provincial reviewers signed in to the hub (review.go)")
	hubAddr := fs.String("hub", "", "review mode: the provincial hub's address (default $MOTCUA_HUB, then the hub this device is enrolled with)")
	showVersion := fs.Bool("version", false, "print the version and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *showVersion {
		fmt.Fprintln(stdout, "motcua", Version)
		return 0
	}
	switch *mode { // before anything opens: a typo must not start the counter
	case "counter", "kiosk", "review":
	default:
		fmt.Fprintf(stderr, "motcua: chế độ --mode %q không có; hãy chọn counter (quầy), kiosk (ki-ốt) hoặc review\n"+
			"motcua: unknown --mode %q: use counter, kiosk or review\n", *mode, *mode)
		return 2
	}
	rest := fs.Args()
	cmd := ""
	if len(rest) > 0 {
		cmd, rest = rest[0], rest[1:]
	}
	switch cmd {
	case "version":
		fmt.Fprintln(stdout, "motcua", Version)
		return 0
	case "calendar":
		return cli.Calendar(rest, stdout, stderr, calendar.New(calendar.DefaultHours()))
	case "idcard": // needs no data directory
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		return cli.IDCard(ctx, rest, stdin, stdout, stderr)
	case "demo", "provision", "backup", "restore", "kiosk-pin", "doctor", "enrol", "sync", "":
	default:
		fmt.Fprintf(stderr, "motcua: unknown command %q\n\n", cmd)
		fs.Usage()
		return 2
	}

	if *dir == "" {
		d, err := wire.DefaultDir()
		if err != nil {
			fmt.Fprintln(stderr, "motcua:", err)
			return 1
		}
		*dir = d
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	wire.AppVersion = Version
	if cmd == "restore" { // before anything writes into the (empty) data directory
		return cli.Restore(ctx, rest, *dir, stdout, stderr, slog.New(slog.NewTextHandler(stderr, nil)))
	}
	// A restore made from the technician screen takes effect when the window
	// starts again (wire/upgrade.go); a command run beside the open window
	// must not move its data away.
	var restoredOld string
	var restoreErr error
	if cmd == "" {
		restoredOld, restoreErr = wire.SwitchRestored(*dir, time.Now())
	}
	logger, closeLog := openLog(*dir, stderr) // logging.go: stderr + rotated files in <data>/logs
	defer closeLog()
	if restoreErr != nil {
		logger.Error("restore from the technician screen not switched in", "err", restoreErr)
	} else if restoredOld != "" {
		logger.Info("restored data switched in; the previous data is kept", "previous", restoredOld)
	}
	env, err := wire.Open(ctx, *dir, wire.Options{Logger: logger})
	if err != nil {
		fmt.Fprintf(stderr, "motcua: open %s: %v\n", *dir, err)
		return 1
	}
	defer env.Close()

	switch cmd {
	case "doctor":
		doctorLanguage(ctx, env, *langCode) // devices.go
		return cli.Doctor(ctx, rest, stdout, stderr, env)
	case "demo":
		return cli.Demo(ctx, rest, stdout, stderr, env)
	case "enrol":
		return cli.Enrol(ctx, rest, stdout, stderr, env)
	case "sync":
		return cli.Sync(ctx, rest, stdout, stderr, env)
	case "provision":
		if cli.IsBundleCommand(rest) {
			return cli.ProvisionBundle(ctx, rest, stdin, stdout, stderr, env)
		}
		return cli.Provision(ctx, rest, stdin, stdout, stderr, env)
	case "backup":
		return cli.Backup(ctx, rest, stdout, stderr, env)
	case "kiosk-pin":
		return cli.KioskPIN(ctx, rest, stdin, stdout, stderr, env)
	}
	if *mode == "kiosk" {
		return runKiosk(ctx, env, *langCode, logger)
	}
	if *mode == "review" {
		return runReview(ctx, env, *langCode, *hubAddr, logger)
	}
	return runGUI(ctx, env, *langCode, logger)
}
