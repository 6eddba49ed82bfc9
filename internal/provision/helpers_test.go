package provision_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"

	"github.com/motcua/motcua/internal/provision"
)

// provisionUnchecked encodes b with a correct checksum but no validation.
func provisionUnchecked(t testing.TB, b provision.Bundle) []byte {
	t.Helper()
	body, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	return envelope(t, body)
}

func envelope(t testing.TB, body []byte) []byte {
	sum := sha256.Sum256(body)
	out, err := json.Marshal(map[string]any{"format": provision.Format, "bundle": json.RawMessage(body), "sha256": hex.EncodeToString(sum[:])})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func bytesUnknownField(t testing.TB) []byte {
	body, _ := json.Marshal(sample())
	var m map[string]any
	json.Unmarshal(body, &m)
	m["admin_password"] = "x"
	body, _ = json.Marshal(m)
	return envelope(t, body)
}
