package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"math"

	"github.com/timelinenews/timeline/internal/timeline"
)

// exportBatch is how many events Export loads per round of queries.
const exportBatch = 500

// ExportSink receives the database's records in file order.
type ExportSink interface {
	Story(title, description string) error
	Actor(timeline.Actor) error
	Source(timeline.Source) error
	Event(*timeline.Event) error
}

// Export reads the whole database into sink, in a stable order: actors and
// sources as first imported, events chronologically. It reads one
// consistent snapshot, a batch of events at a time, so memory stays flat
// whatever the size. Importing the result into an empty database and
// exporting again gives the same records in the same order.
func (db *DB) Export(ctx context.Context, sink ExportSink) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer tx.Rollback()
	var title, description string
	if err := tx.QueryRowContext(ctx, `SELECT title, description FROM story WHERE id = 1`).Scan(&title, &description); err != nil {
		return fmt.Errorf("export story: %w", err)
	}
	if err := sink.Story(title, description); err != nil {
		return err
	}
	err = eachRow(ctx, tx, `SELECT `+actorColumns+` FROM actors a ORDER BY a.id`, nil, func(rows *sql.Rows) error {
		a, err := scanActor(rows, nil)
		if err != nil {
			return err
		}
		return sink.Actor(a)
	})
	if err != nil {
		return fmt.Errorf("export actors: %w", err)
	}
	err = eachRow(ctx, tx, `SELECT s.id, s.key, s.outlet, s.url, s.title, s.published, coalesce(v.key, '') FROM sources s LEFT JOIN sources v ON v.id = s.via_id ORDER BY s.id`, nil, func(rows *sql.Rows) error {
		var s timeline.Source
		if err := rows.Scan(&s.ID, &s.Key, &s.Outlet, &s.URL, &s.Title, &s.Published, &s.Via); err != nil {
			return err
		}
		return sink.Source(s)
	})
	if err != nil {
		return fmt.Errorf("export sources: %w", err)
	}
	// Page through the events by keyset, as the timeline does.
	after := timeline.Cursor{Start: math.MinInt64}
	for {
		var ids []int64
		err := eachRow(ctx, tx, `SELECT sort_unix, id FROM events WHERE (sort_unix, id) > (?, ?) ORDER BY sort_unix, id LIMIT ?`,
			[]any{after.Start, after.ID, exportBatch}, func(rows *sql.Rows) error {
				if err := rows.Scan(&after.Start, &after.ID); err != nil {
					return err
				}
				ids = append(ids, after.ID)
				return nil
			})
		if err != nil {
			return fmt.Errorf("export events: %w", err)
		}
		if len(ids) == 0 {
			return nil
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
