-- 0009: later events of dossiers received by the office's other devices
-- (issue 6). The hub's feed carries every event of the office; a device
-- applies the status steps of dossiers it holds as replicas (sync_remote),
-- each exactly once (by UUID) and in order per dossier (by seq), and keeps
-- a step it cannot apply with its problem, to be shown, never dropped.
CREATE TABLE sync_remote_events (
	uuid        TEXT    PRIMARY KEY,
	dossier     TEXT    NOT NULL,
	seq         INTEGER NOT NULL,
	kind        TEXT    NOT NULL,
	origin      TEXT    NOT NULL,
	applied     INTEGER NOT NULL,
	problem     TEXT    NOT NULL,
	received_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE UNIQUE INDEX sync_remote_events_seq ON sync_remote_events (dossier, seq);

-- What the hub publishes to the office (catalog versions, holiday tables,
-- staff accounts): per (kind, key) the newest publication received, by its
-- id, with its problem when it could not be used ('' when applied).
CREATE TABLE sync_items (
	kind        TEXT    NOT NULL,
	key         TEXT    NOT NULL,
	id          INTEGER NOT NULL,
	data        TEXT    NOT NULL,
	problem     TEXT    NOT NULL,
	received_at INTEGER NOT NULL,
	PRIMARY KEY (kind, key)
) STRICT, WITHOUT ROWID;
