package main

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/timelinenews/timeline/internal/fetch"
	"github.com/timelinenews/timeline/internal/follow"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/timeline"
)

// newFollower reads the configuration of followed sheets at path and
// returns the follower that keeps their stories, importing into db.
func newFollower(path string, db *sqlite.DB, logger *slog.Logger) (*follow.Follower, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("--follow: %w", err)
	}
	defer f.Close()
	sheets, err := follow.ReadConfig(f)
	if err != nil {
		return nil, fmt.Errorf("--follow %s: %w", path, err)
	}
	return follow.New(follow.Options{
		Sheets: sheets,
		Fetch:  fetch.New(fetch.Options{}),
		Import: importSheet(db),
		Logger: logger.With("component", "follow"),
	}), nil
}

// importSheet imports a followed sheet's body as timeline import imports a
// file: the format told from its content, into its story, in one
// transaction. A body that is the file of another story is refused (see
// sqlite.Importer.SetStory), so that a sheet changes only its own story.
func importSheet(db *sqlite.DB) follow.ImportFunc {
	return func(ctx context.Context, s follow.Sheet, body []byte) (follow.Changes, error) {
		opts := importOptions{storySlug: s.Story, allow: timeline.Allowance{Unsourced: s.AllowUnsourced, Unattributed: s.AllowUnattributed}}
		res, err := importWith(ctx, db, opts, func(im *sqlite.Importer) error {
			return scanFile(ctx, bytes.NewReader(body), "", im)
		})
		return follow.Changes{EventsChanged: res.EventsChanged, EventsSame: res.EventsSame, EventsWithdrawn: res.EventsWithdrawn, DataVersion: res.DataVersion}, err
	}
}
