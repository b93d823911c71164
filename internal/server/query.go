package server

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// maxValueLength bounds each value of a list URL.
const maxValueLength = 120

// listQuery is everything a list URL says: the filter and where to start.
type listQuery struct {
	filter timeline.Filter
	around string // an event slug
}

// listQueryOf reads a list page's request: its story from the path, and
// its query string.
func listQueryOf(r *http.Request) (listQuery, error) {
	q, err := parseListQuery(r.URL.Query())
	q.filter.Story = chiStory(r)
	return q, err
}

// parseListQuery reads a list URL's query string into a filter in its
// canonical form, which the domain then validates. Unknown parameters are
// ignored; a bad value of a known one is a badParam naming it. Whether the
// actors exist is for the store to say.
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
	f.Actors = nonEmpty(values["actor"])
	for _, k := range nonEmpty(values["kind"]) {
		f.Kinds = append(f.Kinds, timeline.EventKind(k))
	}
	f.Role = timeline.Role(single(values, "role"))
	f.Query = single(values, "q")
	switch single(values, "contested") {
	case "", "0":
	case "1", "on", "true":
		f.Contested = true
	default:
		return q, invalidParam("contested", single(values, "contested"), "contested is 1 or nothing, not %q.", single(values, "contested"))
	}
	if err := f.SetOrder(single(values, "order")); err != nil {
		return q, invalidParam("order", single(values, "order"), "%s", timeline.ErrorMessage(err))
	}
	var err error
	if f.From, _, err = parseDate(values, "from"); err != nil {
		return q, err
	}
	var toDay bool
	if f.To, toDay, err = parseDate(values, "to"); err != nil {
		return q, err
	}
	if toDay {
		f.To = f.To.AddDate(0, 0, 1) // a "to" day names the last day included
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
	q.around = single(values, "around")
	if q.around != "" && !timeline.ValidSlug(q.around) {
		return q, invalidParam("around", q.around, "There is no event %q.", q.around)
	}
	f.Canonical()
	if err := f.Validate(); err != nil {
		var bad *timeline.Error
		if errors.As(err, &bad) && bad.Value != "" {
			// The error page offers the view without the bad value.
			return q, &badParam{err: bad, param: bad.Field, value: bad.Value}
		}
		return q, err
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

// parseDate reads a date range's end: a day (YYYY-MM-DD, day reports
// true), or an instant in UTC to the minute (YYYY-MM-DDTHH:MMZ), which the
// overview's hours link to.
func parseDate(values url.Values, key string) (t time.Time, day bool, err error) {
	v := single(values, key)
	if v == "" {
		return time.Time{}, false, nil
	}
	if t, err = time.Parse(web.DateParam, v); err == nil {
		return t, true, nil
	}
	if t, err = time.Parse(web.InstantParam, v); err == nil {
		return t, false, nil
	}
	return time.Time{}, false, invalidParam(key, v, "%s must be a date written YYYY-MM-DD (or a time in UTC, YYYY-MM-DDTHH:MMZ), not %q.", key, v)
}

// withoutPaging is f at its first page.
func withoutPaging(f timeline.Filter) timeline.Filter {
	f.Earlier, f.Later = nil, nil
	return f
}
