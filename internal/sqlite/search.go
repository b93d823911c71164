package sqlite

import (
	"context"
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
