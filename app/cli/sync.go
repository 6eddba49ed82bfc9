package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/sync/client"
)

const syncUsage = `usage: motcua enrol --hub URL --token TOKEN [--name NAME]
       motcua sync status
       motcua sync now

enrol   registers this device with the hub using the one-time token the
        technician made there (motcua-hub token new --office CODE)
status  prints the link: online or not, events and bytes waiting, last
        success, the last error, events the hub refused for good and
        decisions that could not be applied
now     pushes what waits and pulls what the hub has, once
`

// SyncPlain says a link error kind in plain words (the GUI uses the
// translations sync.error.<kind>).
var SyncPlain = map[client.Kind]string{
	client.KindOffline:  "no connection to the hub",
	client.KindServer:   "the hub has a problem (server error)",
	client.KindPortal:   "another server answered (Wi-Fi login page or proxy?)",
	client.KindClock:    "this computer's clock is wrong",
	client.KindRefused:  "the hub refused this device (unknown key or bad signature)",
	client.KindRevoked:  "this device was revoked at the hub: ask the technician to enrol it again; nothing on this computer was lost",
	client.KindRejected: "the hub refused some records",
	client.KindToken:    "the enrolment token is unknown, used or expired",
	client.KindLocal:    "this computer's database failed",
}

// Enrol runs "motcua enrol --hub URL --token T": the device registers its
// key with the hub and stores its identity.
func Enrol(ctx context.Context, args []string, stdout, stderr io.Writer, env *wire.Env) int {
	fs := flag.NewFlagSet("enrol", flag.ContinueOnError)
	fs.SetOutput(stderr)
	hub := fs.String("hub", "", "hub URL, e.g. https://hub.tinh.gov.vn (required)")
	token := fs.String("token", "", "one-time enrolment token (required)")
	name := fs.String("name", "", "name of this device at the hub, e.g. \"quầy 1\"")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *hub == "" || *token == "" {
		fmt.Fprint(stderr, syncUsage)
		return 2
	}
	cfg, err := client.Enrol(ctx, env.Store, *hub, *token, *name, &http.Client{Timeout: time.Minute})
	if err != nil {
		fmt.Fprintln(stderr, "enrol:", plain(err))
		return 1
	}
	fmt.Fprintf(stdout, "enrolled with %s as %s for office %s (%s)\n", cfg.HubURL, cfg.DeviceID, cfg.Office, cfg.OfficeName)
	return 0
}

func plain(err error) string {
	if p, ok := SyncPlain[client.KindOf(err)]; ok {
		return p + " (" + err.Error() + ")"
	}
	return err.Error()
}

// Sync runs "motcua sync status|now".
func Sync(ctx context.Context, args []string, stdout, stderr io.Writer, env *wire.Env) int {
	if len(args) != 1 {
		fmt.Fprint(stderr, syncUsage)
		return 2
	}
	switch args[0] {
	case "status":
		return syncStatus(ctx, stdout, stderr, env)
	case "now":
		c := client.New(env.Store, client.Options{})
		n, err := c.Push(ctx)
		if err != nil {
			fmt.Fprintf(stderr, "sync: pushed %d events, then: %s\n", n, plain(err))
			return 1
		}
		m, err := c.Pull(ctx, 0)
		if err != nil {
			fmt.Fprintf(stderr, "sync: pushed %d events; pull: %s\n", n, plain(err))
			return 1
		}
		fmt.Fprintf(stdout, "pushed %d events (%d files uploaded), pulled %d changes\n", n, c.Stats.Uploads.Load(), m)
		return syncStatus(ctx, stdout, stderr, env)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, syncUsage)
		return 0
	}
	fmt.Fprint(stderr, syncUsage)
	return 2
}

func syncStatus(ctx context.Context, stdout, stderr io.Writer, env *wire.Env) int {
	st, err := client.Read(ctx, env.Store)
	if err != nil {
		fmt.Fprintln(stderr, "sync status:", err)
		return 1
	}
	if !st.Enrolled {
		fmt.Fprintln(stdout, "link:         not enrolled (motcua enrol --hub URL --token TOKEN)")
	} else {
		state := "offline"
		if st.Online {
			state = "online"
		}
		fmt.Fprintf(stdout, "link:         %s — %s, office %s\n", state, st.HubURL, st.Office)
	}
	fmt.Fprintf(stdout, "waiting:      %d events, %s\n", st.Pending, bytesPlain(st.PendingBytes))
	if st.LastSuccess.IsZero() {
		fmt.Fprintln(stdout, "last success: never")
	} else {
		fmt.Fprintf(stdout, "last success: %s\n", st.LastSuccess.Local().Format("15:04 02/01/2006"))
	}
	if st.LastError != "" {
		fmt.Fprintf(stdout, "last error:   %s\n", SyncPlain[st.LastError])
	}
	for _, f := range st.Failed {
		fmt.Fprintf(stdout, "refused:      %s %s: %s (%s)\n", f.DossierCode, f.Kind, f.Message, f.Code)
	}
	for _, p := range st.Problems {
		switch {
		case p.Outcome == "step":
			fmt.Fprintf(stdout, "step:         %s (another counter's) not applied: %s\n", p.Dossier, p.Problem)
		case p.Dossier == "":
			fmt.Fprintf(stdout, "from hub:     %s not applied: %s\n", p.ID, p.Problem)
		default:
			fmt.Fprintf(stdout, "decision:     %s %s not applied: %s\n", p.Dossier, p.Outcome, p.Problem)
		}
	}
	return 0
}

func bytesPlain(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
