package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/timelinenews/timeline/internal/timeline"
)

// FindEvents returns one page of events matching f, each with its actors,
// sources and answers, in a fixed number of queries whatever the page size,
// all in one read transaction.
//
// A cursor names its event by slug (or a former slug), which is looked up
// at the cursor's second. A cursor that names no event there, because the
// event has gone or moved in time, or because the link is older than
// cursors with slugs, stands for its whole second: the page takes in every
// event at that second, so that it may repeat events the page before it
// showed but never skips one.
func (db *DB) FindEvents(ctx context.Context, f timeline.Filter) (page *timeline.EventPage, err error) {
	err = db.readView(ctx, f, "find events", func(q *pageQuery) error {
		forward := f.Later != nil || (f.Earlier == nil && !f.Desc)
		c := f.Later
		if !forward {
			c = f.Earlier
		}
		var from *bound
		if c != nil {
			if from, err = q.resolve(ctx, *c); err != nil {
				return err
			}
		}
		page, err = q.page(ctx, from, forward, pageSize(f))
		return err
	})
	return page, err
}

// readView calls read with the keyset query of f, valid, in one read
// transaction: what every reader of a filtered view begins with.
func (db *DB) readView(ctx context.Context, f timeline.Filter, what string, read func(q *pageQuery) error) (err error) {
	if err := f.Validate(); err != nil {
		return err
	}
	rd := db.reader(ctx)
	defer rd.done(&err)
	tx, err := rd.BeginTx(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	defer tx.Rollback()
	q, err := newPageQuery(ctx, tx, f)
	if err != nil {
		return err
	}
	return read(q)
}

// FindAround returns the page of events matching f that holds the event at
// position c, starting a few events before it so the reader has context.
// It reads in one transaction; f's own cursors are not used.
func (db *DB) FindAround(ctx context.Context, f timeline.Filter, c timeline.Cursor) (page *timeline.EventPage, err error) {
	if f.Relevance {
		return nil, timeline.Errorf(timeline.EINVALID, "An event's place is in time, not in the order by relevance: see it in time order.")
	}
	limit := pageSize(f)
	lead := max(1, limit/10)
	err = db.readView(ctx, f, "find around", func(q *pageQuery) error {
		at, err := q.resolve(ctx, c)
		if err != nil {
			return err
		}
		// The page starts lead events before the event (or before the second,
		// when the cursor names none in it), or at the start of the timeline
		// when there are fewer.
		take := lead + 1 // the event and those before it
		at.inclusive = true
		if at.wholeSecond {
			take, at.inclusive = lead, false
		}
		back, err := q.fetch(ctx, at, false, take)
		if err != nil {
			return err
		}
		var from *bound
		if len(back) == take {
			from = &bound{position: back[take-1], inclusive: true}
		}
		page, err = q.page(ctx, from, true, limit)
		return err
	})
	return page, err
}

// pageSize is how many events a page of f holds.
func pageSize(f timeline.Filter) int {
	if f.Limit == 0 {
		return timeline.MaxPageSize
	}
	return f.Limit
}

// position is an event's place in the order the timeline is read in: by
// sort key (or, in the order by relevance, by rank), then by row id.
// Cursors carry slugs instead of ids, which a rebuilt database assigns
// anew; a position lives in one transaction.
type position struct {
	start, id int64
	rank      float64 // in the order by relevance
}

// bound is where a scan of the timeline starts: just beyond a position,
// or at it when inclusive. A bound that knows the second (or rank) but no
// event there starts beyond all of it, or takes it in when inclusive.
type bound struct {
	position
	inclusive   bool
	wholeSecond bool // id is not known, and not read
}

// beyond writes the condition of the rows past b in the direction cmp
// ("<" or ">"), on the columns of the order's key and of the id, with
// key b's value of it: the key alone where b's id is not known.
func (b *bound) beyond(cmp, keyCol, idCol string, key any, args *[]any) string {
	op := cmp
	if b.inclusive {
		op += "="
	}
	if b.wholeSecond {
		*args = append(*args, key)
		return fmt.Sprintf(" AND %s %s ?", keyCol, op)
	}
	*args = append(*args, key, b.id)
	return fmt.Sprintf(" AND (%s, %s) %s (?, ?)", keyCol, idCol, op)
}

// disputeAndDates writes the conditions of q's filter on whether an event
// is in dispute and on its dates, on the columns named: every list's, the
// feeds' included (which name them with a unary + so that no index of
// theirs drives the scan).
func (q *pageQuery) disputeAndDates(disputeCol, startCol string, args *[]any) string {
	var sb strings.Builder
	if q.f.Contested {
		sb.WriteString(" AND " + disputeCol + " = 1")
	}
	if !q.f.From.IsZero() {
		sb.WriteString(" AND " + startCol + " >= ?")
		*args = append(*args, q.f.From.Unix())
	}
	if !q.f.To.IsZero() {
		sb.WriteString(" AND " + startCol + " < ?")
		*args = append(*args, q.f.To.Unix())
	}
	sb.WriteString(q.datesByPrecision("e.when_precision", startCol, coarsePrecisions, args))
	return sb.String()
}

// eventConds writes the conditions of q's filter, but its search, on the
// events e that another table drives (a list of ids, the changes index):
// its story, kinds, dispute, dates and actors, the kind, dispute and
// sort key with a unary + so that no index of theirs drives the scan.
func (q *pageQuery) eventConds(args *[]any) string {
	var sb strings.Builder
	if q.storyID != 0 {
		sb.WriteString(" AND e.story_id = ?")
		*args = append(*args, q.storyID)
	}
	if len(q.f.Kinds) > 0 {
		sb.WriteString(" AND +e.kind IN (" + placeholders(len(q.f.Kinds)) + ")")
		for _, k := range q.f.Kinds {
			*args = append(*args, string(k))
		}
	}
	sb.WriteString(q.disputeAndDates("+e.in_dispute", "+e.sort_unix", args))
	sb.WriteString(q.actorsCond(args))
	return sb.String()
}

// coarsePrecisions are the precisions of the times that a date range
// narrows beyond its own ends (timeline.Filter.SortKeys): those known to
// a part of a day or less closely.
var coarsePrecisions = []timeline.Precision{timeline.PrecisionPartOfDay, timeline.PrecisionDay, timeline.PrecisionMonth, timeline.PrecisionYear}

// datesByPrecision writes the condition that an event of one of
// precisions falls in q's dates as far as its time is known
// (timeline.Filter.SortKeys), on the columns named: one dated "May 2023"
// is in no day's list. The range of the key column itself, From to To,
// is the caller's to write, so that an index of it drives the scan.
func (q *pageQuery) datesByPrecision(precisionCol, keyCol string, precisions []timeline.Precision, args *[]any) string {
	var sb strings.Builder
	for _, pr := range precisions {
		s, ok := q.f.SortKeys(pr)
		if ok && s.Start.Equal(q.f.From) && s.End.Equal(q.f.To) {
			continue
		}
		if sb.Len() == 0 {
			sb.WriteString(" AND CASE " + precisionCol)
		}
		sb.WriteString(" WHEN ? THEN ")
		*args = append(*args, string(pr))
		var conds []string
		if !ok {
			conds = append(conds, "0")
		}
		if ok && !s.Start.IsZero() {
			conds = append(conds, keyCol+" >= ?")
			*args = append(*args, s.Start.Unix())
		}
		if ok && !s.End.IsZero() {
			conds = append(conds, keyCol+" < ?")
			*args = append(*args, s.End.Unix())
		}
		sb.WriteString("(" + strings.Join(conds, " AND ") + ")")
	}
	if sb.Len() > 0 {
		sb.WriteString(" ELSE 1 END")
	}
	return sb.String()
}

// pageQuery builds the keyset query for one filter.
type pageQuery struct {
	tx readTx
	f  timeline.Filter
	// actorIDs are the filter's actors, resolved; each gets its own index
	// range scan so that the order comes from the index, not a sort.
	actorIDs []int64
	// storyID is the filter's story, resolved; 0 for the whole archive.
	storyID int64
	search  *eventSearch // nil without one
	// matched is the search's matches in the whole archive as a JSON list
	// of ids, where the overview has read them (matchIDs): the only form in
	// which it counts a search by period (countQuery).
	matched string
}

func newPageQuery(ctx context.Context, tx readTx, f timeline.Filter) (*pageQuery, error) {
	q := &pageQuery{tx: tx, f: f}
	if f.Story != "" {
		err := tx.QueryRowContext(ctx, `SELECT id FROM stories WHERE slug = ?`, f.Story).Scan(&q.storyID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, timeline.Errorf(timeline.ENOTFOUND, "There is no story %q.", f.Story)
		} else if err != nil {
			return nil, fmt.Errorf("find story %s: %w", f.Story, err)
		}
	}
	for _, slug := range f.Actors {
		var id int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM actors WHERE slug = ?`, slug).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, timeline.Errorf(timeline.EINVALID, "unknown actor %q", slug)
		} else if err != nil {
			return nil, fmt.Errorf("find actor %s: %w", slug, err)
		}
		if !slices.Contains(q.actorIDs, id) {
			q.actorIDs = append(q.actorIDs, id)
		}
	}
	var err error
	if q.search, err = newEventSearch(ctx, tx, f, q.storyID); err != nil {
		return nil, err
	}
	return q, nil
}

// resolveQuery finds the event a cursor names at its second, by its slug
// or a former one.
const resolveQuery = `SELECT e.id FROM events e WHERE e.slug = ? AND e.sort_unix = ?
	UNION ALL
	SELECT e.id FROM event_redirects r JOIN events e ON e.id = r.event_id WHERE r.slug = ? AND e.sort_unix = ?
	LIMIT 1`

// resolve turns a cursor into the bound just beyond its event, or, when it
// names no event at its second, into one that takes in that whole second
// (see FindEvents).
func (q *pageQuery) resolve(ctx context.Context, c timeline.Cursor) (*bound, error) {
	if c.Ranked {
		return q.resolveRanked(ctx, c)
	}
	b := &bound{position: position{start: c.Start}}
	err := q.tx.QueryRowContext(ctx, resolveQuery, c.Slug, c.Start, c.Slug, c.Start).Scan(&b.id)
	if errors.Is(err, sql.ErrNoRows) {
		b.wholeSecond, b.inclusive = true, true
	} else if err != nil {
		return nil, fmt.Errorf("find event %s at %d: %w", c.Slug, c.Start, err)
	}
	return b, nil
}

// page reads up to limit events from the bound, or from an end of the
// timeline when it is nil, in the direction given, with the cursors of the
// pages either side: the page in display order.
func (q *pageQuery) page(ctx context.Context, from *bound, forward bool, limit int) (*timeline.EventPage, error) {
	// One more than a page, nearest the bound first, tells whether a
	// further page exists in that direction.
	positions, err := q.fetch(ctx, from, forward, limit+1)
	if err != nil {
		return nil, err
	}
	more := len(positions) > limit
	positions = positions[:min(len(positions), limit)]
	if !forward {
		slices.Reverse(positions)
	}
	ids := make([]int64, len(positions))
	for i, p := range positions {
		ids[i] = p.id
	}
	events, err := loadEvents(ctx, q.tx, ids)
	if err != nil {
		return nil, err
	}
	if len(events) != len(positions) {
		return nil, fmt.Errorf("find events: loaded %d of %d events", len(events), len(positions))
	}
	page := &timeline.EventPage{Events: events}
	if n := len(positions); n > 0 {
		first, last := q.cursorAt(positions[0], events[0].Slug), q.cursorAt(positions[n-1], events[n-1].Slug)
		// The page the bound came from lies behind it; from an end of the
		// timeline, nothing does.
		behind := false
		if from != nil {
			edge := positions[0]
			if !forward {
				edge = positions[n-1]
			}
			back, err := q.fetch(ctx, &bound{position: edge}, !forward, 1)
			if err != nil {
				return nil, err
			}
			behind = len(back) > 0
		}
		if forward {
			page.Later, page.Earlier = cursorIf(more, last), cursorIf(behind, first)
		} else {
			page.Earlier, page.Later = cursorIf(more, first), cursorIf(behind, last)
		}
	}
	if q.f.Desc {
		slices.Reverse(page.Events)
	}
	return page, nil
}

// cursorAt is the cursor of the event at p, in the order of q's filter.
func (q *pageQuery) cursorAt(p position, slug string) *timeline.Cursor {
	if q.f.Relevance {
		return &timeline.Cursor{Ranked: true, Rank: p.rank, Slug: slug}
	}
	return &timeline.Cursor{Start: p.start, Slug: slug}
}

func cursorIf(ok bool, c *timeline.Cursor) *timeline.Cursor {
	if !ok {
		return nil
	}
	return c
}

// fetch returns up to limit event positions from the bound, or from an
// end of the timeline when it is nil, forward or backward, nearest first.
func (q *pageQuery) fetch(ctx context.Context, from *bound, forward bool, limit int) ([]position, error) {
	query, args := q.build(from, forward, limit)
	var out []position
	err := eachRow(ctx, q.tx, query, args, func(rows *sql.Rows) error {
		var p position
		err := rows.Scan(&p.start, &p.id, &p.rank)
		out = append(out, p)
		return err
	})
	if err != nil && q.search != nil {
		return nil, searchErr(q.f.Query, err)
	} else if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	return out, nil
}

// build writes the keyset query for fetch: rows of sort key, id and rank
// (0 but in the order by relevance).
func (q *pageQuery) build(from *bound, forward bool, limit int) (string, []any) {
	if q.f.Relevance {
		return q.buildRanked(from, forward, limit)
	}
	return q.buildTimed(from, forward, limit)
}

// buildTimed writes the keyset query in time order.
func (q *pageQuery) buildTimed(from *bound, forward bool, limit int) (string, []any) {
	cmp, dir := ">", "ASC"
	if !forward {
		cmp, dir = "<", "DESC"
	}
	var args []any
	// conds are the conditions every branch shares, on its start and id columns.
	conds := func(startCol, idCol string) string {
		var sb strings.Builder
		switch {
		case q.search != nil && q.search.plan == searchLooksUp:
			// The index in time order drives the scan, and each row it
			// yields is looked up in the search index by rowid, so that the
			// scan stops at the page: an IN list of the matches would
			// first read every one of them, a million for a common word.
			sb.WriteString(" AND EXISTS (SELECT 1 FROM event_search WHERE event_search MATCH ? AND event_search.rowid = " + idCol + ")")
			args = append(args, q.search.match)
		case q.search != nil && q.search.plan == searchListed:
			// The matches are read once into a list, and each row of the
			// time order is checked against it. The unary + keeps the
			// matches from driving the scan.
			sb.WriteString(" AND +" + idCol + " IN (SELECT rowid FROM event_search WHERE event_search MATCH ?)")
			args = append(args, q.search.match)
		}
		sb.WriteString(q.disputeAndDates("e.in_dispute", startCol, &args))
		if from != nil {
			sb.WriteString(from.beyond(cmp, startCol, idCol, from.start, &args))
		}
		fmt.Fprintf(&sb, " ORDER BY %s %s, %s %s LIMIT ?", startCol, dir, idCol, dir)
		args = append(args, limit)
		return sb.String()
	}
	// Each branch is one index range scan that yields events in order and
	// stops at the limit: one per actor (over event_actors), else one per
	// kind (over events by kind), else the whole timeline. Branches are
	// merged, and UNION drops an event two of them share. A story's view
	// leads each branch with its story, over the same indexes by story.
	var branches []string
	story := func(col string) string {
		if q.storyID == 0 {
			return ""
		}
		args = append(args, q.storyID)
		return " AND " + col + " = ?"
	}
	switch {
	case q.search != nil && q.search.plan == searchDrives:
		branches = append(branches, q.matchesBranch("e.sort_unix, e.id, 0", story("e.story_id"), &args)+conds("e.sort_unix", "e.id"))
	case len(q.actorIDs) > 0:
		for _, actorID := range q.actorIDs {
			var b strings.Builder
			b.WriteString("SELECT ea.sort_unix, ea.event_id, 0 FROM event_actors ea")
			if len(q.f.Kinds) > 0 || q.f.Contested || !q.f.From.IsZero() || !q.f.To.IsZero() {
				b.WriteString(" JOIN events e ON e.id = ea.event_id")
			}
			b.WriteString(" WHERE 1" + story("ea.story_id") + " AND ea.actor_id = ?")
			args = append(args, actorID)
			if q.f.Role != "" {
				b.WriteString(" AND ea.role = ?")
				args = append(args, string(q.f.Role))
			} else {
				// An actor in two roles in one event (speaker and target) has
				// two rows of it: the first role's stands for the event.
				b.WriteString(" AND NOT EXISTS (SELECT 1 FROM event_actors x WHERE x.event_id = ea.event_id AND x.actor_id = ea.actor_id AND x.role < ea.role)")
			}
			if len(q.f.Kinds) > 0 {
				b.WriteString(" AND e.kind IN (" + placeholders(len(q.f.Kinds)) + ")")
				for _, k := range q.f.Kinds {
					args = append(args, string(k))
				}
			}
			b.WriteString(conds("ea.sort_unix", "ea.event_id"))
			branches = append(branches, b.String())
		}
	case len(q.f.Kinds) > 0:
		for _, k := range q.f.Kinds {
			where := story("e.story_id")
			args = append(args, string(k))
			branches = append(branches, "SELECT e.sort_unix, e.id, 0 FROM events e WHERE 1"+where+" AND e.kind = ?"+conds("e.sort_unix", "e.id"))
		}
	default:
		branches = append(branches, "SELECT e.sort_unix, e.id, 0 FROM events e WHERE 1"+story("e.story_id")+conds("e.sort_unix", "e.id"))
	}
	if len(branches) == 1 {
		return branches[0], args
	}
	query := "SELECT * FROM (" + strings.Join(branches, ") UNION SELECT * FROM (") + ")" + fmt.Sprintf(" ORDER BY 1 %s, 2 %s LIMIT ?", dir, dir)
	return query, append(args, limit)
}

// matchesBranch is the one branch of a search the search index drives
// (searchDrives), and of the order by relevance: the matches read from the search index, the
// other filters kept, to be sorted. cols are the columns selected;
// storyCond is the story's condition, its argument already in args.
func (q *pageQuery) matchesBranch(cols, storyCond string, args *[]any) string {
	var b strings.Builder
	// CROSS JOIN keeps the search index outermost: the rows read are the
	// matches, where an index of events could read the timeline.
	b.WriteString("SELECT " + cols + " FROM event_search CROSS JOIN events e ON e.id = event_search.rowid WHERE 1" + storyCond + " AND event_search MATCH ?")
	*args = append(*args, q.search.match)
	if len(q.f.Kinds) > 0 {
		b.WriteString(" AND e.kind IN (" + placeholders(len(q.f.Kinds)) + ")")
		for _, k := range q.f.Kinds {
			*args = append(*args, string(k))
		}
	}
	b.WriteString(q.actorsCond(args))
	return b.String()
}

// actorsCond is the condition that the event e names one of the chosen
// actors, in the chosen role, for a query another index drives; "" when
// none is chosen.
func (q *pageQuery) actorsCond(args *[]any) string {
	if len(q.actorIDs) == 0 {
		return ""
	}
	cond := " AND EXISTS (SELECT 1 FROM event_actors ea WHERE ea.event_id = e.id AND ea.actor_id IN (" + placeholders(len(q.actorIDs)) + ")"
	*args = append(*args, int64Args(q.actorIDs)...)
	if q.f.Role != "" {
		cond += " AND ea.role = ?"
		*args = append(*args, string(q.f.Role))
	}
	return cond + ")"
}

// FindEvent returns the event with the slug. A former slug gives an error
// with code EMOVED naming the current slug; a withdrawn event's, one with
// code EGONE naming its story.
func (db *DB) FindEvent(ctx context.Context, slug string) (_ *timeline.Event, err error) {
	rd := db.reader(ctx)
	defer rd.done(&err)
	tx, err := rd.BeginTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("find event: %w", err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM events WHERE slug = ?`, slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		var current string
		err := tx.QueryRowContext(ctx, `SELECT e.slug FROM event_redirects r JOIN events e ON e.id = r.event_id WHERE r.slug = ?`, slug).Scan(&current)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, findWithdrawn(ctx, tx, slug)
		} else if err != nil {
			return nil, fmt.Errorf("find event %s: %w", slug, err)
		}
		return nil, &timeline.Error{Code: timeline.EMOVED, Message: "This event has moved.", Slug: current}
	} else if err != nil {
		return nil, fmt.Errorf("find event %s: %w", slug, err)
	}
	events, err := loadEvents(ctx, tx, []int64{id})
	if err != nil {
		return nil, err
	}
	return &events[0], nil
}

