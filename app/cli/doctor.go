package cli

import (
	"bytes"
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
	bundle := fs.String("support-bundle", "", "also write a zip for a support request (versions, checks, settings and logs; no personal data, no secrets) to FILE")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	var text bytes.Buffer // the checks as printed, for the support bundle
	w := io.MultiWriter(stdout, &text)
	checks := []wire.Check{dataCheck(ctx, env)}
	devs, err := env.OpenDevices(ctx, wire.DeviceOptions{})
	if err != nil {
		checks = append(checks, wire.SettingsCheck(err))
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
		fmt.Fprintf(w, "%s\n", b)
	} else {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		for _, c := range checks { // in the language of --lang (app.go)
			name, detail := c.Say()
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", wire.AreaName(c.Area), wire.StatusWord(c.Status), name, detail)
		}
		tw.Flush()
	}
	if *bundle != "" { // doctor_bundle.go
		if err := supportBundle(ctx, *bundle, text.Bytes(), env); err != nil {
			fmt.Fprintln(stderr, "doctor: support bundle:", err)
			return 1
		}
		fmt.Fprintf(stderr, "support bundle written to %s (no personal data, no secrets)\n", *bundle)
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
		return wire.Check{Area: "data", Name: env.Dir, Status: wire.StatusFail, Detail: err.Error(),
			DetailKey: "devices.check.error", Args: map[string]any{"Err": err.Error()}}
	case !ok:
		return wire.Check{Area: "data", Name: env.Dir, Status: wire.StatusWarn, Detail: "database opens; device not provisioned yet (motcua provision)",
			DetailKey: "devices.check.data.unprovisioned"}
	}
	return wire.Check{Area: "data", Name: env.Dir, Status: wire.StatusOK, Detail: "database opens; device provisioned",
		DetailKey: "devices.check.data.ok"}
}
