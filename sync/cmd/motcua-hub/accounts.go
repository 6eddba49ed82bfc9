package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

// stdin is where passwords are read from (tests replace it).
var stdin io.Reader = os.Stdin

const reviewerUsage = `usage:
  motcua-hub reviewer add USER --communes CODE[,CODE…] [--role reviewer|viewer] [--name "Display name"]   (password on stdin)
  motcua-hub reviewer list
  motcua-hub reviewer disable USER | enable USER
  motcua-hub reviewer passwd USER                                                                       (password on stdin)
  motcua-hub reviewer add NAME        (without --communes: a device key for "motcua-hub review", every office)`

// readPassword reads one line from stdin.
func readPassword() (string, error) {
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !(errors.Is(err, io.EOF) && line != "") {
		return "", errors.New("no password on standard input")
	}
	return strings.TrimRight(line, "\r\n"), nil
}

func reviewerCmd(ctx context.Context, st hub.Store, data string, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprintln(stderr, reviewerUsage)
		return 2
	}
	switch args[0] {
	case "add":
		fs := flag.NewFlagSet("reviewer add", flag.ContinueOnError)
		fs.SetOutput(stderr)
		communes := fs.String("communes", "", "office codes in the account's scope, comma-separated")
		role := fs.String("role", protocol.AccountReviewer, "reviewer (decides) or viewer (reads only)")
		name := fs.String("name", "", "display name")
		if len(args) < 2 {
			fmt.Fprintln(stderr, reviewerUsage)
			return 2
		}
		if err := fs.Parse(args[2:]); err != nil {
			return 2
		}
		user := args[1]
		if *communes == "" {
			// The device-key reviewer of "motcua-hub review" (hub machine only).
			if _, _, err := reviewerKey(ctx, st, data, user); err != nil {
				fmt.Fprintln(stderr, "motcua-hub:", err)
				return 1
			}
			fmt.Fprintf(stdout, "reviewer %q ready (key in %s)\n", user, filepath.Join(data, "reviewers"))
			return 0
		}
		pw, err := readPassword()
		if err != nil {
			fmt.Fprintln(stderr, "reviewer add:", err)
			return 1
		}
		hash, err := hub.HashPassword(pw)
		if err != nil {
			fmt.Fprintln(stderr, "reviewer add: password:", err)
			return 1
		}
		var codes []string
		for _, c := range strings.Split(*communes, ",") {
			if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
				codes = append(codes, c)
			}
		}
		a := hub.Account{Username: user, DisplayName: *name, Role: *role, Communes: codes, CreatedAt: time.Now()}
		if err := st.AddAccount(ctx, a, hash); err != nil {
			fmt.Fprintln(stderr, "reviewer add:", err)
			return 1
		}
		cliAudit(ctx, st, "reviewer.add", "account:"+user, map[string]any{"role": *role, "communes": codes})
		fmt.Fprintf(stdout, "account %s (%s) created for %s\n", user, *role, strings.Join(codes, ", "))
		return 0
	case "list":
		as, err := st.Accounts(ctx)
		if err != nil {
			fmt.Fprintln(stderr, "reviewer list:", err)
			return 1
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "USER\tNAME\tROLE\tCOMMUNES\tSTATE")
		for _, a := range as {
			state := "active"
			switch {
			case a.Disabled:
				state = "disabled"
			case time.Now().Before(a.LockedUntil):
				state = "locked until " + a.LockedUntil.Local().Format("15:04")
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", a.Username, a.DisplayName, a.Role, strings.Join(a.Communes, ","), state)
		}
		tw.Flush()
		return 0
	case "disable", "enable":
		if len(args) != 2 {
			fmt.Fprintln(stderr, reviewerUsage)
			return 2
		}
		if err := st.SetAccountDisabled(ctx, args[1], args[0] == "disable"); err != nil {
			fmt.Fprintf(stderr, "reviewer %s: %v\n", args[0], err)
			return 1
		}
		cliAudit(ctx, st, "reviewer."+args[0], "account:"+args[1], nil)
		fmt.Fprintf(stdout, "account %s %sd\n", args[1], args[0])
		return 0
	case "passwd":
		if len(args) != 2 {
			fmt.Fprintln(stderr, reviewerUsage)
			return 2
		}
		pw, err := readPassword()
		if err != nil {
			fmt.Fprintln(stderr, "reviewer passwd:", err)
			return 1
		}
		hash, err := hub.HashPassword(pw)
		if err != nil {
			fmt.Fprintln(stderr, "reviewer passwd: password:", err)
			return 1
		}
		if err := st.SetAccountPassword(ctx, args[1], hash); err != nil {
			fmt.Fprintln(stderr, "reviewer passwd:", err)
			return 1
		}
		cliAudit(ctx, st, "reviewer.passwd", "account:"+args[1], nil)
		fmt.Fprintf(stdout, "password of %s changed; its sessions are closed\n", args[1])
		return 0
	}
	fmt.Fprintln(stderr, reviewerUsage)
	return 2
}

