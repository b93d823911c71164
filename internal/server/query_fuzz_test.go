package server

import (
	"net/url"
	"testing"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// FuzzParseListQuery feeds the query-string parser arbitrary query strings:
// it must never panic, and what it accepts must be a valid filter whose
// canonical URL parses back to the same filter.
func FuzzParseListQuery(f *testing.F) {
	for _, seed := range []string{
		"", "actor=kirby&actor=peskov&kind=denial", "actor=us&role=target", "contested=1&order=desc",
		"from=2023-05-03&to=2023-05-04", "after=1683072000.42", "before=-5.1", "around=kirby-ludicrous",
		"actor=%ff", "kind=&kind=claim&role=", "actor=" + string(make([]byte, 200)), "order=desc&order=asc",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		values, err := url.ParseQuery(raw)
		if err != nil {
			return // net/http would have dropped it too
		}
		q, err := parseListQuery(values)
		if err != nil {
			if timeline.ErrorCode(err) != timeline.EINVALID {
				t.Fatalf("%q: error %v is not EINVALID", raw, err)
			}
			return
		}
		if err := q.filter.Validate(); err != nil {
			t.Fatalf("%q: accepted an invalid filter: %v", raw, err)
		}
		canonical := web.TimelinePath(q.filter)
		u, err := url.Parse(canonical)
		if err != nil {
			t.Fatalf("%q: canonical URL %q does not parse: %v", raw, canonical, err)
		}
		again, err := parseListQuery(u.Query())
		if err != nil {
			t.Fatalf("%q: canonical URL %q is refused: %v", raw, canonical, err)
		}
		if web.TimelinePath(again.filter) != canonical {
			t.Fatalf("%q: canonical URL is not stable: %q then %q", raw, canonical, web.TimelinePath(again.filter))
		}
	})
}
