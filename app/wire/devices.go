package wire

import (
	"context"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/motcua/motcua/assets"
	"github.com/motcua/motcua/drivers/idcard"
	"github.com/motcua/motcua/drivers/printer"
	"github.com/motcua/motcua/drivers/printer/escpos"
	"github.com/motcua/motcua/drivers/scanner"
	"github.com/motcua/motcua/drivers/serialport"
	"github.com/motcua/motcua/internal/preview"
	"github.com/motcua/motcua/internal/store"
)

// Devices are the counter's devices, built from the "devices" settings.
type Devices struct {
	Settings store.DeviceSettings
	Cards    *idcard.SerialReader // nil: no card reader configured
	Scanner  scanner.Device       // nil: no scanner configured
	ScanOpts scanner.Opts
	Thermal  *escpos.Printer // nil: no thermal printer
	System   *printer.System
	// SANEEnv is added to scanimage's environment (tests: a private
	// SANE_CONFIG_DIR with the test backend).
	SANEEnv []string
	Logger  *slog.Logger
}

// DeviceOptions change how devices are built; the zero value is production.
type DeviceOptions struct {
	SANEEnv  []string
	SANEArgs []string
	Logger   *slog.Logger
}

// OpenDevices builds the devices the settings name. Nothing is opened yet:
// the card reader starts with Serve.
func (e *Env) OpenDevices(ctx context.Context, o DeviceOptions) (*Devices, error) {
	ds, err := e.Store.DeviceSettings(ctx)
	if err != nil {
		return nil, err
	}
	set, err := e.Store.Settings(ctx)
	if err != nil {
		return nil, err
	}
	return BuildDevices(ds, set.Printer, o)
}

// BuildDevices builds devices from settings.
func BuildDevices(ds store.DeviceSettings, systemPrinter string, o DeviceOptions) (*Devices, error) {
	d := &Devices{Settings: ds, SANEEnv: o.SANEEnv, Logger: o.Logger, System: &printer.System{Printer: systemPrinter}}
	if ds.CardReader.Port != "" {
		d.Cards = &idcard.SerialReader{Open: idcard.SerialOpener(CardReaderConfig(ds.CardReader)), Logger: o.Logger}
	}
	sc, err := buildScanner(ds.Scanner, o)
	if err != nil {
		return nil, err
	}
	d.Scanner = sc
	d.ScanOpts = scanner.Opts{DPI: ds.Scanner.DPI, Colour: ds.Scanner.Colour, Duplex: ds.Scanner.Duplex}
	if ds.Scanner.Feeder {
		d.ScanOpts.Source = scanner.Feeder
	}
	if ds.Thermal.URI != "" {
		open, err := escpos.ParseURI(ds.Thermal.URI)
		if err != nil {
			return nil, err
		}
		dots := escpos.Width80
		if ds.Thermal.Width == 58 {
			dots = escpos.Width58
		}
		d.Thermal = &escpos.Printer{Open: open, Dots: dots, Fonts: Fonts(),
			RenderPDF: func(pdf []byte, page int, dpi float64) (image.Image, error) {
				return preview.RenderPage(pdf, page, dpi)
			},
			PageCount: preview.PageCount}
	}
	return d, nil
}

// Fonts are the embedded Noto Sans faces for thermal tickets.
func Fonts() escpos.Fonts {
	return escpos.Fonts{Regular: assets.MustRead("fonts/NotoSans-Regular.ttf"), Bold: assets.MustRead("fonts/NotoSans-Bold.ttf")}
}

// CardReaderConfig is the serial configuration of a card reader.
func CardReaderConfig(c store.CardReaderSettings) serialport.Config {
	cfg := serialport.DefaultConfig(c.Port)
	if c.Baud > 0 {
		cfg.Baud = c.Baud
	}
	if c.Parity != "" {
		cfg.Parity = c.Parity[0]
	}
	cfg.StopBits = c.StopBits
	return cfg
}

func buildScanner(s store.ScannerSettings, o DeviceOptions) (scanner.Device, error) {
	switch s.Kind {
	case "":
		return nil, nil
	case "sane":
		return &scanner.SANE{Device: s.Device, Env: o.SANEEnv, Args: o.SANEArgs}, nil
	case "escl":
		return &scanner.ESCL{BaseURL: s.URL}, nil
	case "folder":
		return &scanner.Folder{Dir: s.Dir}, nil
	}
	return nil, fmt.Errorf("scanner kind %q", s.Kind)
}

// Serve runs the card reader until ctx ends (returns at once without one).
func (d *Devices) Serve(ctx context.Context) error {
	if d.Cards == nil {
		return nil
	}
	return d.Cards.Serve(ctx)
}

