-- The overview's figures (0012, 0015) counted an event twice in the lane
-- of an actor it names in two roles (speaker and target, say); a lane
-- counts events, so each once. Counted again as
-- internal/sqlite/overview_days.go writes them (overviewDayRows), with the
-- domain's claim kinds and contesting answer types as of this migration.
DELETE FROM overview_days;

INSERT INTO overview_days (story_id, actor_id, day_unix, when_precision, claims, contesting, others)
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
	FROM (SELECT DISTINCT event_id, actor_id FROM event_actors) ea JOIN events e ON e.id = ea.event_id
) GROUP BY story_id, actor_id, day_unix, when_precision;

INSERT INTO overview_days (story_id, actor_id, day_unix, when_precision, claims, contesting, others)
SELECT 0, actor_id, day_unix, when_precision, sum(claims), sum(contesting), sum(others) FROM overview_days
GROUP BY actor_id, day_unix, when_precision;
