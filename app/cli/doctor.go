package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/motcua/motcua/app/wire"
)

// Doctor runs "motcua doctor": the technician's checks of this device's data
// directory and devices (serial ports, card reader, scanners, printers), the
// same the devices screen shows. Exit status 1 when a check failed.
func Doctor(ctx context.Context, args []string, stdout, stderr io.Writer, env *wire.Env) int {
	fs := flag.NewFlagSet("doctor", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print the checks as a JSON array")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	checks := []wire.Check{dataCheck(ctx, env)}
	devs, err := env.OpenDevices(ctx, wire.DeviceOptions{})
	if err != nil {
		checks = append(checks, wire.Check{Area: "devices", Name: "device settings", Status: wire.StatusFail, Detail: err.Error()})
	} else {
		checks = append(checks, devs.Diagnose(ctx)...)
	}
	failed := false
	for _, c := range checks {
		if c.Status == wire.StatusFail {
			failed = true
		}
	}
	if *asJSON {
		type jc struct {
			Area   string `json:"area"`
			Name   string `json:"name"`
			Status string `json:"status"`
			Detail string `json:"detail,omitempty"`
		}
		out := make([]jc, len(checks))
		for i, c := range checks {
			out[i] = jc{c.Area, c.Name, string(c.Status), c.Detail}
		}
		b, _ := json.MarshalIndent(out, "", "  ")
		fmt.Fprintf(stdout, "%s\n", b)
	} else {
		tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		for _, c := range checks {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", c.Area, c.Status, c.Name, c.Detail)
		}
		tw.Flush()
	}
	if failed {
		return 1
	}
	return 0
}

func dataCheck(ctx context.Context, env *wire.Env) wire.Check {
	ok, err := env.Provisioned(ctx)
	switch {
	case err != nil:
		return wire.Check{Area: "data", Name: env.Dir, Status: wire.StatusFail, Detail: err.Error()}
	case !ok:
		return wire.Check{Area: "data", Name: env.Dir, Status: wire.StatusWarn, Detail: "database opens; device not provisioned yet (motcua provision)"}
	}
	return wire.Check{Area: "data", Name: env.Dir, Status: wire.StatusOK, Detail: "database opens; device provisioned"}
}
