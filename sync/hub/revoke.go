package hub

import (
	"context"
	"fmt"
	"time"
)

// Revocation: a technician revokes a lost or replaced device
// (`motcua-hub device revoke ID`) or an enrolment token that leaked
// (`motcua-hub token revoke TOKEN`, `token revoke --office CODE`). A revoked
// device's signed requests are refused with 401 "revoked" (after its
// signature verified, so only the key's holder learns it); the device
// keeps everything it holds and tells the clerk plainly. Nothing at the hub
// is deleted: its dossiers, events and files stay.

func (s *sqlStore) Devices(ctx context.Context, office string) ([]Device, error) {
	q := `SELECT id, office, public_key, name, role, enrolled_at, revoked FROM devices`
	var args []any
	if office != "" {
		q += ` WHERE office = ?`
		args = append(args, office)
	}
	rows, err := s.r.QueryContext(ctx, s.q(q+` ORDER BY office, enrolled_at, id`), args...)
	if err != nil {
		return nil, fmt.Errorf("devices: %w", err)
	}
	defer rows.Close()
	var out []Device
	for rows.Next() {
		var d Device
		var at int64
		var revoked int
		if err := rows.Scan(&d.ID, &d.Office, &d.PublicKey, &d.Name, &d.Role, &at, &revoked); err != nil {
			return nil, err
		}
		d.EnrolledAt, d.Revoked = time.UnixMilli(at).UTC(), revoked != 0
		out = append(out, d)
	}
	return out, rows.Err()
}

func (s *sqlStore) RevokeDevice(ctx context.Context, id string) error {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE devices SET revoked = 1 WHERE id = ?`), id)
	if err != nil {
		return fmt.Errorf("revoke device: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// revokedMark is what a revoked token's device column holds.
const revokedMark = "(revoked)"

func (s *sqlStore) RevokeToken(ctx context.Context, hash string, now time.Time) error {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE tokens SET used_at = ?, device = ? WHERE hash = ? AND used_at IS NULL`),
		ms(now), revokedMark, hash)
	if err != nil {
		return fmt.Errorf("revoke token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

func (s *sqlStore) RevokeOfficeTokens(ctx context.Context, office string, now time.Time) (int, error) {
	res, err := s.w.ExecContext(ctx, s.q(`UPDATE tokens SET used_at = ?, device = ? WHERE office = ? AND used_at IS NULL`),
		ms(now), revokedMark, office)
	if err != nil {
		return 0, fmt.Errorf("revoke tokens: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
