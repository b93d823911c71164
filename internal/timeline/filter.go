package timeline

import (
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
type Cursor struct {
	Start int64
	Slug  string
}

// String is the cursor as it appears in a URL: "1683072000.peskov-blames-us".
// A slug has no dot, so the first dot ends the sort key.
func (c Cursor) String() string {
	return strconv.FormatInt(c.Start, 10) + "." + c.Slug
}

// ParseCursor parses the URL form of a cursor. An event that the slug
// does not name (any more) is not an error here: see the store's paging.
func ParseCursor(s string) (Cursor, error) {
	start, slug, ok := strings.Cut(s, ".")
	if ok && ValidSlug(slug) {
		if st, err := strconv.ParseInt(start, 10, 64); err == nil {
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
	Actors []string    // actor slugs
	Role   Role        // with Actors: only where they play this role
	Kinds  []EventKind // event kinds
	From   time.Time   // events starting at or after, when set
	To     time.Time   // events starting before, when set
	// Contested keeps claims that someone contests, and the answers that contest them.
	Contested bool
	// Desc shows the newest events first.
	Desc bool
	// Later and Earlier page from a cursor, chronologically after or before
	// it; at most one is set.
	Later   *Cursor
	Earlier *Cursor
	Limit   int
}

// EventPage is one page of events in display order, with the cursors that
// open the chronologically earlier and later pages, nil where there are none.
type EventPage struct {
	Events  []Event
	Earlier *Cursor
	Later   *Cursor
}

// Validate checks f's values, naming the first bad one.
func (f *Filter) Validate() error {
	if f.Role != "" && !f.Role.Valid() {
		return Errorf(EINVALID, "unknown role %q (want one of %s)", f.Role, joinStrings(Roles))
	}
	for _, k := range f.Kinds {
		if !k.Valid() {
			return Errorf(EINVALID, "unknown event kind %q (want one of %s)", k, joinStrings(EventKinds))
		}
	}
	if f.Later != nil && f.Earlier != nil {
		return Errorf(EINVALID, "a page is either earlier or later than a position, not both")
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return Errorf(EINVALID, "the date range ends before it starts")
	}
	if f.Limit < 0 || f.Limit > MaxPageSize {
		return Errorf(EINVALID, "page size must be between 1 and %d", MaxPageSize)
	}
	return nil
}