// Scan scans one paper and returns it as a stored-ready PDF.
func (d *Devices) Scan(ctx context.Context) (scanner.Result, error) {
	if d.Scanner == nil {
		return scanner.Result{}, scanner.ErrNoScanner
	}
	pages, err := d.Scanner.Scan(ctx, d.ScanOpts)
	if err != nil {
		return scanner.Result{}, err
	}
	return scanner.Finish(pages, scanner.PDFOpts{DPI: d.ScanOpts.DPI, Colour: d.ScanOpts.Colour})
}

// Import turns an imported file into a stored-ready PDF.
func (d *Devices) Import(_ context.Context, name string, data []byte) (scanner.Result, error) {
	pages, err := scanner.Import(name, data, d.ScanOpts.DPI)
	if err != nil {
		return scanner.Result{}, err
	}
	return scanner.Finish(pages, scanner.PDFOpts{DPI: d.ScanOpts.DPI, Colour: d.ScanOpts.Colour})
}

// ---- diagnostics

// Status of a check.
type Status string

const (
	StatusOK   Status = "ok"
	StatusWarn Status = "warn"
	StatusFail Status = "fail"
	StatusNone Status = "none" // not configured
)

// Check is one line of the diagnostics.
type Check struct {
	Area   string // "serial", "card", "scanner", "printer", "thermal", "data"
	Name   string // what was checked
	Status Status
	Detail string // plain words, no personal data
}

// Diagnose checks every device the settings name, and lists what the system
// offers (serial ports, SANE scanners, system printers). It never scans or
// prints.
func (d *Devices) Diagnose(ctx context.Context) []Check {
	var out []Check
	ports, err := serialport.List()
	switch {
	case err != nil:
		out = append(out, Check{"serial", "serial ports", StatusWarn, err.Error()})
	case len(ports) == 0:
		out = append(out, Check{"serial", "serial ports", StatusNone, "no serial port found"})
	}
	for _, p := range ports {
		out = append(out, Check{"serial", p.Path, StatusOK, p.Label()})
	}
	out = append(out, d.checkCard())
	out = append(out, d.checkScanner(ctx)...)
	out = append(out, d.checkPrinters(ctx)...)
	out = append(out, d.checkThermal(ctx))
	return out
}

func (d *Devices) checkCard() Check {
	c := d.Settings.CardReader
	if c.Port == "" {
		return Check{"card", "card reader", StatusNone, "not configured"}
	}
	p, err := serialport.Open(CardReaderConfig(c))
	if err != nil {
		return Check{"card", c.Port, StatusFail, portProblem(err)}
	}
	p.Close()
	return Check{"card", c.Port, StatusOK, "port opens"}
}

func portProblem(err error) string {
	var pe *serialport.PortError
	if errors.As(err, &pe) {
		switch pe.Code {
		case serialport.CodeNotFound:
			return "not plugged in (the port does not exist)"
		case serialport.CodeBusy:
			return "in use by another program"
		case serialport.CodePermission:
			return "permission denied: add the user to the dialout group (or install the udev rule)"
		}
	}
	return err.Error()
}

func (d *Devices) checkScanner(ctx context.Context) []Check {
	var out []Check
	sane := &scanner.SANE{Env: d.SANEEnv}
	if _, err := exec.LookPath("scanimage"); err == nil {
		ctx2, cancel := context.WithTimeout(ctx, 20*time.Second)
		devs, err := sane.List(ctx2)
		cancel()
		switch {
		case err != nil:
			out = append(out, Check{"scanner", "SANE", StatusWarn, err.Error()})
		case len(devs) == 0:
			out = append(out, Check{"scanner", "SANE", StatusNone, "no SANE scanner found"})
		}
		for _, dv := range devs {
			out = append(out, Check{"scanner", dv.Name, StatusOK, strings.TrimSpace(dv.Vendor + " " + dv.Model + " (" + dv.Type + ")")})
		}
	}
	s := d.Settings.Scanner
	switch s.Kind {
	case "":
		out = append(out, Check{"scanner", "scanner", StatusNone, "not configured"})
	case "sane":
		if _, err := exec.LookPath("scanimage"); err != nil {
			out = append(out, Check{"scanner", "SANE " + s.Device, StatusFail, "scanimage not installed (Debian package sane-utils)"})
		} else {
			out = append(out, Check{"scanner", "SANE " + s.Device, StatusOK, "configured"})
		}
	case "escl":
		e := &scanner.ESCL{BaseURL: s.URL}
		ctx2, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		caps, err := e.Capabilities(ctx2)
		if err != nil {
			out = append(out, Check{"scanner", "eSCL " + s.URL, StatusFail, "not reachable: " + err.Error()})
			break
		}
		st, _ := e.Status(ctx2)
		out = append(out, Check{"scanner", "eSCL " + s.URL, StatusOK, strings.TrimSpace(caps.MakeAndModel + " " + st)})
	case "folder":
		f := &scanner.Folder{Dir: s.Dir}
		files, err := f.Pending()
		if err != nil {
			out = append(out, Check{"scanner", "folder " + s.Dir, StatusFail, "not readable: " + err.Error()})
		} else {
			out = append(out, Check{"scanner", "folder " + s.Dir, StatusOK, fmt.Sprintf("%d file(s) waiting", len(files))})
		}
	}
	return out
}

