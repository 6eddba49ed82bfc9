-- 0002: the dossier's life after reception (issue 4).
--
-- Adding columns with constant defaults rewrites no row: SQLite only edits
-- the schema, so this migration is instant on a million dossiers; the two
-- indexes below are built once (a few seconds on 10^6 rows).

-- When the result was ready (first time), handed over, and when the dossier
-- was closed (refused, withdrawn, stopped or returned); the service index
-- (Decision 766/QĐ-TTg) counts on-time results from done_at and due_at.
ALTER TABLE dossiers ADD COLUMN done_at INTEGER;
ALTER TABLE dossiers ADD COLUMN returned_at INTEGER;
ALTER TABLE dossiers ADD COLUMN closed_at INTEGER;
ALTER TABLE dossiers ADD COLUMN transferred_to TEXT NOT NULL DEFAULT '';
ALTER TABLE dossiers ADD COLUMN apologies INTEGER NOT NULL DEFAULT 0;

-- The leader's dashboard and the tracking book by reception date: a
-- covering index, so counts per day and per procedure read no table row.
CREATE INDEX dossiers_dash ON dossiers (received_at, procedure_code, status, due_at, done_at);
-- Results per day and the on-time rate: only dossiers with a result.
CREATE INDEX dossiers_done ON dossiers (done_at, due_at) WHERE done_at IS NOT NULL;
-- Results handed over per month.
CREATE INDEX dossiers_returned ON dossiers (returned_at) WHERE returned_at IS NOT NULL;

-- Form 02: what the citizen is asked to add.
CREATE TABLE supplements (
	id         INTEGER PRIMARY KEY,
	dossier_id INTEGER NOT NULL REFERENCES dossiers (id),
	at         INTEGER NOT NULL,
	actor      TEXT    NOT NULL,
	items      TEXT    NOT NULL, -- JSON array of strings
	reason     TEXT    NOT NULL,
	official   TEXT    NOT NULL,
	phone      TEXT    NOT NULL
) STRICT;
CREATE INDEX supplements_dossier ON supplements (dossier_id, id);

-- Form 04: apologies and the appointment they moved.
CREATE TABLE apologies (
	id         INTEGER PRIMARY KEY,
	dossier_id INTEGER NOT NULL REFERENCES dossiers (id),
	at         INTEGER NOT NULL,
	actor      TEXT    NOT NULL,
	old_due    INTEGER,
	new_due    INTEGER NOT NULL,
	reason     TEXT    NOT NULL,
	override   INTEGER NOT NULL
) STRICT;
CREATE INDEX apologies_dossier ON apologies (dossier_id, id);

-- Who collected the result, with what ID, and what was handed over.
CREATE TABLE result_returns (
	dossier_id  INTEGER PRIMARY KEY REFERENCES dossiers (id),
	at          INTEGER NOT NULL,
	actor       TEXT    NOT NULL,
	full_name   TEXT    NOT NULL,
	id_number   TEXT    NOT NULL,
	authorised  INTEGER NOT NULL,
	items       TEXT    NOT NULL
) STRICT;
