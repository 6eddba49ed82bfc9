package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/motcua/motcua/internal/auth"
)

var _ auth.AccountStore = (*Store)(nil)

const accountColumns = `login, full_name, role, password_hash, failed, locked_until, disabled, created_at, updated_at`

type actorKey struct{}

// WithActor returns a context naming the login who acts, for methods whose
// signature has no actor (SaveAccount, fixed by auth.AccountStore). An
// account saved without one is audited as acting on itself (logins,
// password changes).
func WithActor(ctx context.Context, login string) context.Context {
	return context.WithValue(ctx, actorKey{}, login)
}

func actorFrom(ctx context.Context, fallback string) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return fallback
}

// Account returns the account with this login, or an error wrapping
// auth.ErrNotFound.
func (s *Store) Account(ctx context.Context, login string) (auth.Account, error) {
	var a auth.Account
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		var err error
		a, err = scanAccount(tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE login = ?`, login))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return auth.Account{}, fmt.Errorf("account %q: %w", login, auth.ErrNotFound)
	}
	if err != nil {
		return auth.Account{}, fmt.Errorf("account %q: %w", login, err)
	}
	return a, nil
}

// Accounts returns every account, ordered by login.
func (s *Store) Accounts(ctx context.Context) ([]auth.Account, error) {
	var out []auth.Account
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT `+accountColumns+` FROM accounts ORDER BY login`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			a, err := scanAccount(rows)
			if err != nil {
				return err
			}
			out = append(out, a)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	return out, nil
}

// HasAccounts reports whether any account exists (the first start creates
// one).
func (s *Store) HasAccounts(ctx context.Context) (bool, error) {
	var has bool
	err := s.inTx(ctx, s.r, func(tx *sql.Tx) error {
		return tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM accounts)`).Scan(&has)
	})
	if err != nil {
		return false, fmt.Errorf("has accounts: %w", err)
	}
	return has, nil
}

// SaveAccount inserts or replaces the account a.Login and audits the change.
// The audit record names the login, role and state (disabled, failed count,
// lock) and whether the password changed, never the hash or the full name.
// A zero CreatedAt keeps the stored one (or is now for a new account); a
// zero UpdatedAt is now.
func (s *Store) SaveAccount(ctx context.Context, a auth.Account) error {
	if a.Login == "" {
		return fmt.Errorf("save account: empty login")
	}
	now := s.now()
	err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		old, err := scanAccount(tx.QueryRowContext(ctx, `SELECT `+accountColumns+` FROM accounts WHERE login = ?`, a.Login))
		isNew := errors.Is(err, sql.ErrNoRows)
		if err != nil && !isNew {
			return err
		}
		if a.CreatedAt.IsZero() {
			a.CreatedAt = old.CreatedAt
			if isNew {
				a.CreatedAt = now
			}
		}
		if a.UpdatedAt.IsZero() {
			a.UpdatedAt = now
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO accounts (`+accountColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (login) DO UPDATE SET full_name = excluded.full_name, role = excluded.role,
				password_hash = excluded.password_hash, failed = excluded.failed, locked_until = excluded.locked_until,
				disabled = excluded.disabled, created_at = excluded.created_at, updated_at = excluded.updated_at`,
			a.Login, a.FullName, string(a.Role), a.PasswordHash, a.Failed, millis(a.LockedUntil), a.Disabled,
			millis(a.CreatedAt), millis(a.UpdatedAt))
		if err != nil {
			return err
		}
		action := "account.update"
		if isNew {
			action = "account.create"
		}
		detail := map[string]any{
			"role": string(a.Role), "disabled": a.Disabled, "failed": a.Failed,
			"password_changed": !isNew && old.PasswordHash != a.PasswordHash,
		}
		if !a.LockedUntil.IsZero() {
			detail["locked_until"] = a.LockedUntil.UTC()
		}
		q := newTxq(ctx, tx, s.wStmts)
		defer q.close()
		return s.appendAudit(q, auditRecord{At: now, Actor: actorFrom(ctx, a.Login), Action: action, Entity: "account:" + a.Login, Detail: detail})
	})
	if err != nil {
		return fmt.Errorf("save account %q: %w", a.Login, err)
	}
	return nil
}

func scanAccount(row interface{ Scan(...any) error }) (auth.Account, error) {
	var (
		a                        auth.Account
		role                     string
		locked, created, updated sql.NullInt64
	)
	err := row.Scan(&a.Login, &a.FullName, &role, &a.PasswordHash, &a.Failed, &locked, &a.Disabled, &created, &updated)
	if err != nil {
		return auth.Account{}, err
	}
	a.Role = auth.Role(role)
	a.LockedUntil, a.CreatedAt, a.UpdatedAt = fromMillis(locked), fromMillis(created), fromMillis(updated)
	return a, nil
}
