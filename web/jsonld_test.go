package web

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/timelinenews/timeline/internal/timeline"
)

// mapJSONLD is how the JSON-LD was built before it had types, kept to hold
// the typed form to the same keys and values.
func mapJSONLD(site Site, st timeline.Story, e *timeline.Event) map[string]any {
	var mentions []map[string]any
	for _, a := range e.Actors {
		typ := "Organization"
		if a.Actor.Kind == timeline.ActorPerson || a.Actor.Kind == timeline.ActorAnalyst {
			typ = "Person"
		}
		mentions = append(mentions, map[string]any{"@type": typ, "name": a.Actor.Name, "url": site.Absolute("/actors/" + a.Actor.Slug)})
	}
	var citations []map[string]any
	for _, c := range e.Sources {
		cite := map[string]any{"@type": "CreativeWork", "publisher": map[string]any{"@type": "Organization", "name": c.Source.Outlet}}
		if timeline.WebURL(c.Source.URL) {
			cite["url"] = c.Source.URL
		}
		if c.Source.Title != "" {
			cite["name"] = c.Source.Title
		}
		citations = append(citations, cite)
	}
	ld := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         e.Title,
		"description":      e.Summary,
		"url":              site.Absolute("/events/" + e.Slug),
		"mainEntityOfPage": site.Absolute("/events/" + e.Slug),
		"isPartOf":         map[string]any{"@type": "WebSite", "name": site.Name, "url": site.Absolute("/")},
		"about":            map[string]any{"@type": "Thing", "name": st.Title, "temporalCoverage": e.When.Datetime()},
		"mentions":         mentions,
		"citation":         citations,
	}
	if e.Location != "" {
		ld["contentLocation"] = map[string]any{"@type": "Place", "name": e.Location}
	}
	return ld
}

func TestEventJSONLD(t *testing.T) {
	site := Site{Name: "Timeline", BaseURL: "https://timeline.example"}
	st := timeline.Story{Title: "Drones over the Kremlin"}
	full := &timeline.Event{
		Slug: "peskov-blames-us", Title: "Peskov blames </script> Washington", Summary: "He said so & more.", Location: "Moscow",
		When: mustWhen(t, "2023-05-04 morning", "Europe/Moscow"),
		Actors: []timeline.EventActor{
			{Actor: timeline.Actor{Slug: "peskov", Name: "Dmitry Peskov", Kind: timeline.ActorPerson}},
			{Actor: timeline.Actor{Slug: "us", Name: "United States", Kind: timeline.ActorState}, Role: timeline.RoleTarget},
			{Actor: timeline.Actor{Slug: "galeotti", Name: "Mark Galeotti", Kind: timeline.ActorAnalyst}, Role: timeline.RoleMentioned},
		},
		Sources: []timeline.Citation{
			{Source: timeline.Source{Outlet: "Wire", URL: "https://wire.example/story", Title: "A story"}},
			{Source: timeline.Source{Outlet: "Shady", URL: "javascript:alert(1)"}},
			{Source: timeline.Source{Outlet: "The Guardian"}},
		},
	}
	bare := &timeline.Event{Slug: "bare", Title: "Bare", When: mustWhen(t, "2023", "UTC")}
	full.Story.Title, bare.Story.Title = st.Title, st.Title // the event's story is what it is about
	for _, e := range []*timeline.Event{full, bare} {
		t.Run(e.Slug, func(t *testing.T) {
			got, err := json.Marshal(EventJSONLD(site, e))
			if err != nil {
				t.Fatal(err)
			}
			want, err := json.Marshal(mapJSONLD(site, st, e))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("got\n%s\nwant\n%s", got, want)
			}
		})
	}

	// In the page, it is one script the browser does not run, whose text is the same data.
	var buf bytes.Buffer
	if err := Layout(site, Head{Title: full.Title, JSONLD: EventJSONLD(site, full)}).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	script := doc.Find(`script[type="application/ld+json"]`)
	var ld map[string]any
	if script.Length() != 1 || json.Unmarshal([]byte(script.Text()), &ld) != nil || ld["headline"] != full.Title || ld["url"] != "https://timeline.example/events/peskov-blames-us" {
		t.Errorf("script %q", script.Text())
	}
}
