package protocol

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Signature headers. A signed request carries all five.
const (
	HeaderDevice    = "X-Motcua-Device"
	HeaderTime      = "X-Motcua-Time"  // Unix milliseconds
	HeaderNonce     = "X-Motcua-Nonce" // 16 random bytes, hex
	HeaderBodySHA   = "X-Motcua-Content-Sha256"
	HeaderSignature = "X-Motcua-Signature" // Ed25519, base64 (standard, padded)
	// HeaderHeld answers HEAD /v1/blobs/{sha256} with the SHA-256 the hub holds.
	HeaderHeld = "X-Motcua-Held-Sha256"
	// HeaderError repeats an error answer's code, so that answers without a
	// body (HEAD) still say why.
	HeaderError = "X-Motcua-Error"
)

// MaxSkew is how far a request's time may be from the hub's clock.
const MaxSkew = 5 * time.Minute

// EmptySHA256 is the hex SHA-256 of an empty body.
const EmptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

// StringToSign is what a device signs: a version line, the method, the
// request URI (path and query, as sent), the time in Unix milliseconds, the
// nonce and the hex SHA-256 of the body as sent (compressed if it is), one
// per line.
func StringToSign(method, requestURI string, unixMilli int64, nonce, bodySHA string) []byte {
	return []byte("motcua-v1\n" + method + "\n" + requestURI + "\n" + strconv.FormatInt(unixMilli, 10) +
		"\n" + nonce + "\n" + bodySHA)
}

// BodySHA is the hex SHA-256 of b.
func BodySHA(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// Sign sets the signature headers on req for a body whose hex SHA-256 is
// bodySHA (EmptySHA256 for none).
func Sign(req *http.Request, deviceID string, key ed25519.PrivateKey, now time.Time, bodySHA string) error {
	var n [16]byte
	if _, err := rand.Read(n[:]); err != nil {
		return fmt.Errorf("sign: %w", err)
	}
	nonce := hex.EncodeToString(n[:])
	ms := now.UnixMilli()
	sig := ed25519.Sign(key, StringToSign(req.Method, req.URL.RequestURI(), ms, nonce, bodySHA))
	req.Header.Set(HeaderDevice, deviceID)
	req.Header.Set(HeaderTime, strconv.FormatInt(ms, 10))
	req.Header.Set(HeaderNonce, nonce)
	req.Header.Set(HeaderBodySHA, bodySHA)
	req.Header.Set(HeaderSignature, base64.StdEncoding.EncodeToString(sig))
	return nil
}

// Signed is the parsed signature of a request.
type Signed struct {
	Device  string
	Time    time.Time
	Nonce   string
	BodySHA string
	Sig     []byte
}

// Errors of ParseSigned and Verify; the hub maps them to error codes.
var (
	ErrNoSignature  = errors.New("request is not signed")
	ErrMalformedSig = errors.New("signature headers are malformed")
	ErrSignature    = errors.New("signature does not verify")
	ErrClockSkew    = errors.New("request time too far from the hub's clock")
	ErrBodyHash     = errors.New("body does not match its signed hash")
)

// ParseSigned reads the signature headers of r. A request without any of
// them gives ErrNoSignature; one with wrong ones ErrMalformedSig.
func ParseSigned(h http.Header) (Signed, error) {
	dev, ts, nonce, bs, sig := h.Get(HeaderDevice), h.Get(HeaderTime), h.Get(HeaderNonce),
		h.Get(HeaderBodySHA), h.Get(HeaderSignature)
	if dev == "" && sig == "" {
		return Signed{}, ErrNoSignature
	}
	var s Signed
	if dev == "" || len(dev) > 64 || sig == "" || ts == "" {
		return s, ErrMalformedSig
	}
	ms, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return s, ErrMalformedSig
	}
	if len(nonce) != 32 || !isHex(nonce) || len(bs) != 64 || !isHex(bs) {
		return s, ErrMalformedSig
	}
	raw, err := base64.StdEncoding.DecodeString(sig)
	if err != nil || len(raw) != ed25519.SignatureSize {
		return s, ErrMalformedSig
	}
	return Signed{Device: dev, Time: time.UnixMilli(ms), Nonce: strings.ToLower(nonce), BodySHA: strings.ToLower(bs), Sig: raw}, nil
}

// Verify checks the signature of a request with method and requestURI
// against pub, and its time against now within MaxSkew. The body hash is
// checked by the caller once it has read the body (see CheckBody).
func (s Signed) Verify(pub ed25519.PublicKey, method, requestURI string, now time.Time) error {
	if len(pub) != ed25519.PublicKeySize {
		return ErrSignature
	}
	if !ed25519.Verify(pub, StringToSign(method, requestURI, s.Time.UnixMilli(), s.Nonce, s.BodySHA), s.Sig) {
		return ErrSignature
	}
	if d := now.Sub(s.Time); d > MaxSkew || d < -MaxSkew {
		return ErrClockSkew
	}
	return nil
}

// CheckBody compares the hex SHA-256 of the body received with the signed one.
func (s Signed) CheckBody(sha string) error {
	if !strings.EqualFold(sha, s.BodySHA) {
		return ErrBodyHash
	}
	return nil
}

func isHex(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// DeviceID is the id the hub gives a device key: "d-" and the first 16 bytes
// of the SHA-256 of the public key, hex.
func DeviceID(pub ed25519.PublicKey) string {
	h := sha256.Sum256(pub)
	return "d-" + hex.EncodeToString(h[:16])
}

// EncodeMetadata encodes tus Upload-Metadata: "key base64(value)" pairs,
// comma-separated, in the order given.
func EncodeMetadata(kv ...string) string {
	var parts []string
	for i := 0; i+1 < len(kv); i += 2 {
		parts = append(parts, kv[i]+" "+base64.StdEncoding.EncodeToString([]byte(kv[i+1])))
	}
	return strings.Join(parts, ",")
}

// DecodeMetadata parses tus Upload-Metadata.
func DecodeMetadata(s string) (map[string]string, error) {
	m := map[string]string{}
	if strings.TrimSpace(s) == "" {
		return m, nil
	}
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		k, v, _ := strings.Cut(p, " ")
		if k == "" || strings.ContainsAny(k, " ,") {
			return nil, fmt.Errorf("upload metadata: bad key %q", k)
		}
		b, err := base64.StdEncoding.DecodeString(v)
		if err != nil {
			return nil, fmt.Errorf("upload metadata %s: %w", k, err)
		}
		m[k] = string(b)
	}
	return m, nil
}

// ValidSHA256 reports whether s is 64 lower-case hex digits.
func ValidSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}
