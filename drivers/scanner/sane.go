package scanner

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// SANE scans through the scanimage command.
type SANE struct {
	Device string   // SANE device name, e.g. "epjitsu:libusb:001:004"; "" = the first one
	Env    []string // extra environment (SANE_CONFIG_DIR=… in tests)
	Binary string   // "" = scanimage from PATH
	// Args are device-specific options added to every scan (e.g. the test
	// backend's "--test-picture", "Grid").
	Args []string
}

var _ Device = (*SANE)(nil)

// SANEDevice is one scanner scanimage sees.
type SANEDevice struct {
	Name, Vendor, Model, Type string
}

func (s *SANE) cmd(ctx context.Context, args ...string) *exec.Cmd {
	bin := s.Binary
	if bin == "" {
		bin = "scanimage"
	}
	c := exec.CommandContext(ctx, bin, args...)
	c.Env = append(os.Environ(), s.Env...)
	return c
}

// List returns the scanners SANE finds.
func (s *SANE) List(ctx context.Context) ([]SANEDevice, error) {
	out, err := s.cmd(ctx, "-f", "%d|%v|%m|%t%n").Output()
	if err != nil {
		return nil, saneErr(err, nil)
	}
	var devs []SANEDevice
	for _, l := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.SplitN(l, "|", 4)
		if len(f) == 4 {
			devs = append(devs, SANEDevice{Name: f[0], Vendor: f[1], Model: f[2], Type: f[3]})
		}
	}
	return devs, nil
}

// Scan scans with scanimage --batch into a private temp dir (removed
// afterwards: scans hold personal data) and decodes the PNM pages.
func (s *SANE) Scan(ctx context.Context, o Opts) ([]Page, error) {
	dir, err := os.MkdirTemp("", "motcua-scan-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	args := []string{"--format=pnm", "--resolution", strconv.Itoa(o.dpi()),
		"--batch=" + filepath.Join(dir, "page%04d.pnm")}
	if s.Device != "" {
		args = append([]string{"-d", s.Device}, args...)
	}
	if o.Colour {
		args = append(args, "--mode", "Color")
	} else {
		args = append(args, "--mode", "Gray")
	}
	switch {
	case o.Source == Feeder && o.Duplex:
		args = append(args, "--source", "ADF Duplex")
	case o.Source == Feeder:
		args = append(args, "--source", "Automatic Document Feeder")
	default:
		args = append(args, "--batch-count=1")
	}
	if o.WidthMM > 0 && o.HeightMM > 0 {
		args = append(args, "-x", strconv.Itoa(o.WidthMM), "-y", strconv.Itoa(o.HeightMM))
	}
	args = append(args, s.Args...)
	var stderr bytes.Buffer
	c := s.cmd(ctx, args...)
	c.Stderr = &stderr
	runErr := c.Run()
	files, _ := filepath.Glob(filepath.Join(dir, "page*.pnm"))
	sort.Strings(files)
	// a feeder batch ends with "out of documents": an error only when no page came
	if runErr != nil && (len(files) == 0 || !noDocs(stderr.Bytes())) {
		return nil, saneErr(runErr, stderr.Bytes())
	}
	if len(files) == 0 {
		return nil, kindErr(KindNoPaper, "scanimage produced no page")
	}
	pages := make([]Page, 0, len(files))
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, err
		}
		img, err := DecodePNM(fh)
		fh.Close()
		if err != nil {
			return nil, err
		}
		pages = append(pages, Page{Image: img, DPI: float64(o.dpi())})
	}
	return pages, nil
}

func noDocs(stderr []byte) bool {
	s := strings.ToLower(string(stderr))
	return strings.Contains(s, "out of documents") || strings.Contains(s, "document feeder out")
}

func saneErr(err error, stderr []byte) error {
	var ee *exec.Error
	if errors.As(err, &ee) {
		return kindErr(KindNoScanner, "scanimage not installed (Debian package sane-utils): %v", err)
	}
	msg := strings.TrimSpace(string(stderr))
	low := strings.ToLower(msg)
	switch {
	case strings.Contains(low, "no scanners were identified"), strings.Contains(low, "invalid argument"):
		return kindErr(KindNoScanner, "%s", msg)
	case strings.Contains(low, "out of documents"), strings.Contains(low, "no docs"):
		return kindErr(KindNoPaper, "%s", msg)
	case strings.Contains(low, "busy"):
		return kindErr(KindBusy, "%s", msg)
	case strings.Contains(low, "error during device i/o"), strings.Contains(low, "open of device"):
		return kindErr(KindOffline, "%s", msg)
	}
	return fmt.Errorf("scanimage: %v: %s", err, msg)
}
