package dataset

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/timelinenews/timeline/internal/timeline"
)

// validator checks records one at a time, keeping only what later records
// and the end-of-file checks need: the slugs seen and the answers.
type validator struct {
	problems []Problem
	more     int // problems past maxProblems

	actors, sources *slugSet
	via             []sourceJSON // sources with a via, checked at the end
	events          *slugSet
	former          map[string]string // former slug → event slug
	answers         []answer
	nActors         int
	nSources        int
	nEvents         int
	// allow is what the import takes that it refuses by default.
	allow timeline.Allowance
}

// answer is one answer, for the end-of-file checks: from answers to as typ.
type answer struct {
	from, to, typ string
}

func newValidator() *validator {
	return &validator{actors: newSlugSet(), sources: newSlugSet(), events: newSlugSet(), former: map[string]string{}}
}

func (v *validator) add(where, format string, args ...any) {
	if len(v.problems) >= maxProblems {
		v.more++
		return
	}
	v.problems = append(v.problems, Problem{Where: where, Message: fmt.Sprintf(format, args...)})
}

func (v *validator) ok() bool { return len(v.problems) == 0 }

// text checks a required or optional text field's presence and length,
// and reports whether it is fine.
func (v *validator) text(where, field, value string, required bool, maxLen int) bool {
	switch {
	case required && strings.TrimSpace(value) == "":
		v.add(where, "%s is required", field)
	case len(value) > maxLen && utf8.RuneCountInString(value) > maxLen:
		v.add(where, "%s is longer than %d characters: %s", field, maxLen, quote(value))
	case !utf8.ValidString(value):
		v.add(where, "%s is not valid UTF-8", field)
	default:
		return true
	}
	return false
}

func (v *validator) slug(where, field, value string) bool {
	if !timeline.ValidSlug(value) {
		if value == "" {
			v.add(where, "%s is required", field)
		} else {
			v.add(where, "%s %s must be lowercase letters, digits and single hyphens, at most %d characters", field, quote(value), maxSlug)
		}
		return false
	}
	return true
}

func (v *validator) header(f *fileJSON) {
	switch f.Format {
	case Format:
		v.slug("file", "story", f.Story)
	case FormatV1:
		if f.Story != "" {
			v.add("file", "a %s file does not name its story: write format %s to give it one", quote(FormatV1), quote(Format))
		}
	default:
		v.add("file", "format must be %s (or the older %s), not %s", quote(Format), quote(FormatV1), quote(f.Format))
	}
	v.text("file", "title", f.Title, false, maxTitle)
	v.text("file", "description", f.Description, false, maxSummary)
}

func (v *validator) actor(a *actorJSON) timeline.Actor {
	v.nActors++
	where := fmt.Sprintf("actor #%d", v.nActors)
	if timeline.ValidSlug(a.Slug) {
		where = "actor " + a.Slug
	}
	if v.slug(where, "slug", a.Slug) {
		if v.actors.add(a.Slug) {
			v.add(where, "duplicate actor slug %s", quote(a.Slug))
		}
	}
	v.text(where, "name", a.Name, true, maxName)
	if !timeline.ActorKind(a.Kind).Valid() {
		v.add(where, "unknown actor kind %s (want one of %s)", quote(a.Kind), list(timeline.ActorKinds))
	}
	v.text(where, "country", a.Country, false, maxName)
	v.text(where, "description", a.Description, false, maxSummary)
	return timeline.Actor{Slug: a.Slug, Name: a.Name, Kind: timeline.ActorKind(a.Kind), Country: a.Country, Description: a.Description}
}

func (v *validator) source(s *sourceJSON) timeline.Source {
	v.nSources++
	where := fmt.Sprintf("source #%d", v.nSources)
	if timeline.ValidSlug(s.Key) {
		where = "source " + s.Key
	}
	if v.slug(where, "key", s.Key) {
		if v.sources.add(s.Key) {
			v.add(where, "duplicate source key %s", quote(s.Key))
		}
	}
	v.text(where, "outlet", s.Outlet, true, maxName)
	v.text(where, "title", s.Title, false, maxTitle)
	v.text(where, "url", s.URL, false, maxURL)
	if s.URL != "" && !timeline.WebURL(s.URL) {
		v.add(where, "url %s must be an absolute http or https address", quote(s.URL))
	}
	if v.text(where, "published", s.Published, false, maxWhen) && s.Published != "" {
		if _, err := time.Parse("2006-01-02", s.Published); err != nil {
			v.add(where, "published %s is not a real date (want YYYY-MM-DD)", quote(s.Published))
		}
	}
	if !v.text(where, "via", s.Via, false, maxSlug) {
		s.Via = ""
	}
	if s.Via == s.Key && s.Via != "" {
		v.add(where, "via names the source itself")
	} else if s.Via != "" {
		v.via = append(v.via, *s)
	}
	return timeline.Source{Key: s.Key, Outlet: s.Outlet, URL: s.URL, Title: s.Title, Published: s.Published, Via: s.Via}
}

