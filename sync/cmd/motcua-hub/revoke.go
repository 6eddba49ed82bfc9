package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/sync/hub"
)

// tokenRevoke: "token revoke TOKEN" or "token revoke --office CODE".
func tokenRevoke(ctx context.Context, st hub.Store, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("token revoke", flag.ContinueOnError)
	fs.SetOutput(stderr)
	off := fs.String("office", "", "revoke every unused token of this office")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	switch {
	case *off != "" && fs.NArg() == 0:
		n, err := st.RevokeOfficeTokens(ctx, strings.ToUpper(*off), time.Now())
		if err != nil {
			fmt.Fprintln(stderr, "token revoke:", err)
			return 1
		}
		fmt.Fprintf(stdout, "%d unused tokens of %s revoked\n", n, strings.ToUpper(*off))
		return 0
	case *off == "" && fs.NArg() == 1:
		err := st.RevokeToken(ctx, hub.TokenHash(fs.Arg(0)), time.Now())
		if errors.Is(err, hub.ErrNotFound) {
			fmt.Fprintln(stderr, "token revoke: no unused token is this one (already used, revoked, or mistyped)")
			return 1
		}
		if err != nil {
			fmt.Fprintln(stderr, "token revoke:", err)
			return 1
		}
		fmt.Fprintln(stdout, "token revoked")
		return 0
	}
	fmt.Fprintln(stderr, "usage: motcua-hub token revoke TOKEN | token revoke --office CODE")
	return 2
}

// device: "device list [--office CODE]" or "device revoke ID".
func device(ctx context.Context, st hub.Store, args []string, stdout, stderr io.Writer) int {
	switch {
	case len(args) >= 1 && args[0] == "list":
		fs := flag.NewFlagSet("device list", flag.ContinueOnError)
		fs.SetOutput(stderr)
		off := fs.String("office", "", "only this office")
		if err := fs.Parse(args[1:]); err != nil {
			return 2
		}
		ds, err := st.Devices(ctx, strings.ToUpper(*off))
		if err != nil {
			fmt.Fprintln(stderr, "device list:", err)
			return 1
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tOFFICE\tROLE\tNAME\tENROLLED\tSTATE")
		for _, d := range ds {
			state := "active"
			if d.Revoked {
				state = "revoked"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", d.ID, d.Office, d.Role, d.Name, d.EnrolledAt.Format("2006-01-02 15:04"), state)
		}
		tw.Flush()
		return 0
	case len(args) == 2 && args[0] == "revoke":
		err := st.RevokeDevice(ctx, args[1])
		if errors.Is(err, hub.ErrNotFound) {
			fmt.Fprintf(stderr, "device revoke: no device %s (motcua-hub device list)\n", args[1])
			return 1
		}
		if err != nil {
			fmt.Fprintln(stderr, "device revoke:", err)
			return 1
		}
		fmt.Fprintf(stdout, "device %s revoked: its requests are refused from now on\n", args[1])
		return 0
	}
	fmt.Fprintln(stderr, "usage: motcua-hub device list [--office CODE] | device revoke ID")
	return 2
}
