package timeline_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// TestFilterSortKeys holds a date range to what an event's sources give:
// an event is listed in dates that hold the whole period it is known to
// fall in, never in a shorter time.
func TestFilterSortKeys(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	instant := func(s string) time.Time { d, _ := time.Parse("2006-01-02T15:04Z", s); return d }
	tests := []struct {
		when, zone string
		from, to   time.Time
		in         bool
	}{
		// Known to the month: in May and in longer dates around it, not in its days.
		{"2023-05", "Europe/Moscow", day("2023-05-01"), day("2023-06-01"), true},
		{"2023-05", "Europe/Moscow", day("2023-04-01"), day("2023-07-01"), true},
		{"2023-05", "Europe/Moscow", day("2023-05-16"), day("2023-05-17"), false},
		{"2023-05", "Europe/Moscow", day("2023-05-01"), day("2023-05-21"), false},
		{"2023-05", "Europe/Moscow", day("2023-05-10"), day("2023-06-15"), false},
		{"2023-05", "Europe/Moscow", day("2023-05-01"), time.Time{}, true},
		{"2023-05", "Europe/Moscow", day("2023-05-16"), time.Time{}, false},
		{"2023-05", "Europe/Moscow", time.Time{}, day("2023-06-01"), true},
		{"2023-05", "Europe/Moscow", time.Time{}, day("2023-05-21"), false},
		// Known to the year.
		{"2023", "UTC", day("2023-01-01"), day("2024-01-01"), true},
		{"2023", "UTC", day("2023-05-01"), day("2023-06-01"), false},
		// Known to the day, or a part of it: in that day, not in its hours.
		{"2023-05-03", "Europe/Moscow", day("2023-05-03"), day("2023-05-04"), true},
		{"2023-05-03", "Europe/Moscow", day("2023-05-01"), day("2023-05-08"), true},
		{"2023-05-03", "Europe/Moscow", instant("2023-05-03T09:00Z"), instant("2023-05-03T10:00Z"), false},
		{"2023-05-03", "Europe/Moscow", day("2023-05-04"), day("2023-05-05"), false},
		{"2023-05-03 early-hours", "Europe/Moscow", day("2023-05-03"), day("2023-05-04"), true},
		{"2023-05-03 early-hours", "Europe/Moscow", instant("2023-05-03T00:00Z"), instant("2023-05-03T01:00Z"), false},
		// Known to the hour or the minute: by its time.
		{"2023-05-03T10", "Europe/Moscow", instant("2023-05-03T07:00Z"), instant("2023-05-03T08:00Z"), true},
		{"2023-05-03T10:00", "Europe/Moscow", instant("2023-05-03T07:00Z"), instant("2023-05-03T07:10Z"), true},
		{"2023-05-03T10:00", "Europe/Moscow", instant("2023-05-03T07:10Z"), instant("2023-05-03T08:00Z"), false},
		{"2023-05-03T10:00", "Europe/Moscow", day("2023-05-03"), day("2023-05-04"), true},
	}
	for _, tt := range tests {
		w, err := timeline.ParseWhen(tt.when, tt.zone)
		if err != nil {
			t.Fatal(err)
		}
		f := timeline.Filter{From: tt.from, To: tt.to}
		s, ok := f.SortKeys(w.Precision)
		key := time.Unix(w.SortKey(), 0)
		in := ok && (s.Start.IsZero() || !key.Before(s.Start)) && (s.End.IsZero() || key.Before(s.End))
		if in != tt.in {
			t.Errorf("%s (%s) in %v – %v: got %v, want %v (sort keys %v – %v, ok %v)", tt.when, tt.zone, tt.from, tt.to, in, tt.in, s.Start, s.End, ok)
		}
		// Whatever the precision, the keys lie within the dates.
		if ok && ((!tt.from.IsZero() && s.Start.Before(tt.from)) || (!tt.to.IsZero() && s.End.After(tt.to))) {
			t.Errorf("%s in %v – %v: sort keys %v – %v reach beyond the dates", tt.when, tt.from, tt.to, s.Start, s.End)
		}
	}
}

func TestFilterCutPeriods(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	span := func(from, to string) timeline.Span { return timeline.Span{Start: day(from), End: day(to)} }
	tests := []struct {
		from, to time.Time
		p        timeline.Period
		want     []timeline.Span
	}{
		{day("2023-05-16"), day("2023-05-17"), timeline.PeriodMonth, []timeline.Span{span("2023-05-01", "2023-06-01")}},
		{day("2023-05-16"), day("2023-05-17"), timeline.PeriodYear, []timeline.Span{span("2023-01-01", "2024-01-01")}},
		{day("2023-05-16"), day("2023-05-17"), timeline.PeriodDay, nil},
		{day("2023-05-01"), day("2023-06-01"), timeline.PeriodMonth, nil},
		{day("2023-04-20"), day("2023-05-10"), timeline.PeriodMonth, []timeline.Span{span("2023-04-01", "2023-05-01"), span("2023-05-01", "2023-06-01")}},
		{day("2023-05-16"), time.Time{}, timeline.PeriodMonth, []timeline.Span{span("2023-05-01", "2023-06-01")}},
		{time.Time{}, day("2023-05-16"), timeline.PeriodMonth, []timeline.Span{span("2023-05-01", "2023-06-01")}},
		{time.Time{}, time.Time{}, timeline.PeriodMonth, nil},
	}
	for _, tt := range tests {
		f := timeline.Filter{From: tt.from, To: tt.to}
		if got := f.CutPeriods(tt.p); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%v – %v in %ss: cut %v, want %v", tt.from, tt.to, tt.p, got, tt.want)
		}
	}
}
