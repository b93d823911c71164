package web

import (
	"strconv"
	"strings"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// The overview is drawn in a box of fixed units that CSS scales to the
// column: bars share its width, each lane has its own height.
const (
	overviewWidth     = 480
	overviewLaneTop   = 14 // room for the lane's name
	overviewBarHeight = 40
	overviewMark      = 4 // the line under the periods of the page read
	overviewLane      = overviewLaneTop + overviewBarHeight + overviewMark + 4
)

// OverviewView is the picture of a list's events in time, above the list.
type OverviewView struct {
	// TooManyMatches is set, and nothing else, for a search of more
	// matches than the picture counts: a sentence stands in for it.
	TooManyMatches bool
	// Empty is set where the view has no event at all: only the title,
	// the way back to all dates and the events its dates cut are shown.
	Empty  bool
	Title  string // "Events by day"
	Width  string // of the viewBox, in units
	Height string
	// Whole is the view with its dates cleared, when the view has a date range.
	Whole string
	Lanes []OverviewLaneView
	// Axis names the first period, under the left end, and when there are
	// more the last, under the right, so that a reader sees the span without
	// hovering. It is text beside the picture, so that it keeps its size
	// when the picture is scaled down to a phone.
	Axis []string
	// Legend says what each fill stands for, in words beside a swatch.
	Legend []OverviewKey
	// Spread is the events known less precisely than a bar, in words, each
	// with a link to the view narrowed to the period they are known to be in.
	Spread []OverviewSpreadView
	// Cut is the events known only to a period the view's dates cut, in
	// the same words: not in the view, though they may fall in its dates.
	Cut []OverviewSpreadView
	// Rows are the periods in words, for the table that stands for the
	// picture, the spread ones last.
	Rows []OverviewRow
}

// OverviewSpreadView is one period of events drawn in no bar: its name,
// the view narrowed to it, and the counts of each lane in words.
type OverviewSpreadView struct {
	Label, URL, Counts string
}

// OverviewKey is one entry of the legend: the class of the swatch and its words.
type OverviewKey struct {
	Class, Label string
}

// OverviewLaneView is one lane: every event's, or one actor's.
type OverviewLaneView struct {
	Name  string
	NameY string
	Bars  []OverviewBar
	Marks []OverviewRect // under the periods of the page read
}

// OverviewBar is one period of a lane that has events: a link that
// narrows the view to it, named with its counts, drawn as stacked parts.
type OverviewBar struct {
	URL   string
	Label string
	Parts []OverviewRect
}

// OverviewRect is a rectangle of the picture; Class says what it draws.
type OverviewRect struct {
	Class               string
	X, Y, Width, Height string
}

// OverviewRow is a period of the table: its name, the counts of each lane
// in words, and whether the page read has events in it.
type OverviewRow struct {
	Period   string
	Counts   []string
	ThisPage bool
}

// overviewClass is the CSS class of each class of events: the fills are
// patterns, so that the picture reads without colour.
var overviewClass = map[timeline.EventClass]string{timeline.ClassClaim: "ov-claim", timeline.ClassContesting: "ov-contesting", timeline.ClassOther: "ov-other"}

// NewOverview draws o, the overview of f's view on the list that list
// builds the URLs of, with the periods that hold page (the events read)
// marked. actors names the chosen actors by slug. A view without events
// has no picture: nil.
func NewOverview(list ListPath, f timeline.Filter, o *timeline.Overview, page []timeline.Event, actors map[string]timeline.Actor) *OverviewView {
	if o != nil && o.TooManyMatches {
		return &OverviewView{TooManyMatches: true}
	}
	if o == nil || len(o.Buckets) == 0 {
		return nil
	}
	f.Earlier, f.Later = nil, nil
	n := len(o.Buckets)
	step := overviewWidth / n
	v := &OverviewView{Title: OverviewTitle(o.Period), Width: strconv.Itoa(step * n), Height: strconv.Itoa(overviewLane * len(o.Lanes)),
		Empty: !o.InBars() && len(o.Spread) == 0}
	v.Axis = append(v.Axis, PeriodLabel(o.Period, o.Buckets[0]))
	if n > 1 {
		v.Axis = append(v.Axis, PeriodLabel(o.Period, o.Buckets[n-1]))
	}
	for _, c := range timeline.EventClasses {
		v.Legend = append(v.Legend, OverviewKey{Class: overviewClass[c], Label: ClassLegend(c)})
	}
	v.Legend = append(v.Legend, OverviewKey{Class: "ov-page", Label: OverviewThisPage})
	if !f.From.IsZero() || !f.To.IsZero() {
		g := f
		g.From, g.To = time.Time{}, time.Time{}
		v.Whole = list(g)
	}
	onPage := make([]bool, n)
	for _, e := range page {
		key := e.When.SortKey()
		for i, b := range o.Buckets {
			if key >= b.Start.Unix() && key < b.End.Unix() {
				onPage[i] = true
			}
		}
	}
	for i, b := range o.Buckets {
		row := OverviewRow{Period: PeriodLabel(o.Period, b), ThisPage: onPage[i]}
		for _, lane := range o.Lanes {
			row.Counts = append(row.Counts, TallyLabel(lane.Tallies[i]))
		}
		v.Rows = append(v.Rows, row)
	}
	// spreadView is a period of events drawn in no bar, in words, with the
	// view narrowed to it.
	spreadView := func(sp timeline.OverviewSpread) OverviewSpreadView {
		g := f
		g.From, g.To = sp.Span.Start, sp.Span.End
		var counts []string
		for li, t := range sp.Tallies {
			if t.Total() == 0 {
				continue
			}
			if len(o.Lanes) > 1 {
				counts = append(counts, laneName(o.Lanes[li], actors)+": "+TallyLabel(t))
			} else {
				counts = append(counts, TallyLabel(t))
			}
		}
		return OverviewSpreadView{Label: SpreadLabel(sp.Period, sp.Span), URL: list(g), Counts: strings.Join(counts, "; ")}
	}
	for _, sp := range o.Spread {
		row := OverviewRow{Period: SpreadLabel(sp.Period, sp.Span)}
		for _, t := range sp.Tallies {
			row.Counts = append(row.Counts, TallyLabel(t))
		}
		v.Rows = append(v.Rows, row)
		v.Spread = append(v.Spread, spreadView(sp))
	}
	for _, sp := range o.Cut {
		v.Cut = append(v.Cut, spreadView(sp))
	}
	for li, lane := range o.Lanes {
		top := li * overviewLane
		lv := OverviewLaneView{Name: laneName(lane, actors), NameY: strconv.Itoa(top + overviewLaneTop - 3)}
		most := 0
		for _, t := range lane.Tallies {
			most = max(most, t.Total())
		}
		base := top + overviewLaneTop + overviewBarHeight
		for i, t := range lane.Tallies {
			x := strconv.Itoa(i * step)
			if onPage[i] {
				lv.Marks = append(lv.Marks, OverviewRect{Class: "ov-page", X: x, Y: strconv.Itoa(base + 2), Width: strconv.Itoa(step), Height: strconv.Itoa(overviewMark)})
			}
			if t.Total() == 0 {
				continue // nothing to narrow to
			}
			g := f
			g.From, g.To = o.Buckets[i].Start, o.Buckets[i].End
			bar := OverviewBar{URL: list(g), Label: PeriodLabel(o.Period, o.Buckets[i]) + ": " + TallyLabel(t)}
			// Heights are rounded up so that a single event stays visible.
			y := base
			for _, c := range timeline.EventClasses {
				if t[c] == 0 {
					continue
				}
				h := max(1, (t[c]*overviewBarHeight+most-1)/most)
				y -= h
				bar.Parts = append(bar.Parts, OverviewRect{Class: overviewClass[c], X: x, Y: strconv.Itoa(y), Width: strconv.Itoa(max(1, step-1)), Height: strconv.Itoa(h)})
			}
			lv.Bars = append(lv.Bars, bar)
		}
		v.Lanes = append(v.Lanes, lv)
	}
	return v
}

// laneName names a lane: every event's, or its actor's.
func laneName(lane timeline.OverviewLane, actors map[string]timeline.Actor) string {
	if lane.Actor == "" {
		return OverviewAllEvents
	}
	return actorName(actors, lane.Actor)
}

func actorName(actors map[string]timeline.Actor, slug string) string {
	if a, ok := actors[slug]; ok && a.Name != "" {
		return a.Name
	}
	return slug
}
