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
	// An event with no source cites nothing, rather than null, and one
	// naming no one mentions no one.
	ld := map[string]any{
		"@context":         "https://schema.org",
		"@type":            "NewsArticle",
		"headline":         e.Title,
		"description":      e.Summary,
		"url":              site.Absolute("/events/" + e.Slug),
		"mainEntityOfPage": site.Absolute("/events/" + e.Slug),
		"isPartOf":         map[string]any{"@type": "WebSite", "name": site.Name, "url": site.Absolute("/")},
		"about":            map[string]any{"@type": "Thing", "name": st.Title, "temporalCoverage": e.When.Datetime()},
	}
	if len(mentions) > 0 {
		ld["mentions"] = mentions
	}
	if len(citations) > 0 {
		ld["citation"] = citations
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
	if err := Layout(site, Head{Title: full.Title, JSONLD: &JSONLD{Article: EventJSONLD(site, full)}}).Render(context.Background(), &buf); err != nil {
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

func TestPageJSONLDClaims(t *testing.T) {
	site := Site{Name: "Timeline", BaseURL: "https://timeline.example"}
	claim := &timeline.Event{
		Slug: "kremlin-blames-kyiv", Title: "Kremlin blames Kyiv", Kind: timeline.KindAccusation,
		When: mustWhen(t, "2023-05-03T14:05", "Europe/Moscow"),
		Actors: []timeline.EventActor{
			{Actor: timeline.Actor{Slug: "kremlin", Name: "The Kremlin", Kind: timeline.ActorGovernment}, Role: timeline.RoleSpeaker},
			{Actor: timeline.Actor{Slug: "kyiv", Name: "Ukraine", Kind: timeline.ActorState}, Role: timeline.RoleTarget},
		},
		Sources:    []timeline.Citation{{Source: timeline.Source{Outlet: "Wire", URL: "https://wire.example/a", Title: "A", Published: "2023-05-03"}, Quote: "a terrorist act </script><script>alert(1)</script>"}},
		AnsweredBy: []timeline.Answer{{Type: timeline.AnswerDenies, Event: timeline.EventRef{Slug: "zelensky-denies"}}},
	}
	answer := timeline.Event{
		Slug: "zelensky-denies", Title: "Zelensky denies", Kind: timeline.KindDenial, When: mustWhen(t, "2023-05-03", "Europe/Helsinki"),
		Actors:  []timeline.EventActor{{Actor: timeline.Actor{Slug: "zelensky", Name: "Volodymyr Zelensky", Kind: timeline.ActorPerson}, Role: timeline.RoleSpeaker}},
		Sources: []timeline.Citation{{Source: timeline.Source{Outlet: "Broadcaster"}, Quote: "We don't attack Putin"}},
		Answers: []timeline.Answer{{Type: timeline.AnswerDenies, Event: timeline.EventRef{Slug: claim.Slug, Kind: claim.Kind}}},
	}
	unrelated := timeline.Event{Slug: "other", Title: "Other", Kind: timeline.KindAnalysis, When: mustWhen(t, "2023-05", "UTC"),
		Answers: []timeline.Answer{{Type: timeline.AnswerCites, Event: timeline.EventRef{Slug: answer.Slug, Kind: answer.Kind}}}}

	var buf bytes.Buffer
	if err := Layout(site, Head{Title: claim.Title, JSONLD: PageJSONLD(site, claim, []timeline.Event{*claim, answer, unrelated})}).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	// A quote cannot end the script: no script of its own, and the whole
	// quote is in the one ld+json script.
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		if s.Text() == "alert(1)" {
			t.Error("the quote broke out of the ld+json script")
		}
	})
	script := doc.Find(`script[type="application/ld+json"]`)
	if script.Length() != 1 {
		t.Fatalf("%d ld+json scripts", script.Length())
	}
	var ld struct {
		Context string           `json:"@context"`
		Graph   []map[string]any `json:"@graph"`
	}
	if err := json.Unmarshal([]byte(script.Text()), &ld); err != nil {
		t.Fatalf("%v in %s", err, script.Text())
	}
	if ld.Context != "https://schema.org" || len(ld.Graph) != 3 {
		t.Fatalf("context %q, %d nodes: %s", ld.Context, len(ld.Graph), script.Text())
	}
	if ld.Graph[0]["@type"] != "NewsArticle" || ld.Graph[0]["@context"] != nil {
		t.Errorf("article %v", ld.Graph[0])
	}
	claimID := "https://timeline.example/events/kremlin-blames-kyiv#claim"
	want := []string{
		`{"@id":"` + claimID + `","@type":"Claim",` +
			`"appearance":[{"@type":"CreativeWork","datePublished":"2023-05-03","name":"A","publisher":{"@type":"Organization","name":"Wire"},"text":"a terrorist act \u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e","url":"https://wire.example/a"}],` +
			`"author":[{"@type":"Organization","name":"The Kremlin","url":"https://timeline.example/actors/kremlin"}],` +
			`"datePublished":"2023-05-03T14:05+03:00","name":"Kremlin blames Kyiv","url":"https://timeline.example/events/kremlin-blames-kyiv"}`,
		// The answer, at day precision, is a date without an invented time.
		`{"@id":"https://timeline.example/events/zelensky-denies#claim","@type":"Claim","about":[{"@id":"` + claimID + `"}],` +
			`"appearance":[{"@type":"CreativeWork","publisher":{"@type":"Organization","name":"Broadcaster"},"text":"We don't attack Putin"}],` +
			`"author":[{"@type":"Person","name":"Volodymyr Zelensky","url":"https://timeline.example/actors/zelensky"}],` +
			`"datePublished":"2023-05-03","name":"Zelensky denies","url":"https://timeline.example/events/zelensky-denies"}`,
	}
	for i, w := range want {
		got, err := json.Marshal(ld.Graph[i+1])
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != w {
			t.Errorf("claim %d:\ngot  %s\nwant %s", i, got, w)
		}
	}
}

