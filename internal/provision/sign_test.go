package provision_test

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/motcua/motcua/internal/provision"
)

// testKey is a fixed key, so the fuzz seeds in testdata stay valid.
func testKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed(bytes.Repeat([]byte{seed}, ed25519.SeedSize))
}

func TestASignedBundleOpensOnlyUnderATrustedKey(t *testing.T) {
	key, other := testKey(7), testKey(9)
	pub := key.Public().(ed25519.PublicKey)
	data, err := provision.MarshalSigned(sample(), key)
	if err != nil {
		t.Fatal(err)
	}
	o, err := provision.Open(data, []ed25519.PublicKey{other.Public().(ed25519.PublicKey), pub}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(o.Signer, pub) || o.Bundle.Office != sample().Office {
		t.Fatalf("opened %+v", o)
	}
	sum := sha256.Sum256(data)
	if o.SHA256 != hex.EncodeToString(sum[:]) {
		t.Fatal("sha256 of the file")
	}
	// Parse alone checks the signature against the key the file names.
	if _, err := provision.Parse(data); err != nil {
		t.Fatal(err)
	}

	if _, err := provision.Open(data, []ed25519.PublicKey{other.Public().(ed25519.PublicKey)}, true); !errors.Is(err, provision.ErrUntrusted) {
		t.Fatalf("an untrusted key, even with --allow-unsigned: %v", err)
	}
	if _, err := provision.Open(data, nil, false); !errors.Is(err, provision.ErrUntrusted) {
		t.Fatalf("no trusted key: %v", err)
	}

	// Tampering: change the hub URL and fix the checksum, keep the signature.
	var env map[string]json.RawMessage
	if err := json.Unmarshal(data, &env); err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer // json.Marshal below writes the bundle compacted
	json.Compact(&compact, env["bundle"])
	body := bytes.Replace(compact.Bytes(), []byte("hub.hanoi.example.vn"), []byte("hub.attacker.example"), 1)
	if bytes.Equal(body, compact.Bytes()) {
		t.Fatal("the edit changed nothing")
	}
	sum = sha256.Sum256(body)
	env["bundle"], env["sha256"] = body, json.RawMessage(`"`+hex.EncodeToString(sum[:])+`"`)
	tampered, _ := json.Marshal(env)
	if _, err := provision.Open(tampered, []ed25519.PublicKey{pub}, true); !errors.Is(err, provision.ErrSignature) {
		t.Fatalf("tampered bundle: %v", err)
	}
	// Re-signed by another key that claims to be the trusted one.
	var sig provision.Signature
	json.Unmarshal(env["signature"], &sig)
	sig.Sig = base64.StdEncoding.EncodeToString(ed25519.Sign(other, append([]byte(provision.Format+"\n"), body...)))
	env["signature"], _ = json.Marshal(sig)
	forged, _ := json.Marshal(env)
	if _, err := provision.Open(forged, []ed25519.PublicKey{pub}, true); !errors.Is(err, provision.ErrSignature) {
		t.Fatalf("forged signature: %v", err)
	}
	// The signature member pointing at a file is refused without reading it.
	sig.PublicKey = "/etc/hostname"
	env["signature"], _ = json.Marshal(sig)
	odd, _ := json.Marshal(env)
	if _, err := provision.Parse(odd); !errors.Is(err, provision.ErrSignature) {
		t.Fatalf("file name as key: %v", err)
	}
}

func TestAnUnsignedBundleNeedsTheExplicitFlag(t *testing.T) {
	data, err := provision.Marshal(sample())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := provision.Open(data, []ed25519.PublicKey{testKey(7).Public().(ed25519.PublicKey)}, false); !errors.Is(err, provision.ErrUnsigned) {
		t.Fatalf("unsigned: %v", err)
	}
	o, err := provision.Open(data, nil, true)
	if err != nil || o.Signer != nil {
		t.Fatalf("unsigned with the flag: %+v %v", o, err)
	}
}

func TestKeysRoundTripThroughTheirFiles(t *testing.T) {
	priv, pemData, err := provision.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	back, err := provision.ParsePrivateKey(pemData)
	if err != nil || !bytes.Equal(back, priv) {
		t.Fatalf("private key: %v", err)
	}
	pub := priv.Public().(ed25519.PublicKey)
	line := provision.FormatPublicKey(pub)
	for _, in := range []string{line, "  " + line + "\n"} {
		got, err := provision.ParsePublicKey(in)
		if err != nil || !bytes.Equal(got, pub) {
			t.Fatalf("ParsePublicKey(%q): %v", in, err)
		}
	}
	f := filepath.Join(t.TempDir(), "province.pub")
	os.WriteFile(f, []byte(line+"\n"), 0o600)
	if got, err := provision.ParsePublicKey(f); err != nil || !bytes.Equal(got, pub) {
		t.Fatalf("from a file: %v", err)
	}
	for _, bad := range []string{"ed25519:", "ed25519:AAAA", "rsa:xyz", filepath.Join(t.TempDir(), "missing")} {
		if _, err := provision.ParsePublicKey(bad); err == nil {
			t.Fatalf("ParsePublicKey(%q) accepted", bad)
		}
	}
	if _, err := provision.ParsePrivateKey([]byte("not pem")); err == nil {
		t.Fatal("bad private key accepted")
	}
}
