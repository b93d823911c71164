package timeline

import (
	"slices"
	"time"
)

// Period is the length of time one bar of an overview counts.
type Period string

const (
	PeriodHour  Period = "hour"
	PeriodDay   Period = "day"
	PeriodWeek  Period = "week" // from Monday, as ISO 8601 counts weeks
	PeriodMonth Period = "month"
	PeriodYear  Period = "year"
	// Longer periods for archives of many years: dates run from year 0 to
	// 9999, so millennia always fit in MaxOverviewBars.
	PeriodDecade     Period = "decade"
	PeriodCentury    Period = "century"
	PeriodMillennium Period = "millennium"
)

// Periods lists the periods from the shortest.
var Periods = []Period{PeriodHour, PeriodDay, PeriodWeek, PeriodMonth, PeriodYear, PeriodDecade, PeriodCentury, PeriodMillennium}

// years is the number of years in p, for periods of whole years; 0 for shorter ones.
func (p Period) years() int {
	switch p {
	case PeriodYear:
		return 1
	case PeriodDecade:
		return 10
	case PeriodCentury:
		return 100
	case PeriodMillennium:
		return 1000
	}
	return 0
}

// Period is the shortest period that holds any time known to precision
// p: an hour for a time to the minute or the hour, a day for a part of a
// day or a day, then the month and the year.
func (p Precision) Period() Period {
	switch p {
	case PrecisionYear:
		return PeriodYear
	case PrecisionMonth:
		return PeriodMonth
	case PrecisionDay, PrecisionPartOfDay:
		return PeriodDay
	}
	return PeriodHour
}

// Holds reports whether an event known to precision pr is known to fall
// in one period of p, so that a bar of p may count it: a day's bar holds
// an event of the early hours of that day, not one known only as "May
// 2023", which a bar would pin to a day no source gives.
func (p Period) Holds(pr Precision) bool { return !pr.Period().longerThan(p) }

// longerThan reports whether p is a longer period than q.
func (p Period) longerThan(q Period) bool { return slices.Index(Periods, p) > slices.Index(Periods, q) }

// MaxOverviewBars is the most bars an overview draws: enough to tell where
// events cluster, few enough that every bar is a link wide enough to hit.
const MaxOverviewBars = 48

// Start is the start, in UTC, of the period that holds t. Periods are cut
// in UTC so that one view has one picture whatever the events' zones.
func (p Period) Start(t time.Time) time.Time {
	t = t.UTC()
	y, m, d := t.Date()
	switch p {
	case PeriodHour:
		return t.Truncate(time.Hour)
	case PeriodDay:
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	case PeriodWeek:
		back := (int(t.Weekday()) + 6) % 7 // days since Monday
		return time.Date(y, m, d-back, 0, 0, 0, 0, time.UTC)
	case PeriodMonth:
		return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	default:
		n := max(1, p.years())
		return time.Date(y-y%n, 1, 1, 0, 0, 0, 0, time.UTC)
	}
}

// next is the start of the period after the one starting at start.
func (p Period) next(start time.Time) time.Time {
	switch p {
	case PeriodHour:
		return start.Add(time.Hour)
	case PeriodDay:
		return start.AddDate(0, 0, 1)
	case PeriodWeek:
		return start.AddDate(0, 0, 7)
	case PeriodMonth:
		return start.AddDate(0, 1, 0)
	default:
		return start.AddDate(max(1, p.years()), 0, 0)
	}
}

// Span is a half-open stretch of time, [Start, End).
type Span struct {
	Start, End time.Time
}

// Period is the period s is exactly one of, as the overview cuts them
// (a day, the week from a Monday, a month…); ok is false for any other
// stretch of time.
func (s Span) Period() (p Period, ok bool) {
	for _, p := range Periods {
		if start := p.Start(s.Start); start.Equal(s.Start) && p.next(start).Equal(s.End) {
			return p, true
		}
	}
	return "", false
}

// OverviewBuckets cuts the time from first to last (both included) into
// the periods of the shortest length that needs at most MaxOverviewBars of
// them, and returns that period and the periods in order. A span beyond
// what millennia cut into MaxOverviewBars, which no date reaches, still
// gets millennia.
func OverviewBuckets(first, last time.Time) (Period, []Span) {
	if last.Before(first) {
		first, last = last, first
	}
	for _, p := range Periods[:len(Periods)-1] {
		if b := buckets(p, first, last, MaxOverviewBars); b != nil {
			return p, b
		}
	}
	return PeriodMillennium, buckets(PeriodMillennium, first, last, -1)
}

// PeriodsCovering is the periods of length p from the one holding first
// to the one holding last, however many.
func PeriodsCovering(p Period, first, last time.Time) []Span {
	return buckets(p, first, last, -1)
}

// buckets is the periods of length p from the one holding first to the
// one holding last, or nil when there would be more than limit (no limit
// when it is negative).
func buckets(p Period, first, last time.Time, limit int) []Span {
	var out []Span
	for s := p.Start(first); !s.After(last); {
		if limit >= 0 && len(out) == limit {
			return nil
		}
		e := p.next(s)
		out = append(out, Span{Start: s, End: e})
		s = e
	}
	return out
}

