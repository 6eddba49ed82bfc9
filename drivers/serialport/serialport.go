package serialport

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/tarm/serial"
)

// Config is how to open a port. The zero values of the framing fields mean
// 8 data bits, no parity, 1 stop bit ("8N1"), the setting of every card
// reader and thermal printer we know.
type Config struct {
	Name     string // /dev/ttyACM0, /dev/serial/by-id/…, COM3
	Baud     int    // 0 = 9600
	DataBits byte   // 0 = 8
	Parity   byte   // 'N' (default), 'E', 'O'
	StopBits int    // 0 or 1 = one, 2 = two
	// ReadTimeout bounds one Read; 0 = 100 ms. Read returns ErrTimeout when
	// it expires with no data.
	ReadTimeout time.Duration
}

// DefaultConfig is 9600 8N1 on name.
func DefaultConfig(name string) Config { return Config{Name: name, Baud: 9600} }

// Code classifies why a port could not be used.
type Code int

const (
	CodeOther Code = iota
	CodeNotFound
	CodeBusy
	CodePermission
	CodeInvalidConfig
)

func (c Code) String() string {
	switch c {
	case CodeNotFound:
		return "not found"
	case CodeBusy:
		return "busy"
	case CodePermission:
		return "permission denied"
	case CodeInvalidConfig:
		return "invalid configuration"
	}
	return "error"
}

// PortError is an error opening or using a port.
type PortError struct {
	Port string
	Code Code
	Err  error
}

func (e *PortError) Error() string {
	return fmt.Sprintf("serial port %s: %s: %v", e.Port, e.Code, e.Err)
}
func (e *PortError) Unwrap() error { return e.Err }

// Explain is the translation key of the technician's words for the error.
func (e *PortError) Explain() string {
	switch e.Code {
	case CodeNotFound:
		return "devices.port.notfound"
	case CodeBusy:
		return "devices.port.busy"
	case CodePermission:
		return "devices.port.permission"
	case CodeInvalidConfig:
		return "devices.port.config"
	}
	return ""
}

// Errors of Read.
var (
	ErrTimeout   = errors.New("serial read timeout")
	ErrUnplugged = errors.New("serial device unplugged")
)

// Port is an open serial port.
type Port struct {
	name string
	p    *serial.Port
}

var _ io.ReadWriteCloser = (*Port)(nil)

// Open opens a port.
func Open(cfg Config) (*Port, error) {
	tc := &serial.Config{Name: cfg.Name, Baud: cfg.Baud, Size: cfg.DataBits, ReadTimeout: cfg.ReadTimeout}
	if tc.Baud == 0 {
		tc.Baud = 9600
	}
	if tc.Size == 0 {
		tc.Size = 8
	}
	if tc.ReadTimeout <= 0 {
		tc.ReadTimeout = 100 * time.Millisecond
	}
	switch cfg.Parity {
	case 0, 'N', 'n':
		tc.Parity = serial.ParityNone
	case 'E', 'e':
		tc.Parity = serial.ParityEven
	case 'O', 'o':
		tc.Parity = serial.ParityOdd
	default:
		return nil, &PortError{cfg.Name, CodeInvalidConfig, fmt.Errorf("parity %q", cfg.Parity)}
	}
	switch cfg.StopBits {
	case 0, 1:
		tc.StopBits = serial.Stop1
	case 2:
		tc.StopBits = serial.Stop2
	default:
		return nil, &PortError{cfg.Name, CodeInvalidConfig, fmt.Errorf("stop bits %d", cfg.StopBits)}
	}
	p, err := serial.OpenPort(tc)
	if err != nil {
		return nil, classify(cfg.Name, err)
	}
	return &Port{name: cfg.Name, p: p}, nil
}

func classify(name string, err error) error {
	code := CodeOther
	switch {
	case errors.Is(err, fs.ErrNotExist):
		code = CodeNotFound
	case errors.Is(err, fs.ErrPermission):
		code = CodePermission
	case errors.Is(err, syscall.EBUSY):
		code = CodeBusy
	case strings.Contains(err.Error(), "baud"):
		code = CodeInvalidConfig
	}
	return &PortError{Port: name, Code: code, Err: err}
}

// Read reads what arrived; ErrTimeout when nothing did within the read
// timeout, ErrUnplugged when the device went away.
func (p *Port) Read(b []byte) (int, error) {
	n, err := p.p.Read(b)
	if n > 0 {
		return n, nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		// tarm's VTIME timeout reads as 0, EOF; a vanished node means unplug
		if _, serr := os.Stat(p.name); serr != nil {
			return 0, ErrUnplugged
		}
		return 0, ErrTimeout
	}
	if errors.Is(err, syscall.EIO) || errors.Is(err, syscall.ENODEV) || errors.Is(err, syscall.ENXIO) {
		return 0, fmt.Errorf("%w: %v", ErrUnplugged, err)
	}
	return 0, err
}

// Write writes b.
func (p *Port) Write(b []byte) (int, error) { return p.p.Write(b) }

// Close closes the port.
func (p *Port) Close() error { return p.p.Close() }

// Info describes a serial port the system offers.
type Info struct {
	Path         string // what to pass to Open: the stable by-id link when there is one
	Device       string // the kernel node (/dev/ttyACM0, COM3)
	VendorID     string // USB idVendor, hex, when USB
	ProductID    string // USB idProduct
	Manufacturer string
	Product      string
}

// Label is a one-line description for lists.
func (i Info) Label() string {
	s := i.Path
	if i.VendorID != "" {
		s += fmt.Sprintf(" (USB %s:%s", i.VendorID, i.ProductID)
		if d := strings.TrimSpace(i.Manufacturer + " " + i.Product); d != "" {
			s += " " + d
		}
		s += ")"
	}
	return s
}
