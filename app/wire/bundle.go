package wire

import (
	"context"
	"crypto/ed25519"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/provision"
)

// ProvisionKey is the settings row holding DeviceProvision as JSON.
const ProvisionKey = "provision"

// DeviceProvision is what a provisioning bundle sets beyond store.Settings:
// the device's mode, its hub and enrolment token, and its device settings.
// Sync reads HubURL and EnrolToken to enrol; the token is a secret (never
// logged, not written into the audit detail).
type DeviceProvision struct {
	Mode         string            `json:"mode"`
	HubURL       string            `json:"hub_url,omitempty"`
	EnrolToken   string            `json:"enrol_token,omitempty"`
	Devices      provision.Devices `json:"devices"`
	BundleSHA256 string            `json:"bundle_sha256,omitempty"`
	AppliedAt    time.Time         `json:"applied_at"`
}

// Errors of ApplyBundle.
var (
	ErrOtherOffice = errors.New("this device is provisioned for another office")
	ErrSlotChange  = errors.New("this device already has another slot; changing it could reissue dossier codes")
	ErrNoAdmin     = errors.New("a new device needs its first account: give the leader's login, name and password")
)

// DeviceProvision returns the device's provisioning extras (zero if none;
// Mode "" means counter).
func (e *Env) DeviceProvision(ctx context.Context) (DeviceProvision, error) {
	var p DeviceProvision
	_, err := e.Store.JSONSetting(ctx, ProvisionKey, &p)
	return p, err
}

// ApplyBundle provisions the device from a bundle. On a new device it
// records the office and creates the first (leader) account from admin's
// AdminLogin, AdminName and AdminPassword; on a device already provisioned
// for the same office and slot it updates the office, printer, device and
// hub settings (a new enrolment token, a replaced printer). Every change is
// audited; the token is kept out of the audit detail.
func (e *Env) ApplyBundle(ctx context.Context, b provision.Bundle, sha string, admin Office) error {
	if err := b.Validate(); err != nil {
		return err
	}
	ok, err := e.Provisioned(ctx)
	if err != nil {
		return err
	}
	actor := auth.NormalizeLogin(admin.AdminLogin)
	if ok {
		set, err := e.Store.Settings(ctx)
		if err != nil {
			return err
		}
		if set.AgencyID != b.Office.AgencyID {
			return fmt.Errorf("%w (%s, the bundle is for %s)", ErrOtherOffice, set.AgencyID, b.Office.AgencyID)
		}
		if set.DeviceSlot != b.Slot {
			return fmt.Errorf("%w (slot %d, the bundle says %d)", ErrSlotChange, set.DeviceSlot, b.Slot)
		}
		if actor == "" {
			actor = "technician"
		}
	} else {
		if admin.AdminLogin == "" || admin.AdminName == "" {
			return ErrNoAdmin
		}
		o := admin
		o.AgencyID, o.AgencyName, o.ParentName = b.Office.AgencyID, b.Office.AgencyName, b.Office.ParentName
		o.Address, o.Phone, o.ReturnPlace, o.Slot = b.Office.Address, b.Office.Phone, b.Office.ReturnPlace, b.Slot
		if err := e.Provision(ctx, o); err != nil {
			return err
		}
	}
	set, err := e.Store.Settings(ctx)
	if err != nil {
		return err
	}
	set.AgencyName = strings.TrimSpace(b.Office.AgencyName)
	set.ParentName = strings.TrimSpace(b.Office.ParentName)
	set.Address = strings.TrimSpace(b.Office.Address)
	set.Phone = strings.TrimSpace(b.Office.Phone)
	if b.Office.ReturnPlace != "" {
		set.ReturnPlace = strings.TrimSpace(b.Office.ReturnPlace)
	}
	if b.Office.OfficeHours != "" {
		set.OfficeHours = b.Office.OfficeHours
	}
	if b.Printer != "" {
		set.Printer = b.Printer
	}
	if b.Language != "" {
		set.Language = b.Language
	}
	if err := e.Store.SaveSettings(ctx, set, actor); err != nil {
		return err
	}
	return e.Store.SaveJSONSetting(ctx, ProvisionKey, DeviceProvision{
		Mode: b.Mode, HubURL: b.Hub.URL, EnrolToken: b.Hub.EnrolToken, Devices: b.Devices,
		BundleSHA256: sha, AppliedAt: e.Now().UTC(),
	}, true, actor)
}

