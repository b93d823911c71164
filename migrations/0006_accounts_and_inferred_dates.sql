-- An event known only through one party's account names that actor (by
-- slug, one of the event's own actors); a time the sources imply rather
-- than state is marked, with a note on how it was read from them.
ALTER TABLE events ADD COLUMN according_to TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN when_inferred INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN when_note TEXT NOT NULL DEFAULT '';
