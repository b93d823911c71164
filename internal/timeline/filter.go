package timeline

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxPageSize is the largest number of events on one page.
const MaxPageSize = 100

// Cursor is a position in the chronological order of events: the sort key
// (When.SortKey) in Unix seconds, then the slug of the event there, which
// places it among events with the same key. It names the event by slug,
// not by row id, so that a link made on one database leads to the same
// place on another built from the same file.
//
// In the order by relevance (Filter.Relevance), Ranked is set and the
// position is the event's rank instead (the store's score of its match,
// lower first), then its slug.
type Cursor struct {
	Start  int64
	Slug   string
	Ranked bool
	Rank   float64
}

// rankedCursorPrefix starts the URL form of a cursor in the order by
// relevance, which a sort key (digits, or a minus sign) never does.
const rankedCursorPrefix = "r"

// String is the cursor as it appears in a URL: "1683072000.peskov-blames-us",
// or "r-7.25.peskov-blames-us" in the order by relevance. A slug has no
// dot, so the last dot ends the sort key or rank.
func (c Cursor) String() string {
	if c.Ranked {
		return rankedCursorPrefix + strconv.FormatFloat(c.Rank, 'g', -1, 64) + "." + c.Slug
	}
	return strconv.FormatInt(c.Start, 10) + "." + c.Slug
}

// ParseCursor parses the URL form of a cursor. An event that the slug
// does not name (any more) is not an error here: see the store's paging.
func ParseCursor(s string) (Cursor, error) {
	if i := strings.LastIndexByte(s, '.'); i >= 0 && ValidSlug(s[i+1:]) {
		key, slug := s[:i], s[i+1:]
		if rank, ok := strings.CutPrefix(key, rankedCursorPrefix); ok {
			if r, err := strconv.ParseFloat(rank, 64); err == nil && !math.IsNaN(r) && !math.IsInf(r, 0) {
				return Cursor{Ranked: true, Rank: r, Slug: slug}, nil
			}
		} else if st, err := strconv.ParseInt(key, 10, 64); err == nil {
			return Cursor{Start: st, Slug: slug}, nil
		}
	}
	return Cursor{}, Errorf(EINVALID, "%q is not a page position (want the value of an “earlier” or “later” link)", s)
}

// CursorOf returns the position of e.
func CursorOf(e *Event) Cursor { return Cursor{Start: e.When.SortKey(), Slug: e.Slug} }

// Filter selects events. Actors are any-of, kinds are any-of, and the
// actor and kind filters combine with AND.
type Filter struct {
	// Story is the slug of the story whose events to show; "" for the
	// whole archive.
	Story  string
	Actors []string    // actor slugs
	Role   Role        // with Actors: only where they play this role
	Kinds  []EventKind // event kinds
	From   time.Time   // events starting at or after, when set
	To     time.Time   // events starting before, when set
	// Query is a search (see ParseSearch): only events whose words match,
	// in titles, summaries, bodies, quotes and actors' names.
	Query string
	// Contested keeps claims that someone contests, and the answers that contest them.
	Contested bool
	// Desc shows the newest events first.
	Desc bool
	// Relevance shows the events that match Query best first, and is
	// only set with one (see SetOrder).
	Relevance bool
	// Later and Earlier page from a cursor, chronologically after or before
	// it; at most one is set.
	Later   *Cursor
	Earlier *Cursor
	Limit   int
}

// SortKeys is the range of sort keys (When.SortKey) that an event known
// to precision pr has when it falls in f's dates, From to To. An event
// falls in them when the period it is known to fall in does, cut in UTC
// as an overview cuts its bars (Precision.Period): one dated "May 2023"
// falls in dates that hold all of May, not in one of its days, and one
// dated "3 May 2023" not in one of its hours, so that no list places an
// event in a shorter time than its sources give. A time to the hour or
// the minute falls in them by its sort key. The span's ends are zero
// where f's are; ok is false when no event of precision pr can fall in them.
func (f Filter) SortKeys(pr Precision) (s Span, ok bool) {
	s = Span{Start: f.From, End: f.To}
	if p := pr.Period(); p != PeriodHour {
		if !f.From.IsZero() {
			if s.Start = p.Start(f.From); s.Start.Before(f.From) {
				s.Start = p.next(s.Start)
			}
		}
		if !f.To.IsZero() {
			s.End = p.Start(f.To)
		}
	}
	return s, s.Start.IsZero() || s.End.IsZero() || s.Start.Before(s.End)
}

