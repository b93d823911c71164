-- A search finds events by their actors' names too: the index gains a
-- column of them (one per line, in the event's order), and is rebuilt
-- from what is stored, as the importer writes it (searchQuotes and
-- searchActors in internal/sqlite/import_finish.go).
DROP TABLE event_search;
CREATE VIRTUAL TABLE event_search USING fts5 (title, summary, body, quotes, actors);
INSERT INTO event_search (rowid, title, summary, body, quotes, actors)
SELECT e.id, e.title, e.summary, e.body,
	coalesce((SELECT group_concat(quote, char(10) ORDER BY position) FROM event_sources WHERE event_id = e.id), ''),
	coalesce((SELECT group_concat(a.name, char(10) ORDER BY ea.position) FROM event_actors ea JOIN actors a ON a.id = ea.actor_id WHERE ea.event_id = e.id), '')
FROM events e;
