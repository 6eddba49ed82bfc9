// Package protocol holds what the device (sync/client) and the hub
// (sync/hub) must agree on: the wire types of every request and answer,
// request signing (Ed25519 over method, path, time, nonce and body hash), the
// tus 1.0 header names, and the OpenAPI 3 document the hub serves at
// /openapi.yaml (embedded from openapi.yaml).
//
// It imports only the standard library, so both ends (and third parties) can
// use it; it must not import internal/store, Fyne or a database driver.
// docs/protocol.md explains the protocol for integrators.
package protocol
