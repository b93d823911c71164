package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/mattn/go-sqlite3"

	"github.com/timelinenews/timeline/internal/timeline"
)

// sparseMatches is the most matches of a search for which a page is read
// from the search index and sorted by time; a search that matches more
// pages through the time order instead, keeping the events it matches.
// Below it, sorting the matches is cheaper than walking the timeline to
// find the few; above it, matches are dense enough that a page is found
// after reading a few thousand events of the timeline.
var sparseMatches = 2000

// eventSearch is a filter's search as the page query uses it.
type eventSearch struct {
	match string // the FTS5 query
	// sparse: the search matches fewer than sparseMatches events, and
	// drives the page query from the search index.
	sparse bool
}

// ftsQuery writes a search in FTS5's syntax, every word quoted so that no
// word of the reader's is read as syntax.
func ftsQuery(s timeline.Search) string {
	var b strings.Builder
	for i, t := range s.Terms {
		if i > 0 {
			b.WriteByte(' ')
			if t.Op != "" {
				b.WriteString(t.Op + " ")
			}
		}
		b.WriteString(`"` + strings.Join(t.Words, " ") + `"`) // words are letters and digits: no quote to escape
		if t.Prefix {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// newEventSearch reads f's search and counts its matches, up to
// sparseMatches; nil when f has none.
func newEventSearch(ctx context.Context, tx querier, f timeline.Filter) (*eventSearch, error) {
	s, err := timeline.ParseSearch(f.Query)
	if err != nil {
		return nil, err
	}
	if len(s.Terms) == 0 {
		return nil, nil
	}
	es := &eventSearch{match: ftsQuery(s)}
	var n int
	err = tx.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM event_search WHERE event_search MATCH ? LIMIT ?)`, es.match, sparseMatches).Scan(&n)
	if err != nil {
		return nil, searchErr(f.Query, err)
	}
	es.sparse = n < sparseMatches
	return es, nil
}

// searchErr is EINVALID when FTS5 could not read the query, which the
// domain's reading should have refused first; err wrapped otherwise.
// FTS5 says so only in its message, under SQLite's generic error code.
func searchErr(q string, err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrError && strings.HasPrefix(se.Error(), "fts5:") {
		e := timeline.Errorf(timeline.EINVALID, "The search cannot be read (%s): search the words alone.", se.Error())
		e.Field, e.Value = "q", q
		return e
	}
	return fmt.Errorf("search %q: %w", q, err)
}

// resolveRankedQuery finds the event a cursor in the order by relevance
// names, by its slug or a former one.
const resolveRankedQuery = `SELECT e.id FROM events e WHERE e.slug = ?
	UNION ALL
	SELECT r.event_id FROM event_redirects r WHERE r.slug = ?
	LIMIT 1`

// resolveRanked turns a cursor in the order by relevance into the bound
// just beyond its event, or, when it names none, into one that takes in
// every event of its rank.
func (q *pageQuery) resolveRanked(ctx context.Context, c timeline.Cursor) (*bound, error) {
	b := &bound{position: position{rank: c.Rank}}
	err := q.tx.QueryRowContext(ctx, resolveRankedQuery, c.Slug, c.Slug).Scan(&b.id)
	if errors.Is(err, sql.ErrNoRows) {
		b.wholeSecond, b.inclusive = true, true
	} else if err != nil {
		return nil, fmt.Errorf("find event %s: %w", c.Slug, err)
	}
	return b, nil
}

// buildRanked writes the keyset query in the order by relevance: FTS5's
// rank (bm25, lower is better), then row id. FTS5 scores every match to
// find the best, so the rows read are the search's matches, not a page.
func (q *pageQuery) buildRanked(from *bound, forward bool, limit int) (string, []any) {
	cmp, dir := ">", "ASC"
	if !forward {
		cmp, dir = "<", "DESC"
	}
	var args []any
	storyCond := ""
	if q.storyID != 0 {
		storyCond = " AND e.story_id = ?"
		args = append(args, q.storyID)
	}
	var b strings.Builder
	b.WriteString(q.sparseBranch("e.sort_unix, e.id, event_search.rank", storyCond, &args))
	if q.f.Contested {
		b.WriteString(" AND e.in_dispute = 1")
	}
	if !q.f.From.IsZero() {
		b.WriteString(" AND e.sort_unix >= ?")
		args = append(args, q.f.From.Unix())
	}
	if !q.f.To.IsZero() {
		b.WriteString(" AND e.sort_unix < ?")
		args = append(args, q.f.To.Unix())
	}
	if from != nil {
		op := cmp
		if from.inclusive {
			op += "="
		}
		if from.wholeSecond {
			fmt.Fprintf(&b, " AND event_search.rank %s ?", op)
			args = append(args, from.rank)
		} else {
			fmt.Fprintf(&b, " AND (event_search.rank, e.id) %s (?, ?)", op)
			args = append(args, from.rank, from.id)
		}
	}
	fmt.Fprintf(&b, " ORDER BY event_search.rank %s, e.id %s LIMIT ?", dir, dir)
	return b.String(), append(args, limit)
}