// CutPeriods is the periods of length p that f's dates cut: that hold
// part of them and reach beyond. An event known only to such a period is
// not in the dates (SortKeys), though it may fall in them.
func (f Filter) CutPeriods(p Period) []Span {
	var cut []Span
	for _, t := range []time.Time{f.From, f.To} {
		if t.IsZero() {
			continue
		}
		s := Span{Start: p.Start(t)}
		s.End = p.next(s.Start)
		if s.Start.Equal(t) || (len(cut) > 0 && cut[0].Start.Equal(s.Start)) {
			continue
		}
		cut = append(cut, s)
	}
	return cut
}

// EventPage is one page of events in display order, with the cursors that
// open the chronologically earlier and later pages, nil where there are none.
type EventPage struct {
	Events  []Event
	Earlier *Cursor
	Later   *Cursor
}

// MaxActors is the most actors one filter may name.
const MaxActors = 20

// Canonical puts f in its one written form: each actor and kind once,
// actors by slug and kinds in the order of EventKinds, so that every way of
// asking for one view is the same filter.
func (f *Filter) Canonical() {
	slices.Sort(f.Actors)
	f.Actors = slices.Compact(f.Actors)
	slices.SortFunc(f.Kinds, func(a, b EventKind) int { return kindIndex(a) - kindIndex(b) })
	f.Kinds = slices.Compact(f.Kinds)
	f.Query = canonicalQuery(f.Query)
	if f.Query == "" {
		f.Relevance = false // nothing to rank: the order falls back to time
	}
	if f.Relevance {
		f.Desc = false
	}
}

// The orders a list can be read in, as its URL names them.
const (
	OrderOldest    = "asc"       // the default
	OrderNewest    = "desc"      // Desc
	OrderRelevance = "relevance" // Relevance, with a search
)

// Orders lists the orders, the default first.
var Orders = []string{OrderOldest, OrderNewest, OrderRelevance}

// SetOrder sets f's order from its name ("" for the default). The order
// by relevance without a search falls back to time order in Canonical.
func (f *Filter) SetOrder(order string) error {
	f.Desc, f.Relevance = false, false
	switch order {
	case "", OrderOldest:
	case OrderNewest:
		f.Desc = true
	case OrderRelevance:
		f.Relevance = true
	default:
		return fieldError("order", order, "The order is %s, not %q.", joinStrings(Orders), order)
	}
	return nil
}

// Order is the name of f's order, as SetOrder reads it.
func (f Filter) Order() string {
	switch {
	case f.Relevance:
		return OrderRelevance
	case f.Desc:
		return OrderNewest
	}
	return OrderOldest
}

func kindIndex(k EventKind) int {
	if i := slices.Index(EventKinds, k); i >= 0 {
		return i
	}
	return len(EventKinds) // unknown kinds last, for Validate to name
}

// Validate checks f's values, naming the first bad one in an *Error whose
// Field is the filter's: "actor", "kind", "role", "q", "range", "cursor"
// or "limit".
func (f *Filter) Validate() error {
	if f.Story != "" && !ValidSlug(f.Story) {
		return Errorf(ENOTFOUND, "There is no story %q.", f.Story)
	}
	if len(f.Actors) > MaxActors {
		return fieldError("actor", "", "At most %d actors can be chosen at once.", MaxActors)
	}
	for _, slug := range f.Actors {
		if !ValidSlug(slug) {
			return fieldError("actor", slug, "There is no actor %q.", slug)
		}
	}
	for _, k := range f.Kinds {
		if !k.Valid() {
			return fieldError("kind", string(k), "There is no event kind %q: the kinds are %s.", k, joinStrings(EventKinds))
		}
	}
	if f.Role != "" && !f.Role.Valid() {
		return fieldError("role", string(f.Role), "There is no role %q: the roles are %s.", f.Role, joinStrings(Roles))
	}
	if _, err := ParseSearch(f.Query); err != nil {
		return err
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return fieldError("range", "", "The date range ends before it starts.")
	}
	if f.Later != nil && f.Earlier != nil {
		return fieldError("cursor", "", "A page is either before or after a position, not both.")
	}
	if f.Relevance && f.Query == "" {
		return fieldError("order", OrderRelevance, "The order by relevance ranks the matches of a search: search for some words first.")
	}
	for _, c := range []*Cursor{f.Later, f.Earlier} {
		if c != nil && c.Ranked != f.Relevance {
			return fieldError("cursor", c.String(), "This page position belongs to another order of the list: start from the first page.")
		}
	}
	if f.Limit < 0 || f.Limit > MaxPageSize {
		return fieldError("limit", strconv.Itoa(f.Limit), "A page holds between 1 and %d events.", MaxPageSize)
	}
	return nil
}

func fieldError(field, value, format string, args ...any) *Error {
	e := Errorf(EINVALID, format, args...)
	e.Field, e.Value = field, value
	return e
}

// MaxFeedEntries bounds a feed's page: the newest changes, older ones a
// page further on.
const MaxFeedEntries = 50
