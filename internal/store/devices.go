package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
)

// devicesSetting is the settings key holding the devices' configuration as
// one JSON document (drivers/*; the technician's devices screen edits it).
const devicesSetting = "devices"

// DeviceSettings configure the counter's devices. The zero value means no
// device: every reception action that needs one is hidden.
type DeviceSettings struct {
	CardReader CardReaderSettings `json:"card_reader"`
	Scanner    ScannerSettings    `json:"scanner"`
	Thermal    ThermalSettings    `json:"thermal"`
}

// CardReaderSettings: a serial (USB-CDC or RS-232) QR/MRZ card reader.
type CardReaderSettings struct {
	Port     string `json:"port,omitempty"` // /dev/serial/by-id/…, COM3; "" = none
	Baud     int    `json:"baud,omitempty"` // 0 = 9600
	Parity   string `json:"parity,omitempty"`
	StopBits int    `json:"stop_bits,omitempty"`
}

// ScannerSettings: which scanner and how to scan.
type ScannerSettings struct {
	Kind   string `json:"kind,omitempty"`   // "sane", "escl", "folder"; "" = none
	Device string `json:"device,omitempty"` // SANE device name
	URL    string `json:"url,omitempty"`    // eSCL base URL
	Dir    string `json:"dir,omitempty"`    // watched folder
	DPI    int    `json:"dpi,omitempty"`    // 0 = 200
	Colour bool   `json:"colour,omitempty"`
	Feeder bool   `json:"feeder,omitempty"`
	Duplex bool   `json:"duplex,omitempty"`
}

// ThermalSettings: an ESC/POS thermal printer for tickets and slips.
type ThermalSettings struct {
	URI   string `json:"uri,omitempty"`   // tcp://HOST:9100, serial:DEV?baud=N, usb:/dev/usb/lp0
	Width int    `json:"width,omitempty"` // paper width in mm: 58 or 80 (0 = 80)
	// Receipts: print the reception receipt as a short 80/58 mm slip on
	// this printer instead of the A4 form on the system printer.
	Receipts bool `json:"receipts,omitempty"`
}

// Validate checks the choices that can be checked without the devices.
func (d DeviceSettings) Validate() error {
	switch d.Scanner.Kind {
	case "", "sane":
	case "escl":
		if d.Scanner.URL == "" {
			return fmt.Errorf("%w: eSCL scanner without URL", ErrInvalidSettings)
		}
	case "folder":
		if d.Scanner.Dir == "" {
			return fmt.Errorf("%w: scan folder without path", ErrInvalidSettings)
		}
	default:
		return fmt.Errorf("%w: scanner kind %q", ErrInvalidSettings, d.Scanner.Kind)
	}
	if d.Scanner.DPI < 0 || d.Scanner.DPI > 1200 {
		return fmt.Errorf("%w: scan resolution %d", ErrInvalidSettings, d.Scanner.DPI)
	}
	if w := d.Thermal.Width; w != 0 && w != 58 && w != 80 {
		return fmt.Errorf("%w: thermal paper width %d mm", ErrInvalidSettings, w)
	}
	if b := d.CardReader.Baud; b < 0 {
		return fmt.Errorf("%w: baud %d", ErrInvalidSettings, b)
	}
	return nil
}

// DeviceSettings returns the devices' configuration (zero when never set).
func (s *Store) DeviceSettings(ctx context.Context) (DeviceSettings, error) {
	var d DeviceSettings
	var raw string
	err := s.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, devicesSetting).Scan(&raw)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return d, nil
	case err != nil:
		return d, fmt.Errorf("device settings: %w", err)
	}
	if err := json.Unmarshal([]byte(raw), &d); err != nil {
		return d, fmt.Errorf("device settings: %w", err)
	}
	return d, nil
}

// SaveDeviceSettings stores the devices' configuration and audits the change
// (it holds no personal data).
func (s *Store) SaveDeviceSettings(ctx context.Context, d DeviceSettings, actor string) error {
	if err := d.Validate(); err != nil {
		return err
	}
	val, err := json.Marshal(d)
	if err != nil {
		return err
	}
	err = s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		var old string
		if err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, devicesSetting).Scan(&old); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if old == string(val) {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, devicesSetting, string(val)); err != nil {
			return err
		}
		q := newTxq(ctx, tx, s.wStmts)
		defer q.close()
		return s.appendAudit(q, auditRecord{
			At: s.now(), Actor: actor, Action: "settings.devices", Entity: "settings",
			Detail: map[string]any{"from": json.RawMessage(orNull(old)), "to": json.RawMessage(val)},
		})
	})
	if err != nil {
		return fmt.Errorf("save device settings: %w", err)
	}
	return nil
}

func orNull(s string) []byte {
	if s == "" {
		return []byte("null")
	}
	return []byte(s)
}
