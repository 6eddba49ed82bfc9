// Package serialport opens serial ports (RS-232, USB-CDC ACM, USB-serial
// bridges) through github.com/tarm/serial and lists the ports the operating
// system offers, with USB vendor and product where it tells them
// (/sys/class/tty and /dev/serial/by-id on Linux, the SERIALCOMM registry key
// on Windows).
//
// A Port's Read returns ErrTimeout when no byte arrived within the read
// timeout, so a reader can check its context without closing the port from
// another goroutine (tarm's blocking Read is not interrupted by Close), and
// ErrUnplugged when the device node disappeared. Open's errors are *PortError
// values with a Code a screen can explain: not found, busy, permission denied.
//
// It knows nothing of what the bytes mean: framing and parsing belong to the
// device drivers (drivers/idcard, drivers/printer/escpos).
package serialport
