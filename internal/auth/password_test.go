package auth

import (
	"errors"
	"strings"
	"testing"
)

// fast keeps tests quick; TestHashPasswordUsesTheDefaultParams covers the
// real cost once.
var fast = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashPasswordUsesTheDefaultParams(t *testing.T) {
	h, err := HashPassword("Mật khẩu 2025")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q does not carry the default parameters", h)
	}
	if ok, err := VerifyPassword(h, "Mật khẩu 2025"); !ok || err != nil {
		t.Fatalf("right password: %v, %v", ok, err)
	}
	if ok, err := VerifyPassword(h, "mật khẩu 2025"); ok || err != nil {
		t.Fatalf("wrong password: %v, %v", ok, err)
	}
	if DefaultParams.NeedsRehash(h) {
		t.Fatal("a fresh default hash needs rehash")
	}
}

func TestHashesOfOnePasswordDiffer(t *testing.T) {
	a, err := fast.Hash("Abcdefghij1")
	if err != nil {
		t.Fatal(err)
	}
	b, err := fast.Hash("Abcdefghij1")
	if err != nil {
		t.Fatal(err)
	}
	if a == b {
		t.Fatal("two hashes of one password are equal: salt not random")
	}
}

func TestVerifyPasswordReadsParametersFromTheHash(t *testing.T) {
	h, err := Params{Memory: 128, Time: 3, Threads: 2, SaltLen: 8, KeyLen: 16}.Hash("password123")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=128,t=3,p=2$") {
		t.Fatalf("hash %q", h)
	}
	if ok, err := VerifyPassword(h, "password123"); !ok || err != nil {
		t.Fatalf("VerifyPassword = %v, %v", ok, err)
	}
	if !fast.NeedsRehash(h) {
		t.Fatal("hash with other parameters does not need rehash")
	}
}

var badHashes = []struct{ name, hash string }{
	{"empty", ""},
	{"argon2i instead of argon2id", "$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
	{"old version 16", "$argon2id$v=16$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
	{"missing field", "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA"},
	{"parameters in the wrong order", "$argon2id$v=19$t=1,m=64,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
	{"huge memory", "$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
	{"huge time", "$argon2id$v=19$m=64,t=1000,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
	{"zero lanes", "$argon2id$v=19$m=64,t=1,p=0$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
	{"memory below 8 per lane", "$argon2id$v=19$m=8,t=1,p=2$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
	{"leading zero", "$argon2id$v=19$m=064,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
	{"padded base64", "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
	{"salt too short", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"},
	{"key too short", "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHRzb21lc2FsdA$AAAA"},
	{"bcrypt hash", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
}

func TestVerifyPasswordRejectsMalformedHashes(t *testing.T) {
	for _, tt := range badHashes {
		t.Run(tt.name, func(t *testing.T) {
			ok, err := VerifyPassword(tt.hash, "password123")
			if ok || !errors.Is(err, ErrHashFormat) {
				t.Fatalf("VerifyPassword(%q) = %v, %v; want ErrHashFormat", tt.hash, ok, err)
			}
		})
	}
}

func TestPasswordsLongerThanTheLimitAreRefused(t *testing.T) {
	long := strings.Repeat("Aa1", 400)
	if _, err := fast.Hash(long); !errors.Is(err, ErrPasswordLong) {
		t.Fatalf("Hash(long) = %v", err)
	}
	if err := ValidatePassword(long); !errors.Is(err, ErrPasswordLong) {
		t.Fatalf("ValidatePassword(long) = %v", err)
	}
	h, _ := fast.Hash("Abcdefghij1")
	if ok, err := VerifyPassword(h, long); ok || err != nil {
		t.Fatalf("VerifyPassword(long) = %v, %v", ok, err)
	}
}

func TestValidatePassword(t *testing.T) {
	tests := []struct {
		name string
		pw   string
		ok   bool
	}{
		{"letters and digits", "motcua2025x", true},
		{"lower and upper", "MotCuaXaAn", true},
		{"digits and a symbol", "1234567890!", true},
		{"a Vietnamese passphrase", "Một cửa xã An", true},
		{"nine characters", "Abcdefgh1", false},
		{"only lower case", "abcdefghijkl", false},
		{"only digits", "123456789012", false},
		{"only upper case Vietnamese", "ĐĂNGKÝKHAISINH", false},
		{"ten runes but more bytes count as ten", "ăăăăăăăăă1", true},
		{"invalid UTF-8", "abcdefghij\xff", false},
		{"empty", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidatePassword(tt.pw)
			if tt.ok != (err == nil) {
				t.Fatalf("ValidatePassword(%q) = %v, want ok=%v", tt.pw, err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrWeakPassword) {
				t.Fatalf("ValidatePassword(%q) = %v, not ErrWeakPassword", tt.pw, err)
			}
		})
	}
}

func FuzzVerifyPassword(f *testing.F) {
	for _, tt := range badHashes {
		f.Add(tt.hash)
	}
	good, err := fast.Hash("Abcdefghij1")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Fuzz(func(t *testing.T, s string) {
		// decodeHash is the parser; VerifyPassword only adds argon2 on top,
		// whose cost is bounded by what decodeHash accepts.
		p, salt, key, err := decodeHash(s)
		if err != nil {
			if !errors.Is(err, ErrHashFormat) {
				t.Fatalf("decodeHash(%q) = %v", s, err)
			}
			return
		}
		if p.check() != nil || p.Memory > maxMemory || p.Time > maxTime {
			t.Fatalf("decodeHash(%q) accepted out-of-bounds %+v", s, p)
		}
		if int(p.SaltLen) != len(salt) || int(p.KeyLen) != len(key) {
			t.Fatalf("decodeHash(%q) lengths disagree", s)
		}
	})
}
