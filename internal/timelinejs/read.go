package timelinejs

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/timeline"
)

// MaxFile bounds a TimelineJS file: it is read whole, as TimelineJS itself
// reads it, so its size is what bounds the memory an import takes.
const MaxFile = 64 << 20

// maxProblems bounds the problems listed, as the dataset package does.
const maxProblems = 1000

// Zone is the time zone the dates of a TimelineJS file are read in: the
// format has none, and its dates are wall-clock times as written.
const Zone = "UTC"

// What Timeline needs and TimelineJS cannot say: an actor's kind and role,
// and an event's kind. The least the file implies is written.
const (
	actorKind = timeline.ActorOrg
	actorRole = timeline.RoleMentioned
	eventKind = timeline.KindIncident
)

// Convert reads a TimelineJS file and writes it to w as a story file of
// Timeline's own format (timeline/v1, which names no story: the importer
// gives it the slug of --story or of its title). A file with problems
// writes nothing and returns a *dataset.InvalidError listing every one,
// each placed by its JSON path.
func Convert(r io.Reader, w io.Writer) error {
	return convertRefusingMissing(convertJSON, r, w)
}

// Scan reads a TimelineJS file into h as dataset.Scan reads a story file,
// with the same checks and guarantees; a problem the story file's own checks
// find in an event is placed at the event's JSON path too.
func Scan(r io.Reader, h dataset.Handler) error { return scan(convertJSON, r, h) }

// ScanCSV is Scan for TimelineJS's sheet template as CSV, placing problems
// by row.
func ScanCSV(r io.Reader, h dataset.Handler) error { return scan(convertCSV, r, h) }

// places maps the Where of an event's problem ("event SLUG") to where the
// event is in the file it came from; and, under missingKey, where each
// event that names no source or no actor is, so that its problem is told in
// the file's own terms.
type places map[string]string

// What a slide may lack that an import takes only where the editor allows
// it, each with the key prefix of its places and what to tell the editor.
const (
	missingSource = "unsourced"
	missingActor  = "unattributed"
)

var missingMessages = map[string]string{
	missingSource: "names no source: add media.url (the address of the source) or media.credit (who published it), " +
		"as the Media and Media Credit columns of a sheet (every event has a source), or import with --allow-unsourced to publish it marked unsourced",
	missingActor: "names no one: add a group (the Group column of a sheet) naming who did or said it (every event has an actor), " +
		"or import with --allow-unattributed to publish it marked as naming no one",
}

// missingKey is the key of the i-th event, slug, when it lacks what: keys
// in order are the events in file order.
func missingKey(what string, i int, slug string) string {
	return fmt.Sprintf("%s %08d %s", what, i, slug)
}

func scan(convert func(io.Reader, io.Writer) (places, error), r io.Reader, h dataset.Handler) error {
	var converted bytes.Buffer
	at, err := convert(r, &converted)
	// An event with no source or no actor comes through marked so; where
	// the handler does not take those, it is refused here, with what to
	// add, and the rest of the file is still checked so that every
	// problem is told at once.
	refused := at.refused(dataset.Allows(h))
	if err != nil {
		return withProblems(err, refused)
	}
	if len(refused) > 0 {
		h = allowingAll{}
	}
	err = dataset.Scan(&converted, h)
	var invalid *dataset.InvalidError
	if errors.As(err, &invalid) {
		for i, p := range invalid.Problems {
			if place, ok := at[p.Where]; ok {
				invalid.Problems[i].Where = place + " (" + p.Where + ")"
			}
		}
	}
	return withProblems(err, refused)
}

// withProblems adds more problems to err's, or makes them the error.
func withProblems(err error, more []dataset.Problem) error {
	if len(more) == 0 {
		return err
	}
	var invalid *dataset.InvalidError
	if errors.As(err, &invalid) {
		return &dataset.InvalidError{Problems: append(invalid.Problems, more...)}
	}
	if err != nil {
		return err
	}
	return &dataset.InvalidError{Problems: more}
}

// convertRefusingMissing is convert for Convert and ConvertCSV, whose
// output is read without the editor's permissions: events with no source
// or no actor are refused, and nothing is written.
func convertRefusingMissing(convert func(io.Reader, io.Writer) (places, error), r io.Reader, w io.Writer) error {
	var converted bytes.Buffer
	at, err := convert(r, &converted)
	if err := withProblems(err, at.refused(timeline.Allowance{})); err != nil {
		return err
	}
	_, err = converted.WriteTo(w)
	return err
}

