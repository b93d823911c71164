package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/timelinenews/timeline/internal/timeline"
)

// exportBatch is how many events Export loads per round of queries.
const exportBatch = 500

// ExportSink receives a story's records in file order: the story first.
type ExportSink interface {
	Story(slug, title, description string) error
	Actor(timeline.Actor) error
	Source(timeline.Source) error
	Event(*timeline.Event) error
}

// FindStorySlugs returns the slug of every story, in slug order: what an
// export of the whole archive writes, one file each.
func (db *DB) FindStorySlugs(ctx context.Context) (_ []string, err error) {
	rd := db.reader(ctx)
	defer rd.done(&err)
	var slugs []string
	err = eachRow(ctx, rd, `SELECT slug FROM stories ORDER BY slug`, nil, func(rows *sql.Rows) error {
		var slug string
		err := rows.Scan(&slug)
		slugs = append(slugs, slug)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list stories: %w", err)
	}
	return slugs, nil
}

// Export reads one story into sink, in a stable order: the actors and
// sources its file listed, in that file's order, then its events
// chronologically and those at the same second as first imported, so that
// a cursor (which names an event by slug) finds the same place in a
// database built from the file. It reads one consistent snapshot, a batch
// of events at a time, so memory stays flat whatever the size. Importing
// the result into an empty database and exporting again gives the same
// records in the same order.
func (db *DB) Export(ctx context.Context, storySlug string, sink ExportSink) (err error) {
	rd := db.reader(ctx)
	defer rd.done(&err)
	tx, err := rd.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer tx.Rollback()
	var storyID int64
	var title, description string
	err = tx.QueryRowContext(ctx, `SELECT id, title, description FROM stories WHERE slug = ?`, storySlug).Scan(&storyID, &title, &description)
	if errors.Is(err, sql.ErrNoRows) {
		return timeline.Errorf(timeline.ENOTFOUND, "there is no story %q", storySlug)
	} else if err != nil {
		return fmt.Errorf("export story: %w", err)
	}
	if err := sink.Story(storySlug, title, description); err != nil {
		return err
	}
	err = eachRow(ctx, tx, `SELECT `+actorColumns+` FROM story_actors sa JOIN actors a ON a.id = sa.actor_id WHERE sa.story_id = ? ORDER BY sa.position`, []any{storyID}, func(rows *sql.Rows) error {
		a, err := scanActor(rows, nil)
		if err != nil {
			return err
		}
		return sink.Actor(a)
	})
	if err != nil {
		return fmt.Errorf("export actors: %w", err)
	}
	err = eachRow(ctx, tx, `SELECT s.id, s.key, s.outlet, s.url, s.title, s.published, coalesce(v.key, '') FROM story_sources ss JOIN sources s ON s.id = ss.source_id LEFT JOIN sources v ON v.id = s.via_id
		WHERE ss.story_id = ? ORDER BY ss.position`, []any{storyID}, func(rows *sql.Rows) error {
		var s timeline.Source
		if err := rows.Scan(&s.ID, &s.Key, &s.Outlet, &s.URL, &s.Title, &s.Published, &s.Via); err != nil {
			return err
		}
		return sink.Source(s)
	})
	if err != nil {
		return fmt.Errorf("export sources: %w", err)
	}
	// Page through the events with the timeline's own keyset query, so that
	// ties come in row id order: imported into an empty database, they get
	// ids in the same order, and a cursor finds the same place there.
	q := &pageQuery{tx: tx, storyID: storyID}
	var from *bound
	for {
		positions, err := q.fetch(ctx, from, true, exportBatch)
		if err != nil {
			return fmt.Errorf("export events: %w", err)
		}
		if len(positions) == 0 {
			return nil
		}
		from = &bound{position: positions[len(positions)-1]}
		ids := make([]int64, len(positions))
		for i, p := range positions {
			ids[i] = p.id
		}
		batch, err := loadEvents(ctx, tx, ids)
		if err != nil {
			return fmt.Errorf("export events: %w", err)
		}
		for i := range batch {
			if err := sink.Event(&batch[i]); err != nil {
				return err
			}
		}
	}
}
