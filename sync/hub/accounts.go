package hub

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/motcua/motcua/internal/auth"
	"github.com/motcua/motcua/sync/protocol"
)

// Reviewer accounts (issue #9): a username, an argon2id password hash, a
// role (protocol.AccountReviewer or AccountViewer) and the set of communes
// (office codes) in its scope. Logging in opens a session whose token is
// kept only as its SHA-256. MaxFailures wrong passwords in a row lock the
// account for LockFor. Every action of an account is audited.

// Account policy.
const (
	MaxFailures = 5
	LockFor     = 15 * time.Minute
	SessionTTL  = 8 * time.Hour
)

// Account errors.
var (
	ErrBadLogin       = errors.New("unknown user or wrong password")
	ErrLocked         = errors.New("account locked after too many failed logins")
	ErrDisabled       = errors.New("account disabled")
	ErrSessionExpired = errors.New("session expired")
	ErrNoSession      = errors.New("no such session")
)

// Account is a reviewer's account.
type Account struct {
	Username    string
	DisplayName string
	Role        string
	Communes    []string // office codes
	Disabled    bool
	Failed      int
	LockedUntil time.Time
	CreatedAt   time.Time
}

// AuditEntry is one audited action on the hub.
type AuditEntry struct {
	ID     int64
	At     time.Time
	Actor  string // account username, or "cli" for the hub's command line
	Action string // e.g. review.login, review.queue, review.dossier, review.file, review.decide
	Entity string // e.g. dossier code, file sha256, account
	Detail string // JSON
}

// AccountStore keeps reviewer accounts, sessions and the audit log.
type AccountStore interface {
	AddAccount(ctx context.Context, a Account, passwordHash string) error
	Account(ctx context.Context, username string) (Account, error)
	Accounts(ctx context.Context) ([]Account, error)
	SetAccountDisabled(ctx context.Context, username string, disabled bool) error
	SetAccountPassword(ctx context.Context, username, passwordHash string) error
	// Login checks the password (counting failures and locking) and opens
	// a session; it returns the account and the session's expiry.
	Login(ctx context.Context, username, password, tokenHash string, now time.Time) (Account, time.Time, error)
	// Session returns the account of a live session.
	Session(ctx context.Context, tokenHash string, now time.Time) (Account, time.Time, error)
	EndSession(ctx context.Context, tokenHash string) error
	Audit(ctx context.Context, e AuditEntry) error
	AuditLog(ctx context.Context, actor string, after int64, limit int) ([]AuditEntry, error)
}

var usernameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]{1,62}$`)

// ValidUsername reports whether u is a valid account name.
func ValidUsername(u string) bool { return usernameRE.MatchString(u) }

// HashPassword hashes a reviewer's password with argon2id after checking
// its strength.
func HashPassword(pw string) (string, error) {
	if err := auth.ValidatePassword(pw); err != nil {
		return "", err
	}
	return auth.HashPassword(pw)
}

// NewSessionToken returns a random session token and its SHA-256 (hex), the
// form the store keeps.
func NewSessionToken() (token, hash string) {
	b := make([]byte, 32)
	rand.Read(b)
	token = hex.EncodeToString(b)
	return token, SessionHash(token)
}

// SessionHash is the SHA-256 (hex) of a session token.
func SessionHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// dummyHash is verified when the user is unknown, so that a wrong user name
// takes as long as a wrong password.
var dummyHash, _ = auth.HashPassword("motcua-dummy-password-1")

func (s *sqlStore) AddAccount(ctx context.Context, a Account, hash string) error {
	if !ValidUsername(a.Username) {
		return fmt.Errorf("user name %q: 2–63 lower-case letters, digits, '.', '_' or '-'", a.Username)
	}
	if a.Role != protocol.AccountReviewer && a.Role != protocol.AccountViewer {
		return fmt.Errorf("role %q: reviewer or viewer", a.Role)
	}
	if len(a.Communes) == 0 {
		return errors.New("an account needs at least one commune in its scope")
	}
	return s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM accounts WHERE username = ?`), a.Username).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return ErrExists
		}
		for _, c := range a.Communes {
			if err := tx.QueryRowContext(ctx, s.q(`SELECT count(*) FROM offices WHERE code = ?`), c).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return fmt.Errorf("no office %q on this hub: %w", c, ErrNotFound)
			}
		}
		if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO accounts (username, display_name, role, password_hash, disabled, failed,
			locked_until, created_at) VALUES (?, ?, ?, ?, 0, 0, 0, ?)`), a.Username, a.DisplayName, a.Role, hash, ms(a.CreatedAt)); err != nil {
			return err
		}
		for _, c := range dedup(a.Communes) {
			if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO account_communes (username, office) VALUES (?, ?)`), a.Username, c); err != nil {
				return err
			}
		}
		return nil
	})
}

