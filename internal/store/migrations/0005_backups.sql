-- 0005: a log of the backups taken of this device's data (manual, daily,
-- before an upgrade), so the technician screen and "motcua doctor" can say
-- when the last good backup was made and where it went. The archive itself
-- lives outside the database; its SHA-256 lets a technician check a copy.

CREATE TABLE backups (
	id             INTEGER PRIMARY KEY,
	at             INTEGER NOT NULL,            -- ms since the epoch, UTC
	kind           TEXT    NOT NULL CHECK (kind IN ('manual', 'daily', 'pre-upgrade')),
	file           TEXT    NOT NULL,            -- base name of the archive
	sha256         TEXT    NOT NULL,
	size           INTEGER NOT NULL CHECK (size >= 0),
	schema_version INTEGER NOT NULL,
	dossiers       INTEGER NOT NULL CHECK (dossiers >= 0),
	files          INTEGER NOT NULL CHECK (files >= 0)
) STRICT;

CREATE INDEX backups_at ON backups (at DESC);
