package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/motcua/motcua/sync/client"
	"github.com/motcua/motcua/sync/hub"
)

// relay: "relay enrol --upstream URL --token T [--name N]" and "relay status".
func relay(ctx context.Context, st hub.Store, data string, args []string, stdout, stderr io.Writer) int {
	s, err := hub.NewServer(hub.Options{Store: st, Dir: data})
	if err != nil {
		fmt.Fprintln(stderr, "relay:", err)
		return 1
	}
	switch {
	case len(args) >= 1 && args[0] == "enrol":
		fs := flag.NewFlagSet("relay enrol", flag.ContinueOnError)
		fs.SetOutput(stderr)
		up := fs.String("upstream", "", "the provincial hub's URL (required)")
		tok := fs.String("token", "", "one-time token of role relay (motcua-hub token new --office CODE --role relay at the province)")
		host, _ := os.Hostname()
		name := fs.String("name", "relay "+host, "name of this relay at the province")
		if err := fs.Parse(args[1:]); err != nil {
			return 2
		}
		if *up == "" || *tok == "" {
			fmt.Fprintln(stderr, "usage: motcua-hub relay enrol --upstream URL --token TOKEN [--name NAME]")
			return 2
		}
		cfg, err := hub.RelayEnrol(ctx, s, *up, *tok, *name, &http.Client{Timeout: time.Minute})
		if err != nil {
			fmt.Fprintln(stderr, "relay enrol:", err)
			return 1
		}
		fmt.Fprintf(stdout, "relay enrolled with %s as %s for office %s (%s); make the devices' tokens here: motcua-hub token new --office %s\n",
			cfg.HubURL, cfg.DeviceID, cfg.Office, cfg.OfficeName, cfg.Office)
		return 0
	case len(args) == 1 && args[0] == "status":
		rs, err := hub.ReadRelayStatus(ctx, s)
		if err != nil {
			fmt.Fprintln(stderr, "relay status:", err)
			return 1
		}
		if !rs.Config.Enrolled() {
			fmt.Fprintln(stdout, "not a relay (motcua-hub relay enrol --upstream URL --token TOKEN)")
			return 0
		}
		fmt.Fprintf(stdout, "upstream:     %s as %s, office %s\n", rs.Config.HubURL, rs.Config.DeviceID, rs.Config.Office)
		fmt.Fprintf(stdout, "waiting:      %d events\nrejected:     %d events\n", rs.Pending, rs.Rejected)
		if rs.Config.LastSuccess.IsZero() {
			fmt.Fprintln(stdout, "last success: never")
		} else {
			fmt.Fprintf(stdout, "last success: %s\n", rs.Config.LastSuccess.Local().Format("15:04 02/01/2006"))
		}
		if rs.Config.LastError != "" {
			fmt.Fprintf(stdout, "last error:   %s\n", rs.Config.LastError)
		}
		return 0
	}
	fmt.Fprintln(stderr, "usage: motcua-hub relay enrol --upstream URL --token TOKEN [--name NAME] | relay status")
	return 2
}

// startRelay runs the forwarder of s to upstream until ctx ends; the
// returned function waits for it.
func startRelay(ctx context.Context, s *hub.Server, upstream string, log *slog.Logger) (func(), error) {
	r, err := hub.NewRelay(ctx, s, client.Options{Logger: log})
	if err != nil {
		return nil, err
	}
	st, err := hub.ReadRelayStatus(ctx, s)
	if err != nil {
		return nil, err
	}
	if want := strings.TrimRight(strings.TrimSpace(upstream), "/"); st.Config.HubURL != want {
		return nil, fmt.Errorf("this relay is enrolled with %s, not %s", st.Config.HubURL, want)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		err := r.Serve(ctx)
		switch {
		case errors.Is(err, client.ErrRevoked):
			log.Error("relay revoked by the provincial hub: forwarding stopped; the office's devices are still served")
		case err != nil && !errors.Is(err, context.Canceled):
			log.Error("relay stopped", "err", err.Error())
		}
	}()
	log.Info("office relay forwarding", "upstream", st.Config.HubURL, "office", st.Config.Office)
	return func() { <-done }, nil
}
