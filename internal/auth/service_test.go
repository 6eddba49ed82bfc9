package auth

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"testing"
	"time"
)

// memStore is an in-memory AccountStore. The real one is the SQLite store in
// internal/store; auth cannot import it, so this is the one fake we keep.
type memStore struct {
	accounts map[string]Account
	saves    int
}

func (m *memStore) Account(_ context.Context, login string) (Account, error) {
	a, ok := m.accounts[login]
	if !ok {
		return Account{}, fmt.Errorf("account %q: %w", login, ErrNotFound)
	}
	return a, nil
}

func (m *memStore) SaveAccount(_ context.Context, a Account) error {
	m.accounts[a.Login] = a
	m.saves++
	return nil
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newService(t *testing.T) (*Service, *memStore, *clock) {
	t.Helper()
	st := &memStore{accounts: map[string]Account{}}
	c := &clock{t: time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)}
	s := &Service{Store: st, Params: fast, Now: c.now}
	if _, err := s.Create(context.Background(), "lan.nguyen", "Nguyễn Thị Lan", RoleClerk, "Motcua-2025"); err != nil {
		t.Fatal(err)
	}
	return s, st, c
}

func TestLoginWithTheRightPasswordSucceeds(t *testing.T) {
	s, _, _ := newService(t)
	a, err := s.Login(context.Background(), "  Lan.Nguyen ", "Motcua-2025")
	if err != nil {
		t.Fatal(err)
	}
	if a.Login != "lan.nguyen" || a.Role != RoleClerk || a.FullName != "Nguyễn Thị Lan" {
		t.Fatalf("account %+v", a)
	}
}

func TestUnknownLoginAndWrongPasswordGiveTheSameError(t *testing.T) {
	s, st, _ := newService(t)
	ctx := context.Background()
	_, errWrong := s.Login(ctx, "lan.nguyen", "wrong-password")
	_, errUnknown := s.Login(ctx, "nobody", "wrong-password")
	_, errInvalid := s.Login(ctx, "x", "wrong-password")
	for _, err := range []error{errWrong, errUnknown, errInvalid} {
		if err != ErrBadCredentials {
			t.Fatalf("error %v, want exactly ErrBadCredentials", err)
		}
	}
	if got := st.accounts["lan.nguyen"].Failed; got != 1 {
		t.Fatalf("Failed = %d after one wrong password, want 1", got)
	}
	if _, ok := st.accounts["nobody"]; ok {
		t.Fatal("an unknown login created an account")
	}
}