func cliAudit(ctx context.Context, st hub.Store, action, entity string, detail map[string]any) {
	d := "{}"
	if detail != nil {
		d = fmt.Sprint(detail)
		if b, err := json.Marshal(detail); err == nil {
			d = string(b)
		}
	}
	st.Audit(ctx, hub.AuditEntry{At: time.Now().UTC(), Actor: "cli", Action: action, Entity: entity, Detail: d})
}

func auditCmd(ctx context.Context, st hub.Store, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	actor := fs.String("user", "", "only this account's actions")
	after := fs.Int64("after", 0, "entries after this id")
	limit := fs.Int("limit", 1000, "at most this many")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	es, err := st.AuditLog(ctx, *actor, *after, *limit)
	if err != nil {
		fmt.Fprintln(stderr, "audit:", err)
		return 1
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tAT\tUSER\tACTION\tENTITY\tDETAIL")
	for _, e := range es {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", e.ID, e.At.Local().Format(time.DateTime), e.Actor, e.Action, e.Entity, e.Detail)
	}
	tw.Flush()
	return 0
}

func exportCmd(ctx context.Context, st hub.Store, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] != "portal" {
		fmt.Fprintln(stderr, "usage: motcua-hub export portal --since T [--out FILE]   (T: 2006-01-02 or RFC 3339)")
		return 2
	}
	fs := flag.NewFlagSet("export portal", flag.ContinueOnError)
	fs.SetOutput(stderr)
	since := fs.String("since", "", "dossiers changed since this time (2006-01-02, Vietnam time, or RFC 3339)")
	out := fs.String("out", "", "file to write (default: standard output)")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	t, err := time.Parse(time.RFC3339, *since)
	if err != nil {
		t, err = time.ParseInLocation(time.DateOnly, *since, time.FixedZone("ICT", 7*3600))
	}
	if *since == "" || err != nil {
		fmt.Fprintln(stderr, "export portal: --since required, as 2006-01-02 or RFC 3339")
		return 2
	}
	w := stdout
	var f *os.File
	if *out != "" {
		f, err = os.Create(*out + ".part")
		if err != nil {
			fmt.Fprintln(stderr, "export portal:", err)
			return 1
		}
		w = f
	}
	n, err := hub.ExportPortal(ctx, st, t, time.Now(), w)
	if f != nil {
		err = errors.Join(err, f.Sync(), f.Close())
		if err == nil {
			err = os.Rename(*out+".part", *out)
		} else {
			os.Remove(*out + ".part")
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "export portal:", err)
		return 1
	}
	cliAudit(ctx, st, "export.portal", "portal", map[string]any{"since": t.UTC().Format(time.RFC3339), "dossiers": n})
	if *out != "" {
		fmt.Fprintf(stdout, "%d dossiers written to %s\n", n, *out)
	}
	return 0
}
