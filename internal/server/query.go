package server

import (
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// Bounds on what a list URL may ask for.
const (
	maxActorsInFilter = 20
	maxValueLength    = 120
)

// listQuery is everything a list URL says: the filter and where to start.
type listQuery struct {
	filter timeline.Filter
	around string // an event slug
}

// parseListQuery reads a list URL's query string. Unknown parameters are
// ignored; a bad value of a known one is an EINVALID error naming it.
// Whether the actors exist is for the store to say.
func parseListQuery(values url.Values) (listQuery, error) {
	var q listQuery
	for key, vals := range values {
		for _, v := range vals {
			if !utf8.ValidString(v) || !utf8.ValidString(key) {
				return q, timeline.Errorf(timeline.EINVALID, "The address contains text that is not valid UTF-8.")
			}
			if len(v) > maxValueLength {
				return q, invalidParam(key, v, "The value of %q is too long.", key)
			}
		}
	}
	f := &q.filter
	slugs := nonEmpty(values["actor"])
	if len(slugs) > maxActorsInFilter {
		return q, timeline.Errorf(timeline.EINVALID, "At most %d actors can be chosen at once.", maxActorsInFilter)
	}
	for _, slug := range slugs {
		if !timeline.ValidSlug(slug) {
			return q, invalidParam("actor", slug, "There is no actor %q.", slug)
		}
		if !slices.Contains(f.Actors, slug) {
			f.Actors = append(f.Actors, slug)
		}
	}
	for _, k := range nonEmpty(values["kind"]) {
		kind := timeline.EventKind(k)
		if !kind.Valid() {
			return q, invalidParam("kind", k, "There is no event kind %q: the kinds are %s.", k, web.KindList())
		}
		if !slices.Contains(f.Kinds, kind) {
			f.Kinds = append(f.Kinds, kind)
		}
	}
	if role := single(values, "role"); role != "" {
		f.Role = timeline.Role(role)
		if !f.Role.Valid() {
			return q, invalidParam("role", role, "There is no role %q: the roles are speaker, target and mentioned.", role)
		}
	}
	switch single(values, "contested") {
	case "", "0":
	case "1", "on", "true":
		f.Contested = true
	default:
		return q, invalidParam("contested", single(values, "contested"), "contested is 1 or nothing, not %q.", single(values, "contested"))
	}
	switch order := single(values, "order"); order {
	case "", "asc":
	case "desc":
		f.Desc = true
	default:
		return q, invalidParam("order", order, "The order is asc or desc, not %q.", order)
	}
	var err error
	if f.From, err = parseDate(values, "from"); err != nil {
		return q, err
	}
	if f.To, err = parseDate(values, "to"); err != nil {
		return q, err
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1) // "to" names the last day included
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return q, timeline.Errorf(timeline.EINVALID, "The date range ends before it starts.")
	}
	for key, target := range map[string]**timeline.Cursor{"before": &f.Earlier, "after": &f.Later} {
		if v := single(values, key); v != "" {
			c, err := timeline.ParseCursor(v)
			if err != nil {
				return q, invalidParam(key, v, "%s", timeline.ErrorMessage(err))
			}
			*target = &c
		}
	}
	if f.Earlier != nil && f.Later != nil {
		return q, timeline.Errorf(timeline.EINVALID, "A page is either before or after a position, not both.")
	}
	q.around = single(values, "around")
	if q.around != "" && !timeline.ValidSlug(q.around) {
		return q, invalidParam("around", q.around, "There is no event %q.", q.around)
	}
	return q, nil
}

func nonEmpty(values []string) []string {
	var out []string
	for _, v := range values {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// single is the last non-empty value of a parameter: a repeated one is not
// an error, the last word wins as in a form.
func single(values url.Values, key string) string {
	vals := nonEmpty(values[key])
	if len(vals) == 0 {
		return ""
	}
	return vals[len(vals)-1]
}

func parseDate(values url.Values, key string) (time.Time, error) {
	v := single(values, key)
	if v == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, invalidParam(key, v, "%s must be a date written YYYY-MM-DD, not %q.", key, v)
	}
	return t, nil
}

// withoutPaging is f at its first page.
func withoutPaging(f timeline.Filter) timeline.Filter {
	f.Earlier, f.Later = nil, nil
	return f
}
