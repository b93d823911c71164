package timeline

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Precision is how precisely a time is known. A time is never shown or stored
// as more precise than its source says: "the early hours of 3 May" is a part of
// a day, not 03:00.
type Precision string

const (
	PrecisionYear      Precision = "year"
	PrecisionMonth     Precision = "month"
	PrecisionDay       Precision = "day"
	PrecisionPartOfDay Precision = "part-of-day"
	PrecisionHour      Precision = "hour"
	PrecisionMinute    Precision = "minute"
)

// PartOfDay names a stretch of a local day.
type PartOfDay string

const (
	EarlyHours PartOfDay = "early-hours" // 00:00–06:00
	Morning    PartOfDay = "morning"     // 06:00–12:00
	Afternoon  PartOfDay = "afternoon"   // 12:00–18:00
	Evening    PartOfDay = "evening"     // 18:00–24:00
	Late       PartOfDay = "late"        // "late on": 18:00–24:00
)

// PartsOfDay lists the parts of a day in the order of their start.
var PartsOfDay = []PartOfDay{EarlyHours, Morning, Afternoon, Evening, Late}

// hours returns the local hours [from, to) that p covers.
func (p PartOfDay) hours() (from, to int) {
	switch p {
	case EarlyHours:
		return 0, 6
	case Morning:
		return 6, 12
	case Afternoon:
		return 12, 18
	}
	return 18, 24
}

// When is a point in time at a stated precision, in the IANA time zone of the
// place where the event happened.
//
// The written form, used in data files, is ISO 8601 at reduced precision plus
// a part of day: "2023", "2023-05", "2023-05-03", "2023-05-03 early-hours",
// "2023-05-03T14" and "2023-05-03T14:30".
type When struct {
	Start     time.Time // first instant of the period, in the zone
	Precision Precision
	Part      PartOfDay // set only when Precision is PrecisionPartOfDay
}

// IsZero reports whether w is unset.
func (w When) IsZero() bool { return w.Precision == "" }

// Zone is the IANA name of w's time zone.
func (w When) Zone() string { return w.Start.Location().String() }

// ParseWhen parses the written form of a time in the IANA zone named zone.
func ParseWhen(text, zone string) (When, error) {
	if zone == "" {
		return When{}, fmt.Errorf("time zone is required (an IANA name such as Europe/Moscow)")
	}
	loc, err := loadLocation(zone)
	if err != nil || zone == "Local" {
		return When{}, fmt.Errorf("unknown time zone %q (want an IANA name such as Europe/Moscow)", zone)
	}
	date, part, hasPart := strings.Cut(text, " ")
	layouts := []struct {
		layout    string
		precision Precision
	}{
		{"2006", PrecisionYear},
		{"2006-01", PrecisionMonth},
		{"2006-01-02", PrecisionDay},
		{"2006-01-02T15", PrecisionHour},
		{"2006-01-02T15:04", PrecisionMinute},
	}
	for _, l := range layouts {
		if len(date) != len(l.layout) {
			continue
		}
		t, err := time.ParseInLocation(l.layout, date, loc)
		if err != nil {
			return When{}, fmt.Errorf("time %q is not a real date or time", text)
		}
		w := When{Start: t, Precision: l.precision}
		if hasPart {
			if l.precision != PrecisionDay {
				return When{}, fmt.Errorf("time %q: a part of day (%s) follows a date only", text, part)
			}
			p := PartOfDay(part)
			if !contains(PartsOfDay, p) {
				return When{}, fmt.Errorf("time %q: unknown part of day %q (want one of %s)", text, part, joinStrings(PartsOfDay))
			}
			from, _ := p.hours()
			w.Start = time.Date(t.Year(), t.Month(), t.Day(), from, 0, 0, 0, loc)
			w.Precision = PrecisionPartOfDay
			w.Part = p
		}
		return w, nil
	}
	return When{}, fmt.Errorf("time %q is not in a known form (YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DD early-hours|morning|afternoon|evening|late, YYYY-MM-DDTHH, YYYY-MM-DDTHH:MM)", text)
}

// Text is the written form of w, the inverse of ParseWhen.
func (w When) Text() string {
	switch w.Precision {
	case PrecisionYear:
		return w.Start.Format("2006")
	case PrecisionMonth:
		return w.Start.Format("2006-01")
	case PrecisionDay:
		return w.Start.Format("2006-01-02")
	case PrecisionPartOfDay:
		return w.Start.Format("2006-01-02") + " " + string(w.Part)
	case PrecisionHour:
		return w.Start.Format("2006-01-02T15")
	case PrecisionMinute:
		return w.Start.Format("2006-01-02T15:04")
	}
	return ""
}

// SortKey places w in time order: the middle of its period, in Unix
// seconds. An event known only to a day sits between that day's morning and
// afternoon; one known only to a month, after the days of that month that
// are known better. Events with the same key keep the order they were
// imported in.
func (w When) SortKey() int64 {
	return w.Start.Unix() + (w.End().Unix()-w.Start.Unix())/2
}

// End is the first instant after the period w stands for.
func (w When) End() time.Time {
	s := w.Start
	switch w.Precision {
	case PrecisionYear:
		return s.AddDate(1, 0, 0)
	case PrecisionMonth:
		return s.AddDate(0, 1, 0)
	case PrecisionDay:
		return s.AddDate(0, 0, 1)
	case PrecisionPartOfDay:
		from, to := w.Part.hours()
		return s.Add(time.Duration(to-from) * time.Hour)
	case PrecisionHour:
		return s.Add(time.Hour)
	}
	return s.Add(time.Minute)
}

// Contains reports whether the period o stands for lies wholly inside
// w's: "May 2023" contains "3 May 2023".
func (w When) Contains(o When) bool {
	return !o.Start.Before(w.Start) && !o.End().After(w.End())
}

// Datetime is w as an HTML datetime attribute value, no more precise than w:
// a year, a month or a date where that is all that is known.
func (w When) Datetime() string {
	switch w.Precision {
	case PrecisionYear:
		return w.Start.Format("2006")
	case PrecisionMonth:
		return w.Start.Format("2006-01")
	case PrecisionDay, PrecisionPartOfDay:
		return w.Start.Format("2006-01-02")
	}
	return w.Start.Format("2006-01-02T15:04-07:00")
}

// DayKey groups events under a heading: the local date, or the month or year
// for times known less precisely than a day.
func (w When) DayKey() string {
	switch w.Precision {
	case PrecisionYear:
		return w.Start.Format("2006")
	case PrecisionMonth:
		return w.Start.Format("2006-01")
	}
	return w.Start.Format("2006-01-02")
}

func joinStrings[T ~string](list []T) string {
	parts := make([]string, len(list))
	for i, v := range list {
		parts[i] = string(v)
	}
	return strings.Join(parts, ", ")
}

// zones caches loaded time zones: time.LoadLocation reads and parses the
// zone database on every call.
var zones sync.Map

func loadLocation(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}
