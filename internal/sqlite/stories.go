package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// FindArchive returns the archive's data version, as of at most
// archiveMaxAge ago, or of this DB's last commit or reopen if that is
// newer. In BeginRead's context it is the snapshot's, read afresh.
func (db *DB) FindArchive(ctx context.Context) (timeline.Archive, error) {
	if db.snapshotOf(ctx) != nil {
		return db.readArchive(ctx)
	}
	gen := db.archiveGen.Load()
	if c := db.archive.Load(); c != nil && c.gen == gen && time.Since(c.at) < archiveMaxAge {
		return c.archive, nil
	}
	at := time.Now()
	a, err := db.readArchive(ctx)
	if err != nil {
		return a, err
	}
	db.archive.Store(&cachedArchive{archive: a, at: at, gen: gen})
	return a, nil
}

// readArchive reads the archive's state, vouched for before FindArchive
// keeps it.
func (db *DB) readArchive(ctx context.Context) (a timeline.Archive, err error) {
	rd := db.reader(ctx)
	defer rd.done(&err)
	err = rd.QueryRowContext(ctx, `SELECT data_version FROM story WHERE id = 1`).Scan(&a.DataVersion)
	if err != nil {
		return a, fmt.Errorf("find archive: %w", err)
	}
	a.Reopens = rd.pool.n
	return a, nil
}

// archiveMaxAge bounds how long FindArchive answers from memory. Every page
// reads the archive, whose data version names the page's ETag, so at tens
// of thousands of pages a second the query, not the page, was the cost (p99
// 20 ms at 64 connections for a page already rendered). A commit through
// this DB is seen at once; another process's, such as an import from the
// command line, at most this much later.
const archiveMaxAge = 250 * time.Millisecond

type cachedArchive struct {
	archive timeline.Archive
	at      time.Time
	gen     uint64
}

// storyColumns are the columns of stories (as s) that scanStory reads.
const storyColumns = `s.id, s.slug, s.title, s.description, s.updated_version, s.event_count, s.claim_count, s.first_when, s.first_zone, s.last_when, s.last_zone`

func scanStory(row interface{ Scan(...any) error }) (timeline.Story, error) {
	var st timeline.Story
	var firstWhen, firstZone, lastWhen, lastZone string
	if err := row.Scan(&st.ID, &st.Slug, &st.Title, &st.Description, &st.Updated, &st.EventCount, &st.ClaimCount, &firstWhen, &firstZone, &lastWhen, &lastZone); err != nil {
		return st, err
	}
	var err error
	if st.First, err = parseWhen(firstWhen, firstZone); err != nil {
		return st, fmt.Errorf("story %s: %w", st.Slug, err)
	}
	if st.Last, err = parseWhen(lastWhen, lastZone); err != nil {
		return st, fmt.Errorf("story %s: %w", st.Slug, err)
	}
	return st, nil
}

// FindStory returns the story with the slug.
func (db *DB) FindStory(ctx context.Context, slug string) (_ *timeline.Story, err error) {
	rd := db.reader(ctx)
	defer rd.done(&err)
	st, err := scanStory(rd.QueryRowContext(ctx, `SELECT `+storyColumns+` FROM stories s WHERE s.slug = ?`, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, timeline.Errorf(timeline.ENOTFOUND, "There is no story %q.", slug)
	} else if err != nil {
		return nil, fmt.Errorf("find story %s: %w", slug, err)
	}
	return &st, nil
}

// FindStories returns a page of stories, most recently updated first,
// after the cursor when it is given, each with its topActors busiest
// actors: one range scan of stories by update, then one short one of the
// story's actors by count for each.
func (db *DB) FindStories(ctx context.Context, older *timeline.Cursor, limit, topActors int) (_ *timeline.StoryPage, err error) {
	rd := db.reader(ctx)
	defer rd.done(&err)
	tx, err := rd.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("find stories: %w", err)
	}
	defer tx.Rollback()
	query, args := storiesQuery(older != nil), []any{}
	if older != nil {
		args = append(args, older.Start, older.Slug)
	}
	args = append(args, limit+1)
	page := &timeline.StoryPage{}
	err = eachRow(ctx, tx, query, args, func(rows *sql.Rows) error {
		st, err := scanStory(rows)
		page.Stories = append(page.Stories, st)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find stories: %w", err)
	}
	if len(page.Stories) > limit {
		page.Stories = page.Stories[:limit]
		c := timeline.StoryCursorOf(&page.Stories[limit-1])
		page.Older = &c
	}
	for i := range page.Stories {
		if page.Stories[i].TopActors, err = findStoryActors(ctx, tx, page.Stories[i].ID, "", topActors); err != nil {
			return nil, err
		}
	}
	return page, nil
}

// storiesQuery is the front page's list of stories, most recently updated
// first, from a cursor (update, slug) when paged; its last argument is the
// limit.
func storiesQuery(paged bool) string {
	query := `SELECT ` + storyColumns + ` FROM stories s`
	if paged {
		query += ` WHERE (s.updated_version, s.slug) < (?, ?)`
	}
	return query + ` ORDER BY s.updated_version DESC, s.slug DESC LIMIT ?`
}

// storyActorsQuery is a story's busiest actors (of one kind when byKind),
// taking the story's id, the kind, and the limit.
func storyActorsQuery(byKind bool) string {
	query := `SELECT a.id, a.slug, a.name, a.kind, a.country, a.description, sa.event_count FROM story_actors sa JOIN actors a ON a.id = sa.actor_id
		WHERE sa.story_id = ? AND sa.event_count > 0 ORDER BY sa.event_count DESC, sa.actor_id LIMIT ?`
	if byKind {
		query = `SELECT a.id, a.slug, a.name, a.kind, a.country, a.description, sa.event_count FROM story_actors sa JOIN actors a ON a.id = sa.actor_id
			WHERE sa.story_id = ? AND sa.kind = ? AND sa.event_count > 0 ORDER BY sa.event_count DESC, sa.actor_id LIMIT ?`
	}
	return query
}

// findStoryActors returns a story's busiest actors, of one kind unless
// kind is "", with their counts of events in the story.
func findStoryActors(ctx context.Context, q querier, storyID int64, kind timeline.ActorKind, limit int) ([]timeline.Actor, error) {
	query, args := storyActorsQuery(false), []any{storyID, limit}
	if kind != "" {
		query, args = storyActorsQuery(true), []any{storyID, string(kind), limit}
	}
	var actors []timeline.Actor
	err := eachRow(ctx, q, query, args, func(rows *sql.Rows) error {
		a, err := scanActor(rows, nil)
		actors = append(actors, a)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("find story actors: %w", err)
	}
	return actors, nil
}

// FindStoryTopActors returns, for each kind of actor, the perKind actors
// in most of the story's events, counted within the story: the story's
// filter form.
func (db *DB) FindStoryTopActors(ctx context.Context, storySlug string, perKind int) (_ []timeline.Actor, err error) {
	st, err := db.FindStory(ctx, storySlug) // before taking the readers: it takes them itself
	if err != nil {
		return nil, err
	}
	rd := db.reader(ctx)
	defer rd.done(&err)
	var actors []timeline.Actor
	for _, kind := range timeline.ActorKinds {
		some, err := findStoryActors(ctx, rd, st.ID, kind, perKind)
		if err != nil {
			return nil, err
		}
		actors = append(actors, some...)
	}
	return actors, nil
}
