package provision

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/motcua/motcua/internal/dossier"
)

// Format is the only bundle format this version reads.
const Format = "motcua-provision/1"

// MaxSize is the largest bundle file accepted.
const MaxSize = 64 << 10

// Modes of a device.
const (
	ModeCounter = "counter"
	ModeKiosk   = "kiosk"
)

// Errors a caller can test with errors.Is.
var (
	ErrFormat   = errors.New("not a motcua provisioning bundle")
	ErrChecksum = errors.New("provisioning bundle damaged: checksum does not match")
	ErrInvalid  = errors.New("provisioning bundle invalid")
)

// Office is the office the device belongs to.
type Office struct {
	AgencyID    string `json:"agency_id"` // agency electronic id, e.g. 000.00.06.H56
	AgencyName  string `json:"agency_name"`
	ParentName  string `json:"parent_name,omitempty"`
	Address     string `json:"address,omitempty"`
	Phone       string `json:"phone,omitempty"`
	ReturnPlace string `json:"return_place,omitempty"`
	OfficeHours string `json:"office_hours,omitempty"` // as calendar.ParseHours reads it
}

// Hub is where the device synchronises.
type Hub struct {
	URL        string `json:"url,omitempty"`         // https://… (http:// only for an office relay on the LAN)
	EnrolToken string `json:"enrol_token,omitempty"` // one-time token issued by the hub
}

// Devices are the device settings a technician prepares.
type Devices struct {
	IDCardPort     string `json:"idcard_port,omitempty"`     // /dev/serial/by-id/… or COM3
	ThermalPrinter string `json:"thermal_printer,omitempty"` // ESC/POS printer (port or host:port)
	Scanner        string `json:"scanner,omitempty"`         // SANE device or eSCL URL
	QRScannerPort  string `json:"qr_scanner_port,omitempty"` // kiosk
}

// Bundle is what a device needs to start working for its office.
type Bundle struct {
	Office    Office    `json:"office"`
	Mode      string    `json:"mode"` // counter or kiosk
	Slot      int       `json:"slot"` // 1–9, unique in the office
	Hub       Hub       `json:"hub"`
	Printer   string    `json:"printer,omitempty"` // system (A4) printer name
	Devices   Devices   `json:"devices"`
	Language  string    `json:"language,omitempty"` // vi or en
	CreatedAt time.Time `json:"created_at"`
	CreatedBy string    `json:"created_by,omitempty"` // the technician's login
}

type envelope struct {
	Format    string          `json:"format"`
	Bundle    json.RawMessage `json:"bundle"`
	SHA256    string          `json:"sha256"`
	Signature json.RawMessage `json:"signature,omitempty"` // Signature, see sign.go
}

// Marshal validates b and encodes it as an unsigned bundle file
// (MarshalSigned signs it).
func Marshal(b Bundle) ([]byte, error) { return marshal(b, nil) }

func marshal(b Bundle, sign func(body []byte) *Signature) ([]byte, error) {
	b.Office.AgencyID = strings.ToUpper(strings.TrimSpace(b.Office.AgencyID))
	if err := b.Validate(); err != nil {
		return nil, err
	}
	body, err := json.MarshalIndent(b, "  ", "  ")
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	env := envelope{Format: Format, Bundle: body, SHA256: hex.EncodeToString(sum[:])}
	if sign != nil {
		if env.Signature, err = json.Marshal(sign(body)); err != nil {
			return nil, err
		}
	}
	out, err := json.MarshalIndent(env, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// Parse reads a bundle file: format, checksum, signature if there is one
// (it must verify under the key it names; Open also decides whether that
// key is trusted), then the bundle, strictly.
func Parse(data []byte) (Bundle, error) {
	b, _, err := parse(data)
	return b, err
}

func parse(data []byte) (Bundle, ed25519.PublicKey, error) {
	var b Bundle
	if len(data) > MaxSize {
		return b, nil, fmt.Errorf("%w: larger than %d bytes", ErrFormat, MaxSize)
	}
	var env envelope
	if err := strictDecode(data, &env); err != nil {
		return b, nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	if env.Format != Format {
		return b, nil, fmt.Errorf("%w: format %q, this motcua reads %q", ErrFormat, env.Format, Format)
	}
	sum := sha256.Sum256(env.Bundle)
	if !strings.EqualFold(env.SHA256, hex.EncodeToString(sum[:])) || len(env.SHA256) != 64 {
		return b, nil, ErrChecksum
	}
	sig, err := signatureOf(env.Signature)
	if err != nil {
		return b, nil, err
	}
	signer, err := checkSignature(sig, env.Bundle)
	if err != nil {
		return b, nil, err
	}
	if err := strictDecode(env.Bundle, &b); err != nil {
		return Bundle{}, nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if err := b.Validate(); err != nil {
		return Bundle{}, nil, err
	}
	return b, signer, nil
}

func strictDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// Validate checks every field.
func (b Bundle) Validate() error {
	bad := func(field, why string) error { return fmt.Errorf("%w: %s %s", ErrInvalid, field, why) }
	if err := dossier.ValidAgency(b.Office.AgencyID); err != nil {
		return bad("office.agency_id", err.Error())
	}
	if strings.TrimSpace(b.Office.AgencyName) == "" {
		return bad("office.agency_name", "is empty")
	}
	texts := []struct {
		field, v string
		max      int
	}{
		{"office.agency_id", b.Office.AgencyID, 40},
		{"office.agency_name", b.Office.AgencyName, 200},
		{"office.parent_name", b.Office.ParentName, 200},
		{"office.address", b.Office.Address, 300},
		{"office.phone", b.Office.Phone, 40},
		{"office.return_place", b.Office.ReturnPlace, 300},
		{"office.office_hours", b.Office.OfficeHours, 100},
		{"hub.url", b.Hub.URL, 500},
		{"hub.enrol_token", b.Hub.EnrolToken, 500},
		{"printer", b.Printer, 200},
		{"devices.idcard_port", b.Devices.IDCardPort, 300},
		{"devices.thermal_printer", b.Devices.ThermalPrinter, 300},
		{"devices.scanner", b.Devices.Scanner, 300},
		{"devices.qr_scanner_port", b.Devices.QRScannerPort, 300},
		{"created_by", b.CreatedBy, 64},
	}
	for _, t := range texts {
		if !utf8.ValidString(t.v) {
			return bad(t.field, "is not UTF-8")
		}
		if utf8.RuneCountInString(t.v) > t.max {
			return bad(t.field, fmt.Sprintf("is longer than %d characters", t.max))
		}
		if strings.IndexFunc(t.v, unicode.IsControl) >= 0 {
			return bad(t.field, "holds control characters")
		}
	}
	switch b.Mode {
	case ModeCounter, ModeKiosk:
	default:
		return bad("mode", fmt.Sprintf("%q is not counter or kiosk", b.Mode))
	}
	if b.Slot < 1 || b.Slot > 9 {
		return bad("slot", "must be 1 to 9")
	}
	switch b.Language {
	case "", "vi", "en":
	default:
		return bad("language", fmt.Sprintf("%q is not vi or en", b.Language))
	}
	if b.Hub.URL != "" {
		u, err := url.Parse(b.Hub.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" {
			return bad("hub.url", "must be an https:// (or LAN http://) address without user, query or fragment")
		}
	}
	if b.Hub.EnrolToken != "" && b.Hub.URL == "" {
		return bad("hub.enrol_token", "given without hub.url")
	}
	if strings.ContainsAny(b.Hub.EnrolToken, " \t") {
		return bad("hub.enrol_token", "holds spaces")
	}
	return nil
}
