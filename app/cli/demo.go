package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/calendar"
	"github.com/motcua/motcua/internal/demo"
	"github.com/motcua/motcua/internal/dossier"
)

// Demo credentials, shown in the README. They exist only in a data directory
// that `motcua demo` made: a real installation is provisioned by a technician
// and has no default password.
const (
	DemoPassword = "motcua-demo-2026"
	DemoLeader   = "lanhdao"
	DemoClerk    = "canbo"
)

// DemoOffice is the office a demo data directory is provisioned as.
var DemoOffice = wire.Office{
	AgencyID:      "000.00.06.H56",
	AgencyName:    "UBND phường Ba Đình",
	ParentName:    "UBND THÀNH PHỐ HÀ NỘI",
	Address:       "Số 1 phố Đội Cấn, phường Ba Đình, thành phố Hà Nội",
	Phone:         "024 3823 0000",
	Slot:          1,
	AdminLogin:    DemoLeader,
	AdminName:     "Trần Văn Lãnh",
	AdminPassword: DemoPassword,
}

// Demo seeds a data directory with a demo office, demo accounts and n
// synthetic dossiers: `motcua demo --dossiers N [--if-empty] [--seed S]`.
func Demo(ctx context.Context, args []string, stdout, stderr io.Writer, env *wire.Env) int {
	fs := flag.NewFlagSet("demo", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("dossiers", 300, "number of synthetic dossiers to add")
	ifEmpty := fs.Bool("if-empty", false, "add dossiers only when the store has none")
	seed := fs.Uint64("seed", uint64(time.Now().UnixNano()), "random seed (same seed, same dossiers)")
	perDay := fs.Int("per-day", 40, "dossiers received per working day")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *n < 0 {
		fmt.Fprintln(stderr, "demo: --dossiers must be 0 or more")
		return 2
	}
	ok, err := env.Provisioned(ctx)
	if err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return 1
	}
	if !ok {
		if err := env.Provision(ctx, DemoOffice); err != nil {
			fmt.Fprintln(stderr, "demo: provision:", err)
			return 1
		}
		if _, err := env.Auth.Create(ctx, DemoClerk, "Nguyễn Thị Hồng Nhung", auth.RoleClerk, DemoPassword); err != nil {
			fmt.Fprintln(stderr, "demo: clerk account:", err)
			return 1
		}
		fmt.Fprintf(stdout, "demo office %s provisioned; accounts %s (clerk) and %s (leader), password %s\n",
			DemoOffice.AgencyID, DemoClerk, DemoLeader, DemoPassword)
	}
	if *ifEmpty {
		_, any, err := env.Store.CountUpTo(ctx, dossier.Query{}, 0)
		if err != nil {
			fmt.Fprintln(stderr, "demo:", err)
			return 1
		}
		if any {
			fmt.Fprintln(stdout, "the store already holds dossiers; none added")
			return 0
		}
	}
	now := env.Now()
	gen := demo.New(*seed, env.Catalog.InForce(now), env.Calendar, "phường Ba Đình, thành phố Hà Nội",
		[]string{DemoClerk}, calendar.VN)
	gen.Leader = DemoLeader
	// each dossier with its history up to now (start, transfer, supplement,
	// payment, result, return, apology, refusal…) and the votes given
	lives := gen.Lives(*n, *perDay, now)
	start := time.Now()
	steps, votes, err := demo.Seed(ctx, env.Store, lives, DemoClerk, 5000)
	if err != nil {
		fmt.Fprintln(stderr, "demo:", err)
		return 1
	}
	fmt.Fprintf(stdout, "added %d dossiers (%d later steps, %d satisfaction votes) in %s\n", len(lives), steps, votes,
		time.Since(start).Round(time.Millisecond))
	return 0
}
