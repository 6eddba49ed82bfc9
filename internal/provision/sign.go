package provision

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
)

// Signing. A bundle carries the office's settings and the hub's enrolment
// token, and applying one decides which office a device works for: a
// bundle edited on the way (another hub URL, another office) must not be
// applied. The province's or the technician's Ed25519 key signs the bundle
// body; the device applies a bundle only when its signature verifies under
// a key it trusts (keys given with --trust-key, and the keys of bundles it
// already applied). An unsigned bundle is applied only when the technician
// says so explicitly (--allow-unsigned); a damaged or tampered one never.

// Errors of Open, testable with errors.Is.
var (
	ErrUnsigned  = errors.New("gói cấu hình không có chữ ký")
	ErrSignature = errors.New("chữ ký của gói cấu hình không đúng: gói đã bị sửa sau khi ký, hoặc chữ ký hỏng")
	ErrUntrusted = errors.New("gói cấu hình được ký bằng một khóa máy này chưa tin cậy")
)

// Signature is the signature member of a signed bundle file.
type Signature struct {
	KeyID     string `json:"key_id"`     // KeyID of PublicKey
	PublicKey string `json:"public_key"` // "ed25519:" + base64 of the 32-byte key
	Sig       string `json:"sig"`        // base64 of the Ed25519 signature of signedMessage(body)
}

// signedMessage separates bundle signatures from any other use of the key.
func signedMessage(body []byte) []byte {
	return append([]byte(Format+"\n"), body...)
}

// KeyID is a short, stable name of a public key: the first 8 bytes of its
// SHA-256, in hex.
func KeyID(pub ed25519.PublicKey) string {
	s := sha256.Sum256(pub)
	return hex.EncodeToString(s[:8])
}

// FormatPublicKey writes a public key as one line: ed25519:BASE64.
func FormatPublicKey(pub ed25519.PublicKey) string {
	return "ed25519:" + base64.StdEncoding.EncodeToString(pub)
}

// ParsePublicKey reads a public key given as "ed25519:BASE64", as a PEM
// "PUBLIC KEY" block, or as the name of a file holding either.
func ParsePublicKey(s string) (ed25519.PublicKey, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "ed25519:") && !strings.HasPrefix(s, "-----BEGIN") {
		data, err := os.ReadFile(s)
		if err != nil {
			return nil, fmt.Errorf("khóa công khai %q: không phải dạng ed25519:… và không đọc được tệp: %w", s, err)
		}
		s = strings.TrimSpace(string(data))
	}
	if strings.HasPrefix(s, "-----BEGIN") {
		blk, _ := pem.Decode([]byte(s))
		if blk == nil || blk.Type != "PUBLIC KEY" {
			return nil, errors.New("khóa công khai: tệp PEM không có khối PUBLIC KEY")
		}
		k, err := x509.ParsePKIXPublicKey(blk.Bytes)
		if err != nil {
			return nil, fmt.Errorf("khóa công khai: %w", err)
		}
		pub, ok := k.(ed25519.PublicKey)
		if !ok {
			return nil, errors.New("khóa công khai: không phải khóa Ed25519")
		}
		return pub, nil
	}
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(s, "ed25519:"))
	if err != nil || len(raw) != ed25519.PublicKeySize {
		return nil, errors.New("khóa công khai: sau ed25519: phải là 32 byte viết bằng base64")
	}
	return ed25519.PublicKey(raw), nil
}

// GenerateKey makes a signing key and encodes its private half as PEM
// (PKCS #8, as openssl writes it).
func GenerateKey() (ed25519.PrivateKey, []byte, error) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return nil, nil, err
	}
	return priv, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

// ParsePrivateKey reads a PEM PKCS #8 Ed25519 private key (GenerateKey, or
// "openssl genpkey -algorithm ed25519").
func ParsePrivateKey(data []byte) (ed25519.PrivateKey, error) {
	blk, _ := pem.Decode(data)
	if blk == nil || blk.Type != "PRIVATE KEY" {
		return nil, errors.New("khóa ký: tệp không có khối PEM PRIVATE KEY")
	}
	k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
	if err != nil {
		return nil, fmt.Errorf("khóa ký: %w", err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, errors.New("khóa ký: không phải khóa Ed25519")
	}
	return priv, nil
}

// MarshalSigned encodes b as a bundle file signed with key.
func MarshalSigned(b Bundle, key ed25519.PrivateKey) ([]byte, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, errors.New("khóa ký không phải khóa Ed25519")
	}
	return marshal(b, func(body []byte) *Signature {
		pub := key.Public().(ed25519.PublicKey)
		return &Signature{KeyID: KeyID(pub), PublicKey: FormatPublicKey(pub),
			Sig: base64.StdEncoding.EncodeToString(ed25519.Sign(key, signedMessage(body)))}
	})
}

// checkSignature verifies the signature member over body; it returns the
// signer's key.
func checkSignature(s *Signature, body []byte) (ed25519.PublicKey, error) {
	if s == nil {
		return nil, nil
	}
	if !strings.HasPrefix(s.PublicKey, "ed25519:") { // never a file name: this is outside data
		return nil, fmt.Errorf("%w: khóa công khai trong gói không đọc được", ErrSignature)
	}
	pub, err := ParsePublicKey(s.PublicKey)
	if err != nil {
		return nil, fmt.Errorf("%w: khóa công khai trong gói không đọc được", ErrSignature)
	}
	if s.KeyID != KeyID(pub) {
		return nil, fmt.Errorf("%w: mã khóa %q không khớp khóa công khai", ErrSignature, s.KeyID)
	}
	sig, err := base64.StdEncoding.DecodeString(s.Sig)
	if err != nil || len(sig) != ed25519.SignatureSize || !ed25519.Verify(pub, signedMessage(body), sig) {
		return nil, ErrSignature
	}
	return pub, nil
}

// Opened is a bundle read by Open, with who signed it.
type Opened struct {
	Bundle Bundle
	Signer ed25519.PublicKey // nil when unsigned (allowed explicitly)
	SHA256 string            // of the whole file
}

// Open reads a bundle file and checks its signature against the trusted
// keys. A bundle without a signature is refused with ErrUnsigned unless
// allowUnsigned; a signature that does not verify is always refused
// (ErrSignature), and so is one by a key not in trusted (ErrUntrusted,
// naming the key so the technician can check it with the province).
func Open(data []byte, trusted []ed25519.PublicKey, allowUnsigned bool) (Opened, error) {
	b, sig, err := parse(data)
	if err != nil {
		return Opened{}, err
	}
	sum := sha256.Sum256(data)
	o := Opened{Bundle: b, SHA256: hex.EncodeToString(sum[:])}
	if sig == nil {
		if !allowUnsigned {
			return Opened{}, fmt.Errorf("%w: xin gói đã ký từ tỉnh/kỹ thuật viên, hoặc dùng --allow-unsigned nếu chắc chắn gói này đáng tin", ErrUnsigned)
		}
		return o, nil
	}
	for _, k := range trusted {
		if bytes.Equal(k, sig) {
			o.Signer = sig
			return o, nil
		}
	}
	return Opened{}, fmt.Errorf("%w (khóa %s, %s): đối chiếu với tỉnh rồi dùng --trust-key", ErrUntrusted, KeyID(sig), FormatPublicKey(sig))
}

// signatureOf decodes the optional signature member of an envelope.
func signatureOf(raw json.RawMessage) (*Signature, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var s Signature
	if err := strictDecode(raw, &s); err != nil {
		return nil, fmt.Errorf("%w: chữ ký: %v", ErrSignature, err)
	}
	return &s, nil
}
