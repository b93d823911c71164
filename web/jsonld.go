package web

import (
	"encoding/json"
	"strings"

	"github.com/timelinenews/timeline/internal/timeline"
)

// Structured data (schema.org, as JSON-LD) for search engines and link
// unfurlers, built from typed values. Fields are declared in the order of
// their JSON keys, as encoding/json sorts a map's: the bytes are the same
// as when this was built from maps.

// NewsArticle is an event described as schema.org's NewsArticle.
type NewsArticle struct {
	Context          string        `json:"@context,omitempty"`
	Type             string        `json:"@type"`
	About            ldAbout       `json:"about"`
	Citation         []ldCitation  `json:"citation,omitempty"`
	ContentLocation  *ldPlace      `json:"contentLocation,omitempty"`
	Description      string        `json:"description"`
	Headline         string        `json:"headline"`
	IsPartOf         ldWebSite     `json:"isPartOf"`
	MainEntityOfPage string        `json:"mainEntityOfPage"`
	Mentions         []ldMentioned `json:"mentions,omitempty"`
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

// ldActor is a person or an organisation, by the actor's kind.
func ldActor(site Site, a timeline.Actor) ldMentioned {
	typ := "Organization"
	if a.Kind == timeline.ActorPerson || a.Kind == timeline.ActorAnalyst {
		typ = "Person"
	}
	return ldMentioned{Type: typ, Name: a.Name, URL: site.Absolute(ActorPath(a.Slug))}
}

// EventJSONLD describes e, an event of its story, claiming no more than
// the data holds: no publication dates we do not know, no citation or
// mention where there is none, and the description marked as the page
// marks an event published without a source or naming no one.
func EventJSONLD(site Site, e *timeline.Event) *NewsArticle {
	ld := &NewsArticle{
		Context:          "https://schema.org",
		Type:             "NewsArticle",
		Headline:         e.Title,
		Description:      EventDescription(e),
		URL:              site.Absolute(EventPath(e.Slug)),
		MainEntityOfPage: site.Absolute(EventPath(e.Slug)),
		IsPartOf:         ldWebSite{Type: "WebSite", Name: site.Name, URL: site.Absolute(HomePath())},
		About:            ldAbout{Type: "Thing", Name: e.Story.Title, TemporalCoverage: e.When.Datetime()},
	}
	for _, a := range e.Actors {
		ld.Mentions = append(ld.Mentions, ldActor(site, a.Actor))
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

// JSONLD is a page's structured data: its NewsArticle alone, or, where the
// event is a claim or an answer, a graph of the article and the claims.
type JSONLD struct {
	Article *NewsArticle
	Claims  []Claim
}

// MarshalJSON writes the article as before when there are no claims, so
// pages without claims keep their bytes.
func (ld JSONLD) MarshalJSON() ([]byte, error) {
	if len(ld.Claims) == 0 {
		return json.Marshal(ld.Article)
	}
	article := *ld.Article
	article.Context = "" // the graph's context holds for every node
	graph := []any{&article}
	for _, c := range ld.Claims {
		graph = append(graph, c)
	}
	return json.Marshal(struct {
		Context string `json:"@context"`
		Graph   []any  `json:"@graph"`
	}{"https://schema.org", graph})
}

// Claim is schema.org's Claim: something asserted, by whom, when and where
// it appeared. An answer is a Claim about the claim it answers. There is no
// ClaimReview: Timeline rates nothing.
type Claim struct {
	Type          string         `json:"@type"` // "Claim"
	ID            string         `json:"@id"`
	About         []ldNode       `json:"about,omitempty"`
	Appearance    []ldAppearance `json:"appearance,omitempty"`
	Author        []ldMentioned  `json:"author,omitempty"`
	DatePublished string         `json:"datePublished,omitempty"`
	// Description states the claim's marks alone ("[No source given]"),
	// where it has no appearance or no author to say so; "" when unmarked.
	Description string `json:"description,omitempty"`
	Name        string `json:"name"`
	URL         string `json:"url"`
}

// ldNode refers to a node described elsewhere by its @id.
type ldNode struct {
	ID string `json:"@id"`
}

// ldAppearance is a source in which a claim appeared, with its quote.
type ldAppearance struct {
	Type          string         `json:"@type"` // "CreativeWork"
	DatePublished string         `json:"datePublished,omitempty"`
	Name          string         `json:"name,omitempty"`
	Publisher     ldOrganization `json:"publisher"`
	Text          string         `json:"text,omitempty"`
	URL           string         `json:"url,omitempty"`
}

// PageJSONLD is the structured data of e's pages. Where e is a claim, each
// of answers that answers it is a claim about it too; answers holds whole
// events because an answer's appearance needs its sources.
func PageJSONLD(site Site, e *timeline.Event, answers []timeline.Event) *JSONLD {
	ld := &JSONLD{Article: EventJSONLD(site, e)}
	if !isClaimNode(e) {
		return ld
	}
	ld.Claims = append(ld.Claims, claimOf(site, e))
	if !e.Kind.IsClaim() {
		return ld
	}
	for i := range answers {
		if answersSlug(&answers[i], e.Slug) {
			ld.Claims = append(ld.Claims, claimOf(site, &answers[i]))
		}
	}
	return ld
}

// isClaimNode reports whether e is described as a Claim: it asserts
// something, or it answers an event.
func isClaimNode(e *timeline.Event) bool { return e.Kind.IsClaim() || len(e.Answers) > 0 }

func answersSlug(e *timeline.Event, slug string) bool {
	for _, a := range e.Answers {
		if a.Event.Slug == slug {
			return true
		}
	}
	return false
}

// ClaimID is the stable @id of e's Claim: its permalink's fragment.
func ClaimID(site Site, slug string) string { return site.Absolute(EventPath(slug)) + "#claim" }

func claimOf(site Site, e *timeline.Event) Claim {
	c := Claim{Type: "Claim", ID: ClaimID(site, e.Slug), Name: e.Title, URL: site.Absolute(EventPath(e.Slug)), DatePublished: ldDate(e.When),
		Description: strings.TrimSpace(MarksPrefix(EventMarks(e)...))}
	for _, a := range e.Answers {
		// An answered event is a Claim node only when it is a claim kind
		// or itself an answer; the event itself is what is answered otherwise.
		id := site.Absolute(EventPath(a.Event.Slug))
		if a.Event.Kind.IsClaim() {
			id = ClaimID(site, a.Event.Slug)
		}
		c.About = append(c.About, ldNode{ID: id})
	}
	for _, a := range e.ActorsIn(timeline.RoleSpeaker) {
		c.Author = append(c.Author, ldActor(site, a))
	}
	for _, s := range e.Sources {
		app := ldAppearance{Type: "CreativeWork", Name: s.Source.Title, Publisher: ldOrganization{Type: "Organization", Name: s.Source.Outlet}, Text: s.Quote, DatePublished: s.Source.Published}
		if timeline.WebURL(s.Source.URL) {
			app.URL = s.Source.URL
		}
		c.Appearance = append(c.Appearance, app)
	}
	return c
}

// ldDate is w in ISO 8601 no more precisely than it is known: a year, a
// month or a date, and a time only to the hour or minute the data gives.
func ldDate(w timeline.When) string {
	switch w.Precision {
	case timeline.PrecisionHour:
		return w.Start.Format("2006-01-02T15Z07:00")
	case timeline.PrecisionMinute:
		return w.Start.Format("2006-01-02T15:04Z07:00")
	case "":
		return ""
	}
	return w.Datetime()
}
