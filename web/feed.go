package web

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// Feed is one page of a feed, in either format: the events of a view,
// newest change first.
type Feed struct {
	Title string
	Page  string // path of the page the feed follows
	First string // path of the feed's first page: the feed's id
	Self  string // path of this page of the feed
	Next  string // path of the next page, with older changes; "" on the last
	// Events are the entries, newest change first; each is sent again with
	// its new time when it changes or gains an answer, under the same id.
	Events []timeline.Event
}

// FeedTitle is the title of the feed of a page titled title, as the
// page's own title reads in a browser.
func (s Site) FeedTitle(title string) string { return pageTitle(s, Head{Title: title}) }

// FeedLinks names a page's feeds for autodiscovery, by path.
type FeedLinks struct {
	Title      string
	Atom, JSON string
}

// updated is when the feed last changed: its newest entry's change, or
// the Unix epoch for a feed with none (Atom requires a time).
func (f Feed) updated() time.Time {
	var t time.Time
	for _, e := range f.Events {
		if e.Changed.After(t) {
			t = e.Changed
		}
	}
	if t.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return t.UTC()
}

// feedSummary is an entry's summary: when, what, and that no source is
// given where none is.
func feedSummary(e *timeline.Event) string {
	return MarksPrefix(EventMarks(e)...) + FullWhenLabel(e.When) + ": " + e.Summary
}

// feedContent is an entry's text: its summary, then what it answers and
// what answered it, so that a reader told of a changed claim sees why.
func feedContent(e *timeline.Event) string {
	var b strings.Builder
	b.WriteString(MarksPrefix(EventMarks(e)...))
	b.WriteString(e.Summary)
	for _, a := range e.Answers {
		b.WriteString("\n\n" + AnswerLine(a))
	}
	for _, a := range e.AnsweredBy {
		b.WriteString("\n\n" + AnsweredByLine(a))
	}
	return b.String()
}

// atomFeed is RFC 4287's feed element, as much of it as Timeline fills.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Author  atomPerson  `xml:"author"`
	Links   []atomLink  `xml:"link"`
	Entries []atomEntry `xml:"entry"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr"`
}

type atomEntry struct {
	ID        string       `xml:"id"`
	Title     string       `xml:"title"`
	Updated   string       `xml:"updated"`
	Published string       `xml:"published"`
	Authors   []atomPerson `xml:"author"`
	Link      atomLink     `xml:"link"`
	Category  atomCategory `xml:"category"`
	Summary   atomText     `xml:"summary"`
	Content   atomText     `xml:"content"`
}

// AtomFeed writes f as an Atom document. Entry ids are the permalinks the
// events were first published under, which never change: a renamed event's
// old permalink redirects to its new one.
func (s Site) AtomFeed(f Feed) ([]byte, error) {
	doc := atomFeed{
		ID: s.Absolute(f.First), Title: f.Title, Updated: f.updated().Format(time.RFC3339),
		Author: atomPerson{Name: s.Name},
		Links: []atomLink{
			{Rel: "self", Type: "application/atom+xml", Href: s.Absolute(f.Self)},
			{Rel: "alternate", Type: "text/html", Href: s.Absolute(f.Page)},
			{Rel: "first", Type: "application/atom+xml", Href: s.Absolute(f.First)},
		},
	}
	if f.Next != "" {
		doc.Links = append(doc.Links, atomLink{Rel: "next", Type: "application/atom+xml", Href: s.Absolute(f.Next)})
	}
	for i := range f.Events {
		e := &f.Events[i]
		permalink := s.Absolute(EventPath(e.Slug))
		entry := atomEntry{
			ID: s.Absolute(EventPath(e.EntrySlug())), Title: e.Title, Updated: e.Changed.UTC().Format(time.RFC3339), Published: e.Added.UTC().Format(time.RFC3339),
			Link:     atomLink{Rel: "alternate", Type: "text/html", Href: permalink},
			Category: atomCategory{Term: string(e.Kind), Label: KindLabel(e.Kind)},
			Summary:  atomText{Type: "text", Body: feedSummary(e)},
			Content:  atomText{Type: "text", Body: feedContent(e)},
		}
		for _, a := range e.ActorsIn(timeline.RoleSpeaker) {
			entry.Authors = append(entry.Authors, atomPerson{Name: a.Name})
		}
		doc.Entries = append(doc.Entries, entry)
	}
	out, err := xml.MarshalIndent(doc, "", "\t")
	if err != nil {
		return nil, fmt.Errorf("atom feed: %w", err)
	}
	return append([]byte(xml.Header), out...), nil
}

// jsonFeed is JSON Feed 1.1's top level, as much of it as Timeline fills.
type jsonFeed struct {
	Version     string         `json:"version"`
	Title       string         `json:"title"`
	HomePageURL string         `json:"home_page_url"`
	FeedURL     string         `json:"feed_url"`
	NextURL     string         `json:"next_url,omitempty"`
	Authors     []jsonAuthor   `json:"authors"`
	Language    string         `json:"language"`
	Items       []jsonFeedItem `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonFeedItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	ContentText   string       `json:"content_text"`
	Summary       string       `json:"summary"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags"`
}

// JSONFeed writes f as a JSON Feed 1.1 document, with the same ids as the
// Atom feed's entries.
func (s Site) JSONFeed(f Feed) ([]byte, error) {
	doc := jsonFeed{
		Version: "https://jsonfeed.org/version/1.1", Title: f.Title,
		HomePageURL: s.Absolute(f.Page), FeedURL: s.Absolute(f.Self),
		Authors: []jsonAuthor{{Name: s.Name}}, Language: "en", Items: []jsonFeedItem{},
	}
	if f.Next != "" {
		doc.NextURL = s.Absolute(f.Next)
	}
	for i := range f.Events {
		e := &f.Events[i]
		permalink := s.Absolute(EventPath(e.Slug))
		item := jsonFeedItem{
			ID: s.Absolute(EventPath(e.EntrySlug())), URL: permalink, Title: e.Title, ContentText: feedContent(e),
			Summary:       feedSummary(e),
			DatePublished: e.Added.UTC().Format(time.RFC3339), DateModified: e.Changed.UTC().Format(time.RFC3339),
			Tags: []string{KindLabel(e.Kind)},
		}
		for _, a := range e.ActorsIn(timeline.RoleSpeaker) {
			item.Authors = append(item.Authors, jsonAuthor{Name: a.Name})
		}
		doc.Items = append(doc.Items, item)
	}
	out, err := json.MarshalIndent(doc, "", "\t")
	if err != nil {
		return nil, fmt.Errorf("json feed: %w", err)
	}
	return out, nil
}
