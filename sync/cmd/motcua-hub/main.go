// Command motcua-hub is the provincial hub of motcua (and, with
// --upstream, an office relay): the HTTP API devices sync with, its stores (SQLite by
// default, PostgreSQL with --postgres) and the technician's and reviewer's
// command line. No GUI, no cgo: CGO_ENABLED=0 go build ./sync/cmd/motcua-hub.
//
//	motcua-hub [--data DIR] [--postgres URL] [--listen 127.0.0.1:8750]     serve
//	motcua-hub [--data DIR] office add CODE NAME | office list
//	motcua-hub [--data DIR] token new --office CODE [--role device|relay] [--ttl 72h]
//	motcua-hub [--data DIR] reviewer add USER --communes C[,C…] [--role reviewer|viewer] [--name N]  (password on stdin)
//	motcua-hub [--data DIR] reviewer list | disable USER | enable USER | passwd USER
//	motcua-hub [--data DIR] audit [--user USER]
//	motcua-hub [--data DIR] export portal --since T [--out FILE]
//	motcua-hub [--data DIR] review [--hub URL] [--as NAME] list [--office C] [--status N] [--overdue]
//	motcua-hub [--data DIR] review [--hub URL] [--as NAME] show CODE
//	motcua-hub [--data DIR] review [--hub URL] [--as NAME] decide CODE --outcome processing|supplement|done|refused [--note T] [--result T]
package main

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil)
	stop()
	os.Exit(code)
}

const usage = `motcua-hub — the provincial hub of motcua

usage:
  motcua-hub [flags]                                  serve the API
  motcua-hub [flags] office add CODE NAME             create an office (CODE = agency electronic id)
  motcua-hub [flags] office list
  motcua-hub [flags] token new --office CODE [--role device|relay] [--ttl 72h]
  motcua-hub [flags] token revoke TOKEN | token revoke --office CODE
  motcua-hub [flags] device list [--office CODE] | device revoke ID
  motcua-hub [flags] relay enrol --upstream URL --token TOKEN [--name NAME]   make this hub an office relay
  motcua-hub [flags] --upstream URL                   serve the office's devices and forward to the province
  motcua-hub [flags] relay status
  motcua-hub [flags] publish catalog FILE [--office CODE] | publish holidays FILE [--office CODE] | publish list
  motcua-hub [flags] account add --office CODE --login L --name NAME [--role clerk] < password
  motcua-hub [flags] account disable|enable --office CODE --login L
  motcua-hub [flags] reviewer add USER --communes CODE[,CODE…] [--role reviewer|viewer] [--name N]  (password on stdin)
  motcua-hub [flags] reviewer list | disable USER | enable USER | passwd USER (password on stdin)
  motcua-hub [flags] audit [--user USER] [--after ID] [--limit N]
  motcua-hub [flags] export portal --since T [--out FILE]      national-portal JSON of dossiers changed since T
  motcua-hub [flags] review [--hub URL] [--as NAME] list [--office CODE] [--status N] [--overdue]
  motcua-hub [flags] review [--hub URL] [--as NAME] show CODE
  motcua-hub [flags] review [--hub URL] [--as NAME] decide CODE --outcome processing|supplement|done|refused [--note TEXT] [--result TEXT]

flags:
`

func defaultData() string {
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "motcua-hub")
	}
	if h, err := os.UserHomeDir(); err == nil {
		return filepath.Join(h, ".local", "share", "motcua-hub")
	}
	return "motcua-hub-data"
}

