package timeline_test

import (
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

func TestParseWhen(t *testing.T) {
	tests := []struct {
		text, zone       string
		precision        timeline.Precision
		startUTC         string
		datetime, dayKey string
		endUTC           string
	}{
		{"2023", "UTC", timeline.PrecisionYear, "2023-01-01T00:00:00Z", "2023", "2023", "2024-01-01T00:00:00Z"},
		{"2023-05", "Europe/Kyiv", timeline.PrecisionMonth, "2023-04-30T21:00:00Z", "2023-05", "2023-05", "2023-05-31T21:00:00Z"},
		{"2023-05-03", "Europe/Moscow", timeline.PrecisionDay, "2023-05-02T21:00:00Z", "2023-05-03", "2023-05-03", "2023-05-03T21:00:00Z"},
		{"2023-05-03 early-hours", "Europe/Moscow", timeline.PrecisionPartOfDay, "2023-05-02T21:00:00Z", "2023-05-03", "2023-05-03", "2023-05-03T03:00:00Z"},
		{"2023-05-03 late", "America/New_York", timeline.PrecisionPartOfDay, "2023-05-03T22:00:00Z", "2023-05-03", "2023-05-03", "2023-05-04T04:00:00Z"},
		{"2023-05-04 morning", "Europe/Kyiv", timeline.PrecisionPartOfDay, "2023-05-04T03:00:00Z", "2023-05-04", "2023-05-04", "2023-05-04T09:00:00Z"},
		{"2023-05-04T14", "Europe/Moscow", timeline.PrecisionHour, "2023-05-04T11:00:00Z", "2023-05-04T14:00+03:00", "2023-05-04", "2023-05-04T12:00:00Z"},
		{"2023-05-04T09:15", "America/New_York", timeline.PrecisionMinute, "2023-05-04T13:15:00Z", "2023-05-04T09:15-04:00", "2023-05-04", "2023-05-04T13:16:00Z"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			w, err := timeline.ParseWhen(tt.text, tt.zone)
			if err != nil {
				t.Fatal(err)
			}
			if w.Precision != tt.precision {
				t.Errorf("precision = %s, want %s", w.Precision, tt.precision)
			}
			if got := w.Start.UTC().Format(time.RFC3339); got != tt.startUTC {
				t.Errorf("start = %s, want %s", got, tt.startUTC)
			}
			if got := w.End().UTC().Format(time.RFC3339); got != tt.endUTC {
				t.Errorf("end = %s, want %s", got, tt.endUTC)
			}
			if got := w.Datetime(); got != tt.datetime {
				t.Errorf("datetime = %s, want %s", got, tt.datetime)
			}
			if got := w.DayKey(); got != tt.dayKey {
				t.Errorf("day key = %s, want %s", got, tt.dayKey)
			}
			if got := w.Text(); got != tt.text {
				t.Errorf("text = %q, want %q (round trip)", got, tt.text)
			}
			if w.Zone() != tt.zone {
				t.Errorf("zone = %s, want %s", w.Zone(), tt.zone)
			}
		})
	}
}

func TestParseWhenErrors(t *testing.T) {
	tests := []struct{ text, zone string }{
		{"2023-02-30", "UTC"},           // impossible date
		{"2023-13", "UTC"},              // no such month
		{"2023-05-03T25", "UTC"},        // no such hour
		{"3 May 2023", "UTC"},           // not the written form
		{"2023-05-03 teatime", "UTC"},   // unknown part of day
		{"2023-05 morning", "UTC"},      // part of day after a month
		{"2023-05-03T03:00:00Z", "UTC"}, // more precise than the format allows
		{"2023-05-03", ""},              // zone missing
		{"2023-05-03", "Mars/Olympus"},  // unknown zone
		{"2023-05-03", "Local"},         // the machine's zone is not a place
		{"", "UTC"},                     // empty
	}
	for _, tt := range tests {
		t.Run(tt.text+"@"+tt.zone, func(t *testing.T) {
			if w, err := timeline.ParseWhen(tt.text, tt.zone); err == nil {
				t.Fatalf("parsed as %+v, want an error", w)
			}
		})
	}
}
