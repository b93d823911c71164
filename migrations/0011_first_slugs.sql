-- The slug an event was first published under, kept when it is renamed, so
-- that its feed entries' ids never change (RFC 4287: an entry's id is
-- permanent). Empty while the event has its first slug: the slug is it.
ALTER TABLE events ADD COLUMN first_slug TEXT;
