// Command totimelinejs converts a `timeline export` file into the JSON that
// Knight Lab's TimelineJS 3 reads, for the side-by-side in .ci/compare/run.
//
//	go run ./.ci/compare/totimelinejs < story.json > timeline.json
//
// It keeps as much as TimelineJS can show: every event becomes a slide with
// its title as headline and, as the slide's HTML text, its summary and body,
// kind, place, actors with their roles, how it answers other events and is
// answered (as plain text: TimelineJS has no links between slides), and each
// source with its verbatim quote. Dates are given to TimelineJS at the
// precision the data has (year, month, day, hour, minute); TimelineJS has no
// part of day and no time zone, so each slide also carries the app's own
// label ("early hours of 3 May 2023, Moscow time") as its display_date, and a
// part of day is placed at the first hour of that part so that the slides
// come in the right order. The dates are wall-clock times in the event's own
// zone, as the app shows them.
//
// It lives under .ci/ (which `go build ./...` and `go test ./...` skip) and
// uses the app's own parser and labels, so the two pages show the same words.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"html"
	"os"
	"strings"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// The TimelineJS 3 JSON format.
type tlFile struct {
	Title  *tlSlide  `json:"title,omitempty"`
	Events []tlSlide `json:"events"`
}

type tlSlide struct {
	StartDate   *tlDate `json:"start_date,omitempty"`
	EndDate     *tlDate `json:"end_date,omitempty"`
	Text        tlText  `json:"text"`
	DisplayDate string  `json:"display_date,omitempty"`
	UniqueID    string  `json:"unique_id,omitempty"`
}

type tlText struct {
	Headline string `json:"headline"`
	Text     string `json:"text,omitempty"`
}

type tlDate struct {
	Year   int `json:"year"`
	Month  int `json:"month,omitempty"`
	Day    int `json:"day,omitempty"`
	Hour   int `json:"hour,omitempty"`
	Minute int `json:"minute,omitempty"`
	// TimelineJS takes a missing hour or minute as "not given", so midnight
	// and :00 are written out where the precision includes them.
	hasHour, hasMinute bool
}

func (d tlDate) MarshalJSON() ([]byte, error) {
	m := map[string]int{"year": d.Year}
	if d.Month != 0 {
		m["month"] = d.Month
	}
	if d.Day != 0 {
		m["day"] = d.Day
	}
	if d.hasHour {
		m["hour"] = d.Hour
	}
	if d.hasMinute {
		m["minute"] = d.Minute
	}
	return json.Marshal(m)
}

func date(w timeline.When) *tlDate {
	if w.IsZero() {
		return nil
	}
	s := w.Start // wall clock in the event's zone
	d := &tlDate{Year: s.Year()}
	switch w.Precision {
	case timeline.PrecisionYear:
		return d
	}
	d.Month = int(s.Month())
	if w.Precision == timeline.PrecisionMonth {
		return d
	}
	d.Day = s.Day()
	switch w.Precision {
	case timeline.PrecisionPartOfDay, timeline.PrecisionHour:
		d.Hour, d.hasHour = s.Hour(), true
	case timeline.PrecisionMinute:
		d.Hour, d.hasHour = s.Hour(), true
		d.Minute, d.hasMinute = s.Minute(), true
	}
	return d
}

// label is what the app's WhenTime shows.
func label(w, until timeline.When) string {
	if until.IsZero() {
		return web.FullWhenLabel(w)
	}
	return web.WhenLabel(w) + " to " + web.FullWhenLabel(until)
}

func main() {
	ds, err := dataset.Read(bufio.NewReader(os.Stdin))
	if err != nil {
		fmt.Fprintln(os.Stderr, "totimelinejs:", err)
		os.Exit(1)
	}
	actors := map[string]timeline.Actor{}
	for _, a := range ds.Actors {
		actors[a.Slug] = a
	}
	sources := map[string]timeline.Source{}
	for _, s := range ds.Sources {
		sources[s.Key] = s
	}
	events := map[string]*timeline.Event{}
	for i := range ds.Events {
		events[ds.Events[i].Slug] = &ds.Events[i]
	}
	// Who answered each event: the app shows both directions.
	type answer struct {
		typ timeline.AnswerType
		by  *timeline.Event
	}
	answeredBy := map[string][]answer{}
	for i := range ds.Events {
		e := &ds.Events[i]
		for _, r := range e.Answers {
			answeredBy[r.Event.Slug] = append(answeredBy[r.Event.Slug], answer{r.Type, e})
		}
	}
	esc := html.EscapeString
	ref := func(e *timeline.Event) string {
		return "“" + esc(e.Title) + "” (" + esc(web.WhenLabel(e.When)) + ")"
	}

	out := tlFile{Events: make([]tlSlide, 0, len(ds.Events))}
	if ds.Title != "" {
		out.Title = &tlSlide{Text: tlText{Headline: esc(ds.Title), Text: para(esc(ds.Description))}}
	}
	for i := range ds.Events {
		e := &ds.Events[i]
		var b strings.Builder
		b.WriteString(para(esc(e.Summary)))
		if e.Body != "" {
			b.WriteString(para(esc(e.Body)))
		}
		meta := []string{web.KindLabel(e.Kind)}
		if e.Location != "" {
			meta = append(meta, esc(e.Location))
		}
		contested := false
		for _, a := range answeredBy[e.Slug] {
			contested = contested || a.typ.Contests()
		}
		if contested {
			meta = append(meta, web.ContestedLabel)
		}
		b.WriteString("<p><em>" + strings.Join(meta, " · ") + "</em></p>")
		if len(e.Actors) > 0 {
			var names []string
			for _, a := range e.Actors {
				n := esc(actors[a.Actor.Slug].Name)
				if a.Role != timeline.RoleSpeaker {
					n += " (" + web.RoleLabel(a.Role) + ")"
				}
				names = append(names, n)
			}
			b.WriteString("<p>Actors: " + strings.Join(names, ", ") + "</p>")
		}
		if len(e.Answers) > 0 || len(answeredBy[e.Slug]) > 0 {
			b.WriteString("<ul>")
			for _, r := range e.Answers {
				if o := events[r.Event.Slug]; o != nil {
					b.WriteString("<li>" + capitalize(web.AnswerVerb(r.Type)) + " " + ref(o) + "</li>")
				}
			}
			for _, a := range answeredBy[e.Slug] {
				b.WriteString("<li>" + capitalize(web.AnswerPassive(a.typ)) + " " + ref(a.by) + "</li>")
			}
			b.WriteString("</ul>")
		}
		for _, c := range e.Sources {
			s := sources[c.Source.Key]
			outlet := esc(s.Outlet)
			if s.URL != "" {
				outlet = `<a href="` + esc(s.URL) + `">` + outlet + "</a>"
			}
			if s.Via != "" {
				outlet += " via " + esc(sources[s.Via].Outlet)
			}
			if c.Quote != "" {
				b.WriteString("<blockquote>" + esc(c.Quote) + "</blockquote>")
			}
			b.WriteString("<p>— " + outlet + "</p>")
		}
		out.Events = append(out.Events, tlSlide{
			StartDate:   date(e.When),
			EndDate:     date(e.Until),
			DisplayDate: label(e.When, e.Until),
			UniqueID:    e.Slug,
			Text:        tlText{Headline: esc(e.Title), Text: b.String()},
		})
	}
	w := bufio.NewWriterSize(os.Stdout, 256<<10)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, "totimelinejs:", err)
		os.Exit(1)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "totimelinejs:", err)
		os.Exit(1)
	}
}

func para(s string) string {
	if s == "" {
		return ""
	}
	return "<p>" + s + "</p>"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
