-- 0010: the kiosk's exit-PIN rate limit (issue 7), kept on disk so that
-- restarting the kiosk does not hand a guesser fresh PIN tries.
--
-- One row at most (id = 1): the wrong PINs since the last right one and the
-- time the exit stays locked until. No personal data.
CREATE TABLE kiosk_pin_tries (
	id           INTEGER PRIMARY KEY CHECK (id = 1),
	fails        INTEGER NOT NULL CHECK (fails >= 0),  -- wrong PINs since the last right one
	locked_until INTEGER                                -- unix ms; NULL when not locked
) STRICT;
