-- 0006: the citizen kiosk (issue 7): queue tickets and satisfaction votes.
--
-- Queue numbers restart every Vietnamese calendar day for each service; the
-- row is written (synchronous=FULL) before the ticket is printed, so the
-- queue survives a restart or a power cut.
CREATE TABLE queue_tickets (
	id        INTEGER PRIMARY KEY,
	day       TEXT    NOT NULL,              -- 'YYYY-MM-DD' in Vietnam time
	service   TEXT    NOT NULL,              -- service key, e.g. "Hộ tịch"
	number    INTEGER NOT NULL CHECK (number >= 1),
	taken_at  INTEGER NOT NULL,
	called_at INTEGER,                       -- NULL while waiting
	called_by TEXT    NOT NULL DEFAULT '',   -- counter that called it
	UNIQUE (day, service, number)
) STRICT;

-- "Call next": the oldest waiting ticket of a day (optionally of one service).
CREATE INDEX queue_tickets_waiting ON queue_tickets (day, id) WHERE called_at IS NULL;

-- Satisfaction votes (Decision 766/QĐ-TTg service index): very satisfied,
-- satisfied, not satisfied; optionally about one dossier. No personal data.
CREATE TABLE satisfaction_votes (
	id           INTEGER PRIMARY KEY,
	at           INTEGER NOT NULL,
	rating       INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 3), -- 1 very satisfied, 2 satisfied, 3 not satisfied
	dossier_code TEXT    NOT NULL,  -- '' when not linked to a dossier
	source       TEXT    NOT NULL   -- 'kiosk' or 'counter'
) STRICT;

CREATE INDEX satisfaction_votes_at ON satisfaction_votes (at);
