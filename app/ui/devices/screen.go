package devices

import (
	"context"
	"errors"
	"fmt"
	"image"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/motcua/motcua/app/ui/widgets"
	"github.com/motcua/motcua/internal/store"
)

// Check is one line of the diagnostics.
type Check struct {
	Area   string // serial, card, scanner, printer, thermal, data
	Name   string
	Status string // ok, warn, fail, none
	Detail string
}

// ScanTest is the outcome of a test scan.
type ScanTest struct {
	Thumbnail image.Image
	Pages     int
	Blank     int
	Bytes     int
}

// Service is what the screen needs; app implements it over drivers/*.
type Service interface {
	Settings(ctx context.Context) (store.DeviceSettings, error)
	Save(ctx context.Context, d store.DeviceSettings) error
	Diagnose(ctx context.Context) []Check
	// SerialPorts lists the ports to choose the card reader from.
	SerialPorts() []string
	// TestCard waits for one card on the reader configured in c and returns
	// the ID number masked (e.g. "0010••••2345").
	TestCard(ctx context.Context, c store.CardReaderSettings) (string, error)
	TestScan(ctx context.Context, s store.ScannerSettings) (ScanTest, error)
	// TestPrint prints a test page: which is "system" or "thermal".
	TestPrint(ctx context.Context, which string, d store.DeviceSettings) error
}

// Screen is the devices screen.
type Screen struct {
	Checks *fyne.Container // one row per check

	CardPort     *widget.SelectEntry
	CardBaud     *widget.Select
	ScanKind     *widget.Select
	ScanTarget   *widgets.Entry // SANE device, eSCL URL or folder
	ScanDPI      *widget.Select
	Colour       *widget.Check
	Feeder       *widget.Check
	Duplex       *widget.Check
	ThermalURI   *widgets.Entry
	ThermalWidth *widget.RadioGroup
	// ThermalReceipts prints receipts as a short slip on the thermal printer.
	ThermalReceipts *widget.Check

	Refresh, Save, TestCard, TestScan, PrintSystem, PrintThermal *widget.Button

	Result    *widget.Label // what the last test gave
	LastError *widget.Label // the last error, in plain words
	Thumb     *canvas.Image

	win     fyne.Window
	svc     Service
	tasks   *widgets.Tasks
	content fyne.CanvasObject
	loading bool
}

var (
	bauds     = []string{"9600", "19200", "38400", "57600", "115200"}
	dpis      = []string{"150", "200", "300"}
	scanKinds = []string{"", "sane", "escl", "folder"}
)

func kindNames() []string {
	out := make([]string, len(scanKinds))
	for i, k := range scanKinds {
		out[i] = lang.L("devices.scanner.kind." + orNone(k))
	}
	return out
}

func orNone(k string) string {
	if k == "" {
		return "none"
	}
	return k
}

