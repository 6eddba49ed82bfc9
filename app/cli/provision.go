package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/motcua/motcua/app/wire"
)

// Provision sets a new device up for its office and creates the first
// (leader) account. The password is read from --password-file or, when that
// is absent, from the first line of stdin, so it never appears in the process
// list or the shell history:
//
//	read -rs PW; printf '%s\n' "$PW" | motcua provision --agency-id 000.00.06.H56 \
//	    --agency-name "UBND phường Ba Đình" --slot 1 --admin lanhdao --admin-name "Trần Văn Lãnh"
func Provision(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, env *wire.Env) int {
	fs := flag.NewFlagSet("provision", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o wire.Office
	fs.StringVar(&o.AgencyID, "agency-id", "", "agency electronic id, e.g. 000.00.06.H56 (required)")
	fs.StringVar(&o.AgencyName, "agency-name", "", "agency name, e.g. \"UBND phường Ba Đình\" (required)")
	fs.StringVar(&o.ParentName, "parent", "", "parent authority printed above the agency name")
	fs.StringVar(&o.Address, "address", "", "office address")
	fs.StringVar(&o.Phone, "phone", "", "office phone")
	fs.StringVar(&o.ReturnPlace, "return-place", "", "where results are returned")
	fs.IntVar(&o.Slot, "slot", 0, "device slot 1-9, unique among this office's devices (required)")
	fs.StringVar(&o.AdminLogin, "admin", "", "login of the first (leader) account (required)")
	fs.StringVar(&o.AdminName, "admin-name", "", "full name of the first account (required)")
	pwFile := fs.String("password-file", "", "file whose first line is the password (default: stdin)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if o.AgencyID == "" || o.AgencyName == "" || o.Slot == 0 || o.AdminLogin == "" || o.AdminName == "" {
		fmt.Fprintln(stderr, "provision: --agency-id, --agency-name, --slot, --admin and --admin-name are required")
		return 2
	}
	var src io.Reader = stdin
	if *pwFile != "" {
		f, err := os.Open(*pwFile)
		if err != nil {
			fmt.Fprintln(stderr, "provision:", err)
			return 1
		}
		defer f.Close()
		src = f
	}
	line, err := bufio.NewReader(src).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		fmt.Fprintln(stderr, "provision: read password:", err)
		return 1
	}
	o.AdminPassword = strings.TrimRight(line, "\r\n")
	if err := env.Provision(ctx, o); err != nil {
		fmt.Fprintln(stderr, "provision:", err)
		return 1
	}
	fmt.Fprintf(stdout, "device provisioned for %s (%s), slot %d; leader account %q created\n",
		o.AgencyName, strings.ToUpper(o.AgencyID), o.Slot, o.AdminLogin)
	return 0
}
