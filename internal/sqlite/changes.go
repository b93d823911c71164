package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/timelinenews/timeline/internal/timeline"
)

// FindChanges returns the events matching f (its story, actors, role,
// kinds, dates and contested; not its paging or order) newest change
// first, up to limit of them from just older than the cursor (the newest
// when it is nil), each with its actors, sources and answers. The page's
// Earlier is the cursor of the next page, nil on the last. A cursor's Start
// is a change time in Unix seconds and its Slug the event's; the order is
// (changed, slug), both descending, which the changes indexes yield.
func (db *DB) FindChanges(ctx context.Context, f timeline.Filter, older *timeline.Cursor, limit int) (page *timeline.EventPage, err error) {
	limit = min(max(limit, 1), timeline.MaxFeedEntries)
	err = db.readView(ctx, f, "find changes", func(q *pageQuery) error {
		query, args := q.changesQuery(older, limit+1)
		var ids []int64
		var last timeline.Cursor
		more := false // one more was read than is shown: there is a next page
		err := eachRow(ctx, q.tx, query, args, func(rows *sql.Rows) error {
			var id int64
			var c timeline.Cursor
			if err := rows.Scan(&id, &c.Start, &c.Slug); err != nil {
				return err
			}
			if len(ids) == limit {
				more = true
				return nil
			}
			ids, last = append(ids, id), c
			return nil
		})
		if err != nil {
			return fmt.Errorf("find changes: %w", err)
		}
		page = &timeline.EventPage{}
		if page.Events, err = loadEvents(ctx, q.tx, ids); err != nil {
			return err
		}
		if more {
			page.Earlier = &last
		}
		return nil
	})
	return page, err
}

// changesQuery is the query of FindChanges: event id, change time and slug
// of up to limit events older than the cursor. It reads the changes index
// (the story's, for a story) newest first and tests each event against
// the rest of the filter, so that a rare filter reads more rows than it
// returns; the page is bounded by its limit. The + on the filter's columns
// keeps SQLite from reading their indexes instead, in time order, and then
// sorting every match by change.
func (q *pageQuery) changesQuery(older *timeline.Cursor, limit int) (string, []any) {
	var sb strings.Builder
	var args []any
	sb.WriteString("SELECT e.id, e.changed_unix, e.slug FROM events e WHERE 1")
	sb.WriteString(q.eventConds(&args))
	if q.search != nil {
		// The matches gathered once; the changes index keeps the order.
		sb.WriteString(" AND +e.id IN (SELECT rowid FROM event_search WHERE event_search MATCH ?)")
		args = append(args, q.search.match)
	}
	if older != nil {
		sb.WriteString(" AND (e.changed_unix, e.slug) < (?, ?)")
		args = append(args, older.Start, older.Slug)
	}
	sb.WriteString(" ORDER BY e.changed_unix DESC, e.slug DESC LIMIT ?")
	return sb.String(), append(args, limit)
}