// stamp reads an event's added or changed time; zero where it has none
// or it is not one.
func (v *validator) stamp(where, field, text string) time.Time {
	if text == "" || !v.text(where, field, text, false, maxWhen) {
		return time.Time{}
	}
	t, err := time.Parse(stampLayout, text)
	if err != nil {
		v.add(where, "%s %s is not a time written as RFC 3339 (2023-05-03T14:30:00Z)", field, quote(text))
		return time.Time{}
	}
	return t.UTC()
}

// event checks one event. Actors and sources must come before the events
// that use them; answers may point forward and are checked at the end.
func (v *validator) event(e *eventJSON) *timeline.Event {
	v.nEvents++
	where := "event " + e.Slug
	if !timeline.ValidSlug(e.Slug) {
		where = fmt.Sprintf("event #%d", v.nEvents)
	}
	if v.slug(where, "slug", e.Slug) {
		if v.events.add(e.Slug) {
			v.add(where, "duplicate event slug %s", quote(e.Slug))
		}
	}
	if len(e.FormerSlugs) > maxFormerSlugs {
		v.add(where, "has %d former slugs: an event has at most %d", len(e.FormerSlugs), maxFormerSlugs)
		e.FormerSlugs = e.FormerSlugs[:maxFormerSlugs]
	}
	for _, former := range e.FormerSlugs {
		if !v.slug(where, "former slug", former) {
			continue
		}
		switch other, taken := v.former[former]; {
		case former == e.Slug:
			v.add(where, "former slug %s is the event's own slug", quote(former))
		case taken && other != e.Slug:
			v.add(where, "former slug %s is already a former slug of event %s", quote(former), other)
		}
		if timeline.ValidSlug(e.Slug) {
			v.former[former] = e.Slug
		}
	}
	v.text(where, "title", e.Title, true, maxTitle)
	v.text(where, "summary", e.Summary, true, maxSummary)
	v.text(where, "body", e.Body, false, maxBody)
	v.text(where, "location", e.Location, false, maxName)
	v.text(where, "display_date", e.DisplayDate, false, maxName)
	if !timeline.EventKind(e.Kind).Valid() {
		v.add(where, "unknown event kind %s (want one of %s)", quote(e.Kind), list(timeline.EventKinds))
	}
	v.text(where, "when_note", e.WhenNote, e.WhenInfer, maxSummary)
	if e.WhenNote != "" && !e.WhenInfer {
		v.add(where, "when_note says how a date was inferred: set when_inferred to true, or drop the note")
	}
	added, changed := v.stamp(where, "added", e.Added), v.stamp(where, "changed", e.Changed)
	if !added.IsZero() && !changed.IsZero() && changed.Before(added) {
		v.add(where, "changed (%s) is before added (%s): an event is changed after it is added", e.Changed, e.Added)
	}
	ev := &timeline.Event{Slug: e.Slug, FormerSlugs: e.FormerSlugs, Title: e.Title, Summary: e.Summary, Body: e.Body,
		Added: added, Changed: changed,
		Kind: timeline.EventKind(e.Kind), Location: e.Location,
		AccordingTo: timeline.Actor{Slug: e.AccordingTo}, WhenInferred: e.WhenInfer, WhenNote: e.WhenNote, DisplayDate: e.DisplayDate,
		Actors:  make([]timeline.EventActor, 0, len(e.Actors)),
		Sources: make([]timeline.Citation, 0, len(e.Sources))}
	if !v.text(where, "when", e.When, false, maxWhen) || !v.text(where, "zone", e.Zone, false, maxWhen) ||
		!v.text(where, "until", e.Until, false, maxWhen) {
		e.When, e.Until, e.Zone = "", "", "" // too long to parse or to show
	}
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
		case !until.Start.After(when.Start) || until.End().Before(when.End()):
			v.add(where, "until %s is not after when %s", quote(e.Until), quote(e.When))
		}
		ev.Until = until
	}

	if len(e.Actors) > maxEventActors {
		v.add(where, "has %d actors: an event names at most %d", len(e.Actors), maxEventActors)
		e.Actors = e.Actors[:maxEventActors]
	}
	listed := map[string]bool{}
	for _, a := range e.Actors {
		if !v.actors.has(a.Actor) {
			v.add(where, "unknown actor %s (actors must be listed before the events that name them)", quote(a.Actor))
		}
		if !timeline.Role(a.Role).Valid() {
			v.add(where, "actor %s: unknown role %s (want one of %s)", quote(a.Actor), quote(a.Role), list(timeline.Roles))
		}
		if listed[a.Actor] {
			v.add(where, "actor %s is listed twice: an actor has one role in an event", quote(a.Actor))
		}
		listed[a.Actor] = true
		ev.Actors = append(ev.Actors, timeline.EventActor{Actor: timeline.Actor{Slug: a.Actor}, Role: timeline.Role(a.Role)})
	}
	ev.Unattributed = e.Unattributed
	v.attribution(where, ev)

	if e.AccordingTo != "" && !listed[e.AccordingTo] {
		v.add(where, "according_to %q is not among the event's actors: name the actor whose account it is in actors too", e.AccordingTo)
	}

	if len(e.Sources) > maxEventSources {
		v.add(where, "has %d sources: an event cites at most %d", len(e.Sources), maxEventSources)
		e.Sources = e.Sources[:maxEventSources]
	}
	for _, c := range e.Sources {
		if !v.sources.has(c.Source) {
			v.add(where, "unknown source %s (sources must be listed before the events that cite them)", quote(c.Source))
		}
		v.text(where, "quote from "+quote(c.Source), c.Quote, false, maxQuote)
		ev.Sources = append(ev.Sources, timeline.Citation{Source: timeline.Source{Key: c.Source}, Quote: c.Quote})
	}
	ev.Unsourced = e.Unsourced
	v.sourcing(where, ev)

	if len(e.Answers) > maxEventAnswers {
		v.add(where, "has %d answers: an event answers at most %d", len(e.Answers), maxEventAnswers)
		e.Answers = e.Answers[:maxEventAnswers]
	}
	answered := map[answerJSON]bool{}
	for _, a := range e.Answers {
		if a.Event == e.Slug {
			v.add(where, "answers itself")
		} else if timeline.ValidSlug(e.Slug) {
			v.answers = append(v.answers, answer{from: e.Slug, to: a.Event, typ: a.Type})
		}
		if !timeline.AnswerType(a.Type).Valid() {
			v.add(where, "answers %s: unknown type %s (want one of %s)", quote(a.Event), quote(a.Type), list(timeline.AnswerTypes))
		}
		if answered[a] {
			v.add(where, "answers %s as %s twice", quote(a.Event), quote(a.Type))
		}
		answered[a] = true
		ev.Answers = append(ev.Answers, timeline.Answer{Type: timeline.AnswerType(a.Type), Event: timeline.EventRef{Slug: a.Event}})
	}
	return ev
}

