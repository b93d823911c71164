-- How precisely each event's time is known, read from its written form
-- (timeline.ParseWhen: YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DD <part of
-- day>, YYYY-MM-DDTHH, YYYY-MM-DDTHH:MM), so that the overview draws an
-- event only in periods it is known to fall in: one dated "May 2023" is in
-- no day's bar. Computed, never written; a test holds it to the domain's.
ALTER TABLE events ADD COLUMN when_precision TEXT GENERATED ALWAYS AS (CASE
	WHEN length(when_text) = 4 THEN 'year'
	WHEN length(when_text) = 7 THEN 'month'
	WHEN instr(when_text, ' ') > 0 THEN 'part-of-day'
	WHEN length(when_text) = 10 THEN 'day'
	WHEN length(when_text) = 13 THEN 'hour'
	ELSE 'minute' END) VIRTUAL;

-- The overview's figures (0012) kept apart by precision: 'day' for events
-- known to the day or closer, 'month' and 'year' for the rest, which the
-- periods shorter than theirs leave out of their bars. Counted again as
-- internal/sqlite/overview_days.go writes them (overviewDayRows), with the
-- domain's claim kinds and contesting answer types as of this migration.
CREATE TABLE overview_days_by_precision (
	story_id   INTEGER NOT NULL,
	actor_id   INTEGER NOT NULL,
	day_unix   INTEGER NOT NULL,
	when_precision TEXT NOT NULL,
	claims     INTEGER NOT NULL,
	contesting INTEGER NOT NULL,
	others     INTEGER NOT NULL,
	PRIMARY KEY (story_id, actor_id, day_unix, when_precision)
) WITHOUT ROWID;

INSERT INTO overview_days_by_precision (story_id, actor_id, day_unix, when_precision, claims, contesting, others)
SELECT story_id, actor_id, day_unix, when_precision, sum(class = 1), sum(class = 2), sum(class = 0) FROM (
	SELECT e.story_id, 0 AS actor_id, e.sort_unix - ((e.sort_unix % 86400) + 86400) % 86400 AS day_unix,
		CASE WHEN e.when_precision IN ('month', 'year') THEN e.when_precision ELSE 'day' END AS when_precision,
		CASE WHEN e.kind IN ('claim', 'accusation') THEN 1
			WHEN EXISTS (SELECT 1 FROM answers a WHERE a.from_event_id = e.id AND a.type IN ('denies', 'disputes', 'doubts')) THEN 2
			ELSE 0 END AS class
	FROM events e
	UNION ALL
	SELECT e.story_id, ea.actor_id, e.sort_unix - ((e.sort_unix % 86400) + 86400) % 86400,
		CASE WHEN e.when_precision IN ('month', 'year') THEN e.when_precision ELSE 'day' END,
		CASE WHEN e.kind IN ('claim', 'accusation') THEN 1
			WHEN EXISTS (SELECT 1 FROM answers a WHERE a.from_event_id = e.id AND a.type IN ('denies', 'disputes', 'doubts')) THEN 2
			ELSE 0 END
	FROM event_actors ea JOIN events e ON e.id = ea.event_id
) GROUP BY story_id, actor_id, day_unix, when_precision;

INSERT INTO overview_days_by_precision (story_id, actor_id, day_unix, when_precision, claims, contesting, others)
SELECT 0, actor_id, day_unix, when_precision, sum(claims), sum(contesting), sum(others) FROM overview_days_by_precision
GROUP BY actor_id, day_unix, when_precision;

DROP TABLE overview_days;
ALTER TABLE overview_days_by_precision RENAME TO overview_days;
