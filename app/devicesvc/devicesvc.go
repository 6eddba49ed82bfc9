// Package devicesvc adapts the devices built by app/wire (drivers/*) to the
// interfaces the screens consume: counter.Devices for the reception screen
// and devices.Service for the technician's devices screen. It is part of the
// composition root: it knows the concrete driver types, the screens do not.
package devicesvc

import (
	"context"
	"errors"
	"image"
	"strings"
	"time"

	"github.com/motcua/motcua/app/ui/counter"
	"github.com/motcua/motcua/app/ui/devices"
	"github.com/motcua/motcua/app/wire"
	"github.com/motcua/motcua/drivers/idcard"
	"github.com/motcua/motcua/drivers/printer"
	"github.com/motcua/motcua/drivers/printer/escpos"
	"github.com/motcua/motcua/drivers/scanner"
	"github.com/motcua/motcua/drivers/serialport"
	"github.com/motcua/motcua/internal/preview"
	"github.com/motcua/motcua/internal/store"
)

// Counter returns the reception screen's devices: the running card reader,
// the scanner, file import (always available) and the store for the scans.
func Counter(d *wire.Devices, files counter.FileStore) *counter.Devices {
	cd := &counter.Devices{Importer: importer{d}, Files: files, Pages: builder{d}}
	if d.Cards != nil {
		cd.Cards = d.Cards
	}
	if d.Scanner != nil {
		cd.Scanner = scanAdapter{d}
	}
	return cd
}

type scanAdapter struct{ d *wire.Devices }

// ScanPaper scans the pages; the clerk reviews them before builder makes
// the PDF.
func (a scanAdapter) ScanPaper(ctx context.Context) (counter.Scan, error) {
	pages, err := a.d.ScanPages(ctx)
	if err != nil {
		return counter.Scan{}, err
	}
	return counter.Scan{Raw: pages, Pages: len(pages)}, nil
}

type builder struct{ d *wire.Devices }

func (b builder) BuildPages(ctx context.Context, pages []scanner.Page) (counter.Scan, error) {
	r, err := b.d.BuildPages(ctx, pages)
	if err != nil {
		return counter.Scan{}, err
	}
	return counter.Scan{PDF: r.PDF, Pages: r.Pages, Blank: r.Blank}, nil
}

type importer struct{ d *wire.Devices }

func (a importer) ImportFile(ctx context.Context, name string, data []byte) (counter.Scan, error) {
	pages, err := a.d.ImportPages(ctx, name, data)
	if err != nil {
		return counter.Scan{}, err
	}
	return counter.Scan{Raw: pages, Pages: len(pages)}, nil
}

// Service implements devices.Service over an Env.
type Service struct {
	Env *wire.Env
	// Running are the devices the counter uses now (their card reader holds
	// the port, so a test read of the same port goes through it); may be nil.
	Running *wire.Devices
	Opts    wire.DeviceOptions
	Actor   func() string // login recorded in the audit of a settings change
	Now     func() time.Time
}

var _ devices.Service = (*Service)(nil)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Settings reads the stored device settings.
func (s *Service) Settings(ctx context.Context) (store.DeviceSettings, error) {
	return s.Env.Store.DeviceSettings(ctx)
}

// Save stores the device settings.
func (s *Service) Save(ctx context.Context, d store.DeviceSettings) error {
	actor := "technician"
	if s.Actor != nil {
		actor = s.Actor()
	}
	return s.Env.Store.SaveDeviceSettings(ctx, d, actor)
}

// Diagnose runs the checks of "motcua doctor" on the stored settings.
func (s *Service) Diagnose(ctx context.Context) []devices.Check {
	d, err := s.Env.OpenDevices(ctx, s.Opts)
	if err != nil {
		name, detail := wire.SettingsCheck(err).Say()
		return []devices.Check{{Area: "devices", Name: name, Status: "fail", Detail: detail}}
	}
	if s.Env.Receipts != nil {
		if sys, ok := s.Env.Receipts.Printer.(*printer.System); ok {
			d.System = sys
		}
	}
	var out []devices.Check
	for _, c := range d.Diagnose(ctx) {
		name, detail := c.Say() // in the interface language
		out = append(out, devices.Check{Area: c.Area, Name: name, Status: string(c.Status), Detail: detail})
	}
	return out
}

