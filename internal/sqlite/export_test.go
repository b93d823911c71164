package sqlite

import (
	"context"
	"database/sql"

	"github.com/timelinenews/timeline/internal/timeline"
)

// StoryMaxAge is how stale FindStory may be after another process's commit.
const StoryMaxAge = storyMaxAge

// WriteConn and ReadConn expose the pools to tests that check pragmas.
func WriteConn(db *DB) *sql.DB { return db.write }
func ReadConn(db *DB) *sql.DB  { return db.read }

// QueryPlans returns SQLite's plan for each query FindEvents runs for f:
// the page forward and backward from a cursor.
func QueryPlans(ctx context.Context, db *DB, f timeline.Filter) (map[string][]string, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q, err := newPageQuery(ctx, tx, f)
	if err != nil {
		return nil, err
	}
	plans := map[string][]string{}
	for _, forward := range []bool{true, false} {
		query, args := q.build(&timeline.Cursor{Start: 1_000_000_000, ID: 1}, forward, 101)
		plan, err := explain(ctx, tx, query, args)
		if err != nil {
			return nil, err
		}
		plans[query] = plan
	}
	return plans, nil
}

func explain(ctx context.Context, tx *sql.Tx, query string, args []any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, "EXPLAIN QUERY PLAN "+query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var id, parent, unused int
		var detail string
		if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
			return nil, err
		}
		plan = append(plan, detail)
	}
	return plan, rows.Err()
}
