package timelinejs

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"

	"github.com/timelinenews/timeline/internal/timeline"
)

// Writer writes a story as TimelineJS JSON, one event at a time; it takes
// the records of an export in their order (story, actors, sources, events)
// and keeps only the actors' names and the sources, which events name by
// slug and key. What TimelineJS cannot hold (roles, answers, quotes, time
// zones, parts of a day) is left out: importing the result gives back the
// events' slugs, titles, summaries, dates to the day, hour or minute, first
// actors and first sources.
type Writer struct {
	bw *bufio.Writer
	slideParts
	events  int
	started bool
	err     error
}

// NewWriter returns a Writer to w.
func NewWriter(w io.Writer) *Writer {
	return &Writer{bw: bufio.NewWriterSize(w, 64<<10), slideParts: newSlideParts()}
}

// slideParts keeps what a story file gives before its events and a slide
// names of them: both writers' actors and sources.
type slideParts struct {
	actors  map[string]string // slug → name
	sources map[string]timeline.Source
}

func newSlideParts() slideParts {
	return slideParts{actors: map[string]string{}, sources: map[string]timeline.Source{}}
}

// Actor keeps an actor's name, for the events' groups.
func (p slideParts) Actor(a timeline.Actor) error { p.actors[a.Slug] = a.Name; return nil }

// Source keeps a source, for the events' media.
func (p slideParts) Source(s timeline.Source) error { p.sources[s.Key] = s; return nil }

// Story writes the title slide.
func (tw *Writer) Story(slug, title, description string) error {
	tw.started = true
	tw.write("{\n  \"title\": ")
	tw.value(slide{Text: &text{Headline: title, Text: htmlText(description)}})
	tw.write(",\n  \"events\": [")
	return tw.err
}

// Event writes an event as a slide: its first actor is its group and its
// first source its media.
func (tw *Writer) Event(e *timeline.Event) error {
	if !tw.started {
		tw.Story("", "", "")
	}
	s := tw.slide(e)
	if tw.events > 0 {
		tw.write(",")
	}
	tw.events++
	tw.write("\n    ")
	tw.value(s)
	return tw.err
}

// Close ends the file and flushes it.
func (tw *Writer) Close() error {
	if !tw.started {
		tw.Story("", "", "")
	}
	tw.write("\n  ]\n}\n")
	if tw.err == nil {
		tw.err = tw.bw.Flush()
	}
	if tw.err != nil {
		return fmt.Errorf("write TimelineJS: %w", tw.err)
	}
	return nil
}

func (tw *Writer) write(s string) {
	if tw.err == nil {
		_, tw.err = tw.bw.WriteString(s)
	}
}

func (tw *Writer) value(v any) {
	if tw.err != nil {
		return
	}
	b, err := json.Marshal(v)
	if err != nil {
		tw.err = err
		return
	}
	_, tw.err = tw.bw.Write(b)
}

// slide is an event as a slide: its first actor is its group and its
// first source its media.
func (p slideParts) slide(e *timeline.Event) slide {
	s := slide{UniqueID: e.Slug, StartDate: dateOf(e.When), EndDate: dateOf(e.Until), Text: &text{Headline: e.Title}, DisplayDate: e.DisplayDate}
	body := e.Summary
	if body == e.Title {
		body = ""
	}
	if e.Body != "" {
		body += "\n\n" + e.Body
	}
	s.Text.Text = htmlText(body)
	if len(e.Actors) > 0 {
		s.Group = p.actors[e.Actors[0].Actor.Slug]
	}
	if len(e.Sources) > 0 {
		src := p.sources[e.Sources[0].Source.Key]
		s.Media = &media{URL: src.URL, Credit: src.Outlet, Caption: src.Title}
	}
	return s
}

// dateOf is w as a TimelineJS date with the parts its precision gives: a
// part of a day is given as its day, which is as much as TimelineJS holds.
// The parts are the wall clock in the event's own zone.
func dateOf(w timeline.When) *date {
	if w.IsZero() {
		return nil
	}
	s := w.Start
	d := &date{Year: num(s.Year())}
	if w.Precision == timeline.PrecisionYear {
		return d
	}
	d.Month = num(int(s.Month()))
	if w.Precision == timeline.PrecisionMonth {
		return d
	}
	d.Day = num(s.Day())
	switch w.Precision {
	case timeline.PrecisionHour:
		d.Hour = num(s.Hour())
	case timeline.PrecisionMinute:
		d.Hour, d.Minute = num(s.Hour()), num(s.Minute())
	}
	return d
}
