package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// FindOverview counts the events f selects, whatever its page, in the
// periods of the time they cover (or of its date range, where it has
// both ends): one lane for the view, or one for each chosen actor. The
// ends come from two one-row index reads and the counts from one grouped
// query, all in one read transaction: the figures kept at import summed
// for each period and lane (see answeredByDays), or else one index range
// scan of the events per period and lane. A view without events has an
// overview without periods.
func (db *DB) FindOverview(ctx context.Context, f timeline.Filter) (_ *timeline.Overview, err error) {
	f.Earlier, f.Later, f.Desc, f.Relevance, f.Limit = nil, nil, false, false, 0
	var o *timeline.Overview
	err = db.readView(ctx, f, "find overview", func(q *pageQuery) (err error) {
		o, err = q.overview(ctx, f)
		return err
	})
	return o, err
}

// overview counts q's events by period and lane. Where its time runs
// from its events rather than a date range, periods at the ends that hold
// only events spread over a longer period are dropped; where no bar holds
// any event, the periods are those of the longest spread.
func (q *pageQuery) overview(ctx context.Context, f timeline.Filter) (*timeline.Overview, error) {
	var first, last time.Time
	var count func(p timeline.Period, buckets []timeline.Span) (*timeline.Overview, error)
	if q.search != nil {
		matches, tooMany, err := q.readMatches(ctx)
		ranged := !q.f.From.IsZero() && !q.f.To.IsZero()
		if err != nil || tooMany || (len(matches) == 0 && !ranged) {
			return &timeline.Overview{TooManyMatches: tooMany}, err
		}
		if len(matches) > 0 {
			first, last = time.Unix(matches[0].sort, 0).UTC(), time.Unix(matches[len(matches)-1].sort, 0).UTC()
		}
		first, last = q.rangeOr(first, last)
		count = func(p timeline.Period, buckets []timeline.Span) (*timeline.Overview, error) {
			return q.tallyMatches(f, p, buckets, matches)
		}
	} else {
		var ok bool
		var err error
		if first, last, ok, err = q.ends(ctx); err != nil || !ok {
			return &timeline.Overview{}, err
		}
		count = func(p timeline.Period, buckets []timeline.Span) (*timeline.Overview, error) {
			return q.countInto(ctx, f, p, buckets)
		}
	}
	period, buckets := timeline.OverviewBuckets(first, last)
	o, err := count(period, buckets)
	if err != nil {
		return nil, err
	}
	if q.f.From.IsZero() || q.f.To.IsZero() {
		o.TrimEmptyEnds()
	}
	if longest := o.LongestSpread(); !o.InBars() && longest != "" {
		if o, err = count(longest, timeline.PeriodsCovering(longest, first, last)); err != nil {
			return nil, err
		}
	}
	if o.Cut, err = q.countCut(ctx, f); err != nil {
		return nil, err
	}
	return o, nil
}

