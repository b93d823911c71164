package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mattn/go-sqlite3"

	"github.com/timelinenews/timeline/internal/timeline"
)

// searchPlan is how the page of a search in time order is read.
type searchPlan int

const (
	// searchDrives: the search index yields every match, and the matches
	// are sorted by time. For few matches.
	searchDrives searchPlan = iota + 1
	// searchListed: the matches are read once into a list, and the view's
	// index in time order drives, each row checked against the list. For
	// matches too many to sort but too few to find by lookups, a phrase of
	// common words among them; and for a prefix, which cannot be looked up.
	searchListed
	// searchLooksUp: the view's index in time order drives, and each row
	// is looked up in the search index by rowid, so that the scan stops at
	// the page. For many matches, a common word's million among them.
	searchLooksUp
)

// What each plan costs, in microseconds, measured on the million-event
// archive (README, "Search"): a plan's cost is its matches read and the
// rows of the time order it reads to fill a page.
const (
	wordMatchCost   = 0.1 // a match of words read from the search index
	phraseMatchCost = 0.7 // a match of a phrase, whose positions are compared
	sortMatchCost   = 1.0 // a match's event found and sorted by time
	listRowCost     = 0.2 // a row of the time order checked against the list
	lookupRowCost   = 20  // a row of the time order looked up by rowid
)

// A prefix spelled out as the words of the index it begins is looked up
// as a choice of words, which costs more at each lookup the more words:
// sixteen measured 3.3 times one word. A prefix of more words stays a
// prefix, read as a list of its matches.
const (
	maxSpelledWords   = 16
	spelledWordFactor = 0.15 // of lookupRowCost, for each word after the first
)

// matchProbe is how many matches are read to tell how dense they are.
const matchProbe = 2000

// forcedPlan, when not 0, is the plan of every search, for tests.
var forcedPlan searchPlan

// chooseSearchPlan is the cheapest plan for a page of limit from a view of
// events, for a search of matches in the archive, inView of them in the
// view, whose widest term is a choice of spelled words (1 for a word or a
// phrase). A prefix is never looked up: FTS5 merges the lists of every word
// it begins at each lookup, seconds for a page.
func chooseSearchPlan(matches, inView, events float64, limit int, phrase, prefix bool, spelled int) searchPlan {
	if forcedPlan != 0 {
		if forcedPlan == searchLooksUp && prefix {
			return searchListed
		}
		return forcedPlan
	}
	perMatch := wordMatchCost
	if phrase {
		perMatch = phraseMatchCost
	}
	rows := events // read to fill a page: all of the view when it holds fewer
	if inView > 0 {
		rows = min(events, float64(limit)*events/inView)
	}
	plan, cost := searchDrives, (perMatch+sortMatchCost)*matches
	if listed := perMatch*matches + listRowCost*rows; listed < cost {
		plan, cost = searchListed, listed
	}
	if lookedUp := lookupRowCost * (1 + spelledWordFactor*float64(max(1, spelled)-1)) * rows; lookedUp < cost && !prefix {
		plan = searchLooksUp
	}
	return plan
}

// eventSearch is a filter's search as the page query uses it.
type eventSearch struct {
	match string // the FTS5 query
	plan  searchPlan
}

// ftsQuery writes a search in FTS5's syntax, every word quoted so that no
// word of the reader's is read as syntax, and every operator written. A term spelled (by its index in
// s) is written as the choice of its words with each of the spelled words
// in place of its prefix.
func ftsQuery(s timeline.Search, spelled map[int][]string) string {
	quoted := func(words []string) string { return `"` + strings.Join(words, " ") + `"` } // words are letters and digits: no quote to escape
	var b strings.Builder
	for i, t := range s.Terms {
		if i > 0 {
			// AND is written out: FTS5 binds phrases side by side tighter
			// than NOT, and cannot join a choice in brackets so, where the
			// domain's AND is one operator below NOT.
			op := cmp.Or(t.Op, "AND")
			b.WriteString(" " + op + " ")
		}
		if words, ok := spelled[i]; ok {
			b.WriteByte('(')
			for j, w := range words {
				if j > 0 {
					b.WriteString(" OR ")
				}
				b.WriteString(quoted(append(slices.Clone(t.Words[:len(t.Words)-1]), w)))
			}
			b.WriteByte(')')
			continue
		}
		b.WriteString(quoted(t.Words))
		if t.Prefix {
			b.WriteByte('*')
		}
	}
	return b.String()
}

