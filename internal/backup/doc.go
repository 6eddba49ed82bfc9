// Package backup makes, checks and restores backups of a device's data
// directory: the SQLite database and the content-addressed files beside it.
//
// A backup is one gzip-compressed tar archive (open it with tar or 7-Zip):
//
//	manifest.json          format, time, schema version, office, counts,
//	                       and the size and SHA-256 of every other entry
//	motcua.db              a consistent snapshot of the database
//	files/<ab>/<sha256>    every registered blob, named by its SHA-256
//
// The snapshot is taken online with VACUUM INTO on a connection of its own:
// one read transaction in WAL mode, so the counter keeps saving dossiers
// while a backup runs and the snapshot is the database as of one instant.
// Blobs are immutable and are on disk before the transaction that refers to
// them commits, so every blob the snapshot refers to can be copied after it.
//
// Create writes to a temporary name, fsyncs, reads the whole archive back
// (every hash, then PRAGMA integrity_check on the database) and only then
// gives it its final name. Restore refuses a data directory that is not
// empty, unpacks into a staging directory beside it checking every entry
// against the manifest, opens the result with the store (which applies
// newer migrations), runs the integrity check, the audit chain check and a
// full hash check of the file store, and only then renames the staging
// directory into place: a failed restore leaves nothing behind.
//
// Scheduler is the daily backup to a folder with retention, a service with
// Serve(ctx); it makes no backup while the device is not provisioned, and
// its Wake channel makes it read changed settings at once. Options.Progress
// reports the bytes written and read back (the technician screen's bar).
//
// This package must not log personal data: manifests and log lines carry
// counts, hashes, file names and the office's code, nothing about citizens.
package backup
