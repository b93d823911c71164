package timeline_test

import (
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

func TestOverviewBuckets(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name        string
		first, last string
		period      timeline.Period
		n           int
		start, end  string // of the first bucket, and the end of the last
	}{
		{"OneEvent", "2023-05-03T02:27:00Z", "2023-05-03T02:27:00Z", timeline.PeriodHour, 1, "2023-05-03T02:00:00Z", "2023-05-03T03:00:00Z"},
		{"ADay", "2023-05-03T02:27:00Z", "2023-05-03T23:10:00Z", timeline.PeriodHour, 22, "2023-05-03T02:00:00Z", "2023-05-04T00:00:00Z"},
		// Two days and a bit is 49 hours: too many bars, so days.
		{"TwoDays", "2023-05-03T00:00:00Z", "2023-05-05T00:30:00Z", timeline.PeriodDay, 3, "2023-05-03T00:00:00Z", "2023-05-06T00:00:00Z"},
		{"AMonth", "2023-05-01T10:00:00Z", "2023-05-31T10:00:00Z", timeline.PeriodDay, 31, "2023-05-01T00:00:00Z", "2023-06-01T00:00:00Z"},
		// 2023-05-03 is a Wednesday: its week starts on Monday 1 May.
		{"AHalfYear", "2023-05-03T10:00:00Z", "2023-10-30T10:00:00Z", timeline.PeriodWeek, 27, "2023-05-01T00:00:00Z", "2023-11-06T00:00:00Z"},
		{"TwoYears", "2022-02-15T00:00:00Z", "2024-01-01T00:00:00Z", timeline.PeriodMonth, 24, "2022-02-01T00:00:00Z", "2024-02-01T00:00:00Z"},
		{"TenYears", "2014-03-01T00:00:00Z", "2023-12-31T23:59:59Z", timeline.PeriodYear, 10, "2014-01-01T00:00:00Z", "2024-01-01T00:00:00Z"},
		// Cut in UTC: 01:30 in Moscow on 4 May is 22:30 UTC on 3 May.
		{"ZoneToUTC", "2023-05-04T01:30:00+03:00", "2023-05-04T01:30:00+03:00", timeline.PeriodHour, 1, "2023-05-03T22:00:00Z", "2023-05-03T23:00:00Z"},
		{"Reversed", "2023-05-31T10:00:00Z", "2023-05-01T10:00:00Z", timeline.PeriodDay, 31, "2023-05-01T00:00:00Z", "2023-06-01T00:00:00Z"},
		// More years than bars: decades, centuries, millennia.
		{"ACentury", "1900-06-01T00:00:00Z", "2023-06-01T00:00:00Z", timeline.PeriodDecade, 13, "1900-01-01T00:00:00Z", "2030-01-01T00:00:00Z"},
		{"Millennia", "0000-01-01T00:00:00Z", "8999-12-31T00:00:00Z", timeline.PeriodMillennium, 9, "0000-01-01T00:00:00Z", "9000-01-01T00:00:00Z"},
		{"Centuries", "1066-10-14T00:00:00Z", "2023-05-03T00:00:00Z", timeline.PeriodCentury, 11, "1000-01-01T00:00:00Z", "2100-01-01T00:00:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			period, spans := timeline.OverviewBuckets(at(tt.first), at(tt.last))
			if period != tt.period || len(spans) != tt.n {
				t.Fatalf("got %d %ss, want %d %ss", len(spans), period, tt.n, tt.period)
			}
			if got := spans[0].Start; !got.Equal(at(tt.start)) || got.Location() != time.UTC {
				t.Errorf("first bucket starts %s, want %s in UTC", got, tt.start)
			}
			if got := spans[len(spans)-1].End; !got.Equal(at(tt.end)) {
				t.Errorf("last bucket ends %s, want %s", got, tt.end)
			}
			for i := 1; i < len(spans); i++ {
				if !spans[i].Start.Equal(spans[i-1].End) {
					t.Errorf("bucket %d starts %s, not where %d ends (%s)", i, spans[i].Start, i-1, spans[i-1].End)
				}
			}
		})
	}
}

func TestClassOf(t *testing.T) {
	tests := []struct {
		kind     timeline.EventKind
		contests bool
		want     timeline.EventClass
	}{
		{timeline.KindClaim, false, timeline.ClassClaim},
		{timeline.KindAccusation, true, timeline.ClassClaim}, // a counter-accusation is still a claim
		{timeline.KindDenial, true, timeline.ClassContesting},
		{timeline.KindStatement, true, timeline.ClassContesting},
		{timeline.KindDenial, false, timeline.ClassOther},
		{timeline.KindIncident, false, timeline.ClassOther},
	}
	for _, tt := range tests {
		if got := timeline.ClassOf(tt.kind, tt.contests); got != tt.want {
			t.Errorf("ClassOf(%s, %v) = %d, want %d", tt.kind, tt.contests, got, tt.want)
		}
	}
}
