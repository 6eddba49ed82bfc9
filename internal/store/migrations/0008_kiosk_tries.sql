-- 0008: the kiosk's wrong-confirmation counters (issue 7), kept on disk so
-- that restarting the kiosk does not hand a guesser fresh tries.
--
-- kiosk_tries holds one row per dossier code with wrong last-4-digit
-- confirmations; kiosk_failures holds the time of every recent wrong
-- confirmation of any code (the kiosk-wide limit). Rows older than the
-- kiosk's window are pruned on each write. No personal data: a dossier code
-- and times only.
CREATE TABLE kiosk_tries (
	code         TEXT    PRIMARY KEY,
	fails        INTEGER NOT NULL CHECK (fails >= 0),  -- wrong tries since the last lock or success
	locked_until INTEGER,                               -- unix ms; NULL when not locked
	last_at      INTEGER NOT NULL                       -- unix ms of the last wrong try
) STRICT;

CREATE TABLE kiosk_failures (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL  -- unix ms
) STRICT;

CREATE INDEX kiosk_failures_at ON kiosk_failures (at);