// countCut counts, lane by lane, the events of q's view without its dates
// that are known only to a period the dates cut (timeline.Filter.CutPeriods):
// left out of the view, though they may fall in its dates. They are what
// the count of that period in shorter ones spreads over it, from the
// figures where they answer; else from the events, where such an event
// sorts at the middle of its period (timeline.When.SortKey), shifted by
// its zone, so a month's or a year's are read from the day either side
// of the middle. A search is counted so only where its matches in the
// whole archive were few enough to read (matchIDs).
func (q *pageQuery) countCut(ctx context.Context, f timeline.Filter) ([]timeline.OverviewSpread, error) {
	if (q.f.From.IsZero() && q.f.To.IsZero()) || (q.search != nil && q.matched == "") {
		return nil, nil
	}
	undated := *q
	undated.f.From, undated.f.To = time.Time{}, time.Time{}
	var cut []timeline.OverviewSpread
	for _, p := range []timeline.Period{timeline.PeriodDay, timeline.PeriodMonth, timeline.PeriodYear} {
		shorter := timeline.PeriodDay
		if p == timeline.PeriodDay {
			shorter = timeline.PeriodHour
		}
		for _, s := range q.f.CutPeriods(p) {
			read := s
			if p != timeline.PeriodDay && !undated.answeredByDays(shorter) {
				middle := s.Start.Add(s.End.Sub(s.Start) / 2)
				read.Start, read.End = maxTime(s.Start, middle.Add(-24*time.Hour)), minTime(s.End, middle.Add(24*time.Hour))
			}
			o, err := undated.countInto(ctx, f, shorter, []timeline.Span{read})
			if err != nil {
				return nil, fmt.Errorf("count the events of %s, which the dates cut: %w", p, err)
			}
			for _, sp := range o.Spread {
				if sp.Period == p && sp.Span.Start.Equal(s.Start) {
					cut = append(cut, sp)
				}
			}
		}
	}
	slices.SortStableFunc(cut, func(a, b timeline.OverviewSpread) int { return a.Span.Start.Compare(b.Span.Start) })
	return cut, nil
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// newOverview is an overview of f's lanes in the periods buckets of p, with nothing counted.
func (q *pageQuery) newOverview(f timeline.Filter, p timeline.Period, buckets []timeline.Span) *timeline.Overview {
	o := &timeline.Overview{Period: p, Buckets: buckets}
	o.Lanes = make([]timeline.OverviewLane, max(1, len(q.actorIDs)))
	for i := range o.Lanes {
		if len(f.Actors) > 0 {
			o.Lanes[i].Actor = f.Actors[i]
		}
		o.Lanes[i].Tallies = make([]timeline.Tally, len(o.Buckets))
	}
	return o
}

// match is one event of a search's view, as its overview counts it.
type match struct {
	sort      int64
	kind      timeline.EventKind
	contests  bool
	precision timeline.Precision
	lanes     []int // of the chosen actors it has; none without a choice
}

// readMatches reads the events of q's search view in time order, or
// reports that there are too many to count. No figure or index counts
// words by period, so a search's overview counts its matches themselves,
// and never reads more than about timeline.MaxSearchOverview rows to find
// them: the matches in the whole archive, where they are that few, else
// the view's own events, where they are, else none (too many).
func (q *pageQuery) readMatches(ctx context.Context) (matches []match, tooMany bool, err error) {
	limit := timeline.MaxSearchOverview
	ids, err := q.matchIDs(ctx, limit)
	if err != nil || ids == nil {
		return nil, ids == nil && err == nil, err
	}
	if len(ids) == 0 {
		return nil, false, nil
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, false, err
	}
	at := make(map[int64]int, len(ids))
	matches = make([]match, 0, len(ids))
	err = eachRow(ctx, q.tx, `SELECT e.id, e.sort_unix, e.kind, `+contestsOther()+`, e.when_precision
		FROM json_each(?) AS w JOIN events e ON e.id = w.value ORDER BY e.sort_unix, e.id`, []any{string(list)}, func(rows *sql.Rows) error {
		var id int64
		var m match
		if err := rows.Scan(&id, &m.sort, &m.kind, &m.contests, &m.precision); err != nil {
			return err
		}
		at[id] = len(matches)
		matches = append(matches, m)
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("read the matches to count: %w", err)
	}
	if len(q.actorIDs) == 0 {
		return matches, false, nil
	}
	lane := make(map[int64]int, len(q.actorIDs))
	for i, id := range q.actorIDs {
		lane[id] = i
	}
	actors, err := json.Marshal(q.actorIDs)
	if err != nil {
		return nil, false, err
	}
	query := `SELECT DISTINCT ea.event_id, ea.actor_id FROM json_each(?) AS w JOIN event_actors ea ON ea.event_id = w.value
		WHERE ea.actor_id IN (SELECT value FROM json_each(?))`
	args := []any{string(list), string(actors)}
	if q.f.Role != "" {
		query += " AND ea.role = ?"
		args = append(args, string(q.f.Role))
	}
	err = eachRow(ctx, q.tx, query, args, func(rows *sql.Rows) error {
		var event, actor int64
		if err := rows.Scan(&event, &actor); err != nil {
			return err
		}
		m := &matches[at[event]]
		m.lanes = append(m.lanes, lane[actor])
		return nil
	})
	if err != nil {
		return nil, false, fmt.Errorf("read the actors of the matches to count: %w", err)
	}
	return matches, false, nil
}

// matchIDs is the ids of the events of q's search view, at most limit of
// them; nil, with no error, where there may be more. The matches in the
// whole archive are read from the search index where there are at most
// limit, and the view's other conditions kept; else the view's events
// are read in time order where there are at most limit, and those that
// match kept.
func (q *pageQuery) matchIDs(ctx context.Context, limit int) ([]int64, error) {
	readIDs := func(query string, args []any) ([]int64, error) {
		ids := []int64{}
		err := eachRow(ctx, q.tx, query, args, func(rows *sql.Rows) error {
			var id int64
			err := rows.Scan(&id)
			ids = append(ids, id)
			return err
		})
		if err != nil {
			return nil, searchErr(q.f.Query, err)
		}
		return ids, nil
	}
	all, err := readIDs(`SELECT rowid FROM event_search WHERE event_search MATCH ? LIMIT ?`, []any{q.search.match, limit + 1})
	if err != nil {
		return nil, err
	}
	if len(all) <= limit {
		list, err := json.Marshal(all)
		if err != nil {
			return nil, err
		}
		q.matched = string(list)
		args := []any{string(list)}
		return readIDs("SELECT e.id FROM json_each(?) AS w JOIN events e ON e.id = w.value WHERE 1"+q.eventConds(&args), args)
	}
	unsearched := *q
	unsearched.search = nil
	view, err := unsearched.fetch(ctx, nil, true, limit+1)
	if err != nil || len(view) > limit {
		return nil, err
	}
	ids := make([]int64, len(view))
	for i, p := range view {
		ids[i] = p.id
	}
	list, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	// Each looked up by rowid, as the time order's plan does: a list of
	// the matches would read every one of them.
	return readIDs(`SELECT w.value FROM json_each(?) AS w WHERE EXISTS (SELECT 1 FROM event_search WHERE event_search MATCH ? AND event_search.rowid = w.value)`, []any{string(list), q.search.match})
}

// tallyMatches counts matches into the periods buckets of p.
func (q *pageQuery) tallyMatches(f timeline.Filter, p timeline.Period, buckets []timeline.Span, matches []match) (*timeline.Overview, error) {
	o := q.newOverview(f, p, buckets)
	for _, m := range matches {
		at := time.Unix(m.sort, 0)
		bucket, ok := slices.BinarySearchFunc(buckets, at, func(b timeline.Span, t time.Time) int {
			switch {
			case t.Before(b.Start):
				return 1
			case t.Before(b.End):
				return 0
			}
			return -1
		})
		if !ok {
			return nil, fmt.Errorf("count a match of %s: in no period", at.UTC())
		}
		var t timeline.Tally
		t[timeline.ClassOf(m.kind, m.contests)] = 1
		lanes := m.lanes
		if len(q.actorIDs) == 0 {
			lanes = []int{0}
		}
		for _, lane := range lanes {
			o.Count(lane, bucket, m.precision, at, t)
		}
	}
	return o, nil
}

// countInto counts q's events into the periods buckets of p.
func (q *pageQuery) countInto(ctx context.Context, f timeline.Filter, p timeline.Period, buckets []timeline.Span) (*timeline.Overview, error) {
	o := q.newOverview(f, p, buckets)
	lanes := len(o.Lanes)
	inRange := func(lane, bucket int) error {
		if lane < 0 || lane >= lanes || bucket < 0 || bucket >= len(o.Buckets) {
			return fmt.Errorf("count in lane %d, period %d: out of range", lane, bucket)
		}
		return nil
	}
	if q.answeredByDays(o.Period) {
		query, args := q.dayCountQuery(o.Buckets)
		err := eachRow(ctx, q.tx, query, args, func(rows *sql.Rows) error {
			var lane, bucket int
			var precision timeline.Precision
			var day int64
			var t timeline.Tally
			if err := rows.Scan(&lane, &bucket, &precision, &day, &t[timeline.ClassClaim], &t[timeline.ClassContesting], &t[timeline.ClassOther]); err != nil {
				return err
			}
			if err := inRange(lane, bucket); err != nil {
				return err
			}
			o.Count(lane, bucket, precision, time.Unix(day, 0), t)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("sum the days of each period: %w", err)
		}
		return o, nil
	}
	query, args := q.countQuery(o.Buckets)
	err := eachRow(ctx, q.tx, query, args, func(rows *sql.Rows) error {
		var lane, bucket, n int
		var kind timeline.EventKind
		var contests bool
		var precision timeline.Precision
		var at int64
		if err := rows.Scan(&lane, &bucket, &kind, &contests, &precision, &at, &n); err != nil {
			return err
		}
		if err := inRange(lane, bucket); err != nil {
			return err
		}
		var t timeline.Tally
		t[timeline.ClassOf(kind, contests)] = n
		o.Count(lane, bucket, precision, time.Unix(at, 0), t)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count events by period: %w", err)
	}
	return o, nil
}

// ends is the time the overview of q's filter covers: its date range
// where it has both ends, else from its first event to its last, with the
// range's end where it has one. ok is false when no event matches.
func (q *pageQuery) ends(ctx context.Context) (first, last time.Time, ok bool, err error) {
	if !q.f.From.IsZero() && !q.f.To.IsZero() {
		return q.f.From, q.f.To.Add(-time.Second), true, nil
	}
	head, err := q.fetch(ctx, nil, true, 1)
	if err != nil || len(head) == 0 {
		return first, last, false, err
	}
	tail, err := q.fetch(ctx, nil, false, 1)
	if err != nil || len(tail) == 0 {
		return first, last, false, err
	}
	first, last = q.rangeOr(time.Unix(head[0].start, 0).UTC(), time.Unix(tail[0].start, 0).UTC())
	return first, last, true, nil
}

// rangeOr is the time from first to last, events' sort keys, with the
// ends of q's date range where it has them.
func (q *pageQuery) rangeOr(first, last time.Time) (time.Time, time.Time) {
	if !q.f.From.IsZero() {
		first = q.f.From
	}
	if !q.f.To.IsZero() {
		last = q.f.To.Add(-time.Second)
	}
	return first, last
}

// countQuery counts q's events by lane, period, kind, whether the event
// contests another and how precisely its time is known, with the first
// sort key of each count (the time Overview.Count spreads it from): the classes are the domain's (timeline.ClassOf), not
// restated here. The periods are a table of constant rows, so that each
// is one range scan of the index the page query uses.
func (q *pageQuery) countQuery(buckets []timeline.Span) (string, []any) {
	var sb strings.Builder
	args := make([]any, 0, 3*len(buckets)+8)
	sb.WriteString(periodsTable(buckets, &args))
	contests := contestsOther()
	where := func() string {
		var w strings.Builder
		if len(q.f.Kinds) > 0 {
			w.WriteString(" AND e.kind IN (" + placeholders(len(q.f.Kinds)) + ")")
			for _, k := range q.f.Kinds {
				args = append(args, string(k))
			}
		}
		// The periods may reach beyond the dates, and a date range
		// narrows events known less closely than its ends.
		w.WriteString(q.disputeAndDates("e.in_dispute", "e.sort_unix", &args))
		if q.search != nil {
			// Its matches, read before (countCut): a lookup of each event
			// in the search index costs more than reading a few thousand.
			w.WriteString(" AND e.id IN (SELECT value FROM json_each(?))")
			args = append(args, q.matched)
		}
		return w.String()
	}
	if len(q.actorIDs) == 0 {
		sb.WriteString("SELECT 0, b.i, e.kind, " + contests + ", e.when_precision, min(e.sort_unix), count(*) FROM b JOIN events e ON ")
		if q.storyID != 0 {
			sb.WriteString("e.story_id = ? AND ")
			args = append(args, q.storyID)
		}
		sb.WriteString("e.sort_unix >= b.lo AND e.sort_unix < b.hi WHERE 1")
		sb.WriteString(where())
		sb.WriteString(" GROUP BY 1, 2, 3, 4, 5")
		return sb.String(), args
	}
	for lane, actorID := range q.actorIDs {
		if lane > 0 {
			sb.WriteString("\nUNION ALL ")
		}
		// An event counts once in its actor's lane, in however many roles.
		fmt.Fprintf(&sb, "SELECT %d, b.i, e.kind, %s, e.when_precision, min(e.sort_unix), count(DISTINCT e.id) FROM b JOIN event_actors ea ON ", lane, contests)
		if q.storyID != 0 {
			sb.WriteString("ea.story_id = ? AND ")
			args = append(args, q.storyID)
		}
		sb.WriteString("ea.actor_id = ?")
		args = append(args, actorID)
		if q.f.Role != "" {
			sb.WriteString(" AND ea.role = ?")
			args = append(args, string(q.f.Role))
		}
		sb.WriteString(" AND ea.sort_unix >= b.lo AND ea.sort_unix < b.hi JOIN events e ON e.id = ea.event_id WHERE 1")
		sb.WriteString(where())
		sb.WriteString(" GROUP BY 1, 2, 3, 4, 5")
	}
	return sb.String(), args
}

// periodsTable writes the periods as a table of constant rows, b(i, lo,
// hi): each period's index and its ends in Unix seconds, so that a count
// joins each period as one range of an index.
func periodsTable(buckets []timeline.Span, args *[]any) string {
	var sb strings.Builder
	sb.WriteString("WITH b(i, lo, hi) AS (VALUES ")
	for i, s := range buckets {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?, ?)")
		*args = append(*args, i, s.Start.Unix(), s.End.Unix())
	}
	sb.WriteString(")\n")
	return sb.String()
}
