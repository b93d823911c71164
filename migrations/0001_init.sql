-- The story: title and description of what the database holds, and a version
-- that every import that changes data increments (it drives HTTP ETags).
CREATE TABLE story (
	id           INTEGER PRIMARY KEY CHECK (id = 1),
	title        TEXT NOT NULL DEFAULT '',
	description  TEXT NOT NULL DEFAULT '',
	data_version INTEGER NOT NULL DEFAULT 0
);
INSERT INTO story (id) VALUES (1);

CREATE TABLE actors (
	id          INTEGER PRIMARY KEY,
	slug        TEXT NOT NULL UNIQUE,
	name        TEXT NOT NULL,
	kind        TEXT NOT NULL,
	country     TEXT NOT NULL DEFAULT '',
	description TEXT NOT NULL DEFAULT '',
	-- Kept by the importer so the filter form never counts per request.
	event_count INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX actors_kind_count ON actors (kind, event_count DESC, name);

CREATE TABLE sources (
	id        INTEGER PRIMARY KEY,
	key       TEXT NOT NULL UNIQUE,
	outlet    TEXT NOT NULL,
	url       TEXT NOT NULL DEFAULT '',
	title     TEXT NOT NULL DEFAULT '',
	published TEXT NOT NULL DEFAULT '',
	via_id    INTEGER REFERENCES sources (id)
);

CREATE TABLE events (
	id         INTEGER PRIMARY KEY,
	slug       TEXT NOT NULL,
	title      TEXT NOT NULL,
	summary    TEXT NOT NULL,
	body       TEXT NOT NULL DEFAULT '',
	kind       TEXT NOT NULL,
	-- The written time ("2023-05-03 early-hours") and its zone are the truth;
	-- sort_unix, the middle of that period, is derived from them for
	-- ordering and ranges.
	when_text  TEXT NOT NULL,
	until_text TEXT NOT NULL DEFAULT '',
	zone       TEXT NOT NULL,
	sort_unix INTEGER NOT NULL,
	location   TEXT NOT NULL DEFAULT '',
	-- Set by the importer: 1 for an event that someone denies, disputes or
	-- doubts, and for the events that do so, so ?contested=1 needs no join.
	in_dispute INTEGER NOT NULL DEFAULT 0,
	-- Hash of the imported record, so re-importing an unchanged event writes nothing.
	content_hash TEXT NOT NULL
);
-- A named index rather than a column constraint, so that a bulk import into
-- an empty database can drop it and build it once at the end.
CREATE UNIQUE INDEX events_slug ON events (slug);
CREATE INDEX events_order ON events (sort_unix, id);
CREATE INDEX events_kind_order ON events (kind, sort_unix, id);
CREATE INDEX events_dispute_order ON events (in_dispute, sort_unix, id);

-- Former slugs keep old permalinks working; a slug is never reused.
CREATE TABLE event_redirects (
	slug     TEXT PRIMARY KEY,
	event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX event_redirects_by_event ON event_redirects (event_id);

CREATE TABLE event_actors (
	event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	actor_id   INTEGER NOT NULL REFERENCES actors (id),
	role       TEXT NOT NULL,
	position   INTEGER NOT NULL,
	-- Copied from events so the actor filter pages through an index alone.
	sort_unix INTEGER NOT NULL,
	PRIMARY KEY (event_id, actor_id, role)
) WITHOUT ROWID;
CREATE INDEX event_actors_by_actor ON event_actors (actor_id, sort_unix, event_id);
CREATE INDEX event_actors_by_actor_role ON event_actors (actor_id, role, sort_unix, event_id);

CREATE TABLE event_sources (
	event_id  INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	position  INTEGER NOT NULL,
	source_id INTEGER NOT NULL REFERENCES sources (id),
	quote     TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (event_id, position)
) WITHOUT ROWID;
CREATE INDEX event_sources_by_source ON event_sources (source_id);

-- from_event answers to_event: "Kirby's statement denies Peskov's accusation".
CREATE TABLE relations (
	from_event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	to_event_id   INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
	type          TEXT NOT NULL,
	position      INTEGER NOT NULL,
	PRIMARY KEY (from_event_id, to_event_id, type),
	CHECK (from_event_id <> to_event_id)
) WITHOUT ROWID;
CREATE INDEX relations_by_target ON relations (to_event_id, from_event_id);

-- Full-text search over what a reader reads: kept in step by the store,
-- one row per event with rowid = events.id.
CREATE VIRTUAL TABLE event_search USING fts5 (title, summary, body, quotes);
