-- 0001: the device's first schema.
--
-- Times are INTEGER milliseconds since the Unix epoch, UTC; NULL means "not
-- set" (the zero time.Time). Dates without a time of day (birth dates, the day
-- of a dossier code) are TEXT 'YYYY-MM-DD'.

CREATE TABLE settings (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Last sequence issued per agency, Vietnamese calendar day and device slot.
CREATE TABLE counters (
	agency   TEXT    NOT NULL,
	day      TEXT    NOT NULL,
	slot     INTEGER NOT NULL CHECK (slot BETWEEN 0 AND 9),
	last_seq INTEGER NOT NULL CHECK (last_seq BETWEEN 1 AND 999),
	PRIMARY KEY (agency, day, slot)
) STRICT, WITHOUT ROWID;

-- Last tracking-book number per Vietnamese calendar year.
CREATE TABLE tracking_counters (
	year    INTEGER PRIMARY KEY,
	last_no INTEGER NOT NULL CHECK (last_no >= 1)
) STRICT;

CREATE TABLE dossiers (
	id              INTEGER PRIMARY KEY,
	code            TEXT    NOT NULL UNIQUE,
	agency          TEXT    NOT NULL,
	code_day        TEXT    NOT NULL,
	code_number     INTEGER NOT NULL,
	procedure_code  TEXT    NOT NULL,
	procedure_name  TEXT    NOT NULL,
	catalog_version TEXT    NOT NULL,
	name            TEXT    NOT NULL,
	name_folded     TEXT    NOT NULL,
	id_number       TEXT    NOT NULL,
	birth_date      TEXT,
	sex             INTEGER NOT NULL,
	address         TEXT    NOT NULL,
	phone           TEXT    NOT NULL,
	phone_digits    TEXT    NOT NULL,
	email           TEXT    NOT NULL,
	sets            INTEGER NOT NULL,
	fee             INTEGER NOT NULL,
	processing_time TEXT    NOT NULL,
	received_at     INTEGER NOT NULL,
	due_at          INTEGER,
	status          INTEGER NOT NULL CHECK (status BETWEEN 1 AND 10),
	channel         INTEGER NOT NULL,
	return_method   INTEGER NOT NULL,
	return_address  TEXT    NOT NULL,
	received_by     TEXT    NOT NULL,
	tracking_no     INTEGER NOT NULL,
	note            TEXT    NOT NULL,
	updated_at      INTEGER NOT NULL
) STRICT;

-- Newest-first lists walk this index. Its entries also carry the status,
-- the appointment and the search columns, so that filters and a text search
-- that walks (see List) test each entry without reading the table row.
CREATE INDEX dossiers_received ON dossiers (received_at DESC, id DESC, status, due_at,
	name_folded, id_number, phone_digits, code);
-- A text search that uses the full-text index sorts its matches here.
CREATE INDEX dossiers_by_id ON dossiers (id, received_at, status, due_at);
-- Overdue and due-soon lists: covering, so their newest-first sort reads no table row.
CREATE INDEX dossiers_status_due ON dossiers (status, due_at, received_at);
CREATE INDEX dossiers_id_number ON dossiers (id_number);
CREATE INDEX dossiers_phone ON dossiers (phone_digits);

CREATE TABLE papers (
	id         INTEGER PRIMARY KEY,
	dossier_id INTEGER NOT NULL REFERENCES dossiers (id),
	position   INTEGER NOT NULL,
	name       TEXT    NOT NULL,
	form       INTEGER NOT NULL,
	count      INTEGER NOT NULL,
	required   INTEGER NOT NULL,
	UNIQUE (dossier_id, position)
) STRICT;

-- Blobs in files/<ab>/<sha256>, registered by PutFile.
CREATE TABLE files (
	sha256     TEXT    PRIMARY KEY,
	size       INTEGER NOT NULL,
	created_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE paper_files (
	paper_id INTEGER NOT NULL REFERENCES papers (id),
	position INTEGER NOT NULL,
	sha256   TEXT    NOT NULL REFERENCES files (sha256),
	PRIMARY KEY (paper_id, position)
) STRICT, WITHOUT ROWID;

-- Start-up cleanup asks "is this blob referenced?" once per blob.
CREATE INDEX paper_files_sha256 ON paper_files (sha256);

CREATE TABLE history (
	id          INTEGER PRIMARY KEY,
	dossier_id  INTEGER NOT NULL REFERENCES dossiers (id),
	at          INTEGER NOT NULL,
	actor       TEXT    NOT NULL,
	action      TEXT    NOT NULL,
	from_status INTEGER NOT NULL,
	to_status   INTEGER NOT NULL,
	note        TEXT    NOT NULL
) STRICT;

CREATE INDEX history_dossier ON history (dossier_id, id);

-- Hash chain: hash = SHA-256(prev_hash || canonical record), hex.
CREATE TABLE audit (
	id        INTEGER PRIMARY KEY,
	at        INTEGER NOT NULL,
	actor     TEXT    NOT NULL,
	action    TEXT    NOT NULL,
	entity    TEXT    NOT NULL,
	detail    TEXT    NOT NULL,
	prev_hash TEXT    NOT NULL,
	hash      TEXT    NOT NULL
) STRICT;

CREATE TABLE outbox (
	id         INTEGER PRIMARY KEY,
	uuid       TEXT    NOT NULL UNIQUE,
	dossier_id INTEGER REFERENCES dossiers (id),
	seq        INTEGER NOT NULL,
	kind       TEXT    NOT NULL,
	payload    TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	sent_at    INTEGER,
	UNIQUE (dossier_id, seq)
) STRICT;

CREATE INDEX outbox_pending ON outbox (id) WHERE sent_at IS NULL;

CREATE TABLE accounts (
	login         TEXT    PRIMARY KEY,
	full_name     TEXT    NOT NULL,
	role          TEXT    NOT NULL,
	password_hash TEXT    NOT NULL,
	failed        INTEGER NOT NULL,
	locked_until  INTEGER,
	disabled      INTEGER NOT NULL,
	created_at    INTEGER NOT NULL,
	updated_at    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Full-text index over the searchable columns, external content on dossiers
-- (no second copy of the text). The store writes its rows itself in the
-- transaction that writes the dossier, as the last statement, with no
-- trigger: a trigger gives every statement a statement journal, and FTS5
-- flushes its pending terms to a new segment at each such savepoint, which
-- made bulk seeding three times slower. Any code that changes code,
-- name_folded, id_number or phone_digits must 'delete' the old row from
-- dossier_fts (INSERT INTO dossier_fts (dossier_fts, rowid, …) VALUES
-- ('delete', old values…)) and insert the new one (ftsInsert).
-- name_folded is the folded name's tokens (textfold.Fold, then anything but
-- letters and digits as a space); remove_diacritics 2 is a second guard for
-- anything Fold leaves. phone_digits keeps only the digits.
-- Prefix indexes for 1 to 7 characters (the longest Vietnamese syllable,
-- "nghieng", has 7 letters): a query word is a prefix, and without a prefix
-- index FTS5 merges the doclists of every matching term into memory before
-- returning the first row ("nguyen"* costs 17 ms over 10^6 dossiers, 0.2 ms
-- with the index). They make the index 1.8 times larger (245 MB for 10^6).
CREATE VIRTUAL TABLE dossier_fts USING fts5 (
	code, name_folded, id_number, phone_digits,
	content = 'dossiers', content_rowid = 'id',
	tokenize = "unicode61 remove_diacritics 2",
	prefix = '1 2 3 4 5 6 7',
	columnsize = 0
);
