package sqlite

import (
	"context"
	"fmt"

	"github.com/timelinenews/timeline/internal/timeline"
)

// A listing is read in chunks of ids (chunk n holds the rows whose id is
// in [n*size+1, (n+1)*size]), each one range scan of the table's primary
// key: no chunk holds more than size slugs, and no read holds the whole
// table. Ids freed by withdrawn events only leave a chunk shorter.

// listingTables are the tables of the listings, which of their rows are
// listed, and when each last changed: a story when the last of its events
// did (one read of the stories' changes index).
var listingTables = map[timeline.Listing]struct{ table, where, changed string }{
	timeline.ListingStories: {"stories", "event_count > 0", // a story with no events has no page worth listing
		"(SELECT max(e.changed_unix) FROM events e WHERE e.story_id = stories.id)"},
	timeline.ListingEvents: {"events", "1", "changed_unix"}, // withdrawn events have left the table
}

// FindListingChunks returns the numbers of a listing's non-empty chunks of
// size ids, in order: one scan of the primary key.
func (db *DB) FindListingChunks(ctx context.Context, l timeline.Listing, size int) (_ []int, err error) {
	t, ok := listingTables[l]
	if !ok || size < 1 {
		return nil, timeline.Errorf(timeline.EINVALID, "There is no listing %q of chunks of %d.", l, size)
	}
	rd := db.reader(ctx)
	defer rd.done(&err)
	rows, err := rd.QueryContext(ctx, `SELECT DISTINCT (id - 1) / ? FROM `+t.table+` WHERE `+t.where+` ORDER BY 1`, size)
	if err != nil {
		return nil, fmt.Errorf("find %s chunks: %w", l, err)
	}
	defer rows.Close()
	var chunks []int
	for rows.Next() {
		var n int
		if err := rows.Scan(&n); err != nil {
			return nil, fmt.Errorf("find %s chunks: %w", l, err)
		}
		chunks = append(chunks, n)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find %s chunks: %w", l, err)
	}
	return chunks, nil
}

// FindListed returns the pages of chunk n of a listing of chunks of size
// ids, in id order: at most size of them.
func (db *DB) FindListed(ctx context.Context, l timeline.Listing, n, size int) (_ []timeline.Listed, err error) {
	t, ok := listingTables[l]
	if !ok || size < 1 || n < 0 {
		return nil, timeline.Errorf(timeline.EINVALID, "There is no chunk %d of listing %q.", n, l)
	}
	rd := db.reader(ctx)
	defer rd.done(&err)
	first := int64(n)*int64(size) + 1
	rows, err := rd.QueryContext(ctx, `SELECT slug, coalesce(`+t.changed+`, 0) FROM `+t.table+` WHERE id BETWEEN ? AND ? AND `+t.where+` ORDER BY id`, first, first+int64(size)-1)
	if err != nil {
		return nil, fmt.Errorf("find %s chunk %d: %w", l, n, err)
	}
	defer rows.Close()
	listed := make([]timeline.Listed, 0, min(size, 1024))
	for rows.Next() {
		var p timeline.Listed
		var changed int64
		if err := rows.Scan(&p.Slug, &changed); err != nil {
			return nil, fmt.Errorf("find %s chunk %d: %w", l, n, err)
		}
		p.Changed = unixTime(changed)
		listed = append(listed, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find %s chunk %d: %w", l, n, err)
	}
	return listed, nil
}
