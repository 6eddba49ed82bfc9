package wire

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"image"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/motcua/motcua/assets"
	"github.com/motcua/motcua/drivers/idcard"
	"github.com/motcua/motcua/drivers/printer"
	"github.com/motcua/motcua/drivers/printer/escpos"
	"github.com/motcua/motcua/drivers/scanner"
	"github.com/motcua/motcua/drivers/serialport"
	"github.com/motcua/motcua/internal/dossier"
	"github.com/motcua/motcua/internal/preview"
	"github.com/motcua/motcua/internal/receipt"
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

// ScanPages scans one paper and returns its pages as scanned, for the
// clerk to review before BuildPages makes the stored PDF.
func (d *Devices) ScanPages(ctx context.Context) ([]scanner.Page, error) {
	if d.Scanner == nil {
		return nil, scanner.ErrNoScanner
	}
	return d.Scanner.Scan(ctx, d.ScanOpts)
}

// ImportPages reads an imported file's pages, for review.
func (d *Devices) ImportPages(_ context.Context, name string, data []byte) ([]scanner.Page, error) {
	return scanner.Import(name, data, d.ScanOpts.DPI)
}

// BuildPages makes the stored-ready PDF of reviewed pages with the
// counter's options (grayscale JPEG at 200 dpi unless colour is set).
func (d *Devices) BuildPages(_ context.Context, pages []scanner.Page) (scanner.Result, error) {
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

// Check is one line of the diagnostics. Name and Detail are plain English
// (logs, JSON); NameKey and DetailKey, when set, are their translation keys
// (assets/lang/devices.*.json) with Args as template data: Say gives the
// words in the interface language.
type Check struct {
	Area   string // "serial", "card", "scanner", "printer", "thermal", "data"
	Name   string // what was checked
	Status Status
	Detail string // plain words, no personal data

	NameKey, DetailKey string
	Args               map[string]any
}

// Say is the check's name and detail in the interface language (lang.X,
// falling back to the English words when a key is missing).
func (c Check) Say() (name, detail string) {
	name, detail = c.Name, c.Detail
	if c.NameKey != "" {
		name = lang.X(c.NameKey, c.Name, c.Args)
	}
	if c.DetailKey != "" {
		detail = lang.X(c.DetailKey, c.Detail, c.Args)
	}
	return name, detail
}

// AreaName is a check area in the interface language.
func AreaName(area string) string { return lang.X("devices.area."+area, area) }

// check builds a Check whose name is a device (not translated) and whose
// detail is the translation key k with args; english is the untranslated
// detail.
func check(area, name string, st Status, k, english string, args map[string]any) Check {
	return Check{Area: area, Name: name, Status: st, Detail: english, DetailKey: k, Args: args}
}

// named is check with a translated name (key nk) too.
func named(area, nk, name string, st Status, k, english string, args map[string]any) Check {
	c := check(area, name, st, k, english, args)
	c.NameKey = nk
	return c
}

func errArgs(err error) map[string]any { return map[string]any{"Err": firstLine(err.Error())} }

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// Diagnose checks every device the settings name, and lists what the system
// offers (serial ports, SANE scanners, system printers). It never scans or
// prints.
func (d *Devices) Diagnose(ctx context.Context) []Check {
	var out []Check
	ports, err := serialport.List()
	switch {
	case err != nil:
		out = append(out, named("serial", "devices.check.serial", "serial ports", StatusWarn, "devices.check.error", err.Error(), errArgs(err)))
	case len(ports) == 0:
		out = append(out, named("serial", "devices.check.serial", "serial ports", StatusNone, "devices.check.serial.none", "no serial port found", nil))
	}
	for _, p := range ports {
		out = append(out, Check{Area: "serial", Name: p.Path, Status: StatusOK, Detail: p.Label()})
	}
	out = append(out, d.checkCard())
	out = append(out, d.checkScanner(ctx)...)
	out = append(out, d.checkPrinters(ctx)...)
	out = append(out, d.checkThermal(ctx))
	return out
}

func notConfigured(area, nk, name string) Check {
	return named(area, nk, name, StatusNone, "devices.check.unset", "not configured", nil)
}

func (d *Devices) checkCard() Check {
	c := d.Settings.CardReader
	if c.Port == "" {
		return notConfigured("card", "devices.check.card", "card reader")
	}
	p, err := serialport.Open(CardReaderConfig(c))
	if err != nil {
		k, english := portProblem(err)
		return check("card", c.Port, StatusFail, k, english, errArgs(err))
	}
	p.Close()
	return check("card", c.Port, StatusOK, "devices.check.port.opens", "port opens", nil)
}

// portProblem is the translation key and English words for a port that
// does not open.
func portProblem(err error) (key, english string) {
	var pe *serialport.PortError
	if errors.As(err, &pe) {
		switch pe.Code {
		case serialport.CodeNotFound:
			return "devices.port.notfound", "not plugged in (the port does not exist)"
		case serialport.CodeBusy:
			return "devices.port.busy", "in use by another program"
		case serialport.CodePermission:
			return "devices.port.permission", "permission denied: add the user to the dialout group (or install the udev rule)"
		}
	}
	return "devices.check.error", err.Error()
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
			out = append(out, check("scanner", "SANE", StatusWarn, "devices.check.error", err.Error(), errArgs(err)))
		case len(devs) == 0:
			out = append(out, check("scanner", "SANE", StatusNone, "devices.check.sane.none", "no SANE scanner found", nil))
		}
		for _, dv := range devs {
			out = append(out, Check{Area: "scanner", Name: dv.Name, Status: StatusOK, Detail: strings.TrimSpace(dv.Vendor + " " + dv.Model + " (" + dv.Type + ")")})
		}
	}
	s := d.Settings.Scanner
	switch s.Kind {
	case "":
		out = append(out, notConfigured("scanner", "devices.check.scanner", "scanner"))
	case "sane":
		if _, err := exec.LookPath("scanimage"); err != nil {
			out = append(out, check("scanner", "SANE "+s.Device, StatusFail, "devices.check.sane.missing", "scanimage not installed (Debian package sane-utils)", nil))
		} else {
			out = append(out, check("scanner", "SANE "+s.Device, StatusOK, "devices.check.configured", "configured", nil))
		}
	case "escl":
		e := &scanner.ESCL{BaseURL: s.URL}
		ctx2, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		caps, err := e.Capabilities(ctx2)
		if err != nil {
			out = append(out, check("scanner", "eSCL "+s.URL, StatusFail, "devices.check.unreachable", "not reachable: "+err.Error(), errArgs(err)))
			break
		}
		st, _ := e.Status(ctx2)
		out = append(out, Check{Area: "scanner", Name: "eSCL " + s.URL, Status: StatusOK, Detail: strings.TrimSpace(caps.MakeAndModel + " " + st)})
	case "folder":
		f := &scanner.Folder{Dir: s.Dir}
		files, err := f.Pending()
		if err != nil {
			args := errArgs(err)
			args["Dir"] = s.Dir
			out = append(out, named("scanner", "devices.check.folder", "folder "+s.Dir, StatusFail, "devices.check.folder.unreadable", "not readable: "+err.Error(), args))
		} else {
			out = append(out, named("scanner", "devices.check.folder", "folder "+s.Dir, StatusOK, "devices.check.folder.waiting", fmt.Sprintf("%d file(s) waiting", len(files)),
				map[string]any{"Count": len(files), "Dir": s.Dir}))
		}
	}
	return out
}

