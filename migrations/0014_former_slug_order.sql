-- An event's former slugs in the order they were made, 0 first for each
-- event, so that an export lists them oldest first and a database built
-- from it takes the first as the event's first slug (migrations/0011).
-- Former slugs made before this are NULL: older than the rest, in slug order.
ALTER TABLE event_redirects ADD COLUMN position INTEGER;
