package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/timelinenews/timeline/internal/timeline"
)

// exportBatch is how many events Export loads per round of queries.
const exportBatch = 500

// Export reads the whole database as a dataset, in a stable order: actors
// and sources as first imported, events chronologically. Importing it into an
// empty database and exporting again gives the same dataset.
func (db *DB) Export(ctx context.Context) (*timeline.Dataset, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	defer tx.Rollback()
	ds := &timeline.Dataset{}
	if err := tx.QueryRowContext(ctx, `SELECT title, description FROM story WHERE id = 1`).Scan(&ds.Title, &ds.Description); err != nil {
		return nil, fmt.Errorf("export story: %w", err)
	}
	err = eachRow(ctx, tx, `SELECT `+actorColumns+` FROM actors a ORDER BY a.id`, nil, func(rows *sql.Rows) error {
		a, err := scanActor(rows, nil)
		ds.Actors = append(ds.Actors, a)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("export actors: %w", err)
	}
	err = eachRow(ctx, tx, `SELECT s.id, s.key, s.outlet, s.url, s.title, s.published, coalesce(v.key, '') FROM sources s LEFT JOIN sources v ON v.id = s.via_id ORDER BY s.id`, nil, func(rows *sql.Rows) error {
		var s timeline.Source
		err := rows.Scan(&s.ID, &s.Key, &s.Outlet, &s.URL, &s.Title, &s.Published, &s.Via)
		ds.Sources = append(ds.Sources, s)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("export sources: %w", err)
	}
	var ids []int64
	err = eachRow(ctx, tx, `SELECT id FROM events ORDER BY start_unix, id`, nil, func(rows *sql.Rows) error {
		var id int64
		ids = append(ids, id)
		return rows.Scan(&ids[len(ids)-1])
	})
	if err != nil {
		return nil, fmt.Errorf("export events: %w", err)
	}
	for start := 0; start < len(ids); start += exportBatch {
		batch, err := loadEvents(ctx, tx, ids[start:min(start+exportBatch, len(ids))])
		if err != nil {
			return nil, fmt.Errorf("export events: %w", err)
		}
		ds.Events = append(ds.Events, batch...)
	}
	return ds, nil
}
