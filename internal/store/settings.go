package store

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"

	"github.com/motcua/motcua/internal/dossier"
)

// Settings are the device's configuration, set at provisioning and by the
// technician.
type Settings struct {
	AgencyID        string // electronic id of the agency, the first part of dossier codes
	AgencyName      string
	ParentName      string // the agency above it, printed on forms
	Address         string
	Phone           string
	ReturnPlace     string // where results are returned, printed on receipts
	DeviceSlot      int    // 1–9, unique in the office; see docs/dossier-codes.md
	OfficeHours     string
	Language        string
	IdleLockMinutes int
	Printer         string
	Provisioned     bool
}

// settingKeys lists the settings table keys, in a fixed order, with
// accessors to the Settings fields.
var settingKeys = []struct {
	key string
	get func(*Settings) string
	set func(*Settings, string) error
}{
	{"agency_id", func(s *Settings) string { return s.AgencyID }, func(s *Settings, v string) error { s.AgencyID = v; return nil }},
	{"agency_name", func(s *Settings) string { return s.AgencyName }, func(s *Settings, v string) error { s.AgencyName = v; return nil }},
	{"parent_name", func(s *Settings) string { return s.ParentName }, func(s *Settings, v string) error { s.ParentName = v; return nil }},
	{"address", func(s *Settings) string { return s.Address }, func(s *Settings, v string) error { s.Address = v; return nil }},
	{"phone", func(s *Settings) string { return s.Phone }, func(s *Settings, v string) error { s.Phone = v; return nil }},
	{"return_place", func(s *Settings) string { return s.ReturnPlace }, func(s *Settings, v string) error { s.ReturnPlace = v; return nil }},
	{"device_slot", func(s *Settings) string { return strconv.Itoa(s.DeviceSlot) }, func(s *Settings, v string) (err error) { s.DeviceSlot, err = strconv.Atoi(v); return err }},
	{"office_hours", func(s *Settings) string { return s.OfficeHours }, func(s *Settings, v string) error { s.OfficeHours = v; return nil }},
	{"language", func(s *Settings) string { return s.Language }, func(s *Settings, v string) error { s.Language = v; return nil }},
	{"idle_lock_minutes", func(s *Settings) string { return strconv.Itoa(s.IdleLockMinutes) }, func(s *Settings, v string) (err error) { s.IdleLockMinutes, err = strconv.Atoi(v); return err }},
	{"printer", func(s *Settings) string { return s.Printer }, func(s *Settings, v string) error { s.Printer = v; return nil }},
	{"provisioned", func(s *Settings) string { return strconv.FormatBool(s.Provisioned) }, func(s *Settings, v string) (err error) { s.Provisioned, err = strconv.ParseBool(v); return err }},
}

// deviceKeySetting holds the device's Ed25519 seed (base64). It is not part
// of Settings and never leaves the device.
const deviceKeySetting = "device_ed25519_seed"

// Settings returns the device's settings; unset ones are zero.
func (s *Store) Settings(ctx context.Context) (Settings, error) {
	var st Settings
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		var err error
		st, err = loadSettings(ctx, tx)
		return err
	})
	if err != nil {
		return Settings{}, fmt.Errorf("settings: %w", err)
	}
	return st, nil
}

func loadSettings(ctx context.Context, q querier) (Settings, error) {
	var st Settings
	rows, err := q.QueryContext(ctx, `SELECT key, value FROM settings`)
	if err != nil {
		return st, err
	}
	defer rows.Close()
	vals := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return st, err
		}
		vals[k] = v
	}
	if err := rows.Err(); err != nil {
		return st, err
	}
	for _, k := range settingKeys {
		if v, ok := vals[k.key]; ok {
			if err := k.set(&st, v); err != nil {
				return st, fmt.Errorf("setting %s: %w", k.key, err)
			}
		}
	}
	return st, nil
}

// SaveSettings replaces the device's settings and audits which ones changed
// (settings hold no personal data, so old and new values are recorded).
func (s *Store) SaveSettings(ctx context.Context, st Settings, actor string) error {
	if st.DeviceSlot < 0 || st.DeviceSlot > 9 {
		return fmt.Errorf("%w: device slot %d out of 0-9", ErrInvalidSettings, st.DeviceSlot)
	}
	if st.AgencyID != "" {
		if _, err := dossier.NewCode(st.AgencyID, s.now(), 1, 1); err != nil {
			return fmt.Errorf("%w: %v", ErrInvalidSettings, err)
		}
	}
	if st.IdleLockMinutes < 0 {
		return fmt.Errorf("%w: idle lock %d minutes", ErrInvalidSettings, st.IdleLockMinutes)
	}
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		old, err := loadSettings(ctx, tx)
		if err != nil {
			return err
		}
		type change struct {
			From string `json:"from"`
			To   string `json:"to"`
		}
		changed := map[string]change{}
		for _, k := range settingKeys {
			from, to := k.get(&old), k.get(&st)
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, k.key, to); err != nil {
				return err
			}
			if from != to {
				changed[k.key] = change{from, to}
			}
		}
		if len(changed) == 0 {
			return nil
		}
		q := newTxq(ctx, tx, s.wStmts)
		defer q.close()
		return s.appendAudit(q, auditRecord{
			At: s.now(), Actor: actor, Action: "settings.save", Entity: "settings",
			Detail: map[string]any{"changed": changed},
		})
	})
	if err != nil {
		return fmt.Errorf("save settings: %w", err)
	}
	return nil
}

// DeviceKey returns the device's Ed25519 signing key, creating it from
// crypto/rand on first use. It signs receipt QR codes.
func (s *Store) DeviceKey(ctx context.Context) (ed25519.PrivateKey, error) {
	var key ed25519.PrivateKey
	read := func(tx *sql.Tx) (bool, error) {
		var v string
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, deviceKeySetting).Scan(&v)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		seed, err := base64.StdEncoding.DecodeString(v)
		if err != nil || len(seed) != ed25519.SeedSize {
			return false, fmt.Errorf("stored device key is damaged")
		}
		key = ed25519.NewKeyFromSeed(seed)
		return true, nil
	}
	var found bool
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) (err error) {
		found, err = read(tx)
		return err
	})
	if err == nil && !found {
		err = s.inTx(ctx, s.w, func(tx *sql.Tx) error {
			if found, err := read(tx); err != nil || found {
				return err // another caller created it first
			}
			seed := make([]byte, ed25519.SeedSize)
			if _, err := rand.Read(seed); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)`,
				deviceKeySetting, base64.StdEncoding.EncodeToString(seed)); err != nil {
				return err
			}
			key = ed25519.NewKeyFromSeed(seed)
			q := newTxq(ctx, tx, s.wStmts)
			defer q.close()
			return s.appendAudit(q, auditRecord{
				At: s.now(), Actor: "system", Action: "device_key.create", Entity: "device",
				Detail: map[string]any{"public_key": base64.StdEncoding.EncodeToString(key.Public().(ed25519.PublicKey))},
			})
		})
	}
	if err != nil {
		return nil, fmt.Errorf("device key: %w", err)
	}
	return key, nil
}