// SerialPorts lists the system's serial ports.
func (s *Service) SerialPorts() []string {
	ports, _ := serialport.List()
	out := make([]string, len(ports))
	for i, p := range ports {
		out[i] = p.Path
	}
	return out
}

// ErrNoCardReader: no port chosen.
var ErrNoCardReader = &explainedError{errors.New("no card reader port"), "devices.err.nocard"}

type explainedError struct {
	err error
	key string
}

func (e *explainedError) Error() string   { return e.err.Error() }
func (e *explainedError) Unwrap() error   { return e.err }
func (e *explainedError) Explain() string { return e.key }

// TestCard waits for one card and returns its ID number masked.
func (s *Service) TestCard(ctx context.Context, c store.CardReaderSettings) (string, error) {
	if c.Port == "" {
		return "", ErrNoCardReader
	}
	if r := s.Running; r != nil && r.Cards != nil && r.Settings.CardReader.Port == c.Port {
		a, err := r.Cards.ReadCard(ctx)
		if err != nil {
			return "", err
		}
		return Mask(a.IDNumber), nil
	}
	// open the port for this test only; a failure to open is the answer
	p, err := serialport.Open(wire.CardReaderConfig(c))
	if err != nil {
		return "", err
	}
	p.Close()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	rd := &idcard.SerialReader{Open: idcard.SerialOpener(wire.CardReaderConfig(c))}
	done := make(chan struct{})
	go func() { _ = rd.Serve(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	a, err := rd.ReadCard(ctx)
	if err != nil {
		return "", err
	}
	return Mask(a.IDNumber), nil
}

// Mask shows the first 4 and last 4 digits of an ID number.
func Mask(id string) string {
	if len(id) <= 8 {
		return strings.Repeat("•", len(id))
	}
	return id[:4] + strings.Repeat("•", len(id)-8) + id[len(id)-4:]
}

// TestScan scans with the given scanner settings and returns a thumbnail of
// the first page; nothing is stored.
func (s *Service) TestScan(ctx context.Context, sc store.ScannerSettings) (devices.ScanTest, error) {
	d, err := wire.BuildDevices(store.DeviceSettings{Scanner: sc}, "", s.Opts)
	if err != nil {
		return devices.ScanTest{}, err
	}
	r, err := d.Scan(ctx)
	if err != nil {
		return devices.ScanTest{}, err
	}
	var thumb image.Image
	if t, err := preview.Thumbnail(r.PDF, 0, 240, 320); err == nil {
		thumb = t
	}
	return devices.ScanTest{Thumbnail: thumb, Pages: r.Pages, Blank: len(r.Blank), Bytes: len(r.PDF)}, nil
}

// TestPrint prints the test page on the system printer (the one receipts
// go to) or on the thermal printer of d.
func (s *Service) TestPrint(ctx context.Context, which string, d store.DeviceSettings) error {
	switch which {
	case "system":
		pdf, err := wire.TestPagePDF(s.now())
		if err != nil {
			return err
		}
		err = s.Env.Receipts.Printer.PrintPDF(ctx, pdf, 1, "motcua test page")
		switch {
		case errors.Is(err, printer.ErrNoPrinter):
			return &explainedError{err, "devices.err.printer.none"}
		case errors.Is(err, printer.ErrNoSpooler):
			return &explainedError{err, "devices.err.printer.spooler"}
		}
		return err
	case "thermal":
		if d.Thermal.URI == "" {
			return &explainedError{errors.New("no thermal printer"), "devices.err.nothermal"}
		}
		dev, err := wire.BuildDevices(d, "", s.Opts)
		if err != nil {
			return err
		}
		err = dev.TestThermal(ctx, s.now())
		if errors.Is(err, escpos.ErrOffline) {
			return &explainedError{err, "devices.err.offline"}
		}
		return err
	}
	return errors.New("unknown printer " + which)
}
