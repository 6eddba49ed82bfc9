package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Account is one person's (or one kiosk's) account on the device.
type Account struct {
	Login        string
	FullName     string
	Role         Role
	PasswordHash string // argon2id PHC string
	Failed       int    // consecutive failed logins since the last success or lock
	LockedUntil  time.Time
	Disabled     bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Locked reports whether the account is locked at now.
func (a Account) Locked(now time.Time) bool { return now.Before(a.LockedUntil) }

// AccountStore keeps accounts. Account returns an error wrapping ErrNotFound
// for an unknown login.
type AccountStore interface {
	Account(ctx context.Context, login string) (Account, error)
	SaveAccount(ctx context.Context, a Account) error
}

// Errors of account operations.
var (
	ErrNotFound       = errors.New("account not found")
	ErrBadCredentials = errors.New("wrong login or password")
	ErrLocked         = errors.New("account locked after too many failed logins")
	ErrDisabled       = errors.New("account disabled")
	ErrExists         = errors.New("login already taken")
	ErrLogin          = errors.New("login must be 3 to 32 characters of a-z, 0-9, '.', '_' and '-'")
	ErrFullName       = errors.New("full name required (at most 100 characters)")
	ErrRole           = errors.New("unknown role")
	ErrSamePassword   = errors.New("new password equals the old one")
)

// LockedError is returned while an account is locked. errors.Is(err,
// ErrLocked) holds for it.
type LockedError struct{ Until time.Time }

func (e *LockedError) Error() string {
	return ErrLocked.Error() + " until " + e.Until.Format(time.RFC3339)
}

// Is makes errors.Is(err, ErrLocked) true.
func (e *LockedError) Is(target error) bool { return target == ErrLocked }

// Policy sets lockout and idle lock.
type Policy struct {
	MaxFailures int           // failed logins in a row that lock the account; 0 = never lock
	LockFor     time.Duration // how long a lock lasts
	IdleLock    time.Duration // screen locks after this long without input; 0 = never
}

// DefaultPolicy locks an account for 15 minutes after 5 failed logins in a
// row and locks the screen after 10 idle minutes.
func DefaultPolicy() Policy {
	return Policy{MaxFailures: 5, LockFor: 15 * time.Minute, IdleLock: 10 * time.Minute}
}

// IdleExpired reports whether a session last used at last must be locked at
// now.
func (p Policy) IdleExpired(last, now time.Time) bool {
	return p.IdleLock > 0 && now.Sub(last) >= p.IdleLock
}

// Service runs logins and password changes against an AccountStore. The zero
// Policy means DefaultPolicy, the zero Params mean DefaultParams and a nil Now
// means time.Now. A Service must not be copied after first use.
type Service struct {
	Store  AccountStore
	Policy Policy
	Params Params
	Now    func() time.Time

	// mu serialises the read-modify-write of failure counters within this
	// process; a device has one store, so that is where races come from.
	mu sync.Mutex
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) policy() Policy {
	if s.Policy == (Policy{}) {
		return DefaultPolicy()
	}
	return s.Policy
}

func (s *Service) params() Params {
	if s.Params == (Params{}) {
		return DefaultParams
	}
	return s.Params
}

// NormalizeLogin lower-cases and trims a login as typed.
func NormalizeLogin(login string) string { return strings.ToLower(strings.TrimSpace(login)) }

// ValidateLogin checks a (normalised) login: 3 to 32 characters of a-z, 0-9,
// '.', '_' and '-'.
func ValidateLogin(login string) error {
	if len(login) < 3 || len(login) > 32 {
		return ErrLogin
	}
	for i := 0; i < len(login); i++ {
		c := login[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return ErrLogin
		}
	}
	return nil
}

// Login checks a login and password and returns the account.
//
// An unknown login and a wrong password both give ErrBadCredentials, and an
// unknown login still costs one argon2id hash so timing does not tell them
// apart. MaxFailures wrong passwords in a row lock the account for LockFor
// (*LockedError); while locked, every attempt gives *LockedError without
// counting. A disabled account gives ErrDisabled only after the right
// password, so the state of an account is never shown to someone who does not
// know its password. Success resets the counter and, if the stored hash used
// other parameters than the service's, stores a fresh hash.
func (s *Service) Login(ctx context.Context, login, pw string) (Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.authenticate(ctx, login, pw)
	if err != nil {
		return Account{}, err
	}
	if a.Disabled {
		return Account{}, ErrDisabled
	}
	changed := a.Failed != 0 || !a.LockedUntil.IsZero()
	a.Failed, a.LockedUntil = 0, time.Time{}
	if p := s.params(); p.NeedsRehash(a.PasswordHash) {
		if h, err := p.Hash(pw); err == nil {
			a.PasswordHash, changed = h, true
		}
	}
	if changed {
		a.UpdatedAt = s.now()
		if err := s.Store.SaveAccount(ctx, a); err != nil {
			return Account{}, fmt.Errorf("login: save account: %w", err)
		}
	}
	return a, nil
}

// authenticate checks the password with failure counting and lockout; the
// caller holds s.mu. It does not look at Disabled.
func (s *Service) authenticate(ctx context.Context, login, pw string) (Account, error) {
	login = NormalizeLogin(login)
	var a Account
	var err error
	if ValidateLogin(login) != nil {
		err = ErrNotFound
	} else {
		a, err = s.Store.Account(ctx, login)
	}
	if errors.Is(err, ErrNotFound) {
		_, _ = s.params().Hash(pw) // same cost as a verification
		return Account{}, ErrBadCredentials
	}
	if err != nil {
		return Account{}, fmt.Errorf("login: %w", err)
	}
	now := s.now()
	if a.Locked(now) {
		_, _ = VerifyPassword(a.PasswordHash, pw)
		return Account{}, &LockedError{Until: a.LockedUntil}
	}
	ok, err := VerifyPassword(a.PasswordHash, pw)
	if err != nil {
		// A broken stored hash can never log in; report it like a wrong
		// password to the user, with the cause for the log.
		return Account{}, fmt.Errorf("%w: %w", ErrBadCredentials, err)
	}
	if ok {
		return a, nil
	}
	pol := s.policy()
	a.Failed++
	var lockErr error
	if pol.MaxFailures > 0 && a.Failed >= pol.MaxFailures {
		a.Failed = 0
		a.LockedUntil = now.Add(pol.LockFor)
		lockErr = &LockedError{Until: a.LockedUntil}
	}
	a.UpdatedAt = now
	if err := s.Store.SaveAccount(ctx, a); err != nil {
		return Account{}, fmt.Errorf("login: save failure count: %w", err)
	}
	if lockErr != nil {
		return Account{}, lockErr
	}
	return Account{}, ErrBadCredentials
}

// Create adds an account. The login is normalised (trimmed, lower case) and
// must be new; the password must pass ValidatePassword.
func (s *Service) Create(ctx context.Context, login, fullName string, role Role, pw string) (Account, error) {
	login = NormalizeLogin(login)
	if err := ValidateLogin(login); err != nil {
		return Account{}, err
	}
	fullName = strings.Join(strings.Fields(fullName), " ")
	if fullName == "" || utf8.RuneCountInString(fullName) > 100 || !utf8.ValidString(fullName) {
		return Account{}, ErrFullName
	}
	if !role.Valid() {
		return Account{}, ErrRole
	}
	if err := ValidatePassword(pw); err != nil {
		return Account{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch _, err := s.Store.Account(ctx, login); {
	case err == nil:
		return Account{}, ErrExists
	case !errors.Is(err, ErrNotFound):
		return Account{}, fmt.Errorf("create account: %w", err)
	}
	h, err := s.params().Hash(pw)
	if err != nil {
		return Account{}, fmt.Errorf("create account: %w", err)
	}
	now := s.now()
	a := Account{Login: login, FullName: fullName, Role: role, PasswordHash: h, CreatedAt: now, UpdatedAt: now}
	if err := s.Store.SaveAccount(ctx, a); err != nil {
		return Account{}, fmt.Errorf("create account: %w", err)
	}
	return a, nil
}

// ChangePassword replaces the password of login after checking the old one
// under the same failure counting and lockout as Login (so it cannot be used
// to guess passwords). A disabled account cannot change its password.
func (s *Service) ChangePassword(ctx context.Context, login, oldPw, newPw string) error {
	if err := ValidatePassword(newPw); err != nil {
		return err
	}
	if oldPw == newPw {
		return ErrSamePassword
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.authenticate(ctx, login, oldPw)
	if err != nil {
		return err
	}
	if a.Disabled {
		return ErrDisabled
	}
	h, err := s.params().Hash(newPw)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	a.PasswordHash, a.Failed, a.LockedUntil, a.UpdatedAt = h, 0, time.Time{}, s.now()
	if err := s.Store.SaveAccount(ctx, a); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	return nil
}