// EventClass is how an overview tells events apart: claims, the answers
// that contest something, and the rest.
type EventClass int

const (
	ClassOther EventClass = iota
	ClassClaim
	ClassContesting
)

// EventClasses lists the classes in the order an overview stacks them.
var EventClasses = []EventClass{ClassClaim, ClassContesting, ClassOther}

// ClassOf is the class of an event of kind k that contests another when
// contests is set: a claim is a claim first (ClaimKinds), even when it
// answers one; an event that contests something (ContestingTypes) is an
// answer that contests.
func ClassOf(k EventKind, contests bool) EventClass {
	switch {
	case k.IsClaim():
		return ClassClaim
	case contests:
		return ClassContesting
	}
	return ClassOther
}

// Tally is the number of events of each class in one period.
type Tally [3]int // indexed by EventClass

// Total is the number of events of every class.
func (t Tally) Total() int { return t[0] + t[1] + t[2] }

// Add adds u's counts to t's.
func (t *Tally) Add(u Tally) {
	for c := range t {
		t[c] += u[c]
	}
}

// OverviewLane is one row of an overview: the whole view's events, or
// one chosen actor's, with a tally per period.
type OverviewLane struct {
	Actor   string // the actor's slug; "" for the lane of every event
	Tallies []Tally
}

// Overview is where a filtered view's events fall in time: in the bars
// of its periods, or, for events known less precisely than a period,
// spread over the longer period they are known to fall in.
type Overview struct {
	Period  Period
	Buckets []Span
	Lanes   []OverviewLane
	Spread  []OverviewSpread // in time order
	// Cut is the events known only to a period that the view's dates cut
	// (Filter.CutPeriods): not in the view, though they may fall in its
	// dates, in time order.
	Cut []OverviewSpread
	// TooManyMatches is set, and nothing counted, for a search of more
	// than MaxSearchOverview matches in the archive in a view of more
	// than MaxSearchOverview events: too many to read to count them.
	TooManyMatches bool
}

// MaxSearchOverview is the most matches of a search whose overview is
// drawn. Other views are counted from figures kept at import or from an
// index, but no index counts words by period: a search's overview reads
// its matches, and a common word would otherwise read them by the million.
const MaxSearchOverview = 2000

// OverviewSpread is the events of a view known no closer than a period
// longer than its bars' (a month, in a picture of days): drawn in no bar,
// counted by that period, one tally a lane.
type OverviewSpread struct {
	Period  Period
	Span    Span
	Tallies []Tally
}

// Count adds t, the events of a lane known to precision pr whose sort key
// at falls in the period bucket, to that bar, or, where a bar cannot hold
// them, to the spread over the period of pr that holds at.
func (o *Overview) Count(lane, bucket int, pr Precision, at time.Time, t Tally) {
	if o.Period.Holds(pr) {
		o.Lanes[lane].Tallies[bucket].Add(t)
		return
	}
	p := pr.Period()
	start := p.Start(at)
	for i, s := range o.Spread {
		if s.Period == p && s.Span.Start.Equal(start) {
			o.Spread[i].Tallies[lane].Add(t)
			return
		}
	}
	s := OverviewSpread{Period: p, Span: Span{Start: start, End: p.next(start)}, Tallies: make([]Tally, len(o.Lanes))}
	s.Tallies[lane] = t
	o.Spread = append(o.Spread, s)
	slices.SortStableFunc(o.Spread, func(a, b OverviewSpread) int { return a.Span.Start.Compare(b.Span.Start) })
}

// LongestSpread is the longest period events of o are spread over; ""
// when none are.
func (o *Overview) LongestSpread() Period {
	var longest Period
	for _, s := range o.Spread {
		if longest == "" || s.Period.longerThan(longest) {
			longest = s.Period
		}
	}
	return longest
}

// InBars reports whether any bar of o counts an event.
func (o *Overview) InBars() bool {
	for _, l := range o.Lanes {
		for _, t := range l.Tallies {
			if t.Total() > 0 {
				return true
			}
		}
	}
	return false
}

// TrimEmptyEnds drops the periods at either end that no lane has an event
// in: those a view's time runs to only because of events spread over a
// longer period (its last, known only as "May 2023", sorts mid-May).
func (o *Overview) TrimEmptyEnds() {
	empty := func(i int) bool {
		for _, l := range o.Lanes {
			if l.Tallies[i].Total() > 0 {
				return false
			}
		}
		return true
	}
	lo, hi := 0, len(o.Buckets)
	for lo < hi && empty(lo) {
		lo++
	}
	for hi > lo && empty(hi-1) {
		hi--
	}
	o.Buckets = o.Buckets[lo:hi]
	for i := range o.Lanes {
		o.Lanes[i].Tallies = o.Lanes[i].Tallies[lo:hi]
	}
}
