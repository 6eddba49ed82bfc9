// Package provision reads and writes provisioning bundles: one JSON file per
// device that tells a freshly installed motcua which office it belongs to,
// its device slot, its mode (counter or kiosk), where its hub is with a
// one-time enrolment token, and its printer and device settings. A
// technician makes one with "motcua provision export" (or the hub makes it)
// and applies it with "motcua provision apply FILE".
//
// The file is
//
//	{"format": "motcua-provision/1", "bundle": {...}, "sha256": "<hex>"}
//
// where sha256 is the SHA-256 of the exact bytes of the "bundle" value, so a
// file damaged on a USB stick or edited by hand is refused. The checksum is
// not a signature: the enrolment token is the secret (one use, short-lived,
// checked by the hub), and the bundle must be handled like a password.
//
// Parse is strict (unknown fields, oversize values, control characters,
// malformed URLs and agency ids are refused) and fuzzed (FuzzParse). This
// package knows no store and no GUI; app/wire applies a Bundle.
package provision
