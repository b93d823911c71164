package sqlite

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// ArchiveMaxAge is how stale FindArchive may be after another process's commit.
const ArchiveMaxAge = archiveMaxAge

// ResolveQuery is the lookup of a cursor's event.
const ResolveQuery = resolveQuery

// ResolveRankedQuery is the lookup of a ranked cursor's event.
const ResolveRankedQuery = resolveRankedQuery

// WatchInterval is how often a read-only store looks at its file.
const WatchInterval = watchInterval

// WriteConn and ReadConn expose the pools to tests that check pragmas.
func WriteConn(db *DB) *sql.DB { return db.write }
func ReadConn(db *DB) *sql.DB  { return db.pool.db }

// QueryPlans returns SQLite's plan for each query FindEvents and
// FindAround run for f: the lookup of a cursor's event, and the page
// forward and backward from each kind of bound (none; beyond an event or
// at it; beyond a whole second or taking it in).
func QueryPlans(ctx context.Context, db *DB, f timeline.Filter) (map[string][]string, error) {
	tx, err := db.pool.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q, err := newPageQuery(ctx, tx, f)
	if err != nil {
		return nil, err
	}
	plans := map[string][]string{}
	at := position{start: 1_000_000_000, id: 1}
	bounds := []*bound{nil, {position: at}, {position: at, inclusive: true},
		{position: at, wholeSecond: true}, {position: at, wholeSecond: true, inclusive: true}}
	for _, from := range bounds {
		for _, forward := range []bool{true, false} {
			query, args := q.build(from, forward, 101)
			plan, err := explain(ctx, tx, query, args)
			if err != nil {
				return nil, err
			}
			plans[query] = plan
		}
	}
	plan, err := explain(ctx, tx, resolveQuery, []any{"e0001", at.start, "e0001", at.start})
	if err != nil {
		return nil, err
	}
	plans[resolveQuery] = plan
	if f.Relevance {
		if plans[resolveRankedQuery], err = explain(ctx, tx, resolveRankedQuery, []any{"e0001", "e0001"}); err != nil {
			return nil, err
		}
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

// StoryQueryPlans explains the queries of the front page's list of
// stories (first page and paged) and of a story's busiest actors (all and
// of one kind), by query.
func StoryQueryPlans(ctx context.Context, db *DB) (map[string][]string, error) {
	tx, err := db.pool.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	plans := map[string][]string{}
	for query, args := range map[string][]any{
		storiesQuery(false):     {51},
		storiesQuery(true):      {5, "a-story", 51},
		storyActorsQuery(false): {1, 4},
		storyActorsQuery(true):  {1, "person", 15},
	} {
		if plans[query], err = explain(ctx, tx, query, args); err != nil {
			return nil, err
		}
	}
	return plans, nil
}

// ChangesPlans returns the query plan of FindChanges for f, from its first
// page and from a cursor.
func ChangesPlans(ctx context.Context, db *DB, f timeline.Filter) (map[string][]string, error) {
	tx, err := db.pool.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	q, err := newPageQuery(ctx, tx, f)
	if err != nil {
		return nil, err
	}
	plans := map[string][]string{}
	for _, older := range []*timeline.Cursor{nil, {Start: 1_000_000_000, Slug: "e0001"}} {
		query, args := q.changesQuery(older, timeline.MaxFeedEntries+1)
		plan, err := explain(ctx, tx, query, args)
		if err != nil {
			return nil, err
		}
		plans[query] = plan
	}
	return plans, nil
}

// OverviewQueryPlan explains the overview's count query for f over a
// year of months: the sums of the figures kept at import where they
// answer f, else the count of the events.
func OverviewQueryPlan(ctx context.Context, db *DB, f timeline.Filter) (string, []string, error) {
	tx, err := db.pool.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return "", nil, err
	}
	defer tx.Rollback()
	q, err := newPageQuery(ctx, tx, f)
	if err != nil {
		return "", nil, err
	}
	_, buckets := timeline.OverviewBuckets(time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2020, 12, 31, 0, 0, 0, 0, time.UTC))
	query, args := q.countQuery(buckets)
	if q.answeredByDays(timeline.PeriodMonth) {
		query, args = q.dayCountQuery(buckets)
	}
	plan, err := explain(ctx, tx, query, args)
	return query, plan, err
}

// SearchPlan is how a search is read, for SetSearchPlan.
type SearchPlan = searchPlan

// The plans of a search.
const (
	SearchDrives  = searchDrives
	SearchListed  = searchListed
	SearchLooksUp = searchLooksUp
)

// SearchMatch is the FTS5 query f's search is read with.
func SearchMatch(ctx context.Context, db *DB, f timeline.Filter) (string, error) {
	es, err := newEventSearch(ctx, db.pool.db, f, 0)
	if err != nil || es == nil {
		return "", err
	}
	return es.match, nil
}

// SetSearchPlan makes, for one test, every search read by plan (see
// chooseSearchPlan); a prefix left unspelled is still never looked up.
func SetSearchPlan(tb interface{ Cleanup(func()) }, plan searchPlan) {
	was := forcedPlan
	forcedPlan = plan
	tb.Cleanup(func() { forcedPlan = was })
}

// CountOverviewFromEvents makes FindOverview count the events, not sum
// the figures kept at import, until the function it returns is called.
func CountOverviewFromEvents(tb interface{ Cleanup(func()) }) (restore func()) {
	was := overviewFigures
	overviewFigures = false
	restore = func() { overviewFigures = was }
	tb.Cleanup(restore)
	return restore
}

// OverviewFromFigures reports whether FindOverview sums the figures kept
// at import for f.
func OverviewFromFigures(ctx context.Context, tb testing.TB, db *DB, f timeline.Filter) bool {
	tb.Helper()
	tx, err := db.pool.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		tb.Fatal(err)
	}
	defer tx.Rollback()
	q, err := newPageQuery(ctx, tx, f)
	if err != nil {
		tb.Fatal(err)
	}
	first, last, ok, err := q.ends(ctx)
	if err != nil || !ok {
		tb.Fatalf("ends of %+v: %v, %v", f, ok, err)
	}
	period, _ := timeline.OverviewBuckets(first, last)
	return q.answeredByDays(period)
}
