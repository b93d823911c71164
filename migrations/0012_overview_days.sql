-- The overview's figures, kept at import: for each story and day (UTC,
-- the Unix second it starts at), how many of its events are claims,
-- contesting answers and others, in the story's own lane (actor_id 0)
-- and in each actor's; story_id 0 holds the archive's sums. The picture
-- sums the days of each of its periods instead of counting events. Filled
-- as internal/sqlite/overview_days.go writes it (overviewDayRows), with the
-- domain's claim kinds and contesting answer types as of this migration.
CREATE TABLE overview_days (
	story_id   INTEGER NOT NULL,
	actor_id   INTEGER NOT NULL,
	day_unix   INTEGER NOT NULL,
	claims     INTEGER NOT NULL,
	contesting INTEGER NOT NULL,
	others     INTEGER NOT NULL,
	PRIMARY KEY (story_id, actor_id, day_unix)
) WITHOUT ROWID;

INSERT INTO overview_days (story_id, actor_id, day_unix, claims, contesting, others)
SELECT story_id, actor_id, day_unix, sum(class = 1), sum(class = 2), sum(class = 0) FROM (
	SELECT e.story_id, 0 AS actor_id, e.sort_unix - ((e.sort_unix % 86400) + 86400) % 86400 AS day_unix,
		CASE WHEN e.kind IN ('claim', 'accusation') THEN 1
			WHEN EXISTS (SELECT 1 FROM answers a WHERE a.from_event_id = e.id AND a.type IN ('denies', 'disputes', 'doubts')) THEN 2
			ELSE 0 END AS class
	FROM events e
	UNION ALL
	SELECT e.story_id, ea.actor_id, e.sort_unix - ((e.sort_unix % 86400) + 86400) % 86400,
		CASE WHEN e.kind IN ('claim', 'accusation') THEN 1
			WHEN EXISTS (SELECT 1 FROM answers a WHERE a.from_event_id = e.id AND a.type IN ('denies', 'disputes', 'doubts')) THEN 2
			ELSE 0 END
	FROM event_actors ea JOIN events e ON e.id = ea.event_id
) GROUP BY story_id, actor_id, day_unix;

INSERT INTO overview_days (story_id, actor_id, day_unix, claims, contesting, others)
SELECT 0, actor_id, day_unix, sum(claims), sum(contesting), sum(others) FROM overview_days
GROUP BY actor_id, day_unix;
