package sqlite

import (
	"context"
	"database/sql"
	"fmt"

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
// sources as first imported, events chronologically and those at the same
// second as first imported, so that a cursor (which names an event by
// slug) finds the same place in a database built from the file. It reads one
// consistent snapshot, a batch of events at a time, so memory stays flat
// whatever the size. Importing the result into an empty database and
// exporting again gives the same records in the same order.
func (db *DB) Export(ctx context.Context, sink ExportSink) (err error) {
	rd := db.reader()
	defer rd.done(&err)
	tx, err := rd.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
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
	// Page through the events with the timeline's own keyset query, so that
	// ties come in row id order: imported into an empty database, they get
	// ids in the same order, and a cursor finds the same place there.
	q := &pageQuery{tx: tx}
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
