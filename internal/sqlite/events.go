package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/timelinenews/timeline/internal/timeline"
)

// FindEvents returns one page of events matching f, each with its actors,
// sources and answers, in a fixed number of queries whatever the page size.
func (db *DB) FindEvents(ctx context.Context, f timeline.Filter) (*timeline.EventPage, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit == 0 {
		limit = timeline.MaxPageSize
	}
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	defer tx.Rollback()

	q, err := newPageQuery(ctx, tx, f)
	if err != nil {
		return nil, err
	}
	// Fetch one more than a page, nearest the cursor first, to learn
	// whether a further page exists in that direction.
	forward := f.Later != nil || (f.Earlier == nil && !f.Desc)
	from := f.Later
	if !forward {
		from = f.Earlier
	}
	positions, err := q.fetch(ctx, from, forward, limit+1)
	if err != nil {
		return nil, err
	}
	more := len(positions) > limit
	positions = positions[:min(len(positions), limit)]
	if !forward {
		slices.Reverse(positions)
	}
	page := &timeline.EventPage{}
	if len(positions) > 0 {
		first, last := positions[0], positions[len(positions)-1]
		// The page the cursor came from lies behind it.
		behind := false
		if from != nil && *from != startOfTime {
			next := &first
			if !forward {
				next = &last
			}
			back, err := q.fetch(ctx, next, !forward, 1)
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
	ids := make([]int64, 0, len(positions))
	for _, p := range positions {
		ids = append(ids, p.ID)
	}
	events, err := loadEvents(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	if f.Desc {
		slices.Reverse(events)
	}
	page.Events = events
	return page, nil
}

// startOfTime is a cursor before every event.
var startOfTime = timeline.Cursor{Start: math.MinInt64}

func cursorIf(ok bool, c timeline.Cursor) *timeline.Cursor {
	if !ok {
		return nil
	}
	return &c
}

// FindAround returns the page of events matching f that holds the event at
// position c, starting a few events before it so the reader has context.
func (db *DB) FindAround(ctx context.Context, f timeline.Filter, c timeline.Cursor) (*timeline.EventPage, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit == 0 {
		limit = timeline.MaxPageSize
	}
	lead := max(1, limit/10)
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("find around: %w", err)
	}
	defer tx.Rollback()
	q, err := newPageQuery(ctx, tx, f)
	if err != nil {
		return nil, err
	}
	// The event itself and up to lead events before it.
	back, err := q.fetch(ctx, &timeline.Cursor{Start: c.Start, ID: c.ID + 1}, false, lead+1)
	if err != nil {
		return nil, err
	}
	if err := tx.Rollback(); err != nil {
		return nil, fmt.Errorf("find around: %w", err)
	}
	f.Earlier, f.Later = nil, &startOfTime
	if len(back) == lead+1 {
		anchor := back[len(back)-1]
		f.Later = &timeline.Cursor{Start: anchor.Start, ID: anchor.ID - 1}
	}
	return db.FindEvents(ctx, f)
}

// pageQuery builds the keyset query for one filter.
type pageQuery struct {
	tx *sql.Tx
	f  timeline.Filter
	// actorIDs are the filter's actors, resolved; each gets its own index
	// range scan so that the order comes from the index, not a sort.
	actorIDs []int64
}

func newPageQuery(ctx context.Context, tx *sql.Tx, f timeline.Filter) (*pageQuery, error) {
	q := &pageQuery{tx: tx, f: f}
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
	return q, nil
}

// fetch returns up to limit event positions strictly after (forward) or
// before (backward) the cursor, nearest first.
func (q *pageQuery) fetch(ctx context.Context, c *timeline.Cursor, forward bool, limit int) ([]timeline.Cursor, error) {
	query, args := q.build(c, forward, limit)
	rows, err := q.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	defer rows.Close()
	var out []timeline.Cursor
	for rows.Next() {
		var c timeline.Cursor
		if err := rows.Scan(&c.Start, &c.ID); err != nil {
			return nil, fmt.Errorf("find events: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("find events: %w", err)
	}
	return out, nil
}

// build writes the keyset query for fetch.
func (q *pageQuery) build(c *timeline.Cursor, forward bool, limit int) (string, []any) {
	cmp, dir := ">", "ASC"
	if !forward {
		cmp, dir = "<", "DESC"
	}
	var args []any
	// conds are the conditions every branch shares, on its start and id columns.
	conds := func(startCol, idCol string) string {
		var sb strings.Builder
		if q.f.Contested {
			sb.WriteString(" AND e.in_dispute = 1")
		}
		if !q.f.From.IsZero() {
			sb.WriteString(" AND " + startCol + " >= ?")
			args = append(args, q.f.From.Unix())
		}
		if !q.f.To.IsZero() {
			sb.WriteString(" AND " + startCol + " < ?")
			args = append(args, q.f.To.Unix())
		}
		if c != nil {
			fmt.Fprintf(&sb, " AND (%s, %s) %s (?, ?)", startCol, idCol, cmp)
			args = append(args, c.Start, c.ID)
		}
		fmt.Fprintf(&sb, " ORDER BY %s %s, %s %s LIMIT ?", startCol, dir, idCol, dir)
		args = append(args, limit)
		return sb.String()
	}
	// Each branch is one index range scan that yields events in order and
	// stops at the limit: one per actor (over event_actors), else one per
	// kind (over events by kind), else the whole timeline. Branches are
	// merged, and UNION drops an event two of them share.
	var branches []string
	switch {
	case len(q.actorIDs) > 0:
		for _, actorID := range q.actorIDs {
			var b strings.Builder
			b.WriteString("SELECT ea.sort_unix, ea.event_id FROM event_actors ea")
			if len(q.f.Kinds) > 0 || q.f.Contested {
				b.WriteString(" JOIN events e ON e.id = ea.event_id")
			}
			b.WriteString(" WHERE ea.actor_id = ?")
			args = append(args, actorID)
			if q.f.Role != "" {
				b.WriteString(" AND ea.role = ?")
				args = append(args, string(q.f.Role))
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
			args = append(args, string(k))
			branches = append(branches, "SELECT e.sort_unix, e.id FROM events e WHERE e.kind = ?"+conds("e.sort_unix", "e.id"))
		}
	default:
		branches = append(branches, "SELECT e.sort_unix, e.id FROM events e WHERE 1"+conds("e.sort_unix", "e.id"))
	}
	if len(branches) == 1 {
		return branches[0], args
	}
	query := "SELECT * FROM (" + strings.Join(branches, ") UNION SELECT * FROM (") + ")" + fmt.Sprintf(" ORDER BY 1 %s, 2 %s LIMIT ?", dir, dir)
	return query, append(args, limit)
}

// FindEvent returns the event with the slug. A former slug gives an error
// with code EMOVED naming the current slug.
func (db *DB) FindEvent(ctx context.Context, slug string) (*timeline.Event, error) {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
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
			return nil, timeline.Errorf(timeline.ENOTFOUND, "There is no event %q.", slug)
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

// FindNeighbours returns the events just before and after e in the whole
// timeline, nil at either end.
func (db *DB) FindNeighbours(ctx context.Context, e *timeline.Event) (prev, next *timeline.EventRef, err error) {
	c := timeline.CursorOf(e)
	find := func(cmp, dir string) (*timeline.EventRef, error) {
		var ref timeline.EventRef
		var whenText, zone string
		err := db.read.QueryRowContext(ctx, `SELECT id, slug, title, kind, when_text, zone FROM events
			WHERE (sort_unix, id) `+cmp+` (?, ?) ORDER BY sort_unix `+dir+`, id `+dir+` LIMIT 1`, c.Start, c.ID).
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