// backingWords are what a problem of an event's backing says: it lacks
// what every event has, it is marked as lacking it, or it has it and says
// it does not (its count in the %d).
type backingWords struct{ missing, marked, markedBut string }

var (
	sourcingWords = backingWords{
		missing:   "has no source: add one to its sources (every event needs at least one), or import with --allow-unsourced to publish it marked unsourced",
		marked:    "is marked unsourced: add a source and drop \"unsourced\", or import with --allow-unsourced to publish it marked unsourced",
		markedBut: "is marked unsourced but cites %d source(s): drop \"unsourced\"",
	}
	attributionWords = backingWords{
		missing:   "has no actors: every event says who did or said it; name one in its actors, or import with --allow-unattributed to publish it marked as naming no one",
		marked:    "is marked unattributed: name an actor and drop \"unattributed\", or import with --allow-unattributed to publish it marked as naming no one",
		markedBut: "is marked unattributed but names %d actor(s): drop \"unattributed\"",
	}
)

// sourcing checks that the event cites a source, or is allowed to cite
// none, and marks it unsourced then.
func (v *validator) sourcing(where string, ev *timeline.Event) {
	ev.Unsourced = v.backing(where, timeline.SourcingOf(ev), v.allow.Unsourced, len(ev.Sources), sourcingWords)
}

// attribution checks that the event names an actor, or is allowed to name
// none, and marks it unattributed then.
func (v *validator) attribution(where string, ev *timeline.Event) {
	ev.Unattributed = v.backing(where, timeline.AttributionOf(ev), v.allow.Unattributed, len(ev.Actors), attributionWords)
}

// backing reports a backing the import does not take, and whether an event
// it takes is to be marked as lacking it.
func (v *validator) backing(where string, b timeline.Backing, allowed bool, has int, say backingWords) (marked bool) {
	if b.Acceptable(allowed) {
		return b != timeline.Backed
	}
	switch b {
	case timeline.Missing:
		v.add(where, "%s", say.missing)
	case timeline.MarkedMissing:
		v.add(where, "%s", say.marked)
	case timeline.MarkedButBacked:
		v.add(where, say.markedBut, has)
	}
	return false
}

// finish runs the checks that need the whole file.
func (v *validator) finish() {
	for _, s := range v.via {
		if !v.sources.has(s.Via) {
			v.add("source "+s.Key, "via names unknown source %s", quote(s.Via))
		}
	}
	for former, owner := range v.former {
		if v.events.has(former) {
			v.add("event "+owner, "former slug %s is the slug of another event", quote(former))
		}
	}
	for _, a := range v.answers {
		if !v.events.has(a.to) {
			v.add("event "+a.from, "answers unknown event %s", quote(a.to))
		}
	}
	for _, c := range findCycles(v.answers) {
		v.add("event "+c.slugs[0], "%s", c)
	}
	if v.more > 0 {
		v.problems = append(v.problems, Problem{Where: "file", Message: fmt.Sprintf("and %d more problems", v.more)})
	}
}

func list[T ~string](values []T) string {
	parts := make([]string, len(values))
	for i, v := range values {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}