// run is the whole program; ready, when not nil, receives the address the
// server listens on (tests).
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready chan<- string) int {
	fs := flag.NewFlagSet("motcua-hub", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, usage); fs.PrintDefaults() }
	data := fs.String("data", defaultData(), "data directory (files, uploads, and the SQLite database unless --postgres)")
	listen := fs.String("listen", "127.0.0.1:8750", "address to serve on")
	pgURL := fs.String("postgres", "", "PostgreSQL URL (pgx), e.g. postgres://motcua@127.0.0.1/motcua; default: SQLite in --data")
	upstream := fs.String("upstream", "", "run as an office relay forwarding to this provincial hub (enrol first: relay enrol)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if err := os.MkdirAll(*data, 0o700); err != nil {
		fmt.Fprintln(stderr, "motcua-hub:", err)
		return 1
	}
	rest := fs.Args()
	if len(rest) > 0 && rest[0] == "review" {
		return review(ctx, rest[1:], *data, stdout, stderr)
	}
	var st hub.Store
	var err error
	if *pgURL != "" {
		st, err = hub.OpenPostgres(ctx, *pgURL)
	} else {
		st, err = hub.OpenSQLite(ctx, filepath.Join(*data, "hub.db"))
	}
	if err != nil {
		fmt.Fprintln(stderr, "motcua-hub:", err)
		return 1
	}
	defer st.Close()
	if len(rest) == 0 || rest[0] == "serve" {
		return serve(ctx, st, *data, *listen, *upstream, stderr, ready)
	}
	switch rest[0] {
	case "office":
		return office(ctx, st, rest[1:], stdout, stderr)
	case "token":
		return token(ctx, st, rest[1:], stdout, stderr)
	case "device":
		return device(ctx, st, rest[1:], stdout, stderr)
	case "relay":
		return relay(ctx, st, *data, rest[1:], stdout, stderr)
	case "publish":
		return publish(ctx, st, rest[1:], stdout, stderr)
	case "account":
		return account(ctx, st, rest[1:], os.Stdin, stdout, stderr)
	case "reviewer":
		return reviewerCmd(ctx, st, *data, rest[1:], stdout, stderr) // accounts.go
	case "audit":
		return auditCmd(ctx, st, rest[1:], stdout, stderr)
	case "export":
		return exportCmd(ctx, st, rest[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "motcua-hub: unknown command %q\n", rest[0])
	fs.Usage()
	return 2
}

func serve(ctx context.Context, st hub.Store, data, listen, upstream string, stderr io.Writer, ready chan<- string) int {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	s, err := hub.NewServer(hub.Options{Store: st, Dir: data, Logger: log})
	if err != nil {
		fmt.Fprintln(stderr, "motcua-hub:", err)
		return 1
	}
	if upstream != "" {
		// An office relay (relay.go in sync/hub): forwards to the province.
		r, err := startRelay(ctx, s, upstream, log)
		if err != nil {
			fmt.Fprintln(stderr, "motcua-hub:", err)
			return 1
		}
		defer r()
	}
	l, err := net.Listen("tcp", listen)
	if err != nil {
		fmt.Fprintln(stderr, "motcua-hub:", err)
		return 1
	}
	srv := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 30 * time.Second, IdleTimeout: 2 * time.Minute}
	log.Info("hub listening", "addr", l.Addr().String(), "data", data)
	if ready != nil {
		ready <- l.Addr().String()
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	// Housekeeping: metrics counters saved every 10 s and at the end (they
	// survive a restart), old uploads cleaned every hour.
	hctx, stopHouse := context.WithCancel(context.Background())
	housed := make(chan error, 1)
	go func() { housed <- s.Run(hctx, 10*time.Second) }()
	stopHousekeeping := func() {
		stopHouse()
		if err := <-housed; err != nil {
			fmt.Fprintln(stderr, "motcua-hub:", err)
		}
	}
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(sctx)
		stopHousekeeping()
		return 0
	case err := <-errc:
		stopHousekeeping()
		fmt.Fprintln(stderr, "motcua-hub:", err)
		return 1
	}
}

func office(ctx context.Context, st hub.Store, args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) == 3 && args[0] == "add":
		code := strings.ToUpper(strings.TrimSpace(args[1]))
		if code == "" || strings.ContainsAny(code, " -/") {
			fmt.Fprintln(stderr, "office add: CODE is the agency electronic id, e.g. 000.00.06.H56")
			return 1
		}
		if err := st.CreateOffice(ctx, hub.Office{Code: code, Name: args[2], CreatedAt: time.Now()}); err != nil {
			fmt.Fprintln(stderr, "office add:", err)
			return 1
		}
		fmt.Fprintf(stdout, "office %s (%s) created\n", code, args[2])
		return 0
	case len(args) == 1 && args[0] == "list":
		offs, err := st.Offices(ctx)
		if err != nil {
			fmt.Fprintln(stderr, "office list:", err)
			return 1
		}
		for _, o := range offs {
			fmt.Fprintf(stdout, "%s\t%s\n", o.Code, o.Name)
		}
		return 0
	}
	fmt.Fprintln(stderr, "usage: motcua-hub office add CODE NAME | office list")
	return 2
}

func token(ctx context.Context, st hub.Store, args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "revoke" {
		return tokenRevoke(ctx, st, args[1:], stdout, stderr)
	}
	if len(args) == 0 || args[0] != "new" {
		fmt.Fprintln(stderr, "usage: motcua-hub token new --office CODE [--role device|relay] [--ttl 72h]")
		return 2
	}
	fs := flag.NewFlagSet("token new", flag.ContinueOnError)
	fs.SetOutput(stderr)
	off := fs.String("office", "", "office code (required)")
	role := fs.String("role", hub.RoleDevice, "device or relay")
	ttl := fs.Duration("ttl", 72*time.Hour, "how long the token may be used")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	if *off == "" || (*role != hub.RoleDevice && *role != hub.RoleRelay) {
		fmt.Fprintln(stderr, "token new: --office required; --role device or relay")
		return 2
	}
	tok, err := hub.NewToken(ctx, st, strings.ToUpper(*off), *role, time.Now().Add(*ttl))
	if err != nil {
		fmt.Fprintln(stderr, "token new:", err)
		return 1
	}
	fmt.Fprintln(stdout, tok)
	return 0
}

