package web

import (
	"slices"
	"strconv"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// TimelineView is the timeline page.
type TimelineView struct {
	Site  Site
	Head  Head
	Title string // the page's heading: the story's title, or the archive's
	Story string // the story's slug; "" for the whole archive's timeline
	// Overview is the picture of the view's events in time; nil without events.
	Overview *OverviewView
	// Description is the story's, or the archive's.
	Description string
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

// FilterForm is the state of the filter form, on the timeline and the claims.
type FilterForm struct {
	Action    string // the list's bare path
	Groups    []ActorGroup
	Kinds     []KindOption // nil on pages without a kind filter
	Role      timeline.Role
	Desc      bool
	Order     string // the list's order, one of timeline.Orders
	Contested bool
	Query     string // the search
	// Applied is set when any filter is applied: the form then stays open.
	Applied bool
	// Hidden are applied actors that are not listed in Groups (a filter form
	// at scale lists only the busiest); they stay applied.
	Hidden []timeline.Actor
	// From and To are the range's first and last days, for date inputs;
	// an end that is not a midnight (an hour the overview links to) is
	// kept as it is in FromExact or ToExact, a hidden input, instead.
	From, To, FromExact, ToExact string
}

// dateField is an end of a date range as the form gives it: a day for a
// date input, or an instant to keep as it is; both "" for none.
func dateField(t time.Time, days int) (day, exact string) {
	if t.IsZero() {
		return "", ""
	}
	v := rangeParam(t, days)
	if len(v) == len(DateParam) {
		return v, ""
	}
	return "", v
}

// Orders are the orders the form offers: by relevance only with a
// search, since without one the list falls back to time order.
func (f FilterForm) Orders() []string {
	if f.Query == "" {
		return slices.DeleteFunc(slices.Clone(timeline.Orders), func(o string) bool { return o == timeline.OrderRelevance })
	}
	return timeline.Orders
}

// orderValue is an order as the form sends it: the default as nothing,
// as its canonical URL writes it.
func orderValue(order string) string {
	if order == timeline.OrderOldest {
		return ""
	}
	return order
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

// NewFilterForm is the form's state for f on the list that list builds
// the URLs of, offering actors; withKinds adds the kinds of event. The form
// goes to the same list: a story's filters stay within the story.
func NewFilterForm(list ListPath, f timeline.Filter, actors []timeline.Actor, withKinds bool) FilterForm {
	form := FilterForm{Action: list(timeline.Filter{Story: f.Story}), Role: f.Role, Desc: f.Desc, Order: f.Order(), Contested: f.Contested, Query: f.Query,
		Applied: len(f.Actors)+len(f.Kinds) > 0 || f.Role != "" || f.Contested || !f.From.IsZero() || !f.To.IsZero() || f.Query != "",
		Groups:  GroupActors(actors, f.Actors)}
	form.From, form.FromExact = dateField(f.From, 0)
	form.To, form.ToExact = dateField(f.To, -1)
	if withKinds {
		form.Kinds = []KindOption{}
		for _, k := range timeline.EventKinds {
			form.Kinds = append(form.Kinds, KindOption{Kind: k, Checked: slices.Contains(f.Kinds, k)})
		}
	}
	return form
}

// GroupActors groups actors by kind, in the order of timeline.ActorKinds,
// each in the order given; the actors whose slugs are in checked are checked.
func GroupActors(actors []timeline.Actor, checked []string) []ActorGroup {
	var groups []ActorGroup
	byKind := map[timeline.ActorKind]int{}
	for _, a := range actors {
		i, ok := byKind[a.Kind]
		if !ok {
			i = len(groups)
			byKind[a.Kind] = i
			groups = append(groups, ActorGroup{Kind: a.Kind})
		}
		groups[i].Actors = append(groups[i].Actors, ActorOption{Actor: a, Checked: slices.Contains(checked, a.Slug)})
	}
	slices.SortStableFunc(groups, func(a, b ActorGroup) int {
		return slices.Index(timeline.ActorKinds, a.Kind) - slices.Index(timeline.ActorKinds, b.Kind)
	})
	return groups
}

// AppliedFilters lists each filter f applies as a chip with the URL, built
// by list, that removes it, and the URL that removes them all (leaving the
// story and the order); none and ""
// when no filter is applied. actors names the chosen actors by slug.
func AppliedFilters(list ListPath, f timeline.Filter, actors map[string]timeline.Actor) (chips []Link, clear string) {
	f.Earlier, f.Later = nil, nil // a chip leads to the first page
	if f.Query != "" {
		g := f
		g.Query = ""
		chips = append(chips, Link{Label: SearchChip(f.Query), URL: list(g)})
	}
	for _, slug := range f.Actors {
		g := f
		g.Actors = slices.DeleteFunc(slices.Clone(f.Actors), func(s string) bool { return s == slug })
		if len(g.Actors) == 0 {
			g.Role = ""
		}
		chips = append(chips, Link{Label: ActorChip(actors[slug]), URL: list(g)})
	}
	if f.Role != "" {
		g := f
		g.Role = ""
		chips = append(chips, Link{Label: RoleChip(f.Role), URL: list(g)})
	}
	for _, k := range f.Kinds {
		g := f
		g.Kinds = slices.DeleteFunc(slices.Clone(f.Kinds), func(x timeline.EventKind) bool { return x == k })
		chips = append(chips, Link{Label: KindChip(k), URL: list(g)})
	}
	if f.Contested {
		g := f
		g.Contested = false
		chips = append(chips, Link{Label: ContestedChip, URL: list(g)})
	}
	if !f.From.IsZero() || !f.To.IsZero() {
		g := f
		g.From, g.To = time.Time{}, time.Time{}
		chips = append(chips, Link{Label: DateRangeLabel(f), URL: list(g)})
	}
	if len(chips) == 0 {
		return nil, ""
	}
	return chips, list(timeline.Filter{Story: f.Story, Desc: f.Desc})
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
