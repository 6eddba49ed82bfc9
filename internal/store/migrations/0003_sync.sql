-- 0003: synchronisation with the hub (issue 6).
--
-- The device's link settings (hub URL, device id, feed cursor, last
-- success and error) are JSON under the settings key 'sync' (see sync.go).

-- Per-event error state. A transient error only counts attempts; a
-- permanent one (a 4xx that can never succeed: another office's dossier, a
-- conflicting sequence, a malformed payload) stops that event and the later
-- events of its dossier, and is shown to the clerk instead of being retried.
CREATE TABLE outbox_errors (
	uuid      TEXT    PRIMARY KEY REFERENCES outbox (uuid),
	permanent INTEGER NOT NULL,
	code      TEXT    NOT NULL,
	message   TEXT    NOT NULL,
	attempts  INTEGER NOT NULL,
	at        INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Files the hub confirmed it holds: not uploaded again.
CREATE TABLE sync_uploaded (
	sha256 TEXT    PRIMARY KEY,
	at     INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Decisions received from the hub, applied or not. A decision whose
-- transition is not allowed from the dossier's status here (or whose
-- dossier this device does not hold) is kept with its problem and shown to
-- the clerk, never dropped.
CREATE TABLE sync_decisions (
	id          TEXT    PRIMARY KEY,
	dossier     TEXT    NOT NULL,
	outcome     TEXT    NOT NULL,
	status      INTEGER NOT NULL,
	note        TEXT    NOT NULL,
	decided_by  TEXT    NOT NULL,
	at          INTEGER NOT NULL,
	applied     INTEGER NOT NULL,
	problem     TEXT    NOT NULL,
	received_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Dossiers received by the office's other devices, inserted into dossiers
-- so that lists and searches find them; origin names the device.
CREATE TABLE sync_remote (
	dossier_id INTEGER PRIMARY KEY REFERENCES dossiers (id),
	origin     TEXT    NOT NULL,
	at         INTEGER NOT NULL
) STRICT;
