//go:build !windows

package serialport

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Roots of the listing; tests point them at a fake tree.
var (
	sysClassTTY = "/sys/class/tty"
	devDir      = "/dev"
)

// List returns the serial ports present: every /sys/class/tty entry backed by
// a device (USB-CDC ttyACM*, USB-serial ttyUSB*, on-board ttyS* whose UART
// exists), with the stable /dev/serial/by-id link as Path where there is one.
func List() ([]Info, error) {
	entries, err := os.ReadDir(sysClassTTY)
	if err != nil {
		return nil, err
	}
	byID := map[string]string{}
	links, _ := filepath.Glob(filepath.Join(devDir, "serial", "by-id", "*"))
	for _, l := range links {
		if t, err := filepath.EvalSymlinks(l); err == nil {
			byID[filepath.Base(t)] = l
		}
	}
	var out []Info
	for _, e := range entries {
		name := e.Name()
		dev := filepath.Join(sysClassTTY, name, "device")
		if _, err := os.Stat(dev); err != nil {
			continue // virtual console, pty
		}
		if strings.HasPrefix(name, "ttyS") && !uartPresent(filepath.Join(sysClassTTY, name)) {
			continue
		}
		info := Info{Device: filepath.Join(devDir, name), Path: filepath.Join(devDir, name)}
		if l, ok := byID[name]; ok {
			info.Path = l
		}
		usbInfo(dev, &info)
		out = append(out, info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Device < out[j].Device })
	return out, nil
}

func uartPresent(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "type"))
	return err == nil && strings.TrimSpace(string(b)) != "0"
}

// usbInfo walks up from the tty's device to the USB device that has idVendor.
func usbInfo(dev string, info *Info) {
	p, err := filepath.EvalSymlinks(dev)
	if err != nil {
		return
	}
	for i := 0; i < 4 && p != "/" && p != "."; i++ {
		read := func(f string) string {
			b, _ := os.ReadFile(filepath.Join(p, f))
			return strings.TrimSpace(string(b))
		}
		if v := read("idVendor"); v != "" {
			info.VendorID, info.ProductID = v, read("idProduct")
			info.Manufacturer, info.Product = read("manufacturer"), read("product")
			return
		}
		p = filepath.Dir(p)
	}
}