// An unknown login must cost as much as a known one: measure the memory argon2
// allocates instead of the time, which is noisy.
func TestUnknownLoginStillSpendsAHash(t *testing.T) {
	s, _, _ := newService(t)
	s.Params = Params{Memory: 8 * 1024, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	if _, err := s.Login(context.Background(), "nobody", "whatever-pw"); !errors.Is(err, ErrBadCredentials) {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if got := after.TotalAlloc - before.TotalAlloc; got < 8*1024*1024 {
		t.Fatalf("unknown login allocated %d bytes, less than one argon2 hash", got)
	}
}

func TestFiveWrongPasswordsLockTheAccount(t *testing.T) {
	s, st, c := newService(t)
	ctx := context.Background()
	for i := 1; i < 5; i++ {
		if _, err := s.Login(ctx, "lan.nguyen", "wrong-password"); err != ErrBadCredentials {
			t.Fatalf("attempt %d: %v", i, err)
		}
	}
	_, err := s.Login(ctx, "lan.nguyen", "wrong-password")
	var le *LockedError
	if !errors.As(err, &le) || !errors.Is(err, ErrLocked) {
		t.Fatalf("fifth wrong password: %v, want LockedError", err)
	}
	if want := c.t.Add(15 * time.Minute); !le.Until.Equal(want) {
		t.Fatalf("locked until %v, want %v", le.Until, want)
	}

	// While locked, even the right password is refused and nothing is counted.
	c.advance(14 * time.Minute)
	if _, err := s.Login(ctx, "lan.nguyen", "Motcua-2025"); !errors.Is(err, ErrLocked) {
		t.Fatalf("right password while locked: %v", err)
	}
	if got := st.accounts["lan.nguyen"].Failed; got != 0 {
		t.Fatalf("Failed = %d while locked, want 0", got)
	}

	// After the lock the right password works and clears the lock.
	c.advance(time.Minute)
	a, err := s.Login(ctx, "lan.nguyen", "Motcua-2025")
	if err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	if a.Failed != 0 || !a.LockedUntil.IsZero() || st.accounts["lan.nguyen"].Failed != 0 {
		t.Fatalf("lock not cleared: %+v", a)
	}
}

func TestSuccessResetsTheFailureCount(t *testing.T) {
	s, st, _ := newService(t)
	ctx := context.Background()
	for range 4 {
		_, _ = s.Login(ctx, "lan.nguyen", "wrong-password")
	}
	if _, err := s.Login(ctx, "lan.nguyen", "Motcua-2025"); err != nil {
		t.Fatal(err)
	}
	if got := st.accounts["lan.nguyen"].Failed; got != 0 {
		t.Fatalf("Failed = %d after success", got)
	}
	// Four more failures must not lock: the count started again.
	for range 4 {
		_, _ = s.Login(ctx, "lan.nguyen", "wrong-password")
	}
	if _, err := s.Login(ctx, "lan.nguyen", "Motcua-2025"); err != nil {
		t.Fatalf("locked after 4+4 failures split by a success: %v", err)
	}
}

func TestACustomPolicyIsObeyed(t *testing.T) {
	s, _, c := newService(t)
	s.Policy = Policy{MaxFailures: 2, LockFor: time.Hour, IdleLock: time.Minute}
	ctx := context.Background()
	_, _ = s.Login(ctx, "lan.nguyen", "wrong-password")
	_, err := s.Login(ctx, "lan.nguyen", "wrong-password")
	var le *LockedError
	if !errors.As(err, &le) || !le.Until.Equal(c.t.Add(time.Hour)) {
		t.Fatalf("second failure with MaxFailures 2: %v", err)
	}
}

func TestADisabledAccountIsRefusedOnlyWithTheRightPassword(t *testing.T) {
	s, st, _ := newService(t)
	a := st.accounts["lan.nguyen"]
	a.Disabled = true
	st.accounts["lan.nguyen"] = a
	ctx := context.Background()
	if _, err := s.Login(ctx, "lan.nguyen", "Motcua-2025"); err != ErrDisabled {
		t.Fatalf("right password: %v, want ErrDisabled", err)
	}
	if _, err := s.Login(ctx, "lan.nguyen", "wrong-password"); err != ErrBadCredentials {
		t.Fatalf("wrong password: %v, want ErrBadCredentials", err)
	}
}

func TestLoginRehashesAHashWithOldParameters(t *testing.T) {
	s, st, _ := newService(t)
	old, err := Params{Memory: 32, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}.Hash("Motcua-2025")
	if err != nil {
		t.Fatal(err)
	}
	a := st.accounts["lan.nguyen"]
	a.PasswordHash = old
	st.accounts["lan.nguyen"] = a
	if _, err := s.Login(context.Background(), "lan.nguyen", "Motcua-2025"); err != nil {
		t.Fatal(err)
	}
	h := st.accounts["lan.nguyen"].PasswordHash
	if h == old || fast.NeedsRehash(h) {
		t.Fatalf("hash not upgraded: %q", h)
	}
	saves := st.saves
	if _, err := s.Login(context.Background(), "lan.nguyen", "Motcua-2025"); err != nil {
		t.Fatal(err)
	}
	if st.saves != saves {
		t.Fatal("a clean login wrote the account")
	}
}

func TestABrokenStoredHashNeverLogsIn(t *testing.T) {
	s, st, _ := newService(t)
	a := st.accounts["lan.nguyen"]
	a.PasswordHash = "$argon2id$v=19$m=999999999,t=1,p=1$c29tZXNhbHQ$AAAA"
	st.accounts["lan.nguyen"] = a
	_, err := s.Login(context.Background(), "lan.nguyen", "Motcua-2025")
	if !errors.Is(err, ErrBadCredentials) || !errors.Is(err, ErrHashFormat) {
		t.Fatalf("Login = %v", err)
	}
}

func TestCreate(t *testing.T) {
	tests := []struct {
		name, login, fullName string
		role                  Role
		pw                    string
		err                   error
	}{
		{"a leader account", "truong.tran", "Trần Văn Trưởng", RoleLeader, "Lanhdao-2025", nil},
		{"upper case login is lowered", "  KyThuat_01 ", "Kỹ thuật", RoleTechnician, "Kythuat-2025", nil},
		{"the existing login", "lan.nguyen", "Another", RoleClerk, "Motcua-2025x", ErrExists},
		{"a two-letter login", "ab", "A B", RoleClerk, "Motcua-2025", ErrLogin},
		{"a login with a space", "lan nguyen", "A B", RoleClerk, "Motcua-2025", ErrLogin},
		{"a login with a Vietnamese letter", "lân", "A B", RoleClerk, "Motcua-2025", ErrLogin},
		{"a 33-character login", "abcdefghijabcdefghijabcdefghijabc", "A B", RoleClerk, "Motcua-2025", ErrLogin},
		{"an empty full name", "kiosk1", "   ", RoleKiosk, "Kiosk-2025x", ErrFullName},
		{"an unknown role", "admin", "Admin", Role("admin"), "Admin-2025x", ErrRole},
		{"a weak password", "reviewer1", "Thẩm định", RoleReviewer, "password", ErrWeakPassword},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, st, c := newService(t)
			a, err := s.Create(context.Background(), tt.login, tt.fullName, tt.role, tt.pw)
			if !errors.Is(err, tt.err) || (err == nil) != (tt.err == nil) {
				t.Fatalf("Create = %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if st.accounts[a.Login] != a || !a.CreatedAt.Equal(c.t) || a.Role != tt.role {
				t.Fatalf("stored %+v, returned %+v", st.accounts[a.Login], a)
			}
			if _, err := s.Login(context.Background(), tt.login, tt.pw); err != nil {
				t.Fatalf("cannot log in to the new account: %v", err)
			}
		})
	}
}

func TestChangePassword(t *testing.T) {
	ctx := context.Background()
	t.Run("the new password replaces the old one", func(t *testing.T) {
		s, _, _ := newService(t)
		if err := s.ChangePassword(ctx, "lan.nguyen", "Motcua-2025", "Moi-matkhau-26"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Login(ctx, "lan.nguyen", "Motcua-2025"); err != ErrBadCredentials {
			t.Fatalf("old password: %v", err)
		}
		if _, err := s.Login(ctx, "lan.nguyen", "Moi-matkhau-26"); err != nil {
			t.Fatalf("new password: %v", err)
		}
	})
	t.Run("a wrong old password is counted as a failed login", func(t *testing.T) {
		s, st, _ := newService(t)
		if err := s.ChangePassword(ctx, "lan.nguyen", "guess-guess", "Moi-matkhau-26"); err != ErrBadCredentials {
			t.Fatalf("ChangePassword = %v", err)
		}
		if st.accounts["lan.nguyen"].Failed != 1 {
			t.Fatal("failure not counted")
		}
	})
	t.Run("a weak new password is refused before anything else", func(t *testing.T) {
		s, _, _ := newService(t)
		if err := s.ChangePassword(ctx, "lan.nguyen", "Motcua-2025", "short"); !errors.Is(err, ErrWeakPassword) {
			t.Fatalf("ChangePassword = %v", err)
		}
	})
	t.Run("the same password is refused", func(t *testing.T) {
		s, _, _ := newService(t)
		if err := s.ChangePassword(ctx, "lan.nguyen", "Motcua-2025", "Motcua-2025"); err != ErrSamePassword {
			t.Fatalf("ChangePassword = %v", err)
		}
	})
	t.Run("an unknown login gives bad credentials", func(t *testing.T) {
		s, _, _ := newService(t)
		if err := s.ChangePassword(ctx, "nobody", "Motcua-2025", "Moi-matkhau-26"); err != ErrBadCredentials {
			t.Fatalf("ChangePassword = %v", err)
		}
	})
}

func TestIdleExpired(t *testing.T) {
	p := DefaultPolicy()
	last := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		idle   time.Duration
		policy Policy
		want   bool
	}{
		{"nine minutes idle stays open", 9 * time.Minute, p, false},
		{"ten minutes idle locks", 10 * time.Minute, p, true},
		{"an hour idle locks", time.Hour, p, true},
		{"a zero idle lock never locks", 24 * time.Hour, Policy{MaxFailures: 5}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.policy.IdleExpired(last, last.Add(tt.idle)); got != tt.want {
				t.Fatalf("IdleExpired after %v = %v", tt.idle, got)
			}
		})
	}
}

func TestDefaultPolicy(t *testing.T) {
	if p := DefaultPolicy(); p.MaxFailures != 5 || p.LockFor != 15*time.Minute || p.IdleLock != 10*time.Minute {
		t.Fatalf("DefaultPolicy() = %+v", p)
	}
	s := &Service{}
	if s.policy() != DefaultPolicy() || s.params() != DefaultParams {
		t.Fatal("zero Service does not use the defaults")
	}
}
