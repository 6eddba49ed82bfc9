package wire

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/dossier"
)

// Office is what a technician enters when a device is set up: the office it
// belongs to, its device slot, and the first account (an office leader, who
// then creates the clerks' accounts).
type Office struct {
	AgencyID, AgencyName, ParentName string
	Address, Phone, ReturnPlace      string
	Slot                             int // 1–9, unique among the office's devices
	AdminLogin, AdminName            string
	AdminPassword                    string
}

// Errors of Provision that name the field at fault.
var (
	ErrAgencyID    = errors.New("agency electronic id is not valid")
	ErrAgencyName  = errors.New("agency name required")
	ErrSlot        = errors.New("device slot must be 1 to 9")
	ErrProvisioned = errors.New("device already provisioned")
)

// Provisioned reports whether the device has its office settings and at least
// one account, so the login screen (not the setup screen) comes first.
func (e *Env) Provisioned(ctx context.Context) (bool, error) {
	set, err := e.Store.Settings(ctx)
	if err != nil {
		return false, err
	}
	if !set.Provisioned {
		return false, nil
	}
	return e.Store.HasAccounts(ctx)
}

// Provision records the office settings and creates the first account, as a
// leader. It refuses a device that is already provisioned: settings change
// through the settings screen, with audit, afterwards.
func (e *Env) Provision(ctx context.Context, o Office) error {
	if ok, err := e.Provisioned(ctx); err != nil {
		return err
	} else if ok {
		return ErrProvisioned
	}
	o.AgencyID = strings.ToUpper(strings.TrimSpace(o.AgencyID))
	if err := dossier.ValidAgency(o.AgencyID); err != nil {
		return fmt.Errorf("%w: %v", ErrAgencyID, err)
	}
	if strings.TrimSpace(o.AgencyName) == "" {
		return ErrAgencyName
	}
	if o.Slot < 1 || o.Slot > 9 {
		return ErrSlot
	}
	if err := auth.ValidatePassword(o.AdminPassword); err != nil {
		return err
	}
	if _, err := e.Auth.Create(ctx, o.AdminLogin, o.AdminName, auth.RoleLeader, o.AdminPassword); err != nil &&
		!errors.Is(err, auth.ErrExists) {
		return err
	}
	set, err := e.Store.Settings(ctx)
	if err != nil {
		return err
	}
	set.AgencyID = o.AgencyID
	set.AgencyName = strings.TrimSpace(o.AgencyName)
	set.ParentName = strings.TrimSpace(o.ParentName)
	set.Address = strings.TrimSpace(o.Address)
	set.Phone = strings.TrimSpace(o.Phone)
	set.ReturnPlace = strings.TrimSpace(o.ReturnPlace)
	if set.ReturnPlace == "" {
		set.ReturnPlace = "Bộ phận Tiếp nhận và Trả kết quả, " + set.AgencyName
	}
	set.DeviceSlot = o.Slot
	set.Provisioned = true
	return e.Store.SaveSettings(ctx, set, auth.NormalizeLogin(o.AdminLogin))
}