func dedup(s []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, v := range s {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	sort.Strings(out)
	return out
}

func (s *sqlStore) account(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}, username string) (Account, string, error) {
	var a Account
	var hash string
	var disabled int
	var locked, created int64
	err := q.QueryRowContext(ctx, s.q(`SELECT username, display_name, role, password_hash, disabled, failed, locked_until, created_at
		FROM accounts WHERE username = ?`), username).Scan(&a.Username, &a.DisplayName, &a.Role, &hash, &disabled, &a.Failed, &locked, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return a, "", ErrNotFound
	}
	if err != nil {
		return a, "", err
	}
	a.Disabled = disabled != 0
	if locked > 0 {
		a.LockedUntil = time.UnixMilli(locked).UTC()
	}
	a.CreatedAt = time.UnixMilli(created).UTC()
	rows, err := q.QueryContext(ctx, s.q(`SELECT office FROM account_communes WHERE username = ? ORDER BY office`), username)
	if err != nil {
		return a, "", err
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return a, "", err
		}
		a.Communes = append(a.Communes, c)
	}
	return a, hash, rows.Err()
}

func (s *sqlStore) Account(ctx context.Context, username string) (Account, error) {
	a, _, err := s.account(ctx, s.r, username)
	return a, err
}

func (s *sqlStore) Accounts(ctx context.Context) ([]Account, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT username FROM accounts ORDER BY username`)
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, err
		}
		names = append(names, n)
	}
	rows.Close()
	var out []Account
	for _, n := range names {
		a, err := s.Account(ctx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

func (s *sqlStore) SetAccountDisabled(ctx context.Context, username string, disabled bool) error {
	v := 0
	if disabled {
		v = 1
	}
	return s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE accounts SET disabled = ? WHERE username = ?`), v, username)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		if disabled {
			_, err = tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE username = ?`), username)
		}
		return err
	})
}

func (s *sqlStore) SetAccountPassword(ctx context.Context, username, hash string) error {
	return s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, s.q(`UPDATE accounts SET password_hash = ?, failed = 0, locked_until = 0 WHERE username = ?`), hash, username)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		_, err = tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE username = ?`), username)
		return err
	})
}

