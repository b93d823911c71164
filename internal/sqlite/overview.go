package sqlite

import (
	"context"
	"database/sql"
	"fmt"
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
	first, last, ok, err := q.ends(ctx)
	if err != nil || !ok {
		return &timeline.Overview{}, err
	}
	period, buckets := timeline.OverviewBuckets(first, last)
	o, err := q.countInto(ctx, f, period, buckets)
	if err != nil {
		return nil, err
	}
	if q.f.From.IsZero() || q.f.To.IsZero() {
		o.TrimEmptyEnds()
	}
	longest := o.LongestSpread()
	if o.InBars() || longest == "" {
		return o, nil
	}
	return q.countInto(ctx, f, longest, timeline.PeriodsCovering(longest, first, last))
}

// countInto counts q's events into the periods buckets of p.
func (q *pageQuery) countInto(ctx context.Context, f timeline.Filter, p timeline.Period, buckets []timeline.Span) (*timeline.Overview, error) {
	o := &timeline.Overview{Period: p, Buckets: buckets}
	lanes := max(1, len(q.actorIDs))
	o.Lanes = make([]timeline.OverviewLane, lanes)
	for i := range o.Lanes {
		if len(f.Actors) > 0 {
			o.Lanes[i].Actor = f.Actors[i]
		}
		o.Lanes[i].Tallies = make([]timeline.Tally, len(o.Buckets))
	}
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
	first, last = time.Unix(head[0].start, 0).UTC(), time.Unix(tail[0].start, 0).UTC()
	if !q.f.From.IsZero() {
		first = q.f.From
	}
	if !q.f.To.IsZero() {
		last = q.f.To.Add(-time.Second)
	}
	return first, last, true, nil
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
	contests := "EXISTS (SELECT 1 FROM answers a WHERE a.from_event_id = e.id AND a.type IN " + contestingTypes() + ")"
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
		fmt.Fprintf(&sb, "SELECT %d, b.i, e.kind, %s, e.when_precision, min(e.sort_unix), count(*) FROM b JOIN event_actors ea ON ", lane, contests)
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
