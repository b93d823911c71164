package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/mattn/go-sqlite3"

	"github.com/timelinenews/timeline/internal/timeline"
)

// A search is read one of two ways. With few matches, the search index
// drives: every match is read and sorted by time (about 1 µs a match at
// a million events). With many, the time order drives, and each row it
// reads is looked up in the search index by rowid (about 20 µs a row),
// which fills a page after about limit×events/matches rows. The search
// index is cheaper below sqrt(20×limit×events) matches: 45,000 for a
// page of 100 at a million events, 300 in a story of 500.
const (
	lookupCostRatio  = 20
	minSparseMatches = 200
	maxSparseMatches = 50000
)

// matchProbe is how many matches are read to tell how dense they are.
const matchProbe = 2000

// sparseMatches, when above 0, is a fixed threshold instead, for tests.
var sparseMatches = 0

// sparseLimit is the most matches for which the search index drives a
// page of limit from a view of events.
func sparseLimit(events, limit int) int {
	if sparseMatches > 0 {
		return sparseMatches
	}
	n := int(math.Sqrt(lookupCostRatio * float64(limit) * float64(events)))
	return min(maxSparseMatches, max(minSparseMatches, n))
}

// eventSearch is a filter's search as the page query uses it.
type eventSearch struct {
	match string // the FTS5 query
	// sparse: the search matches fewer than its sparse limit of events, and
	// drives the page query from the search index.
	sparse bool
	// prefix: a term of the search is a prefix, which FTS5 reads by
	// merging the lists of all the words it begins.
	prefix bool
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

// newEventSearch reads f's search and counts its matches, up to the
// sparse limit of its view of events; nil when f has none.
func newEventSearch(ctx context.Context, tx querier, f timeline.Filter, storyID int64) (*eventSearch, error) {
	s, err := timeline.ParseSearch(f.Query)
	if err != nil {
		return nil, err
	}
	if len(s.Terms) == 0 {
		return nil, nil
	}
	es := &eventSearch{match: ftsQuery(s), prefix: slices.ContainsFunc(s.Terms, func(t timeline.SearchTerm) bool { return t.Prefix })}
	// The archive's size is its highest row id, one index read
	// (withdrawn events leave it above the count); a story's, its count.
	var archive, events int
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM events`).Scan(&archive); err != nil {
		return nil, fmt.Errorf("search %q: size of the archive: %w", f.Query, err)
	}
	events = archive
	if storyID != 0 {
		if err := tx.QueryRowContext(ctx, `SELECT event_count FROM stories WHERE id = ?`, storyID).Scan(&events); err != nil {
			return nil, fmt.Errorf("search %q: size of the story: %w", f.Query, err)
		}
	}
	// The first matchProbe matches, in row id order, tell how dense the
	// matches are: all of them when fewer, else how far into the row ids
	// the last one lies. Counting further would cost as much as reading
	// them, a phrase's most of all.
	var n, last int
	err = tx.QueryRowContext(ctx, `SELECT count(*), coalesce(max(rowid), 0) FROM (SELECT rowid FROM event_search WHERE event_search MATCH ? LIMIT ?)`, es.match, matchProbe).Scan(&n, &last)
	if err != nil {
		return nil, searchErr(f.Query, err)
	}
	inView := float64(n) * float64(events) / float64(max(1, archive)) // the archive's density, in the view
	if n == matchProbe {
		inView = float64(n) * float64(events) / float64(max(1, last))
	}
	es.sparse = inView < float64(sparseLimit(events, pageSize(f)))
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
