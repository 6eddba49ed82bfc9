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
  provision    set this device up for its office and create the first account
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
	case "demo", "provision", "":
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
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	env, err := wire.Open(ctx, *dir, wire.Options{Logger: logger})
	if err != nil {
		fmt.Fprintf(stderr, "motcua: open %s: %v\n", *dir, err)
		return 1
	}
	defer env.Close()

	switch cmd {
	case "demo":
		return cli.Demo(ctx, rest, stdout, stderr, env)
	case "provision":
		return cli.Provision(ctx, rest, stdin, stdout, stderr, env)
	}
	return runGUI(ctx, env, *langCode, logger)
}
