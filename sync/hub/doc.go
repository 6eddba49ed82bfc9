// Package hub is the provincial hub's server: the HTTP API of docs/protocol.md
// (enrolment, signed push of outbox events applied exactly once and in order
// per dossier, tus 1.0 uploads with SHA-256 checksums, the office change
// feed with long-polling, the reviewer API, Prometheus metrics) over a Store.
//
// Store has two implementations sharing one SQL code path and one test
// suite: SQLite (modernc, pure Go; the default) and PostgreSQL (pgx). File
// contents live on disk under the server's directory, named by SHA-256.
//
// It must not import internal/store (the device's store), Fyne, or anything
// that needs cgo: CGO_ENABLED=0 go build ./sync/cmd/motcua-hub must work. It
// logs device ids, codes and reasons, never a request body or personal data.
package hub
