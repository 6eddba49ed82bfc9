// Package provision reads and writes provisioning bundles: one JSON file per
// device that tells a freshly installed motcua which office it belongs to,
// its device slot, its mode (counter or kiosk), where its hub is with a
// one-time enrolment token, and its printer and device settings. A
// technician makes one with "motcua provision export" (or the hub makes it)
// and applies it with "motcua provision apply FILE".
//
// The file is
//
//	{"format": "motcua-provision/1", "bundle": {...}, "sha256": "<hex>",
//	 "signature": {"key_id": "…", "public_key": "ed25519:…", "sig": "<base64>"}}
//
// where sha256 is the SHA-256 of the exact bytes of the "bundle" value, so a
// file damaged on a USB stick or edited by hand is refused, and signature
// (sign.go) is the province's or technician's Ed25519 signature of those
// bytes. Open applies a bundle only when it is signed by a trusted key; an
// unsigned one only when the caller allows it explicitly; a tampered one
// never. The enrolment token inside is a secret (one use, short-lived,
// checked by the hub): the bundle must still be handled like a password.
//
// Parse is strict (unknown fields, oversize values, control characters,
// malformed URLs and agency ids are refused) and fuzzed with the signature envelope (FuzzParse). This
// package knows no store and no GUI; app/wire applies a Bundle.
package provision
