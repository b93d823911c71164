-- When each event first appeared in an import and when an import last
-- changed it (or answered it), in Unix seconds, for the feeds: they list
-- what is new, not what happened last. Events already in the database are
-- stamped with the time of this migration, the first this database knows.
ALTER TABLE events ADD COLUMN added_unix INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN changed_unix INTEGER NOT NULL DEFAULT 0;
UPDATE events SET added_unix = unixepoch(), changed_unix = unixepoch();
-- The newest changes first, keyset-paged by (changed_unix, slug): the
-- archive's and one story's.
CREATE INDEX events_changed ON events (changed_unix, slug);
CREATE INDEX events_story_changed ON events (story_id, changed_unix, slug);
