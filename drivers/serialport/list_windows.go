//go:build windows

package serialport

import (
	"sort"

	"golang.org/x/sys/windows/registry"
)

// List returns the COM ports named under HKLM\HARDWARE\DEVICEMAP\SERIALCOMM.
// Windows does not tell the USB vendor there; the devices screen shows the
// port names only.
func List() ([]Info, error) {
	k, err := registry.OpenKey(registry.LOCAL_MACHINE, `HARDWARE\DEVICEMAP\SERIALCOMM`, registry.QUERY_VALUE)
	if err != nil {
		return nil, nil // no serial port at all
	}
	defer k.Close()
	names, err := k.ReadValueNames(0)
	if err != nil {
		return nil, err
	}
	var out []Info
	for _, n := range names {
		if v, _, err := k.GetStringValue(n); err == nil {
			out = append(out, Info{Path: v, Device: v})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}
