package web_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// TestMarkSegments: the words a search matches are marked as the index
// matches them, whole or by prefix, without case; the rest is kept as it
// is, punctuation and all.
func TestMarkSegments(t *testing.T) {
	terms := func(q string) []timeline.SearchTerm {
		s, err := timeline.ParseSearch(q)
		if err != nil {
			t.Fatal(err)
		}
		return s.Marked()
	}
	for _, tt := range []struct {
		text, q string
		want    []web.Segment
	}{
		{"Two drones downed", "drone", []web.Segment{{Text: "Two drones downed"}}},
		{"Two drones downed", "drone*", []web.Segment{{Text: "Two "}, {Text: "drones", Mark: true}, {Text: " downed"}}},
		{"a very large shaker of salt.", `"shaker of salt"`, []web.Segment{{Text: "a very large "}, {Text: "shaker", Mark: true}, {Text: " "}, {Text: "of", Mark: true}, {Text: " "}, {Text: "salt", Mark: true}, {Text: "."}}},
		{"KREMLIN, not Putin", "kremlin NOT putin", []web.Segment{{Text: "KREMLIN", Mark: true}, {Text: ", not Putin"}}},
		{"<script>", "script", []web.Segment{{Text: "<"}, {Text: "script", Mark: true}, {Text: ">"}}},
		{"no search", "", []web.Segment{{Text: "no search"}}},
	} {
		if got := web.MarkSegments(tt.text, terms(tt.q)); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("MarkSegments(%q, %q) = %+v, want %+v", tt.text, tt.q, got, tt.want)
		}
	}
}

// TestMarksEscaped: an event whose quote holds markup shows it as text,
// with the matching words marked, in an event item under WithMarks.
func TestMarksEscaped(t *testing.T) {
	e := timeline.Event{Slug: "e", Title: "A <b>bold</b> title", Kind: "claim",
		Sources: []timeline.Citation{{Source: timeline.Source{Outlet: "Wire"}, Quote: `<script>alert("x")</script>`}}}
	var b strings.Builder
	ctx := context.Background()
	if err := web.WithMarks("script OR bold").Render(templ.WithChildren(ctx, web.EventItem(e, "")), &b); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(b.String()))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Find("script, b").Length() != 0 {
		t.Errorf("markup from the data became elements: %s", b.String())
	}
	if got := doc.Find("blockquote").Text(); got != `<script>alert("x")</script>` {
		t.Errorf("quote reads %q", got)
	}
	if got := doc.Find("blockquote mark").Length(); got != 2 {
		t.Errorf("%d marks in the quote, want 2", got)
	}
	if got := doc.Find("h3 mark").Text(); got != "bold" {
		t.Errorf("title mark = %q, want bold", got)
	}
}