func (d *Devices) checkPrinters(ctx context.Context) []Check {
	names, def, err := d.System.Destinations(ctx)
	const nk = "devices.check.system"
	switch {
	case errors.Is(err, printer.ErrNoSpooler):
		return []Check{named("printer", nk, "system printer", StatusFail, "devices.err.printer.spooler", "printing system not installed (Debian package cups-client / cups)", nil)}
	case err != nil:
		return []Check{named("printer", nk, "system printer", StatusWarn, "devices.check.error", err.Error(), errArgs(err))}
	case len(names) == 0:
		return []Check{named("printer", nk, "system printer", StatusFail, "devices.check.printer.none", "no printer installed", nil)}
	}
	var out []Check
	chosen := d.System.Printer
	if chosen == "" {
		chosen = def
	}
	for _, n := range names {
		k, detail := "devices.check.printer.installed", "installed"
		switch {
		case n == def && n == chosen:
			k, detail = "devices.check.printer.default.receipts", "installed, system default, used for receipts"
		case n == def:
			k, detail = "devices.check.printer.default", "installed, system default"
		case n == chosen:
			k, detail = "devices.check.printer.receipts", "installed, used for receipts"
		}
		out = append(out, check("printer", n, StatusOK, k, detail, nil))
	}
	if chosen == "" {
		out = append(out, named("printer", "devices.check.receipt.printer", "receipt printer", StatusWarn, "devices.check.printer.unchosen", "no printer chosen and no system default", nil))
	}
	return out
}