// refused are the problems of the events that lack what allow does not
// take, in file order.
func (at places) refused(allow timeline.Allowance) []dataset.Problem {
	taken := map[string]bool{missingSource: allow.Unsourced, missingActor: allow.Unattributed}
	var keys []string
	for key := range at {
		if what, _, ok := strings.Cut(key, " "); ok && missingMessages[what] != "" && !taken[what] {
			keys = append(keys, key)
		}
	}
	// By event, then source before actor, as the slide reads.
	slices.SortFunc(keys, func(x, y string) int {
		_, xi, _ := strings.Cut(x, " ")
		_, yi, _ := strings.Cut(y, " ")
		return cmp.Or(strings.Compare(xi, yi), -strings.Compare(x, y))
	})
	out := make([]dataset.Problem, 0, len(keys))
	for _, key := range keys {
		what, _, _ := strings.Cut(key, " ")
		out = append(out, dataset.Problem{Where: at[key], Message: missingMessages[what]})
	}
	return out
}

// allowingAll only validates, taking events with no source or no actor,
// for the rest of a file's checks once those events are refused.
type allowingAll struct{}

func (allowingAll) Story(string, string, string) error { return nil }
func (allowingAll) Actor(timeline.Actor) error         { return nil }
func (allowingAll) Source(timeline.Source) error       { return nil }
func (allowingAll) Event(*timeline.Event) error        { return nil }
func (allowingAll) Allowed() timeline.Allowance {
	return timeline.Allowance{Unsourced: true, Unattributed: true}
}

func convertJSON(r io.Reader, w io.Writer) (places, error) {
	raw, err := io.ReadAll(io.LimitReader(r, MaxFile+1))
	if err != nil {
		return nil, fmt.Errorf("read TimelineJS: %w", err)
	}
	if len(raw) > MaxFile {
		return nil, &dataset.InvalidError{Problems: []dataset.Problem{{Where: "file", Message: fmt.Sprintf("is larger than %d MiB", MaxFile>>20)}}}
	}
	var f file
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, &dataset.InvalidError{Problems: []dataset.Problem{{Where: "file", Message: "is not TimelineJS JSON: " + jsonError(raw, err)}}}
	}
	return write(&f, jsonPath, w)
}

// write checks f and writes it as a story file, or returns its problems,
// each placed by place.
func write(f *file, place func(event int, field string) string, w io.Writer) (places, error) {
	c := &converter{place: place}
	ds := c.dataset(f)
	if len(c.problems) > 0 {
		if c.more > 0 {
			c.problems = append(c.problems, dataset.Problem{Where: "file", Message: fmt.Sprintf("and %d more problems", c.more)})
		}
		return c.missingPlaces(), &dataset.InvalidError{Problems: c.problems}
	}
	at := c.missingPlaces()
	for i, e := range ds.Events {
		at["event "+e.Slug] = place(i, "")
	}
	return at, dataset.Write(w, ds)
}

// jsonError says where broken JSON breaks.
func jsonError(raw []byte, err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line := bytes.Count(raw[:syn.Offset], []byte("\n")) + 1
		return fmt.Sprintf("line %d: %v", line, err)
	case errors.As(err, &typ):
		return fmt.Sprintf("%s must be a %s, not a %s", typ.Field, typ.Type, typ.Value)
	}
	return err.Error()
}

// jsonPath places a problem by its JSON path, "events[3].start_date.month".
func jsonPath(event int, field string) string {
	if field == "" {
		return fmt.Sprintf("events[%d]", event)
	}
	return fmt.Sprintf("events[%d].%s", event, field)
}

type converter struct {
	place    func(event int, field string) string
	problems []dataset.Problem
	more     int
	// unsourced are the events that name no source, and unattributed
	// those that name no actor, by index and slug.
	unsourced, unattributed []placedSlug
}

type placedSlug struct {
	event int
	slug  string
}

