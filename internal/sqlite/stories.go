package sqlite

import (
	"context"
	"fmt"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// FindStory returns the story's title, description and data version, as
// of at most storyMaxAge ago, or of this DB's last commit or reopen if that
// is newer.
func (db *DB) FindStory(ctx context.Context) (timeline.Story, error) {
	gen := db.storyGen.Load()
	if c := db.story.Load(); c != nil && c.gen == gen && time.Since(c.at) < storyMaxAge {
		return c.story, nil
	}
	at := time.Now()
	s, err := db.readStory(ctx)
	if err != nil {
		return s, err
	}
	db.story.Store(&cachedStory{story: s, at: at, gen: gen})
	return s, nil
}

// readStory reads the story, vouched for before FindStory keeps it.
func (db *DB) readStory(ctx context.Context) (s timeline.Story, err error) {
	rd := db.reader()
	defer rd.done(&err)
	err = rd.QueryRowContext(ctx, `SELECT title, description, data_version FROM story WHERE id = 1`).Scan(&s.Title, &s.Description, &s.DataVersion)
	if err != nil {
		return s, fmt.Errorf("find story: %w", err)
	}
	s.Reopens = rd.pool.n
	return s, nil
}

// storyMaxAge bounds how long FindStory answers from memory. Every page
// reads the story, whose data version names the page's ETag, so at tens of
// thousands of pages a second the query, not the page, was the cost (p99
// 20 ms at 64 connections for a page already rendered). A commit through
// this DB is seen at once; another process's, such as an import from the
// command line, at most this much later.
const storyMaxAge = 250 * time.Millisecond

type cachedStory struct {
	story timeline.Story
	at    time.Time
	gen   uint64
}
