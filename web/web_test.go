package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

func when(t *testing.T, text, zone string) timeline.When {
	t.Helper()
	w, err := timeline.ParseWhen(text, zone)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestGroupByDay(t *testing.T) {
	events := []timeline.Event{
		{Slug: "a", When: when(t, "2023-05-03 evening", "Europe/Moscow")},
		{Slug: "b", When: when(t, "2023-05-03T20:00", "Europe/Moscow")},
		{Slug: "c", When: when(t, "2023-05-04 early-hours", "Europe/Moscow")},
		{Slug: "d", When: when(t, "2023-05-03 late", "America/New_York")},
		{Slug: "e", When: when(t, "2023-05", "UTC")},
		{Slug: "f", When: when(t, "2023", "UTC")},
	}
	var got []string
	for _, d := range web.GroupByDay(events) {
		var slugs []string
		for _, e := range d.Events {
			slugs = append(slugs, e.Slug)
		}
		got = append(got, d.ID+" "+d.Label+" "+strings.Join(slugs, ","))
	}
	want := []string{
		"day--2023-05-03 Wednesday 3 May 2023 a,b",
		"day--2023-05-04 Thursday 4 May 2023 c",
		"day--2023-05-03--2 Wednesday 3 May 2023 d",
		"day--2023-05 May 2023 (day not given) e",
		"day--2023 2023 (month and day not given) f",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestAssets(t *testing.T) {
	for _, name := range []string{"app.css", "app.js"} {
		body, err := os.ReadFile("static/" + name)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(body)
		ext := name[strings.LastIndexByte(name, '.'):]
		want := "/static/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
		if got := web.Asset(name); got != want {
			t.Errorf("Asset(%s) = %s, want %s", name, got, want)
		}
		rec := httptest.NewRecorder()
		web.ServeAsset(rec, httptest.NewRequest("GET", want, nil), strings.TrimPrefix(want, "/static/"), false)
		if rec.Code != http.StatusOK || !bytes.Equal(rec.Body.Bytes(), body) || rec.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" || rec.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s: %d, %d bytes, %q", want, rec.Code, rec.Body.Len(), rec.Header().Get("Cache-Control"))
		}
		rec = httptest.NewRecorder()
		web.ServeAsset(rec, httptest.NewRequest("GET", want, nil), strings.TrimPrefix(want, "/static/"), true)
		zr, err := gzip.NewReader(rec.Body)
		if err != nil || rec.Header().Get("Content-Encoding") != "gzip" || rec.Header().Get("Vary") != "Accept-Encoding" {
			t.Fatalf("%s gzipped: %v, Content-Encoding %q, Vary %q", want, err, rec.Header().Get("Content-Encoding"), rec.Header().Get("Vary"))
		}
		if unzipped, _ := io.ReadAll(zr); !bytes.Equal(unzipped, body) {
			t.Errorf("%s gzipped is not the file", want)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("Asset of a missing file did not panic")
		}
	}()
	web.Asset("missing.css")
}

func TestSpeakerNames(t *testing.T) {
	names := func(ns ...string) []timeline.Actor {
		var as []timeline.Actor
		for _, n := range ns {
			as = append(as, timeline.Actor{Name: n})
		}
		return as
	}
	for _, tt := range []struct {
		actors []timeline.Actor
		want   string
	}{
		{nil, "unattributed"},
		{names("Kirby"), "Kirby"},
		{names("Zelensky", "Ukraine"), "Zelensky and Ukraine"},
		{names("A", "B", "C"), "A, B and C"},
	} {
		if got := web.SpeakerNames(tt.actors); got != tt.want {
			t.Errorf("SpeakerNames = %q, want %q", got, tt.want)
		}
	}
}

// TestEventItem renders one event alone and reads it back.
func TestEventItem(t *testing.T) {
	e := timeline.Event{
		Slug: "kirby-denies", Title: "Kirby calls it <lies>", Summary: "He said so.", Kind: timeline.KindDenial,
		When: when(t, "2023-05-04T09:15", "America/New_York"),
		Actors: []timeline.EventActor{
			{Actor: timeline.Actor{Slug: "kirby", Name: "John Kirby"}, Role: timeline.RoleSpeaker},
			{Actor: timeline.Actor{Slug: "peskov", Name: "Dmitry Peskov"}, Role: timeline.RoleTarget},
		},
		Sources: []timeline.Citation{
			{Source: timeline.Source{Outlet: "MSNBC", URL: "https://msnbc.example/x"}, Quote: "Peskov is just lying."},
			{Source: timeline.Source{Outlet: "Shady", URL: "javascript:alert(1)"}, Quote: "q"},
			{Source: timeline.Source{Outlet: "The Guardian", Via: "a", ViaOutlet: "Article A"}, Quote: "q2"},
		},
		Answers: []timeline.Answer{{Type: timeline.AnswerDenies, Event: timeline.EventRef{Slug: "peskov-blames-us", Title: "Peskov blames Washington",
			When: when(t, "2023-05-04", "Europe/Moscow"), Speakers: []timeline.Actor{{Name: "Dmitry Peskov"}}}}},
		AnsweredBy: []timeline.Answer{
			{Type: timeline.AnswerDoubts, Event: timeline.EventRef{Slug: "x", When: when(t, "2023-05-05", "UTC"), Speakers: []timeline.Actor{{Name: "A"}}}},
			{Type: timeline.AnswerDoubts, Event: timeline.EventRef{Slug: "y", When: when(t, "2023-05-06", "UTC"), Speakers: []timeline.Actor{{Name: "B"}}}},
		},
	}
	var buf bytes.Buffer
	if err := web.EventItem(e, "").Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	li := doc.Find("li#kirby-denies")
	if li.Length() != 1 || li.Find("article h3").Text() != "Kirby calls it <lies>" {
		t.Fatalf("item: %q", li.Text())
	}
	if got := li.Find("time").AttrOr("datetime", ""); got != "2023-05-04T09:15-04:00" {
		t.Errorf("datetime = %s", got)
	}
	if got := li.Find(`.kind`).Text(); got != "Denial" {
		t.Errorf("kind = %q", got)
	}
	peskov := li.Find(`ul.actors a[href="/timeline?actor=peskov"]`)
	if peskov.AttrOr("href", "") != "/timeline?actor=peskov" || peskov.Parent().Find(".role").Text() != "(target)" || li.Find(`ul.actors a[href="/timeline?actor=kirby"]`).Parent().Find(".role").Length() != 0 {
		t.Errorf("actors: %q", li.Find(`ul.actors`).Text())
	}
	answers := li.Find(`li.answers`)
	if answers.AttrOr("data-type", "") != "denies" || !strings.HasPrefix(strings.TrimSpace(answers.Text()), "Denies:") || answers.Find("a").AttrOr("href", "") != "/events/peskov-blames-us" {
		t.Errorf("answers: %q", answers.Text())
	}
	doubted := li.Find(`li.answered-by[data-type="doubts"]`)
	if doubted.Length() != 1 || doubted.Find("a").Length() != 2 || !strings.HasPrefix(strings.TrimSpace(doubted.Text()), "Doubted by") {
		t.Errorf("answered by: %q", doubted.Text())
	}
	srcs := li.Find(`ul.sources > li`)
	if srcs.Eq(0).Find("a").AttrOr("href", "") != "https://msnbc.example/x" || srcs.Eq(0).Find("blockquote").Text() != "Peskov is just lying." {
		t.Errorf("first source: %q", srcs.Eq(0).Text())
	}
	if srcs.Eq(1).Find("a").Length() != 0 {
		t.Error("a javascript: URL became a link")
	}
	if srcs.Eq(2).Find(`.via`).Text() != "via Article A" {
		t.Errorf("via: %q", srcs.Eq(2).Text())
	}
	if li.Find(`.permalink a`).AttrOr("href", "") != "/events/kirby-denies" {
		t.Error("no permalink")
	}
}

// TestStoryFiltersStayInTheStory: on a story's page the filter form, its
// chips and "clear all" lead to the story's own list, not the archive's.
func TestStoryFiltersStayInTheStory(t *testing.T) {
	f := timeline.Filter{Story: "drones", Actors: []string{"kirby"}, Desc: true}
	if got, want := web.NewFilterForm(web.TimelinePath, f, nil, true).Action, "/stories/drones"; got != want {
		t.Errorf("the form goes to %q, want %q", got, want)
	}
	chips, clear := web.AppliedFilters(web.TimelinePath, f, map[string]timeline.Actor{"kirby": {Slug: "kirby", Name: "John Kirby"}})
	if len(chips) != 1 || chips[0].URL != "/stories/drones?order=desc" {
		t.Errorf("chips %+v", chips)
	}
	if want := "/stories/drones?order=desc"; clear != want {
		t.Errorf("clear all leads to %q, want %q", clear, want)
	}
	if got, want := web.NewFilterForm(web.ClaimsPath, timeline.Filter{}, nil, false).Action, "/claims"; got != want {
		t.Errorf("the archive's form goes to %q, want %q", got, want)
	}
}

// TestOverviewOfTooManyMatches: a search of more matches than the picture
// counts gets a sentence that says so in its place, and no picture.
func TestOverviewOfTooManyMatches(t *testing.T) {
	v := web.NewOverview(web.TimelinePath, timeline.Filter{Query: "drone"}, &timeline.Overview{TooManyMatches: true}, nil, nil)
	var buf bytes.Buffer
	if err := web.Overview(v).Render(context.Background(), &buf); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := doc.Find(`[data-testid="overview-too-many"]`).Text(); !strings.Contains(got, "more than 2,000 events") {
		t.Errorf("the overview of too many matches reads %q", got)
	}
	if doc.Find(`[data-testid="overview"], svg`).Length() != 0 {
		t.Error("a picture is drawn of matches it did not count")
	}
}