// missingPlaces places the events that name no source or no actor (see
// places).
func (c *converter) missingPlaces() places {
	at := make(places, len(c.unsourced)+len(c.unattributed))
	for _, u := range c.unsourced {
		at[missingKey(missingSource, u.event, u.slug)] = c.place(u.event, "media")
	}
	for _, u := range c.unattributed {
		at[missingKey(missingActor, u.event, u.slug)] = c.place(u.event, "group")
	}
	return at
}

func (c *converter) add(where, format string, args ...any) {
	if len(c.problems) >= maxProblems {
		c.more++
		return
	}
	c.problems = append(c.problems, dataset.Problem{Where: where, Message: fmt.Sprintf(format, args...)})
}

func (c *converter) dataset(f *file) *timeline.Dataset {
	ds := &timeline.Dataset{}
	if f.Title != nil && f.Title.Text != nil {
		ds.Title = plainText(f.Title.Text.Headline)
		ds.Description = plainText(f.Title.Text.Text)
	}
	if len(f.Events) == 0 {
		c.add("file", "has no events: a timeline needs at least one")
	}
	slugs := c.slugs(f.Events)
	actors := map[string]bool{}
	sources := map[string]string{} // outlet and URL → key
	keys := map[string]bool{}
	for i := range f.Events {
		if e, ok := c.event(&f.Events[i], i, slugs[i]); ok {
			ds.Events = append(ds.Events, *e)
		}
	}
	// Actors and sources come before the events that name them, each once.
	for i := range ds.Events {
		e := &ds.Events[i]
		if !e.Unattributed {
			a := e.Actors[0].Actor
			if !actors[a.Slug] {
				actors[a.Slug] = true
				ds.Actors = append(ds.Actors, a)
			}
			e.Actors[0].Actor = timeline.Actor{Slug: a.Slug}
		}
		if e.Unsourced {
			continue
		}
		s := e.Sources[0].Source
		id := s.Outlet + "\x00" + s.URL
		key, seen := sources[id]
		if !seen {
			key = uniqueKey(s.Outlet, keys)
			sources[id] = key
			s.Key = key
			ds.Sources = append(ds.Sources, s)
		}
		e.Sources[0].Source = timeline.Source{Key: key}
	}
	return ds
}

// uniqueKey is a source's key: its outlet's slug, numbered for a second
// source of one outlet.
func uniqueKey(outlet string, taken map[string]bool) string {
	base := trimSlug(timeline.SlugOf(outlet), 110)
	key := base
	for n := 2; taken[key]; n++ {
		key = base + "-" + strconv.Itoa(n)
	}
	taken[key] = true
	return key
}

func trimSlug(s string, most int) string {
	if len(s) > most {
		s = s[:most]
	}
	for len(s) > 0 && s[len(s)-1] == '-' {
		s = s[:len(s)-1]
	}
	return s
}

// slugs gives each event its slug: its unique_id where that is a valid
// slug not taken before, else one made from its headline, numbered when
// taken.
func (c *converter) slugs(events []slide) []string {
	taken := map[string]bool{}
	out := make([]string, len(events))
	for i, e := range events {
		if timeline.ValidSlug(e.UniqueID) && !taken[e.UniqueID] {
			out[i] = e.UniqueID
			taken[e.UniqueID] = true
		}
	}
	for i, e := range events {
		if out[i] != "" {
			continue
		}
		headline := ""
		if e.Text != nil {
			headline = plainText(e.Text.Headline)
		}
		out[i] = uniqueKey(headline, taken)
	}
	return out
}

