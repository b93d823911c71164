package web

import (
	"strconv"

	"github.com/timelinenews/timeline/internal/timeline"
)

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
	Action    string // the list's bare path
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
			days = append(days, Day{Key: key, Label: DayLabel(e.When), ID: id})
		}
		days[len(days)-1].Events = append(days[len(days)-1].Events, e)
	}
	return days
}
