package printer

import (
	"context"
	"runtime"
	"strings"
)

// Destinations lists the system's printers and names the default one ("" if
// none): lpstat -e and lpstat -d on Linux, Get-Printer on Windows.
func (s *System) Destinations(ctx context.Context) (names []string, def string, err error) {
	run := s.Run
	if run == nil {
		run = ExecRunner
	}
	goos := s.GOOS
	if goos == "" {
		goos = runtime.GOOS
	}
	if goos == "windows" {
		out, err := run(ctx, "powershell", []string{"-NoProfile", "-NonInteractive", "-Command",
			"Get-Printer | ForEach-Object { $_.Name }; '---'; (Get-CimInstance Win32_Printer -Filter 'Default=TRUE').Name"}, nil)
		if err != nil {
			return nil, "", classify(out, err)
		}
		parts := strings.SplitN(string(out), "---", 2)
		names = lines(parts[0])
		if len(parts) == 2 {
			def = strings.TrimSpace(parts[1])
		}
		return names, def, nil
	}
	out, err := run(ctx, "lpstat", []string{"-e"}, nil)
	if err != nil {
		msg := string(out)
		if strings.Contains(msg, "No destinations") {
			return nil, "", nil
		}
		return nil, "", classify(out, err)
	}
	names = lines(string(out))
	if out, err := run(ctx, "lpstat", []string{"-d"}, nil); err == nil {
		// "system default destination: office"
		if i := strings.LastIndex(string(out), ": "); i >= 0 {
			def = strings.TrimSpace(string(out)[i+2:])
		}
	}
	return names, def, nil
}

func lines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