// TestJSONLDMarks: a search engine reads an event published with no source
// as citing nothing, one naming no one as by no one, and each says so in
// its description, in the words its page uses.
func TestJSONLDMarks(t *testing.T) {
	site := Site{Name: "Timeline", BaseURL: "https://timeline.example"}
	kremlin := timeline.EventActor{Actor: timeline.Actor{Slug: "kremlin", Name: "The Kremlin", Kind: timeline.ActorGovernment}, Role: timeline.RoleSpeaker}
	tests := []struct {
		name          string
		unattributed  bool
		actors        []timeline.EventActor
		wantMark      string
		wantAuthor    bool
		wantMentioned bool
	}{
		{"Unsourced", false, []timeline.EventActor{kremlin}, "[" + UnsourcedLabel + "]", true, true},
		{"UnsourcedUnattributed", true, nil, "[" + UnsourcedLabel + "] [" + UnattributedLabel + "]", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &timeline.Event{Slug: "kremlin-blames-kyiv", Title: "Kremlin blames Kyiv", Summary: "It said so.", Kind: timeline.KindAccusation,
				When: mustWhen(t, "2023-05-03", "Europe/Moscow"), Unsourced: true, Unattributed: tt.unattributed, Actors: tt.actors}
			b, err := json.Marshal(PageJSONLD(site, e, nil))
			if err != nil {
				t.Fatal(err)
			}
			var ld struct {
				Graph []map[string]any `json:"@graph"`
			}
			if err := json.Unmarshal(b, &ld); err != nil || len(ld.Graph) != 2 {
				t.Fatalf("%v, graph of %d nodes: %s", err, len(ld.Graph), b)
			}
			article, claim := ld.Graph[0], ld.Graph[1]
			if _, ok := article["citation"]; ok {
				t.Errorf("the article of an unsourced event has a citation: %s", b)
			}
			if _, ok := claim["appearance"]; ok {
				t.Errorf("the claim of an unsourced event appears somewhere: %s", b)
			}
			if got, want := article["description"], tt.wantMark+" "+e.Summary; got != want {
				t.Errorf("article description = %q, want %q", got, want)
			}
			if got := claim["description"]; got != tt.wantMark {
				t.Errorf("claim description = %q, want %q", got, tt.wantMark)
			}
			if _, ok := claim["author"]; ok != tt.wantAuthor {
				t.Errorf("claim has an author: %v, want %v: %s", ok, tt.wantAuthor, b)
			}
			if _, ok := article["mentions"]; ok != tt.wantMentioned {
				t.Errorf("article mentions someone: %v, want %v: %s", ok, tt.wantMentioned, b)
			}
		})
	}
}

func TestPageJSONLDWithoutClaims(t *testing.T) {
	site := Site{Name: "Timeline", BaseURL: "https://timeline.example"}
	e := &timeline.Event{Slug: "blast", Title: "Blast", Kind: timeline.KindIncident, When: mustWhen(t, "2023-05-03", "UTC")}
	got, err := json.Marshal(PageJSONLD(site, e, nil))
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(EventJSONLD(site, e))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestLDDate(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"2023", "2023"},
		{"2023-05", "2023-05"},
		{"2023-05-03", "2023-05-03"},
		{"2023-05-03 morning", "2023-05-03"},
		{"2023-05-03T14", "2023-05-03T14+03:00"},
		{"2023-05-03T14:05", "2023-05-03T14:05+03:00"},
	} {
		if got := ldDate(mustWhen(t, tc.text, "Europe/Moscow")); got != tc.want {
			t.Errorf("ldDate(%s) = %q, want %q", tc.text, got, tc.want)
		}
	}
	if got := ldDate(timeline.When{}); got != "" {
		t.Errorf("zero when: %q", got)
	}
}