// reviewerKey loads (creating and registering) the reviewer's key kept in
// DATA/reviewers/NAME.key.
func reviewerKey(ctx context.Context, st hub.Store, data, name string) (string, ed25519.PrivateKey, error) {
	if name == "" || strings.ContainsAny(name, `/\. `) {
		return "", nil, fmt.Errorf("reviewer name %q: letters, digits, - and _ only", name)
	}
	path := filepath.Join(data, "reviewers", name+".key")
	if b, err := os.ReadFile(path); err == nil {
		seed, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b)))
		if err != nil || len(seed) != ed25519.SeedSize {
			return "", nil, fmt.Errorf("%s is damaged", path)
		}
		key := ed25519.NewKeyFromSeed(seed)
		return protocol.DeviceID(key.Public().(ed25519.PublicKey)), key, nil
	}
	if st == nil {
		return "", nil, fmt.Errorf("no reviewer %q: create it with motcua-hub reviewer add %s", name, name)
	}
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return "", nil, err
	}
	id := protocol.DeviceID(pub)
	if err := st.AddDevice(ctx, hub.Device{ID: id, PublicKey: pub, Name: name, Role: hub.RoleReviewer, EnrolledAt: time.Now()}); err != nil {
		return "", nil, err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", nil, err
	}
	if err := os.WriteFile(path, []byte(base64.StdEncoding.EncodeToString(key.Seed())+"\n"), 0o600); err != nil {
		return "", nil, err
	}
	return id, key, nil
}

func review(ctx context.Context, args []string, data string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("review", flag.ContinueOnError)
	fs.SetOutput(stderr)
	hubURL := fs.String("hub", "http://127.0.0.1:8750", "hub URL")
	as := fs.String("as", "reviewer", "reviewer name (key in DATA/reviewers/NAME.key, made by motcua-hub reviewer add NAME)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	id, key, err := reviewerKey(ctx, nil, data, *as)
	if err != nil {
		fmt.Fprintln(stderr, "review:", err)
		return 1
	}
	rv := &protocol.Reviewer{HubURL: *hubURL, DeviceID: id, Key: key}
	rest := fs.Args()
	if len(rest) == 0 {
		fmt.Fprintln(stderr, "usage: motcua-hub review list|show|decide")
		return 2
	}
	switch rest[0] {
	case "list":
		lf := flag.NewFlagSet("review list", flag.ContinueOnError)
		lf.SetOutput(stderr)
		off := lf.String("office", "", "office code")
		status := lf.Int("status", 0, "portal status code (2 received, 4 processing, …)")
		overdue := lf.Bool("overdue", false, "only open dossiers past their appointment")
		limit := lf.Int("limit", 100, "at most this many")
		if err := lf.Parse(rest[1:]); err != nil {
			return 2
		}
		list, err := rv.List(ctx, *off, *status, *overdue, *limit)
		if err != nil {
			fmt.Fprintln(stderr, "review list:", err)
			return 1
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "CODE\tSTATUS\tPROCEDURE\tRECEIVED\tDUE\tFILES")
		for _, d := range list {
			due := ""
			if !d.DueAt.IsZero() {
				due = d.DueAt.Format(time.DateOnly)
				if d.Overdue {
					due += " (overdue)"
				}
			}
			fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%d/%d\n", d.Code, d.Status, d.Procedure, d.ReceivedAt.Format("2006-01-02 15:04"), due, d.FilesHeld, d.Files)
		}
		tw.Flush()
		return 0
	case "show":
		if len(rest) != 2 {
			fmt.Fprintln(stderr, "usage: motcua-hub review show CODE")
			return 2
		}
		d, err := rv.Show(ctx, rest[1])
		if err != nil {
			fmt.Fprintln(stderr, "review show:", err)
			return 1
		}
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.Encode(d)
		return 0
	case "decide":
		if len(rest) < 2 {
			fmt.Fprintln(stderr, "usage: motcua-hub review decide CODE --outcome ...")
			return 2
		}
		df := flag.NewFlagSet("review decide", flag.ContinueOnError)
		df.SetOutput(stderr)
		outcome := df.String("outcome", "", "processing, supplement, done or refused")
		note := df.String("note", "", "reason or what is missing")
		result := df.String("result", "", "the result, for done")
		if err := df.Parse(rest[2:]); err != nil {
			return 2
		}
		d, err := rv.Decide(ctx, rest[1], protocol.DecideRequest{Outcome: *outcome, Note: *note, Result: *result})
		if err != nil {
			fmt.Fprintln(stderr, "review decide:", err)
			return 1
		}
		fmt.Fprintf(stdout, "decision %s on %s: %s (status %d)\n", d.ID, d.Dossier, d.Outcome, d.Status)
		return 0
	}
	fmt.Fprintf(stderr, "review: unknown subcommand %q\n", rest[0])
	return 2
}