// New builds the screen; call Load to fill it.
func New(win fyne.Window, svc Service, tasks *widgets.Tasks) *Screen {
	s := &Screen{win: win, svc: svc, tasks: tasks}
	s.Checks = container.NewVBox()
	s.CardPort = widget.NewSelectEntry(nil)
	s.CardPort.SetPlaceHolder("/dev/ttyACM0, COM3")
	s.CardBaud = widget.NewSelect(bauds, nil)
	s.ScanKind = widget.NewSelect(kindNames(), func(string) { s.kindChanged() })
	s.ScanTarget = widgets.NewEntry()
	s.ScanDPI = widget.NewSelect(dpis, nil)
	s.Colour = widget.NewCheck(lang.L("devices.scanner.colour"), nil)
	s.Feeder = widget.NewCheck(lang.L("devices.scanner.feeder"), nil)
	s.Duplex = widget.NewCheck(lang.L("devices.scanner.duplex"), nil)
	s.ThermalURI = widgets.NewEntry()
	s.ThermalURI.SetPlaceHolder("tcp://192.168.1.50:9100, serial:/dev/ttyUSB0?baud=19200, usb:/dev/usb/lp0")
	s.ThermalWidth = widget.NewRadioGroup([]string{"58 mm", "80 mm"}, nil)
	s.ThermalWidth.Horizontal = true
	s.ThermalReceipts = widget.NewCheck(lang.L("devices.thermal.receipts"), nil)

	s.Refresh = widget.NewButtonWithIcon(lang.L("devices.refresh"), theme.ViewRefreshIcon(), widgets.Act(s.Load))
	s.Save = widget.NewButtonWithIcon(lang.L("devices.save"), theme.DocumentSaveIcon(), widgets.Act(s.save))
	s.Save.Importance = widget.HighImportance
	s.TestCard = widget.NewButtonWithIcon(lang.L("devices.test.card"), theme.AccountIcon(), widgets.Act(s.testCard))
	s.TestScan = widget.NewButtonWithIcon(lang.L("devices.test.scan"), theme.DocumentCreateIcon(), widgets.Act(s.testScan))
	s.PrintSystem = widget.NewButtonWithIcon(lang.L("devices.test.print.system"), theme.DocumentPrintIcon(), widgets.Act(func() { s.testPrint("system") }))
	s.PrintThermal = widget.NewButtonWithIcon(lang.L("devices.test.print.thermal"), theme.DocumentPrintIcon(), widgets.Act(func() { s.testPrint("thermal") }))
	s.Result = widget.NewLabel("")
	s.Result.Wrapping = fyne.TextWrapWord
	s.LastError = widgets.NewErrorLabel()
	s.LastError.Wrapping = fyne.TextWrapWord
	s.Thumb = canvas.NewImageFromImage(nil)
	s.Thumb.FillMode = canvas.ImageFillContain
	s.Thumb.SetMinSize(fyne.NewSize(120, 160))
	s.Thumb.Hide()

	bold := func(k string) *widget.Label {
		return widget.NewLabelWithStyle(lang.L(k), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	form := func(items ...*widget.FormItem) *widget.Form { return widget.NewForm(items...) }
	card := container.NewVBox(bold("devices.section.card"),
		form(widget.NewFormItem(lang.L("devices.card.port"), s.CardPort),
			widget.NewFormItem(lang.L("devices.card.baud"), s.CardBaud)),
		container.NewHBox(s.TestCard))
	scan := container.NewVBox(bold("devices.section.scanner"),
		form(widget.NewFormItem(lang.L("devices.scanner.kind"), s.ScanKind),
			widget.NewFormItem(lang.L("devices.scanner.target"), s.ScanTarget),
			widget.NewFormItem(lang.L("devices.scanner.dpi"), s.ScanDPI)),
		container.NewHBox(s.Colour, s.Feeder, s.Duplex),
		container.NewHBox(s.TestScan))
	print := container.NewVBox(bold("devices.section.printers"),
		form(widget.NewFormItem(lang.L("devices.thermal.uri"), s.ThermalURI),
			widget.NewFormItem(lang.L("devices.thermal.width"), s.ThermalWidth)),
		s.ThermalReceipts,
		container.NewHBox(s.PrintSystem, s.PrintThermal))
	settings := container.NewVBox(card, widget.NewSeparator(), scan, widget.NewSeparator(), print,
		widget.NewSeparator(), container.NewHBox(s.Save))
	outcome := container.NewBorder(nil, nil, nil, s.Thumb, container.NewVBox(s.Result, s.LastError))
	checks := container.NewBorder(container.NewHBox(bold("devices.section.checks"), s.Refresh), nil, nil, nil,
		container.NewVScroll(s.Checks))
	left := container.NewBorder(nil, outcome, nil, nil, container.NewVScroll(settings))
	split := container.NewHSplit(left, checks)
	split.Offset = 0.5
	s.content = split
	return s
}

// Content is the screen's canvas object.
func (s *Screen) Content() fyne.CanvasObject { return s.content }

func (s *Screen) kindChanged() {
	k := s.kind()
	ph := map[string]string{"sane": "epjitsu:libusb:001:004 (" + lang.L("devices.scanner.first") + ")",
		"escl": "http://192.168.1.40", "folder": "/srv/scans/quay1"}[k]
	s.ScanTarget.SetPlaceHolder(ph)
	if k == "" {
		s.ScanTarget.Disable()
	} else {
		s.ScanTarget.Enable()
	}
}

func (s *Screen) kind() string {
	for i, n := range kindNames() {
		if n == s.ScanKind.Selected {
			return scanKinds[i]
		}
	}
	return ""
}

type loaded struct {
	set    store.DeviceSettings
	checks []Check
	ports  []string
	err    error
}

// Load reads the settings and runs the checks off the UI goroutine.
func (s *Screen) Load() {
	s.Refresh.Disable()
	s.tasks.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		var l loaded
		l.set, l.err = s.svc.Settings(ctx)
		l.checks = s.svc.Diagnose(ctx)
		l.ports = s.svc.SerialPorts()
		fyne.Do(func() { s.apply(l) })
	})
}

