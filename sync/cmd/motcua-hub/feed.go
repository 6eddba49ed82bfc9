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
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/catalog"
	"github.com/motcua/motcua/sync/hub"
	"github.com/motcua/motcua/sync/protocol"
)

// publish: "publish catalog FILE", "publish holidays FILE", "publish list".
// What is published reaches the devices through their office's feed (the
// next long-poll, within 30 s).
func publish(ctx context.Context, st hub.Store, args []string, stdout, stderr io.Writer) int {
	if len(args) >= 1 && args[0] == "list" {
		ps, err := st.Publications(ctx, "", 100)
		if err != nil {
			fmt.Fprintln(stderr, "publish list:", err)
			return 1
		}
		tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tKIND\tKEY\tOFFICE\tBY\tAT")
		for _, p := range ps {
			off := p.Office
			if off == "" {
				off = "(all)"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Kind, p.Key, off, p.By, p.At.Format("2006-01-02 15:04"))
		}
		tw.Flush()
		return 0
	}
	if len(args) < 2 || (args[0] != "catalog" && args[0] != "holidays") {
		fmt.Fprintln(stderr, "usage: motcua-hub publish catalog FILE [--office CODE] | publish holidays FILE [--office CODE] | publish list")
		return 2
	}
	fs := flag.NewFlagSet("publish", flag.ContinueOnError)
	fs.SetOutput(stderr)
	off := fs.String("office", "", "only this office (default: every office)")
	by := fs.String("by", "technician", "who publishes (recorded)")
	if err := fs.Parse(args[2:]); err != nil {
		return 2
	}
	data, err := os.ReadFile(args[1])
	if err != nil {
		fmt.Fprintln(stderr, "publish:", err)
		return 1
	}
	p := protocol.Publication{Office: strings.ToUpper(*off), By: *by, At: time.Now()}
	switch args[0] {
	case "catalog":
		cat, err := catalog.Parse(data)
		if err != nil {
			fmt.Fprintln(stderr, "publish catalog:", err)
			return 1
		}
		p.Kind, p.Key = protocol.ChangeCatalog, "catalog"
		if p.Data, err = catalog.Marshal(cat); err != nil {
			fmt.Fprintln(stderr, "publish catalog:", err)
			return 1
		}
	case "holidays":
		tab, err := calendar.ParseYearTable(data)
		if err != nil {
			fmt.Fprintln(stderr, "publish holidays:", err)
			return 1
		}
		p.Kind, p.Key = protocol.ChangeHolidays, strconv.Itoa(tab.Year)
		if p.Data, err = json.Marshal(tab); err != nil {
			fmt.Fprintln(stderr, "publish holidays:", err)
			return 1
		}
	}
	return doPublish(ctx, st, p, stdout, stderr)
}

func doPublish(ctx context.Context, st hub.Store, p protocol.Publication, stdout, stderr io.Writer) int {
	p, offices, err := st.Publish(ctx, p)
	if errors.Is(err, hub.ErrNotFound) {
		fmt.Fprintf(stderr, "publish: no office %s (motcua-hub office list)\n", p.Office)
		return 1
	}
	if err != nil {
		fmt.Fprintln(stderr, "publish:", err)
		return 1
	}
	fmt.Fprintf(stdout, "published %s %s (#%d) to %d offices\n", p.Kind, p.Key, p.ID, len(offices))
	return 0
}

// account: "account add --office CODE --login L --name N [--role clerk]"
// (the password is read from standard input, one line) and
// "account disable|enable --office CODE --login L". Office staff accounts
// made here reach the office's devices through the feed; the password
// travels only as its argon2id hash.
func account(ctx context.Context, st hub.Store, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 || (args[0] != "add" && args[0] != "disable" && args[0] != "enable") {
		fmt.Fprintln(stderr, "usage: motcua-hub account add --office CODE --login L --name NAME [--role clerk|leader|technician|kiosk] < password\n"+
			"       motcua-hub account disable|enable --office CODE --login L")
		return 2
	}
	fs := flag.NewFlagSet("account", flag.ContinueOnError)
	fs.SetOutput(stderr)
	off := fs.String("office", "", "office code (required)")
	login := fs.String("login", "", "login (required)")
	name := fs.String("name", "", "full name (add)")
	role := fs.String("role", string(auth.RoleClerk), "clerk, leader, technician or kiosk")
	if err := fs.Parse(args[1:]); err != nil {
		return 2
	}
	l := auth.NormalizeLogin(*login)
	if *off == "" || auth.ValidateLogin(l) != nil {
		fmt.Fprintln(stderr, "account: --office and a valid --login are required")
		return 2
	}
	d := protocol.AccountData{Login: l, FullName: strings.TrimSpace(*name), Role: *role, Disabled: args[0] == "disable"}
	if args[0] == "add" {
		r := auth.Role(*role)
		if !r.Valid() || r == auth.RoleReviewer {
			fmt.Fprintln(stderr, "account add: --role clerk, leader, technician or kiosk")
			return 2
		}
		if d.FullName == "" {
			fmt.Fprintln(stderr, "account add: --name required")
			return 2
		}
		line, _ := bufio.NewReader(stdin).ReadString('\n')
		pw := strings.TrimRight(line, "\r\n")
		if err := auth.ValidatePassword(pw); err != nil {
			fmt.Fprintln(stderr, "account add: password (one line on standard input):", err)
			return 1
		}
		var err error
		if d.PasswordHash, err = auth.HashPassword(pw); err != nil {
			fmt.Fprintln(stderr, "account add:", err)
			return 1
		}
	} else {
		// Disable or enable keeps name, role and password: take them from
		// the last publication of this account.
		last, err := lastAccount(ctx, st, strings.ToUpper(*off), l)
		if err != nil {
			fmt.Fprintln(stderr, "account:", err)
			return 1
		}
		d.FullName, d.Role = last.FullName, last.Role
	}
	b, _ := json.Marshal(d)
	return doPublish(ctx, st, protocol.Publication{Kind: protocol.ChangeAccount, Key: l, Office: strings.ToUpper(*off), Data: b,
		By: "technician", At: time.Now()}, stdout, stderr)
}

func lastAccount(ctx context.Context, st hub.Store, office, login string) (protocol.AccountData, error) {
	ps, err := st.Publications(ctx, protocol.ChangeAccount, 1000)
	if err != nil {
		return protocol.AccountData{}, err
	}
	for _, p := range ps {
		if p.Key == login && p.Office == office {
			var d protocol.AccountData
			err := json.Unmarshal(p.Data, &d)
			return d, err
		}
	}
	return protocol.AccountData{}, fmt.Errorf("no account %s was made for %s at this hub", login, office)
}
