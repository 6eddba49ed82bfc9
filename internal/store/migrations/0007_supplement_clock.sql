-- 0007: the processing clock is paused while a dossier waits for a
-- supplement (issue 4). Each supplement request records the appointment
-- when the clock stopped; when the citizen brings the papers, the time
-- that was left is counted again in working time from that moment and the
-- new appointment is recorded beside it, so forms and history can show
-- both. Constant defaults: no row is rewritten.
ALTER TABLE supplements ADD COLUMN due_before INTEGER;  -- appointment when the clock was paused
ALTER TABLE supplements ADD COLUMN supplied_at INTEGER; -- when the supplement arrived (NULL while waiting)
ALTER TABLE supplements ADD COLUMN due_after INTEGER;   -- appointment recomputed at supplied_at
ALTER TABLE supplements ADD COLUMN remaining INTEGER NOT NULL DEFAULT 0; -- working minutes left when paused