func (s *Screen) apply(l loaded) {
	s.Refresh.Enable()
	if l.err != nil {
		s.LastError.SetText(lang.L("devices.err.settings"))
	}
	s.loading = true
	d := l.set
	s.CardPort.SetOptions(l.ports)
	s.CardPort.SetText(d.CardReader.Port)
	baud := d.CardReader.Baud
	if baud == 0 {
		baud = 9600
	}
	s.CardBaud.SetSelected(strconv.Itoa(baud))
	for i, k := range scanKinds {
		if k == d.Scanner.Kind {
			s.ScanKind.SetSelected(kindNames()[i])
		}
	}
	switch d.Scanner.Kind {
	case "sane":
		s.ScanTarget.SetText(d.Scanner.Device)
	case "escl":
		s.ScanTarget.SetText(d.Scanner.URL)
	case "folder":
		s.ScanTarget.SetText(d.Scanner.Dir)
	default:
		s.ScanTarget.SetText("")
	}
	dpi := d.Scanner.DPI
	if dpi == 0 {
		dpi = 200
	}
	s.ScanDPI.SetSelected(strconv.Itoa(dpi))
	s.Colour.SetChecked(d.Scanner.Colour)
	s.Feeder.SetChecked(d.Scanner.Feeder)
	s.Duplex.SetChecked(d.Scanner.Duplex)
	s.ThermalURI.SetText(d.Thermal.URI)
	if d.Thermal.Width == 58 {
		s.ThermalWidth.SetSelected("58 mm")
	} else {
		s.ThermalWidth.SetSelected("80 mm")
	}
	s.ThermalReceipts.SetChecked(d.Thermal.Receipts)
	s.kindChanged()
	s.loading = false
	s.showChecks(l.checks)
}