func (d *Devices) checkPrinters(ctx context.Context) []Check {
	names, def, err := d.System.Destinations(ctx)
	switch {
	case errors.Is(err, printer.ErrNoSpooler):
		return []Check{{"printer", "system printer", StatusFail, "printing system not installed (Debian package cups-client / cups)"}}
	case err != nil:
		return []Check{{"printer", "system printer", StatusWarn, err.Error()}}
	case len(names) == 0:
		return []Check{{"printer", "system printer", StatusFail, "no printer installed"}}
	}
	var out []Check
	chosen := d.System.Printer
	if chosen == "" {
		chosen = def
	}
	for _, n := range names {
		detail := "installed"
		if n == def {
			detail += ", system default"
		}
		if n == chosen {
			detail += ", used for receipts"
		}
		out = append(out, Check{"printer", n, StatusOK, detail})
	}
	if chosen == "" {
		out = append(out, Check{"printer", "receipt printer", StatusWarn, "no printer chosen and no system default"})
	}
	return out
}

func (d *Devices) checkThermal(ctx context.Context) Check {
	t := d.Settings.Thermal
	if t.URI == "" {
		return Check{"thermal", "thermal printer", StatusNone, "not configured"}
	}
	u, err := url.Parse(t.URI)
	if err != nil {
		return Check{"thermal", t.URI, StatusFail, err.Error()}
	}
	switch u.Scheme {
	case "tcp":
		host := u.Host
		if _, _, err := net.SplitHostPort(host); err != nil {
			host = net.JoinHostPort(host, "9100")
		}
		dl := net.Dialer{Timeout: 3 * time.Second}
		c, err := dl.DialContext(ctx, "tcp", host)
		if err != nil {
			return Check{"thermal", t.URI, StatusFail, "not reachable: " + err.Error()}
		}
		c.Close()
		return Check{"thermal", t.URI, StatusOK, "reachable"}
	default:
		path := u.Opaque
		if path == "" {
			path = u.Path
		}
		if _, err := os.Stat(path); err != nil {
			return Check{"thermal", t.URI, StatusFail, "device not present"}
		}
		return Check{"thermal", t.URI, StatusOK, "device present"}
	}
}

// TestThermal prints the technician's test page on the thermal printer.
func (d *Devices) TestThermal(ctx context.Context, now time.Time) error {
	if d.Thermal == nil {
		return errors.New("no thermal printer configured")
	}
	return d.Thermal.PrintTicket(ctx, escpos.TestTicket("MOTCUA — MÁY IN NHIỆT", now))
}

// TestSystemPrinter prints an A4 test page on the system printer.
func (d *Devices) TestSystemPrinter(ctx context.Context, now time.Time) error {
	pdf, err := TestPagePDF(now)
	if err != nil {
		return err
	}
	return d.System.PrintPDF(ctx, pdf, 1, "motcua test page")
}

// TestPagePDF is an A4 test page: the Vietnamese test lines drawn at 200
// dpi, as one PDF page.
func TestPagePDF(now time.Time) ([]byte, error) {
	t := escpos.TestTicket("MOTCUA — TRANG IN THỬ", now)
	img, err := Fonts().Render(t.Lines, 1654) // A4 width at 200 dpi
	if err != nil {
		return nil, err
	}
	page := image.NewGray(image.Rect(0, 0, 1654, 2339))
	for i := range page.Pix {
		page.Pix[i] = 255
	}
	for y := 0; y < img.Bounds().Dy() && y+200 < 2339; y++ {
		copy(page.Pix[(y+200)*page.Stride:(y+200)*page.Stride+1654], img.Pix[y*img.Stride:y*img.Stride+1654])
	}
	return scanner.BuildPDF([]scanner.Page{{Image: page, DPI: 200}}, scanner.PDFOpts{})
}

// NoDevices is the settings of a counter without devices.
func NoDevices() store.DeviceSettings { return store.DeviceSettings{} }
