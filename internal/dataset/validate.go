package dataset

import (
	"fmt"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/timelinenews/timeline/internal/timeline"
)

// Bounds on text fields, generous for editors and firm against accidents.
const (
	maxTitle   = 300
	maxSummary = 4000
	maxBody    = 100000
	maxQuote   = 10000
)

type validator struct {
	problems []Problem
}

func (v *validator) add(where, format string, args ...any) {
	v.problems = append(v.problems, Problem{Where: where, Message: fmt.Sprintf(format, args...)})
}

// text checks a required or optional text field's presence and length.
func (v *validator) text(where, field, value string, required bool, maxLen int) {
	switch {
	case required && strings.TrimSpace(value) == "":
		v.add(where, "%s is required", field)
	case utf8.RuneCountInString(value) > maxLen:
		v.add(where, "%s is longer than %d characters", field, maxLen)
	case !utf8.ValidString(value):
		v.add(where, "%s is not valid UTF-8", field)
	}
}

func (v *validator) slug(where, field, value string) bool {
	if !timeline.ValidSlug(value) {
		if value == "" {
			v.add(where, "%s is required", field)
		} else {
			v.add(where, "%s %q must be lowercase letters, digits and single hyphens", field, value)
		}
		return false
	}
	return true
}

// validate checks the whole file, collecting every problem, and converts it.
func validate(f *fileJSON) (*timeline.Dataset, error) {
	v := &validator{}
	ds := &timeline.Dataset{Title: f.Title, Description: f.Description}
	if f.Format != Format {
		v.add("file", "format must be %q, not %q", Format, f.Format)
	}
	v.text("file", "title", f.Title, false, maxTitle)
	v.text("file", "description", f.Description, false, maxSummary)

	actors := make(map[string]bool, len(f.Actors))
	for i, a := range f.Actors {
		where := fmt.Sprintf("actor #%d", i+1)
		if a.Slug != "" {
			where = "actor " + a.Slug
		}
		if v.slug(where, "slug", a.Slug) {
			if actors[a.Slug] {
				v.add(where, "duplicate actor slug %q", a.Slug)
			}
			actors[a.Slug] = true
		}
		v.text(where, "name", a.Name, true, maxTitle)
		if !timeline.ActorKind(a.Kind).Valid() {
			v.add(where, "unknown actor kind %q (want one of %s)", a.Kind, list(timeline.ActorKinds))
		}
		v.text(where, "description", a.Description, false, maxSummary)
		ds.Actors = append(ds.Actors, timeline.Actor{Slug: a.Slug, Name: a.Name, Kind: timeline.ActorKind(a.Kind), Country: a.Country, Description: a.Description})
	}

	sources := make(map[string]bool, len(f.Sources))
	for _, s := range f.Sources {
		sources[s.Key] = true
	}
	seenSources := make(map[string]bool, len(f.Sources))
	for i, s := range f.Sources {
		where := fmt.Sprintf("source #%d", i+1)
		if s.Key != "" {
			where = "source " + s.Key
		}
		if v.slug(where, "key", s.Key) {
			if seenSources[s.Key] {
				v.add(where, "duplicate source key %q", s.Key)
			}
			seenSources[s.Key] = true
		}
		v.text(where, "outlet", s.Outlet, true, maxTitle)
		v.text(where, "title", s.Title, false, maxTitle)
		if s.URL != "" && !WebURL(s.URL) {
			v.add(where, "url %q must be an absolute http or https address", s.URL)
		}
		if s.Published != "" {
			if _, err := time.Parse("2006-01-02", s.Published); err != nil {
				v.add(where, "published %q is not a real date (want YYYY-MM-DD)", s.Published)
			}
		}
		switch {
		case s.Via == "":
		case s.Via == s.Key:
			v.add(where, "via names the source itself")
		case !sources[s.Via]:
			v.add(where, "via names unknown source %q", s.Via)
		}
		ds.Sources = append(ds.Sources, timeline.Source{Key: s.Key, Outlet: s.Outlet, URL: s.URL, Title: s.Title, Published: s.Published, Via: s.Via})
	}

	// Every slug an event has held, current or former, names only it.
	owner := make(map[string]string, len(f.Events))
	current := make(map[string]bool, len(f.Events))
	for _, e := range f.Events {
		if e.Slug == "" {
			continue
		}
		current[e.Slug] = true
		if _, dup := owner[e.Slug]; !dup {
			owner[e.Slug] = e.Slug
		}
	}
	seenEvents := make(map[string]bool, len(f.Events))
	for i, e := range f.Events {
		where := fmt.Sprintf("event #%d", i+1)
		if e.Slug != "" {
			where = "event " + e.Slug
		}
		if v.slug(where, "slug", e.Slug) {
			if seenEvents[e.Slug] {
				v.add(where, "duplicate event slug %q", e.Slug)
			}
			seenEvents[e.Slug] = true
		}
		for _, former := range e.FormerSlugs {
			if !v.slug(where, "former slug", former) {
				continue
			}
			if other, taken := owner[former]; taken && other != e.Slug {
				v.add(where, "former slug %q is already the slug or a former slug of event %s", former, other)
			} else if other == e.Slug && former == e.Slug {
				v.add(where, "former slug %q is the event's own slug", former)
			}
			owner[former] = e.Slug
		}
		v.text(where, "title", e.Title, true, maxTitle)
		v.text(where, "summary", e.Summary, true, maxSummary)
		v.text(where, "body", e.Body, false, maxBody)
		v.text(where, "location", e.Location, false, maxTitle)
		if !timeline.EventKind(e.Kind).Valid() {
			v.add(where, "unknown event kind %q (want one of %s)", e.Kind, list(timeline.EventKinds))
		}
		ev := timeline.Event{Slug: e.Slug, FormerSlugs: e.FormerSlugs, Title: e.Title, Summary: e.Summary, Body: e.Body,
			Kind: timeline.EventKind(e.Kind), Location: e.Location}
		when, err := timeline.ParseWhen(e.When, e.Zone)
		if err != nil {
			v.add(where, "when: %v", err)
		}
		ev.When = when
		if e.Until != "" && err == nil {
			until, err := timeline.ParseWhen(e.Until, e.Zone)
			switch {
			case err != nil:
				v.add(where, "until: %v", err)
			case until.End().Before(when.End()) || !until.Start.After(when.Start):
				v.add(where, "until %q is not after when %q", e.Until, e.When)
			}
			ev.Until = until
		}

		if len(e.Actors) == 0 {
			v.add(where, "has no actors: every event says who did or said it")
		}
		roles := map[eventActorJSON]bool{}
		for _, a := range e.Actors {
			if !actors[a.Actor] {
				v.add(where, "unknown actor %q", a.Actor)
			}
			if !timeline.Role(a.Role).Valid() {
				v.add(where, "actor %s: unknown role %q (want one of %s)", a.Actor, a.Role, list(timeline.Roles))
			}
			if roles[a] {
				v.add(where, "actor %s is listed twice as %s", a.Actor, a.Role)
			}
			roles[a] = true
			ev.Actors = append(ev.Actors, timeline.EventActor{Actor: timeline.Actor{Slug: a.Actor}, Role: timeline.Role(a.Role)})
		}

		if len(e.Sources) == 0 {
			v.add(where, "has no source: every event needs at least one")
		}
		for _, c := range e.Sources {
			if !sources[c.Source] {
				v.add(where, "unknown source %q", c.Source)
			}
			v.text(where, "quote from "+c.Source, c.Quote, false, maxQuote)
			ev.Sources = append(ev.Sources, timeline.Citation{Source: timeline.Source{Key: c.Source}, Quote: c.Quote})
		}

		answered := map[answerJSON]bool{}
		for _, r := range e.Answers {
			switch {
			case r.Event == e.Slug:
				v.add(where, "answers itself")
			case !current[r.Event]:
				v.add(where, "answers unknown event %q", r.Event)
			}
			if !timeline.RelationType(r.Type).Valid() {
				v.add(where, "answers %s: unknown type %q (want one of %s)", r.Event, r.Type, list(timeline.RelationTypes))
			}
			if answered[r] {
				v.add(where, "answers %s as %s twice", r.Event, r.Type)
			}
			answered[r] = true
			ev.Answers = append(ev.Answers, timeline.Relation{Type: timeline.RelationType(r.Type), Event: timeline.EventRef{Slug: r.Event}})
		}
		ds.Events = append(ds.Events, ev)
	}
	for _, c := range findCycles(f.Events) {
		v.add("event "+c.slugs[0], "%s", c)
	}
	if len(v.problems) > 0 {
		return nil, &InvalidError{Problems: v.problems}
	}
	return ds, nil
}

// WebURL reports whether s is an absolute http or https URL, the only links
// Timeline shows.
func WebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

func list[T ~string](values []T) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}
