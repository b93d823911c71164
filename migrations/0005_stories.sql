-- Many stories in one archive. A story has its slug, title and
-- description; an event belongs to one story; actors and sources stay the
-- archive's. The story table keeps the archive's state (data version,
-- origin); its title and description move to the story it held.
CREATE TABLE stories (
	id              INTEGER PRIMARY KEY,
	slug            TEXT NOT NULL UNIQUE,
	title           TEXT NOT NULL DEFAULT '',
	description     TEXT NOT NULL DEFAULT '',
	-- The data version of the import that last changed the story: the
	-- front page lists the most recently updated first.
	updated_version INTEGER NOT NULL DEFAULT 0,
	-- Kept by the importer, so the front page never counts per request.
	event_count     INTEGER NOT NULL DEFAULT 0,
	claim_count     INTEGER NOT NULL DEFAULT 0,
	-- The span: the earliest and the latest event's written time and zone.
	first_when      TEXT NOT NULL DEFAULT '',
	first_zone      TEXT NOT NULL DEFAULT '',
	last_when       TEXT NOT NULL DEFAULT '',
	last_zone       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX stories_updated ON stories (updated_version, slug);

-- The story a database held before stories, with its slug derived from its
-- title as timeline.SlugOf does: ASCII letters lowercased and digits kept,
-- every run of anything else one hyphen, none at either end, at most 120
-- characters, "story" when nothing is left.
INSERT INTO stories (slug, title, description, updated_version)
WITH RECURSIVE
	t(s) AS (SELECT lower(title) FROM story WHERE id = 1),
	c(i, ch) AS (
		SELECT 1, substr((SELECT s FROM t), 1, 1) WHERE length((SELECT s FROM t)) > 0
		UNION ALL
		SELECT i + 1, substr((SELECT s FROM t), i + 1, 1) FROM c WHERE i < length((SELECT s FROM t))
	),
	raw(s) AS (SELECT coalesce(group_concat(CASE WHEN ch GLOB '[a-z0-9]' THEN ch ELSE '-' END, ''), '') FROM (SELECT ch FROM c ORDER BY i)),
	collapsed(s, n) AS (
		SELECT s, 0 FROM raw
		UNION ALL
		SELECT replace(s, '--', '-'), n + 1 FROM collapsed WHERE instr(s, '--') > 0
	),
	slug(s) AS (SELECT rtrim(substr(trim(s, '-'), 1, 120), '-') FROM collapsed WHERE instr(s, '--') = 0)
SELECT CASE WHEN slug.s = '' THEN 'story' ELSE slug.s END, story.title, story.description, story.data_version
FROM slug, story
WHERE story.id = 1 AND (story.title <> '' OR story.description <> '' OR EXISTS (SELECT 1 FROM events));

ALTER TABLE events ADD COLUMN story_id INTEGER REFERENCES stories (id);
UPDATE events SET story_id = (SELECT id FROM stories);
CREATE INDEX events_story_order ON events (story_id, sort_unix, id);
CREATE INDEX events_story_kind_order ON events (story_id, kind, sort_unix, id);
CREATE INDEX events_story_dispute_order ON events (story_id, in_dispute, sort_unix, id);

-- Copied from events, as sort_unix is, so a story's actor filter pages
-- through an index alone.
ALTER TABLE event_actors ADD COLUMN story_id INTEGER NOT NULL DEFAULT 0;
UPDATE event_actors SET story_id = coalesce((SELECT story_id FROM events WHERE id = event_actors.event_id), 0);
CREATE INDEX event_actors_by_story_actor ON event_actors (story_id, actor_id, sort_unix, event_id);
CREATE INDEX event_actors_by_story_actor_role ON event_actors (story_id, actor_id, role, sort_unix, event_id);

-- The actors and sources a story's file lists, in its order, so that a
-- story exports as it was imported; each actor with its count of events in
-- the story and its kind, for the story's busiest actors (the front page,
-- the story's filter form).
CREATE TABLE story_actors (
	story_id    INTEGER NOT NULL REFERENCES stories (id),
	position    INTEGER NOT NULL,
	actor_id    INTEGER NOT NULL REFERENCES actors (id),
	kind        TEXT NOT NULL,
	event_count INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (story_id, position)
) WITHOUT ROWID;
CREATE INDEX story_actors_busiest ON story_actors (story_id, event_count DESC, actor_id);
CREATE INDEX story_actors_busiest_by_kind ON story_actors (story_id, kind, event_count DESC, actor_id);
CREATE INDEX story_actors_by_actor ON story_actors (actor_id);

CREATE TABLE story_sources (
	story_id  INTEGER NOT NULL REFERENCES stories (id),
	position  INTEGER NOT NULL,
	source_id INTEGER NOT NULL REFERENCES sources (id),
	PRIMARY KEY (story_id, position)
) WITHOUT ROWID;
CREATE INDEX story_sources_by_source ON story_sources (source_id);

INSERT INTO story_actors (story_id, position, actor_id, kind, event_count)
SELECT (SELECT id FROM stories), row_number() OVER (ORDER BY a.id) - 1, a.id, a.kind,
	(SELECT count(DISTINCT event_id) FROM event_actors WHERE actor_id = a.id)
FROM actors a WHERE EXISTS (SELECT 1 FROM stories);
INSERT INTO story_sources (story_id, position, source_id)
SELECT (SELECT id FROM stories), row_number() OVER (ORDER BY s.id) - 1, s.id
FROM sources s WHERE EXISTS (SELECT 1 FROM stories);

UPDATE stories SET
	event_count = (SELECT count(*) FROM events WHERE story_id = stories.id),
	claim_count = (SELECT count(*) FROM events WHERE story_id = stories.id AND kind IN ('claim', 'accusation')),
	first_when = coalesce((SELECT when_text FROM events WHERE story_id = stories.id ORDER BY sort_unix, id LIMIT 1), ''),
	first_zone = coalesce((SELECT zone FROM events WHERE story_id = stories.id ORDER BY sort_unix, id LIMIT 1), ''),
	last_when = coalesce((SELECT when_text FROM events WHERE story_id = stories.id ORDER BY sort_unix DESC, id DESC LIMIT 1), ''),
	last_zone = coalesce((SELECT zone FROM events WHERE story_id = stories.id ORDER BY sort_unix DESC, id DESC LIMIT 1), '');

-- Withdrawn events: a story's file no longer lists them. The row goes,
-- with its links; its slug (and its former slugs) stay here, so that the
-- permalink answers 410 and the slug is never used again.
CREATE TABLE withdrawn_events (
	slug     TEXT PRIMARY KEY,
	story_id INTEGER NOT NULL REFERENCES stories (id),
	title    TEXT NOT NULL
) WITHOUT ROWID;