// TrustKey is the settings row holding the public keys (provision.FormatPublicKey
// lines, as a JSON list) whose signed bundles this device applies.
const TrustKey = "provision_trust"

// TrustedKeys are the keys this device accepts bundle signatures from.
func (e *Env) TrustedKeys(ctx context.Context) ([]ed25519.PublicKey, error) {
	var lines []string
	if _, err := e.Store.JSONSetting(ctx, TrustKey, &lines); err != nil {
		return nil, err
	}
	var out []ed25519.PublicKey
	for _, l := range lines {
		k, err := provision.ParsePublicKey(l)
		if err != nil || !strings.HasPrefix(l, "ed25519:") {
			return nil, fmt.Errorf("trusted bundle keys: %q: %v", l, err)
		}
		out = append(out, k)
	}
	return out, nil
}

// Trust adds keys to the device's trusted bundle keys (audited).
func (e *Env) Trust(ctx context.Context, actor string, keys ...ed25519.PublicKey) error {
	var lines []string
	if _, err := e.Store.JSONSetting(ctx, TrustKey, &lines); err != nil {
		return err
	}
	n := len(lines)
	for _, k := range keys {
		l := provision.FormatPublicKey(k)
		if !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
	}
	if len(lines) == n {
		return nil
	}
	return e.Store.SaveJSONSetting(ctx, TrustKey, lines, false, actor)
}

// ApplySigned opens a bundle file with the device's trusted keys plus
// extra (keys the technician gave for this apply), applies it, and then
// trusts its signer for later bundles. An unsigned file is applied only
// with allowUnsigned; a tampered one never.
func (e *Env) ApplySigned(ctx context.Context, data []byte, extra []ed25519.PublicKey, allowUnsigned bool, admin Office) (provision.Opened, error) {
	trusted, err := e.TrustedKeys(ctx)
	if err != nil {
		return provision.Opened{}, err
	}
	o, err := provision.Open(data, append(trusted, extra...), allowUnsigned)
	if err != nil {
		return o, err
	}
	if err := e.ApplyBundle(ctx, o.Bundle, o.SHA256, admin); err != nil {
		return o, err
	}
	if o.Signer != nil {
		actor := auth.NormalizeLogin(admin.AdminLogin)
		if actor == "" {
			actor = "technician"
		}
		if err := e.Trust(ctx, actor, o.Signer); err != nil {
			return o, err
		}
	}
	return o, nil
}

// ExportBundle makes a bundle for another device of this office: this
// device's office, hours, printer and device settings, with the given slot,
// mode and hub.
func (e *Env) ExportBundle(ctx context.Context, slot int, mode string, hub provision.Hub, by string) (provision.Bundle, error) {
	set, err := e.Store.Settings(ctx)
	if err != nil {
		return provision.Bundle{}, err
	}
	if !set.Provisioned {
		return provision.Bundle{}, errors.New("this device is not provisioned: nothing to export")
	}
	dp, err := e.DeviceProvision(ctx)
	if err != nil {
		return provision.Bundle{}, err
	}
	if hub.URL == "" {
		hub.URL = dp.HubURL
	}
	if mode == "" {
		mode = provision.ModeCounter
	}
	b := provision.Bundle{
		Office: provision.Office{AgencyID: set.AgencyID, AgencyName: set.AgencyName, ParentName: set.ParentName,
			Address: set.Address, Phone: set.Phone, ReturnPlace: set.ReturnPlace, OfficeHours: set.OfficeHours},
		Mode: mode, Slot: slot, Hub: hub, Printer: set.Printer, Devices: dp.Devices, Language: set.Language,
		CreatedAt: e.Now().UTC().Truncate(time.Second), CreatedBy: by,
	}
	return b, b.Validate()
}
