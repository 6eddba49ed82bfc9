// Package setup is the first-start screen: the office's details and the
// first leader account. It validates what was typed (with the domain
// packages' own rules) and hands a SetupInput to a Setupper, which the
// composition root implements (settings + account creation in the store).
// It holds no SQL and knows nothing of how the settings are kept.
package setup

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/internal/citizen"
	"github.com/motcua/motcua/internal/dossier"
)

// SetupInput is what the first-start screen collects.
type SetupInput struct {
	AgencyID    string // electronic id, e.g. 000.00.06.H56 (upper-cased)
	AgencyName  string
	ParentName  string // may be empty
	Address     string
	Phone       string // national form, digits only; may be empty
	ReturnPlace string // where results are returned
	DeviceSlot  int    // 1–9

	AdminLogin    string // normalised (lower case, trimmed)
	AdminFullName string
	AdminPassword string
}

// Setupper provisions the device: saves the office settings and creates the
// first leader account, in that order, and returns only when both are
// durable.
type Setupper interface {
	Setup(ctx context.Context, in SetupInput) error
}

// SetupFunc adapts a function to Setupper.
type SetupFunc func(ctx context.Context, in SetupInput) error

// Setup calls f.
func (f SetupFunc) Setup(ctx context.Context, in SetupInput) error { return f(ctx, in) }

// FieldError names a field and the translation key of its message. A
// Setupper may return one (or wrap one) to have its message shown beside the
// field instead of the general failure message.
type FieldError struct {
	Field string // "agency_id", "agency_name", "address", "phone", "return_place", "slot", "login", "full_name", "password", "password2"
	Key   string
}

func (e FieldError) Error() string { return "setup " + e.Field + ": " + e.Key }

// ErrorField maps an error of Setup to the field it concerns, using the
// auth package's errors and FieldError; ok is false for other errors.
func ErrorField(err error) (FieldError, bool) {
	var fe FieldError
	switch {
	case errors.As(err, &fe):
		return fe, true
	case errors.Is(err, auth.ErrExists):
		return FieldError{"login", "err.setup.login.exists"}, true
	case errors.Is(err, auth.ErrLogin):
		return FieldError{"login", "err.setup.login.format"}, true
	case errors.Is(err, auth.ErrFullName):
		return FieldError{"full_name", "err.setup.full_name.required"}, true
	case errors.Is(err, auth.ErrWeakPassword), errors.Is(err, auth.ErrPasswordLong):
		return FieldError{"password", "err.setup.password.weak"}, true
	}
	return FieldError{}, false
}

// Form is the text of every input, as typed.
type Form struct {
	AgencyID, AgencyName, ParentName, Address, Phone, ReturnPlace, Slot string
	Login, FullName, Password, Password2                                string
}

// Check validates the form and returns the input to save, or the errors in
// screen order.
func Check(f Form) (SetupInput, []FieldError) {
	var errs []FieldError
	add := func(field, key string) { errs = append(errs, FieldError{field, key}) }
	in := SetupInput{
		AgencyID:      strings.ToUpper(strings.TrimSpace(f.AgencyID)),
		AgencyName:    strings.TrimSpace(f.AgencyName),
		ParentName:    strings.TrimSpace(f.ParentName),
		Address:       strings.TrimSpace(f.Address),
		ReturnPlace:   strings.TrimSpace(f.ReturnPlace),
		AdminLogin:    auth.NormalizeLogin(f.Login),
		AdminFullName: strings.Join(strings.Fields(f.FullName), " "),
		AdminPassword: f.Password,
	}
	switch {
	case in.AgencyID == "":
		add("agency_id", "err.setup.agency_id.required")
	case dossier.ValidAgency(in.AgencyID) != nil:
		add("agency_id", "err.setup.agency_id.format")
	}
	if in.AgencyName == "" {
		add("agency_name", "err.setup.agency_name.required")
	}
	if in.Address == "" {
		add("address", "err.setup.address.required")
	}
	if p := strings.TrimSpace(f.Phone); p != "" {
		n, err := citizen.NormalizePhone(p)
		if err != nil {
			add("phone", "err.setup.phone.format")
		}
		in.Phone = n
	}
	if in.ReturnPlace == "" {
		add("return_place", "err.setup.result_place.required")
	}
	slot, err := strconv.Atoi(strings.TrimSpace(f.Slot))
	if err != nil || slot < 1 || slot > 9 {
		add("slot", "err.setup.slot.range")
	}
	in.DeviceSlot = slot
	if auth.ValidateLogin(in.AdminLogin) != nil {
		add("login", "err.setup.login.format")
	}
	if in.AdminFullName == "" {
		add("full_name", "err.setup.full_name.required")
	}
	if auth.ValidatePassword(f.Password) != nil {
		add("password", "err.setup.password.weak")
	}
	if f.Password2 != f.Password {
		add("password2", "err.setup.password.mismatch")
	}
	return in, errs
}
