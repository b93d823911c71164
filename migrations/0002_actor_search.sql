-- The actor finder: full-text and prefix search over actor names, so the
-- filter form need not list tens of thousands of actors. An external-content
-- FTS5 table kept in step with actors by triggers.
CREATE VIRTUAL TABLE actor_search USING fts5 (name, description, content = 'actors', content_rowid = 'id');
INSERT INTO actor_search (actor_search) VALUES ('rebuild');

CREATE TRIGGER actors_search_insert AFTER INSERT ON actors BEGIN
	INSERT INTO actor_search (rowid, name, description) VALUES (new.id, new.name, new.description);
END;
CREATE TRIGGER actors_search_delete AFTER DELETE ON actors BEGIN
	INSERT INTO actor_search (actor_search, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
END;
CREATE TRIGGER actors_search_update AFTER UPDATE OF name, description ON actors BEGIN
	INSERT INTO actor_search (actor_search, rowid, name, description) VALUES ('delete', old.id, old.name, old.description);
	INSERT INTO actor_search (rowid, name, description) VALUES (new.id, new.name, new.description);
END;