// event turns one slide into an event with its one actor and one source,
// both in full, or reports what is wrong with it.
func (c *converter) event(s *slide, i int, slug string) (*timeline.Event, bool) {
	before := len(c.problems) + c.more
	e := &timeline.Event{Slug: slug, Kind: eventKind, DisplayDate: tidy(s.DisplayDate)}
	if e.DisplayDate == "" && s.StartDate != nil {
		e.DisplayDate = tidy(s.StartDate.DisplayDate)
	}
	if s.Text != nil {
		e.Title = plainText(s.Text.Headline)
		// The first paragraph is the summary Timeline shows under the
		// title, the rest the body of the event's page.
		e.Summary, e.Body, _ = strings.Cut(plainText(s.Text.Text), "\n\n")
	}
	if e.Title == "" {
		c.add(c.place(i, "text.headline"), "is empty: every event has a headline")
	}
	if e.Summary == "" {
		e.Summary = e.Title // Timeline shows a summary under each title
	}
	switch {
	case s.StartDate == nil:
		c.add(c.place(i, "start_date"), "is missing: every event has a date, at least its year")
	default:
		e.When = c.when(s.StartDate, i, "start_date")
	}
	if s.EndDate != nil {
		e.Until = c.when(s.EndDate, i, "end_date")
	}

	group := plainText(s.Group)
	if group == "" {
		e.Unattributed = true // refused or allowed when the story file is read (see scan)
		c.unattributed = append(c.unattributed, placedSlug{i, slug})
	} else {
		e.Actors = []timeline.EventActor{{Actor: timeline.Actor{Slug: trimSlug(timeline.SlugOf(group), 120), Name: group, Kind: actorKind}, Role: actorRole}}
	}

	if src, ok, named := c.source(s.Media, i); !named {
		e.Unsourced = true // refused or allowed when the story file is read (see scan)
		c.unsourced = append(c.unsourced, placedSlug{i, slug})
	} else if ok {
		e.Sources = []timeline.Citation{{Source: src}}
	}
	return e, len(c.problems)+c.more == before
}

// source is the slide's media as its source: the credit is the outlet (or
// else the address's host), the URL its address, the caption its title.
// named is false for media that names no source at all.
func (c *converter) source(m *media, i int) (s timeline.Source, ok, named bool) {
	if m == nil {
		return s, false, false
	}
	s = timeline.Source{Outlet: plainText(m.Credit), Title: plainText(m.Caption)}
	switch {
	case timeline.WebURL(m.URL):
		s.URL = m.URL
		if s.Outlet == "" {
			u, _ := url.Parse(m.URL)
			s.Outlet = u.Hostname()
		}
	case m.URL != "" && s.Outlet == "":
		// Media that is not an address (a quotation, an embed's markup)
		// with no credit names no one who published it.
		return s, false, false
	}
	if s.Outlet == "" {
		return s, false, false
	}
	return s, true, true
}

// when reads a TimelineJS date at the precision its parts give: a year
// alone is that year, never its 1 January.
func (c *converter) when(d *date, i int, field string) timeline.When {
	parts := []struct {
		name     string
		p        *part
		min, max int
	}{
		{"year", d.Year, 1000, 9999},
		{"month", d.Month, 1, 12},
		{"day", d.Day, 1, 31},
		{"hour", d.Hour, 0, 23},
		{"minute", d.Minute, 0, 59},
		{"second", d.Second, 0, 59},
	}
	values := make([]int, 0, len(parts))
	ok := true
	for n, pt := range parts {
		if !pt.p.given() {
			for _, later := range parts[n+1:] {
				if later.p.given() {
					c.add(c.place(i, field+"."+later.name), "is given without the %s: give every part from the year down", pt.name)
					ok = false
				}
			}
			break
		}
		n, err := strconv.Atoi(pt.p.raw)
		switch {
		case err != nil:
			c.add(c.place(i, field+"."+pt.name), "%s is not a whole number", quote(pt.p.raw))
			ok = false
		case n < pt.min || n > pt.max:
			c.add(c.place(i, field+"."+pt.name), "%s %d is not one of %d to %d", pt.name, n, pt.min, pt.max)
			ok = false
		}
		values = append(values, n)
	}
	if !ok || len(values) == 0 {
		if len(values) == 0 {
			c.add(c.place(i, field+".year"), "is missing: a date has at least its year")
		}
		return timeline.When{}
	}
	if len(values) >= 3 {
		if t := time.Date(values[0], time.Month(values[1]), values[2], 0, 0, 0, 0, time.UTC); t.Day() != values[2] {
			c.add(c.place(i, field+".day"), "%s has no day %d", time.Month(values[1]), values[2])
			return timeline.When{}
		}
	}
	// Timeline keeps time to the minute: seconds are dropped, never rounded.
	layouts := []string{"%04d", "%04d-%02d", "%04d-%02d-%02d", "%04d-%02d-%02dT%02d", "%04d-%02d-%02dT%02d:%02d"}
	if len(values) > len(layouts) {
		values = values[:len(layouts)]
	}
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	w, err := timeline.ParseWhen(fmt.Sprintf(layouts[len(values)-1], args...), Zone)
	if err != nil {
		c.add(c.place(i, field), "%v", err)
	}
	return w
}