// spellPrefixes finds, for each prefix term of s, the words of the index
// that its prefix begins, where there are at most maxSpelledWords, so that
// the term can be looked up row by row as a choice of words. A prefix
// that is not ASCII is left to FTS5, whose tokenizer folds letters in ways
// a range of the vocabulary cannot; so is one that begins no word, which
// FTS5 answers at once. It returns the terms spelled, by index, and
// whether a prefix is left.
func spellPrefixes(ctx context.Context, tx querier, s timeline.Search) (map[int][]string, bool, error) {
	var spelled map[int][]string
	left := false
	for i, t := range s.Terms {
		if !t.Prefix {
			continue
		}
		prefix := t.Words[len(t.Words)-1]
		if !isASCII(prefix) {
			left = true
			continue
		}
		// Words are lowercase letters and digits: the words the prefix
		// begins sort from it to the prefix with its last byte raised.
		upper := prefix[:len(prefix)-1] + string(prefix[len(prefix)-1]+1)
		var words []string
		err := eachRow(ctx, tx, `SELECT term FROM event_search_vocab WHERE term >= ? AND term < ? LIMIT ?`, []any{prefix, upper, maxSpelledWords + 1}, func(rows *sql.Rows) error {
			var w string
			err := rows.Scan(&w)
			words = append(words, w)
			return err
		})
		if err != nil {
			return nil, false, fmt.Errorf("words beginning %q: %w", prefix, err)
		}
		if len(words) == 0 || len(words) > maxSpelledWords {
			left = true
			continue
		}
		if spelled == nil {
			spelled = map[int][]string{}
		}
		spelled[i] = words
	}
	return spelled, left, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// newEventSearch reads f's search, estimates its matches and chooses its
// plan; nil when f has none.
func newEventSearch(ctx context.Context, tx querier, f timeline.Filter, storyID int64) (*eventSearch, error) {
	s, err := timeline.ParseSearch(f.Query)
	if err != nil {
		return nil, err
	}
	if len(s.Terms) == 0 {
		return nil, nil
	}
	prefix := slices.ContainsFunc(s.Terms, func(t timeline.SearchTerm) bool { return t.Prefix })
	phrase := slices.ContainsFunc(s.Terms, func(t timeline.SearchTerm) bool { return len(t.Words) > 1 })
	var spelled map[int][]string
	if prefix && !f.Relevance { // the order by relevance reads every match anyway, and scores a prefix as one term
		if spelled, prefix, err = spellPrefixes(ctx, tx, s); err != nil {
			return nil, fmt.Errorf("search %q: %w", f.Query, err)
		}
	}
	widest := 1
	for _, words := range spelled {
		widest = max(widest, len(words))
	}
	es := &eventSearch{match: ftsQuery(s, spelled)}
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
	matches := float64(n)
	if n == matchProbe {
		matches = float64(n) * float64(archive) / float64(max(1, last))
	}
	inView := matches * float64(events) / float64(max(1, archive)) // the archive's density, in the view
	if f.Relevance && inView > timeline.MaxRankedMatches {
		e := timeline.Errorf(timeline.EINVALID, "The search matches too many events to rank them by relevance: add words or filters, or read its matches in time order.")
		e.Field, e.Value = "order", "relevance"
		return nil, e
	}
	es.plan = chooseSearchPlan(matches, inView, float64(events), pageSize(f), phrase, prefix, widest)
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
	b.WriteString(q.matchesBranch("e.sort_unix, e.id, event_search.rank", storyCond, &args))
	b.WriteString(q.disputeAndDates("e.in_dispute", "e.sort_unix", &args))
	if from != nil {
		b.WriteString(from.beyond(cmp, "event_search.rank", "e.id", from.rank, &args))
	}
	fmt.Fprintf(&b, " ORDER BY event_search.rank %s, e.id %s LIMIT ?", dir, dir)
	return b.String(), append(args, limit)
}
