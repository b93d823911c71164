package web

import "github.com/timelinenews/timeline/internal/timeline"

// Structured data (schema.org, as JSON-LD) for search engines and link
// unfurlers, built from typed values. Fields are declared in the order of
// their JSON keys, as encoding/json sorts a map's: the bytes are the same
// as when this was built from maps.

// NewsArticle is an event described as schema.org's NewsArticle.
type NewsArticle struct {
	Context          string        `json:"@context"`
	Type             string        `json:"@type"`
	About            ldAbout       `json:"about"`
	Citation         []ldCitation  `json:"citation"`
	ContentLocation  *ldPlace      `json:"contentLocation,omitempty"`
	Description      string        `json:"description"`
	Headline         string        `json:"headline"`
	IsPartOf         ldWebSite     `json:"isPartOf"`
	MainEntityOfPage string        `json:"mainEntityOfPage"`
	Mentions         []ldMentioned `json:"mentions"`
	URL              string        `json:"url"`
}

// ldAbout is the story an event belongs to, and when the event was.
type ldAbout struct {
	Type             string `json:"@type"` // "Thing"
	Name             string `json:"name"`
	TemporalCoverage string `json:"temporalCoverage"`
}

// ldCitation is a source: its outlet, and its address and title where known.
type ldCitation struct {
	Type      string         `json:"@type"` // "CreativeWork"
	Name      string         `json:"name,omitempty"`
	Publisher ldOrganization `json:"publisher"`
	URL       string         `json:"url,omitempty"`
}

type ldOrganization struct {
	Type string `json:"@type"` // "Organization"
	Name string `json:"name"`
}

type ldPlace struct {
	Type string `json:"@type"` // "Place"
	Name string `json:"name"`
}

type ldWebSite struct {
	Type string `json:"@type"` // "WebSite"
	Name string `json:"name"`
	URL  string `json:"url"`
}

// ldMentioned is an actor in the event: a person or an organisation.
type ldMentioned struct {
	Type string `json:"@type"` // "Person" or "Organization"
	Name string `json:"name"`
	URL  string `json:"url"`
}

// EventJSONLD describes e, an event of its story, claiming no more than
// the data holds: no publication dates we do not know.
func EventJSONLD(site Site, e *timeline.Event) *NewsArticle {
	ld := &NewsArticle{
		Context:          "https://schema.org",
		Type:             "NewsArticle",
		Headline:         e.Title,
		Description:      e.Summary,
		URL:              site.Absolute(EventPath(e.Slug)),
		MainEntityOfPage: site.Absolute(EventPath(e.Slug)),
		IsPartOf:         ldWebSite{Type: "WebSite", Name: site.Name, URL: site.Absolute(HomePath())},
		About:            ldAbout{Type: "Thing", Name: e.Story.Title, TemporalCoverage: e.When.Datetime()},
	}
	for _, a := range e.Actors {
		typ := "Organization"
		if a.Actor.Kind == timeline.ActorPerson || a.Actor.Kind == timeline.ActorAnalyst {
			typ = "Person"
		}
		ld.Mentions = append(ld.Mentions, ldMentioned{Type: typ, Name: a.Actor.Name, URL: site.Absolute(ActorPath(a.Actor.Slug))})
	}
	for _, c := range e.Sources {
		cite := ldCitation{Type: "CreativeWork", Publisher: ldOrganization{Type: "Organization", Name: c.Source.Outlet}, Name: c.Source.Title}
		if timeline.WebURL(c.Source.URL) {
			cite.URL = c.Source.URL
		}
		ld.Citation = append(ld.Citation, cite)
	}
	if e.Location != "" {
		ld.ContentLocation = &ldPlace{Type: "Place", Name: e.Location}
	}
	return ld
}
