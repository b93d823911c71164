package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/timelinenews/timeline/internal/timeline"
)

// MaxThread bounds how many events one exchange shows.
const MaxThread = 500

// FindThread returns the whole exchange an event belongs to: every event
// linked to it by answers, in either direction and at any depth, once each,
// in time order. Following links to events already reached is what ends a
// loop in the data.
func (db *DB) FindThread(ctx context.Context, slug string) (_ []timeline.Event, err error) {
	rd := db.reader(ctx)
	defer rd.done(&err)
	tx, err := rd.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("find thread: %w", err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM events WHERE slug = ?`, slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, findWithdrawn(ctx, tx, slug)
	} else if err != nil {
		return nil, fmt.Errorf("find thread %s: %w", slug, err)
	}
	var ids []int64
	err = eachRow(ctx, tx, `
		WITH RECURSIVE thread(id) AS (
			SELECT ?
			UNION
			SELECT r.to_event_id FROM answers r JOIN thread t ON r.from_event_id = t.id
			UNION
			SELECT r.from_event_id FROM answers r JOIN thread t ON r.to_event_id = t.id
			LIMIT ?
		)
		SELECT e.id FROM thread JOIN events e ON e.id = thread.id ORDER BY e.sort_unix, e.id`,
		[]any{id, MaxThread}, func(rows *sql.Rows) error {
			var id int64
			err := rows.Scan(&id)
			ids = append(ids, id)
			return err
		})
	if err != nil {
		return nil, fmt.Errorf("find thread %s: %w", slug, err)
	}
	return loadEvents(ctx, tx, ids)
}