// findWithdrawn is the error for a slug that names no event: EGONE, with
// its story, for a withdrawn event's, else ENOTFOUND.
func findWithdrawn(ctx context.Context, q querier, slug string) error {
	var gone timeline.Error
	err := q.QueryRowContext(ctx, `SELECT s.slug, s.title FROM withdrawn_events w JOIN stories s ON s.id = w.story_id WHERE w.slug = ?`, slug).
		Scan(&gone.Story.Slug, &gone.Story.Title)
	if errors.Is(err, sql.ErrNoRows) {
		return timeline.Errorf(timeline.ENOTFOUND, "There is no event %q.", slug)
	} else if err != nil {
		return fmt.Errorf("find event %s: %w", slug, err)
	}
	gone.Code, gone.Message = timeline.EGONE, "This event was withdrawn."
	return &gone
}

// FindNeighbours returns the events just before and after e in its story's
// timeline, nil at either end, read in one transaction.
func (db *DB) FindNeighbours(ctx context.Context, e *timeline.Event) (prev, next *timeline.EventRef, err error) {
	rd := db.reader(ctx)
	defer rd.done(&err)
	tx, err := rd.BeginTx(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("find neighbours of %s: %w", e.Slug, err)
	}
	defer tx.Rollback()
	at := position{start: e.When.SortKey(), id: e.ID}
	find := func(cmp, dir string) (*timeline.EventRef, error) {
		var ref timeline.EventRef
		var whenText, zone string
		err := tx.QueryRowContext(ctx, `SELECT id, slug, title, kind, when_text, zone FROM events
			WHERE story_id = (SELECT story_id FROM events WHERE id = ?) AND (sort_unix, id) `+cmp+` (?, ?) ORDER BY sort_unix `+dir+`, id `+dir+` LIMIT 1`, at.id, at.start, at.id).
			Scan(&ref.ID, &ref.Slug, &ref.Title, &ref.Kind, &whenText, &zone)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		} else if err != nil {
			return nil, fmt.Errorf("find neighbour of %s: %w", e.Slug, err)
		}
		if ref.When, err = parseWhen(whenText, zone); err != nil {
			return nil, err
		}
		return &ref, nil
	}
	if prev, err = find("<", "DESC"); err != nil {
		return nil, nil, err
	}
	if next, err = find(">", "ASC"); err != nil {
		return nil, nil, err
	}
	return prev, next, nil
}