func (d *Devices) checkThermal(ctx context.Context) Check {
	t := d.Settings.Thermal
	if t.URI == "" {
		return notConfigured("thermal", "devices.check.thermal", "thermal printer")
	}
	u, err := url.Parse(t.URI)
	if err != nil {
		return check("thermal", t.URI, StatusFail, "devices.check.error", err.Error(), errArgs(err))
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
			return check("thermal", t.URI, StatusFail, "devices.check.unreachable", "not reachable: "+err.Error(), errArgs(err))
		}
		c.Close()
		return check("thermal", t.URI, StatusOK, "devices.check.reachable", "reachable", nil)
	default:
		path := u.Opaque
		if path == "" {
			path = u.Path
		}
		if _, err := os.Stat(path); err != nil {
			return check("thermal", t.URI, StatusFail, "devices.check.device.absent", "device not present", nil)
		}
		return check("thermal", t.URI, StatusOK, "devices.check.device.present", "device present", nil)
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

// ---- receipts on the thermal printer

// ThermalReceipts prints the reception receipt as a short slip on an ESC/POS
// thermal printer (store.ThermalSettings.Receipts): office, dossier code,
// applicant, procedure, papers, appointment and the signed QR code printed
// natively. Receipts.ReceiptPDF remembers the slip of each PDF it makes, and
// Receipts.Print sends that slip instead of the A4 form.
type ThermalReceipts struct {
	Printer *escpos.Printer

	mu    sync.Mutex
	slips map[[32]byte]escpos.Ticket // by sha256 of the receipt PDF; the last few
	order [][32]byte
}

// newReceipts builds the receipts service; a thermal printer chosen for
// receipts in the device settings takes the print jobs.
func newReceipts(ctx context.Context, st *store.Store, pr Printer) *Receipts {
	r := &Receipts{Store: st, Printer: pr}
	ds, err := st.DeviceSettings(ctx)
	if err != nil || !ds.Thermal.Receipts || ds.Thermal.URI == "" {
		return r
	}
	d, err := BuildDevices(store.DeviceSettings{Thermal: ds.Thermal}, "", DeviceOptions{})
	if err != nil || d.Thermal == nil {
		return r
	}
	r.Thermal = &ThermalReceipts{Printer: d.Thermal}
	return r
}

func (t *ThermalReceipts) remember(pdf []byte, slip escpos.Ticket) {
	if t == nil {
		return
	}
	k := sha256.Sum256(pdf)
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.slips == nil {
		t.slips = map[[32]byte]escpos.Ticket{}
	}
	if _, ok := t.slips[k]; !ok {
		t.order = append(t.order, k)
	}
	t.slips[k] = slip
	for len(t.order) > 16 {
		delete(t.slips, t.order[0])
		t.order = t.order[1:]
	}
}

// print prints the slip of pdf; ok is false when pdf is not a receipt this
// service made (it then goes to the system printer).
func (t *ThermalReceipts) print(ctx context.Context, pdf []byte) (ok bool, err error) {
	if t == nil {
		return false, nil
	}
	t.mu.Lock()
	slip, ok := t.slips[sha256.Sum256(pdf)]
	t.mu.Unlock()
	if !ok {
		return false, nil
	}
	return true, t.Printer.PrintTicket(ctx, slip)
}

// ReceiptSlip lays the reception receipt (form 01) out as a thermal slip:
// the same facts in a short form, with the same signed QR code.
func ReceiptSlip(o receipt.Office, d *dossier.Dossier, clerk, qr string) escpos.Ticket {
	c := escpos.AlignCenter
	at := func(t time.Time) string { return t.In(vn).Format("15:04 02/01/2006") }
	lines := []escpos.Line{
		{Text: strings.ToUpper(o.AgencyName), Size: 10, Bold: true, Align: c},
		{Text: "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", Size: 8, Align: c},
		{Text: "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", Size: 8, Bold: true, Align: c},
		{Text: d.Code.String(), Size: 12, Bold: true, Align: c},
		{Text: "Người nộp: " + d.Applicant.FullName},
		{Text: "Thủ tục: " + d.ProcedureName},
		{Text: fmt.Sprintf("Thành phần hồ sơ: %d loại, %d bộ", len(d.Papers), max(d.Sets, 1))},
		{Text: "Tiếp nhận: " + at(d.ReceivedAt)},
		{Text: "Hẹn trả: " + at(d.DueAt), Bold: true},
	}
	lines = append(lines, escpos.Line{Text: "Lệ phí: " + receipt.Money(d.Fee)})
	if o.ReturnPlace != "" {
		lines = append(lines, escpos.Line{Text: "Nơi trả: " + o.ReturnPlace})
	}
	if clerk != "" {
		lines = append(lines, escpos.Line{Text: "Cán bộ tiếp nhận: " + clerk})
	}
	return escpos.Ticket{
		Lines:  lines,
		QR:     qr,
		QRSize: 5,
		Footer: []escpos.Line{{Text: "Quét mã để tra cứu và kiểm tra giấy tiếp nhận", Size: 8, Align: c}},
	}
}

// SettingsCheck is the failed check of device settings that do not build.
func SettingsCheck(err error) Check {
	return named("devices", "devices.check.settings", "device settings", StatusFail, "devices.check.error", err.Error(), errArgs(err))
}

// StatusWord is a status in the interface language.
func StatusWord(s Status) string { return lang.X("devices.doctor.status."+string(s), string(s)) }
