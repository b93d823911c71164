package web

import (
	"strconv"
	"strings"

	"github.com/timelinenews/timeline/internal/timeline"
)

// Site is what every page knows about the site.
type Site struct {
	Name    string
	BaseURL string // absolute, without a trailing slash
}

// Head describes a page to the layout: its title, its summary for previews,
// its canonical path, and structured data.
type Head struct {
	Title       string
	Description string
	Path        string // canonical path and query; "" for pages not to be indexed
	OGType      string // "website" or "article"
	JSONLD      any    // schema.org data, or nil
	Section     string // the navigation entry to mark current: "timeline", "claims", "actors"
}

// Absolute makes a site path absolute with the base URL.
func (s Site) Absolute(path string) string { return s.BaseURL + path }

// Link is a labelled URL.
type Link struct {
	Label string
	URL   string
}

// TimelineView is the timeline page.
type TimelineView struct {
	Site  Site
	Head  Head
	Title string // the page's heading: the story's title, or the site's name
	Story timeline.Story
	// Outside is the event a ?around= view was asked to show when the
	// filters leave it out: the page says so and links the unfiltered view.
	Outside *Link
	// Start is the first page of this view when the reader is on another.
	Start   string
	Form    FilterForm
	Applied []Link // each applied filter, with the URL that removes it
	Clear   string // URL without any filter; "" when none is applied
	Days    []Day
	Earlier string // URL of the earlier page, "" when there is none
	Later   string
}

// FilterForm is the state of the filter form.
type FilterForm struct {
	Action    string // "/" or "/claims"
	Groups    []ActorGroup
	Kinds     []KindOption // nil on pages without a kind filter
	Role      timeline.Role
	Desc      bool
	Contested bool
	// Applied is set when any filter is applied: the form then stays open.
	Applied bool
	// Hidden are applied actors that are not listed in Groups (a filter form
	// at scale lists only the busiest); they stay applied.
	Hidden []timeline.Actor
}

// ActorGroup is a kind of actor with its actors.
type ActorGroup struct {
	Kind   timeline.ActorKind
	Actors []ActorOption
}

// ActorOption is an actor in the filter form.
type ActorOption struct {
	Actor   timeline.Actor
	Checked bool
}

// KindOption is an event kind in the filter form.
type KindOption struct {
	Kind    timeline.EventKind
	Checked bool
}

// Day is a heading in the timeline and the events under it.
type Day struct {
	Key    string // "2023-05-03"
	Label  string // "Wednesday 3 May 2023"
	ID     string // the heading's id, unique on the page
	Events []timeline.Event
}

// GroupByDay groups events, already in display order, under their local
// day. Events are in the order they happened and each is under its own
// local day, so with several time zones a day can come round again (late on
// 3 May in New York is after the early hours of 4 May in Moscow): it then
// gets a heading of its own, with an id of its own.
func GroupByDay(events []timeline.Event) []Day {
	var days []Day
	seen := map[string]int{}
	for _, e := range events {
		key := e.When.DayKey()
		if len(days) == 0 || days[len(days)-1].Key != key {
			seen[key]++
			id := "day--" + key // "--" never occurs in a slug, so no event id can equal it
			if n := seen[key]; n > 1 {
				id += "--" + strconv.Itoa(n)
			}
			days = append(days, Day{Key: key, Label: e.When.DayLabel(), ID: id})
		}
		days[len(days)-1].Events = append(days[len(days)-1].Events, e)
	}
	return days
}

// EventView is an event's own page.
type EventView struct {
	Site       Site
	Head       Head
	Event      timeline.Event
	Prev, Next *timeline.EventRef
}

// ActorsView lists actors: the busiest of each kind, or the finder's results.
type ActorsView struct {
	Site    Site
	Head    Head
	Query   string
	Results []timeline.Actor // when Query is set
	Groups  []ActorGroup     // when it is not
}

// ActorView is an actor's page.
type ActorView struct {
	Site   Site
	Head   Head
	Actor  timeline.Actor
	ByRole []RoleEvents
}

// RoleEvents are an actor's events in one role.
type RoleEvents struct {
	Role   timeline.Role
	Events []timeline.Event
	More   string // URL of the filtered timeline when there are more
}

// ThreadView is a whole exchange.
type ThreadView struct {
	Site   Site
	Head   Head
	From   timeline.Event // the event the reader came from
	Events []timeline.Event
}

// ClaimsView lists claims with every answer beside them.
type ClaimsView struct {
	Site    Site
	Head    Head
	Form    FilterForm
	Applied []Link
	Clear   string
	Claims  []Claim
	Earlier string
	Later   string
}

// ClaimView is one claim's page.
type ClaimView struct {
	Site  Site
	Head  Head
	Claim Claim
}

// Claim is a claim or accusation and where every actor stands on it.
type Claim struct {
	Event   timeline.Event
	Stances []Stance
}

// Stance is one actor's position on a claim, from one event.
type Stance struct {
	Actor  timeline.Actor
	Stance timeline.Stance
	Event  timeline.EventRef
}

// ClaimOf lays out where everyone stands on e: its speakers assert it, and
// the speakers of each answer take the answer's stance.
func ClaimOf(e timeline.Event) Claim {
	c := Claim{Event: e}
	ref := e.Ref()
	if len(e.Sources) > 0 {
		ref.Quote = e.Sources[0].Quote
	}
	for _, a := range e.ActorsIn(timeline.RoleSpeaker) {
		c.Stances = append(c.Stances, Stance{Actor: a, Stance: timeline.StanceAsserts, Event: ref})
	}
	for _, r := range e.AnsweredBy {
		for _, a := range r.Event.Speakers {
			c.Stances = append(c.Stances, Stance{Actor: a, Stance: timeline.StanceOf(r.Type), Event: r.Event})
		}
	}
	return c
}

// ErrorView is an error page.
type ErrorView struct {
	Site    Site
	Head    Head
	Status  int
	Message string
	Links   []Link
}

// AnswerGroup is the answers of one type to an event: "Denied by …".
type AnswerGroup struct {
	Type    timeline.AnswerType
	Answers []timeline.Answer
}

// GroupAnswers groups an event's answers by type, in order of first appearance.
func GroupAnswers(rels []timeline.Answer) []AnswerGroup {
	var groups []AnswerGroup
	for _, r := range rels {
		i := 0
		for i < len(groups) && groups[i].Type != r.Type {
			i++
		}
		if i == len(groups) {
			groups = append(groups, AnswerGroup{Type: r.Type})
		}
		groups[i].Answers = append(groups[i].Answers, r)
	}
	return groups
}

// SpeakerNames names who spoke in an event: "Zelensky and Ukraine".
func SpeakerNames(actors []timeline.Actor) string {
	names := make([]string, len(actors))
	for i, a := range actors {
		names[i] = a.Name
	}
	switch len(names) {
	case 0:
		return "unattributed"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// ShortDate is a compact date for inline mentions: "4 May".
func ShortDate(w timeline.When) string {
	switch w.Precision {
	case timeline.PrecisionYear:
		return w.Start.Format("2006")
	case timeline.PrecisionMonth:
		return w.Start.Format("Jan 2006")
	}
	return w.Start.Format("2 Jan 2006")
}

// EventPath is an event's permalink path.
func EventPath(slug string) string { return "/events/" + slug }

// ActorPath is an actor's page path.
func ActorPath(slug string) string { return "/actors/" + slug }
