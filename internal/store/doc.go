// Package store is the device's storage: one SQLite database (modernc.org/sqlite,
// no cgo) and a content-addressed directory of scanned files beside it.
//
// It is the SQLite adapter of internal/dossier (and of the account store of
// internal/auth): it maps domain types to rows and back and knows no business
// rules beyond what storage needs. Every public method is one transaction.
//
// Layout of the directory given to Open:
//
//	motcua.db (+ -wal, -shm)   the database, WAL mode
//	files/<ab>/<sha256>        blobs, named by the SHA-256 of their content
//	files/tmp/                 files being written by PutFile
//
// Durability: user changes commit on a single writer connection with
// synchronous=FULL, so when Receive returns nil the dossier survives a power
// cut and a receipt may be printed. BulkReceive uses a second writer with
// synchronous=NORMAL and is only for data that can be produced again (demo
// seeding, benchmarks). Reads go through a small query_only pool.
//
// Times are stored as INTEGER milliseconds since the Unix epoch (UTC) and
// read back in UTC. The day of a dossier code is the date of ReceivedAt in
// Vietnam (UTC+7).
//
// The schema, the crash-safety argument and the search design are in
// docs/storage.md; the dossier code scheme in docs/dossier-codes.md.
//
// This package must not print, log personal data, or decide anything a clerk
// or the law decides (statuses, deadlines, fees come from its callers).
package store
