package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// DefaultParams follow the OWASP minimum for argon2id (19 MiB, 2 passes, 1
// lane): about 30-60 ms on the old dual-core office PCs motcua targets, while
// an attacker with a stolen database still pays 19 MiB per guess.
var DefaultParams = Params{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}

// Bounds on parameters read from a stored hash. Accounts arrive from the hub,
// so a hash string is outside data: these stop a crafted one from making a
// login allocate gigabytes or spin for minutes.
const (
	maxMemory  = 256 * 1024 // KiB
	maxTime    = 16
	maxThreads = 16
	minSalt    = 8
	maxSalt    = 64
	minKey     = 16
	maxKey     = 64
	maxPwBytes = 1024 // longer passwords are refused before hashing
)

// Errors of password handling.
var (
	ErrHashFormat   = errors.New("password hash is not a supported argon2id string")
	ErrWeakPassword = errors.New("password must have at least 10 characters of at least two kinds (lower case, upper case, digits, symbols)")
	ErrPasswordLong = errors.New("password is too long")
)

var b64 = base64.RawStdEncoding

// HashPassword hashes pw with DefaultParams.
func HashPassword(pw string) (string, error) { return DefaultParams.Hash(pw) }

// Hash hashes pw with a fresh random salt and returns the PHC string
// $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash> (unpadded base64).
func (p Params) Hash(pw string) (string, error) {
	if len(pw) > maxPwBytes {
		return "", ErrPasswordLong
	}
	if err := p.check(); err != nil {
		return "", err
	}
	salt := make([]byte, p.SaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, p.Memory, p.Time, p.Threads, b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

func (p Params) check() error {
	if p.Memory < 8*uint32(p.Threads) || p.Memory > maxMemory || p.Time < 1 || p.Time > maxTime ||
		p.Threads < 1 || p.Threads > maxThreads || p.SaltLen < minSalt || p.SaltLen > maxSalt ||
		p.KeyLen < minKey || p.KeyLen > maxKey {
		return fmt.Errorf("%w: parameters out of bounds", ErrHashFormat)
	}
	return nil
}

// VerifyPassword reports whether pw matches the encoded hash. The parameters
// are read from the hash, so hashes made with older parameters still verify.
// The comparison is constant-time. An error means the hash itself is
// unusable, never that the password is wrong.
func VerifyPassword(encoded, pw string) (bool, error) {
	p, salt, key, err := decodeHash(encoded)
	if err != nil {
		return false, err
	}
	if len(pw) > maxPwBytes {
		return false, nil
	}
	got := argon2.IDKey([]byte(pw), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// NeedsRehash reports whether encoded was made with parameters other than p
// (or cannot be read), so that a successful login can store a fresh hash.
func (p Params) NeedsRehash(encoded string) bool {
	q, _, _, err := decodeHash(encoded)
	return err != nil || q != p
}

// decodeHash parses a PHC argon2id string. The returned Params carry the
// salt and key lengths found in it.
func decodeHash(s string) (Params, []byte, []byte, error) {
	bad := func(what string) (Params, []byte, []byte, error) {
		return Params{}, nil, nil, fmt.Errorf("%w: %s", ErrHashFormat, what)
	}
	if len(s) > 512 {
		return bad("too long")
	}
	parts := strings.Split(s, "$")
	if len(parts) != 6 || parts[0] != "" {
		return bad("wrong number of fields")
	}
	if parts[1] != "argon2id" {
		return bad("not argon2id")
	}
	if parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return bad("unsupported version")
	}
	var p Params
	kv := strings.Split(parts[3], ",")
	if len(kv) != 3 {
		return bad("parameters")
	}
	for i, name := range []string{"m", "t", "p"} {
		v, ok := strings.CutPrefix(kv[i], name+"=")
		if !ok || v == "" || (len(v) > 1 && v[0] == '0') {
			return bad("parameters")
		}
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil {
			return bad("parameters")
		}
		switch name {
		case "m":
			p.Memory = uint32(n)
		case "t":
			p.Time = uint32(n)
		case "p":
			if n > 255 {
				return bad("parameters")
			}
			p.Threads = uint8(n)
		}
	}
	salt, err := b64.Strict().DecodeString(parts[4])
	if err != nil {
		return bad("salt encoding")
	}
	key, err := b64.Strict().DecodeString(parts[5])
	if err != nil {
		return bad("hash encoding")
	}
	p.SaltLen, p.KeyLen = uint32(len(salt)), uint32(len(key))
	if err := p.check(); err != nil {
		return Params{}, nil, nil, err
	}
	return p, salt, key, nil
}

// ValidatePassword checks a new password: at least 10 characters, of at least
// two of the kinds lower-case letter, upper-case letter, digit and other.
// Vietnamese letters count as letters.
func ValidatePassword(pw string) error {
	if len(pw) > maxPwBytes {
		return ErrPasswordLong
	}
	if !utf8.ValidString(pw) || utf8.RuneCountInString(pw) < 10 {
		return ErrWeakPassword
	}
	var lower, upper, digit, other int
	for _, r := range pw {
		switch {
		case unicode.IsLower(r):
			lower = 1
		case unicode.IsUpper(r):
			upper = 1
		case unicode.IsDigit(r):
			digit = 1
		default:
			other = 1
		}
	}
	if lower+upper+digit+other < 2 {
		return ErrWeakPassword
	}
	return nil
}