func (s *sqlStore) Login(ctx context.Context, username, password, tokenHash string, now time.Time) (Account, time.Time, error) {
	a, hash, err := s.account(ctx, s.r, username)
	if errors.Is(err, ErrNotFound) {
		auth.VerifyPassword(dummyHash, password)
		return Account{}, time.Time{}, ErrBadLogin
	}
	if err != nil {
		return Account{}, time.Time{}, err
	}
	if a.Disabled {
		return a, time.Time{}, ErrDisabled
	}
	if now.Before(a.LockedUntil) {
		return a, time.Time{}, ErrLocked
	}
	ok, err := auth.VerifyPassword(hash, password)
	if err != nil {
		return a, time.Time{}, fmt.Errorf("password hash of %s: %w", username, err)
	}
	if !ok {
		err := s.inTx(ctx, s.w, func(tx *sql.Tx) error {
			var failed int
			if err := tx.QueryRowContext(ctx, s.q(`SELECT failed FROM accounts WHERE username = ?`+s.d.forUpd), username).Scan(&failed); err != nil {
				return err
			}
			failed++
			locked := int64(0)
			if failed >= MaxFailures {
				locked, failed = ms(now.Add(LockFor)), 0
			}
			_, err := tx.ExecContext(ctx, s.q(`UPDATE accounts SET failed = ?, locked_until = ? WHERE username = ?`), failed, locked, username)
			return err
		})
		if err != nil {
			return a, time.Time{}, err
		}
		return a, time.Time{}, ErrBadLogin
	}
	exp := now.Add(SessionTTL).UTC()
	err = s.inTx(ctx, s.w, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE accounts SET failed = 0, locked_until = 0 WHERE username = ?`), username); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE expires_at < ?`), ms(now)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, s.q(`INSERT INTO sessions (token_hash, username, created_at, expires_at) VALUES (?, ?, ?, ?)`),
			tokenHash, username, ms(now), ms(exp))
		return err
	})
	return a, exp, err
}

func (s *sqlStore) Session(ctx context.Context, tokenHash string, now time.Time) (Account, time.Time, error) {
	var user string
	var exp int64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT username, expires_at FROM sessions WHERE token_hash = ?`), tokenHash).Scan(&user, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, time.Time{}, ErrNoSession
	}
	if err != nil {
		return Account{}, time.Time{}, err
	}
	if !now.Before(time.UnixMilli(exp)) {
		return Account{}, time.Time{}, ErrSessionExpired
	}
	a, _, err := s.account(ctx, s.r, user)
	if errors.Is(err, ErrNotFound) {
		return Account{}, time.Time{}, ErrNoSession
	}
	if err != nil {
		return Account{}, time.Time{}, err
	}
	if a.Disabled {
		return a, time.Time{}, ErrDisabled
	}
	return a, time.UnixMilli(exp).UTC(), nil
}

func (s *sqlStore) EndSession(ctx context.Context, tokenHash string) error {
	_, err := s.w.ExecContext(ctx, s.q(`DELETE FROM sessions WHERE token_hash = ?`), tokenHash)
	return err
}

func (s *sqlStore) Audit(ctx context.Context, e AuditEntry) error {
	if e.Detail == "" {
		e.Detail = "{}"
	}
	_, err := s.w.ExecContext(ctx, s.q(`INSERT INTO audit (at, actor, action, entity, detail) VALUES (?, ?, ?, ?, ?)`),
		ms(e.At), e.Actor, e.Action, e.Entity, e.Detail)
	return err
}

func (s *sqlStore) AuditLog(ctx context.Context, actor string, after int64, limit int) ([]AuditEntry, error) {
	if limit <= 0 || limit > 10000 {
		limit = 1000
	}
	q := `SELECT id, at, actor, action, entity, detail FROM audit WHERE id > ?`
	args := []any{after}
	if actor != "" {
		q += ` AND actor = ?`
		args = append(args, actor)
	}
	q += ` ORDER BY id LIMIT ?`
	rows, err := s.r.QueryContext(ctx, s.q(q), append(args, limit)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		var e AuditEntry
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Actor, &e.Action, &e.Entity, &e.Detail); err != nil {
			return nil, err
		}
		e.At = time.UnixMilli(at).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// auditDetail encodes a detail map as JSON.
func auditDetail(m map[string]any) string {
	b, _ := json.Marshal(m)
	return string(b)
}

// scopeHas reports whether office is in the account's scope.
func (a Account) scopeHas(office string) bool {
	for _, c := range a.Communes {
		if c == office {
			return true
		}
	}
	return false
}

// trimSpace is strings.TrimSpace (kept short for the handlers).
var trimSpace = strings.TrimSpace