func (s *Screen) showChecks(checks []Check) {
	s.Checks.Objects = nil
	area := ""
	for _, c := range checks {
		if c.Area != area {
			area = c.Area
			s.Checks.Add(widget.NewLabelWithStyle(lang.L("devices.area."+c.Area), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		}
		icon := map[string]fyne.Resource{"ok": theme.ConfirmIcon(), "warn": theme.WarningIcon(), "fail": theme.ErrorIcon(),
			"none": theme.InfoIcon()}[c.Status]
		if icon == nil {
			icon = theme.InfoIcon()
		}
		text := c.Name
		if c.Detail != "" && c.Detail != c.Name {
			text += " — " + c.Detail
		}
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		s.Checks.Add(container.NewBorder(nil, nil, widget.NewIcon(icon), nil, l))
	}
	s.Checks.Refresh()
}

// Form reads the settings being edited.
func (s *Screen) Form() store.DeviceSettings {
	var d store.DeviceSettings
	d.CardReader.Port = strings.TrimSpace(s.CardPort.Text)
	d.CardReader.Baud, _ = strconv.Atoi(s.CardBaud.Selected)
	d.Scanner.Kind = s.kind()
	t := strings.TrimSpace(s.ScanTarget.Text)
	switch d.Scanner.Kind {
	case "sane":
		d.Scanner.Device = t
	case "escl":
		d.Scanner.URL = t
	case "folder":
		d.Scanner.Dir = t
	}
	d.Scanner.DPI, _ = strconv.Atoi(s.ScanDPI.Selected)
	d.Scanner.Colour, d.Scanner.Feeder, d.Scanner.Duplex = s.Colour.Checked, s.Feeder.Checked, s.Duplex.Checked
	d.Thermal.URI = strings.TrimSpace(s.ThermalURI.Text)
	d.Thermal.Width = 80
	if s.ThermalWidth.Selected == "58 mm" {
		d.Thermal.Width = 58
	}
	d.Thermal.Receipts = s.ThermalReceipts.Checked
	if d.Thermal.URI == "" {
		d.Thermal.Width, d.Thermal.Receipts = 0, false
	}
	return d
}

// run runs f off the UI goroutine with the buttons disabled, then shows its
// result or its error.
func (s *Screen) run(busyKey string, timeout time.Duration, f func(ctx context.Context) (string, image.Image, error)) {
	buttons := []*widget.Button{s.Save, s.TestCard, s.TestScan, s.PrintSystem, s.PrintThermal}
	for _, b := range buttons {
		b.Disable()
	}
	s.Result.SetText(lang.L(busyKey))
	s.LastError.SetText("")
	s.tasks.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		msg, img, err := f(ctx)
		fyne.Do(func() {
			for _, b := range buttons {
				b.Enable()
			}
			if err != nil {
				s.Result.SetText("")
				s.LastError.SetText(Explain(err))
				return
			}
			s.Result.SetText(msg)
			if img != nil {
				s.Thumb.Image = img
				s.Thumb.Show()
				s.Thumb.Refresh()
			}
		})
	})
}

func (s *Screen) save() {
	d := s.Form()
	s.run("devices.saving", 30*time.Second, func(ctx context.Context) (string, image.Image, error) {
		if err := s.svc.Save(ctx, d); err != nil {
			return "", nil, err
		}
		return lang.L("devices.saved"), nil, nil
	})
}

func (s *Screen) testCard() {
	c := s.Form().CardReader
	s.run("devices.card.waiting", 60*time.Second, func(ctx context.Context) (string, image.Image, error) {
		masked, err := s.svc.TestCard(ctx, c)
		if err != nil {
			return "", nil, err
		}
		return lang.L("devices.test.card.ok", map[string]any{"ID": masked}), nil, nil
	})
}

func (s *Screen) testScan() {
	sc := s.Form().Scanner
	s.run("devices.scanning", 3*time.Minute, func(ctx context.Context) (string, image.Image, error) {
		r, err := s.svc.TestScan(ctx, sc)
		if err != nil {
			return "", nil, err
		}
		msg := lang.L("devices.test.scan.ok", map[string]any{"Pages": r.Pages, "KB": r.Bytes / 1024})
		if r.Blank > 0 {
			msg += " " + lang.L("devices.blank", map[string]any{"Count": r.Blank})
		}
		return msg, r.Thumbnail, nil
	})
}

func (s *Screen) testPrint(which string) {
	d := s.Form()
	s.run("devices.printing", time.Minute, func(ctx context.Context) (string, image.Image, error) {
		if err := s.svc.TestPrint(ctx, which, d); err != nil {
			return "", nil, err
		}
		return lang.L("devices.test.print.ok"), nil, nil
	})
}

// Explain turns an error into plain words: errors that know their
// translation key (Explain() string) use it, others are shown with a general
// sentence and their first line.
func Explain(err error) string {
	type explained interface{ Explain() string }
	var e explained
	if errors.As(err, &e) && e.Explain() != "" {
		return lang.L(e.Explain())
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return lang.L("devices.err.timeout")
	}
	msg := err.Error()
	if i := strings.IndexByte(msg, '\n'); i >= 0 {
		msg = msg[:i]
	}
	return fmt.Sprintf("%s (%s)", lang.L("devices.err.general"), msg)
}
