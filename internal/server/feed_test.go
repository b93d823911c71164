package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"

	datasetfile "github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/server"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/story"
	"github.com/timelinenews/timeline/internal/timeline"
	"github.com/timelinenews/timeline/web"
)

// readAtom fetches an Atom feed and reads it with gofeed's Atom parser,
// checking what RFC 4287 requires of a feed and of each entry: id, title,
// updated, an author (the feed's stands for its entries'), and links that
// are absolute.
func readAtom(t *testing.T, srv *httptest.Server, path string, header ...string) (*atom.Feed, *http.Response) {
	t.Helper()
	res := get(t, srv, path, header...)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", path, res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	feed, err := (&atom.Parser{}).Parse(res.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	if feed.ID == "" || feed.Title == "" || feed.UpdatedParsed == nil || len(feed.Authors) == 0 || feed.Authors[0].Name == "" {
		t.Errorf("%s: feed id %q title %q updated %q authors %v: each is required", path, feed.ID, feed.Title, feed.Updated, feed.Authors)
	}
	if alt := atomLink(feed.Links, "alternate"); !strings.HasPrefix(alt, baseURL+"/") {
		t.Errorf("%s: alternate link %q, want an absolute URL on %s", path, alt, baseURL)
	}
	if self := atomLink(feed.Links, "self"); self != baseURL+path && !strings.Contains(path, "?") {
		t.Errorf("%s: self link %q, want %s", path, self, baseURL+path)
	}
	ids := map[string]bool{}
	for _, e := range feed.Entries {
		if !strings.HasPrefix(e.ID, baseURL+web.EventPath("")) || e.Title == "" || e.UpdatedParsed == nil || e.PublishedParsed == nil {
			t.Errorf("%s: entry id %q title %q updated %q published %q", path, e.ID, e.Title, e.Updated, e.Published)
		}
		if alt := atomLink(e.Links, "alternate"); !strings.HasPrefix(alt, baseURL+web.EventPath("")) {
			t.Errorf("%s: entry %s links to %q, want its permalink", path, e.ID, alt)
		}
		if ids[e.ID] {
			t.Errorf("%s: entry %s twice", path, e.ID)
		}
		ids[e.ID] = true
	}
	return feed, res
}

// atomLink is the href of the first link with the relation, "" for none.
func atomLink(links []*atom.Link, rel string) string {
	for _, l := range links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

// entrySlugs are the slugs of a feed's entries, in its order.
func entrySlugs(feed *atom.Feed) []string {
	var out []string
	for _, e := range feed.Entries {
		out = append(out, strings.TrimPrefix(e.ID, baseURL+web.EventPath("")))
	}
	return out
}

func TestFeeds(t *testing.T) {
	ds := dataset(t, exchange)
	ds.Slug = "drones"
	srv, _ := newServer(t, ds)
	kirby := timeline.Filter{Story: "drones", Actors: []string{"kirby"}}

	t.Run("AtomReadBack", func(t *testing.T) {
		for _, tc := range []struct {
			name, path string
			want       []string // entry slugs, in order
		}{
			{"Story", web.TimelineFeedPath(timeline.Filter{Story: "drones"}, web.Atom, nil), nil},
			{"Archive", web.TimelineFeedPath(timeline.Filter{}, web.Atom, nil), nil},
			{"FilteredByActor", web.TimelineFeedPath(kirby, web.Atom, nil), []string{"kirby-denies"}},
			{"FilteredByKind", web.TimelineFeedPath(timeline.Filter{Kinds: []timeline.EventKind{timeline.KindDenial}}, web.Atom, nil), []string{"zelensky-denies", "kirby-denies"}},
			{"Actor", web.ActorFeedPath("ukraine", web.Atom, nil), []string{"zelensky-denies", "kremlin-claims-attempt"}},
			{"Claim", web.ClaimFeedPath("kremlin-claims-attempt", web.Atom), nil},
			{"Claims", web.ClaimsFeedPath(timeline.Filter{}, web.Atom, nil), []string{"peskov-blames-us", "kremlin-claims-attempt"}},
			{"StoryClaimsFiltered", web.ClaimsFeedPath(timeline.Filter{Story: "drones", Actors: []string{"kremlin"}}, web.Atom, nil), []string{"kremlin-claims-attempt"}},
			// The claims list is of claims whatever the URL says.
			{"ClaimsKindIgnored", web.ClaimsFeedPath(timeline.Filter{Story: "drones"}, web.Atom, nil) + "?kind=denial", []string{"peskov-blames-us", "kremlin-claims-attempt"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				feed, _ := readAtom(t, srv, tc.path)
				got := entrySlugs(feed)
				if tc.want == nil && len(got) == 0 {
					t.Errorf("%s has no entries", tc.path)
				}
				if tc.want != nil && !slices.Equal(got, tc.want) {
					t.Errorf("%s entries = %v, want %v", tc.path, got, tc.want)
				}
			})
		}
	})

	t.Run("ClaimFeedHoldsItsAnswers", func(t *testing.T) {
		feed, _ := readAtom(t, srv, web.ClaimFeedPath("kremlin-claims-attempt", web.Atom))
		got := entrySlugs(feed)
		for _, want := range []string{"kremlin-claims-attempt", "zelensky-denies", "galeotti-doubts"} {
			if !slices.Contains(got, want) {
				t.Errorf("claim feed = %v, want %s in it", got, want)
			}
		}
	})

	t.Run("JSONFeedReadBack", func(t *testing.T) {
		path := web.TimelineFeedPath(kirby, web.JSONFeed, nil)
		res := get(t, srv, path)
		if ct := res.Header.Get("Content-Type"); res.StatusCode != http.StatusOK || !strings.HasPrefix(ct, "application/feed+json") {
			t.Fatalf("GET %s = %d, %q", path, res.StatusCode, ct)
		}
		feed, err := gofeed.NewParser().Parse(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		if feed.FeedType != "json" || feed.FeedVersion != "https://jsonfeed.org/version/1.1" || feed.Title == "" || feed.Link != baseURL+web.TimelinePath(kirby) {
			t.Errorf("feed type %q version %q title %q home %q", feed.FeedType, feed.FeedVersion, feed.Title, feed.Link)
		}
		if len(feed.Items) != 1 || feed.Items[0].GUID != baseURL+web.EventPath("kirby-denies") || feed.Items[0].UpdatedParsed == nil {
			t.Fatalf("items = %+v, want kirby-denies with its time", feed.Items)
		}
	})

	t.Run("PagesOfferFeeds", func(t *testing.T) {
		for _, tc := range []struct{ page, atom, json string }{
			{web.HomePath(), web.TimelineFeedPath(timeline.Filter{}, web.Atom, nil), web.TimelineFeedPath(timeline.Filter{}, web.JSONFeed, nil)},
			{web.StoryPath("drones"), web.TimelineFeedPath(timeline.Filter{Story: "drones"}, web.Atom, nil), web.TimelineFeedPath(timeline.Filter{Story: "drones"}, web.JSONFeed, nil)},
			{web.TimelinePath(kirby), web.TimelineFeedPath(kirby, web.Atom, nil), web.TimelineFeedPath(kirby, web.JSONFeed, nil)},
			{web.ActorPath("kirby"), web.ActorFeedPath("kirby", web.Atom, nil), web.ActorFeedPath("kirby", web.JSONFeed, nil)},
			{web.ClaimPath("kremlin-claims-attempt"), web.ClaimFeedPath("kremlin-claims-attempt", web.Atom), web.ClaimFeedPath("kremlin-claims-attempt", web.JSONFeed)},
			{web.EventPath("kirby-denies"), web.ClaimFeedPath("kirby-denies", web.Atom), web.ClaimFeedPath("kirby-denies", web.JSONFeed)},
			{web.ThreadPath("zelensky-denies"), web.ClaimFeedPath("zelensky-denies", web.Atom), web.ClaimFeedPath("zelensky-denies", web.JSONFeed)},
			{web.ClaimsPath(timeline.Filter{}), web.ClaimsFeedPath(timeline.Filter{}, web.Atom, nil), web.ClaimsFeedPath(timeline.Filter{}, web.JSONFeed, nil)},
			{web.ClaimsPath(kirby), web.ClaimsFeedPath(kirby, web.Atom, nil), web.ClaimsFeedPath(kirby, web.JSONFeed, nil)},
		} {
			doc := page(t, srv, tc.page, http.StatusOK)
			for typ, want := range map[string]string{"application/atom+xml": tc.atom, "application/feed+json": tc.json} {
				link := doc.Find(`head link[rel="alternate"][type="` + typ + `"]`)
				if href := link.AttrOr("href", ""); link.Length() != 1 || href != baseURL+want || link.AttrOr("title", "") == "" {
					t.Errorf("%s: %d %s links, href %q, want one to %s with a title", tc.page, link.Length(), typ, href, baseURL+want)
					continue
				}
				if res := get(t, srv, want); res.StatusCode != http.StatusOK {
					t.Errorf("%s: its feed %s = %d", tc.page, want, res.StatusCode)
				}
			}
		}
	})

	t.Run("ConditionalGet", func(t *testing.T) {
		path := web.ActorFeedPath("kirby", web.Atom, nil)
		_, res := readAtom(t, srv, path)
		etag := res.Header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag on a feed")
		}
		if res := get(t, srv, path, "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
			t.Errorf("GET with its ETag = %d, want 304", res.StatusCode)
		}
		if other := get(t, srv, web.ActorFeedPath("kirby", web.JSONFeed, nil)).Header.Get("ETag"); other == etag {
			t.Error("the JSON feed has the Atom feed's ETag")
		}
	})

	t.Run("RenamedClaimsFeedMoves", func(t *testing.T) {
		ds := dataset(t, exchange)
		ds.Events[1].FormerSlugs = []string{"kremlin-old-slug"}
		srv, _ := newServer(t, ds)
		res := get(t, srv, web.ClaimFeedPath("kremlin-old-slug", web.JSONFeed))
		if want := web.ClaimFeedPath("kremlin-claims-attempt", web.JSONFeed); res.StatusCode != http.StatusMovedPermanently || res.Header.Get("Location") != want {
			t.Errorf("a former slug's feed = %d to %q, want 301 to %s", res.StatusCode, res.Header.Get("Location"), want)
		}
	})

	t.Run("BadPagePosition", func(t *testing.T) {
		if res := get(t, srv, web.ActorFeedPath("kirby", web.Atom, nil)+"?older=nonsense"); res.StatusCode != http.StatusBadRequest {
			t.Errorf("a bad older = %d, want 400", res.StatusCode)
		}
		if res := get(t, srv, web.ActorFeedPath("nobody", web.Atom, nil)); res.StatusCode != http.StatusNotFound {
			t.Errorf("an unknown actor's feed = %d, want 404", res.StatusCode)
		}
	})
}

// TestFeedPaging: a feed shows at most 50 entries, and its next links
// (RFC 5005; JSON Feed's next_url) reach every other once: the archive's
// timeline in Atom, the claims list in JSON Feed.
func TestFeedPaging(t *testing.T) {
	srv, _ := newServer(t, sqlitetest.ManyEvents(t, 120))
	seen := map[string]bool{}
	path := web.TimelineFeedPath(timeline.Filter{}, web.Atom, nil)
	pages := 0
	for path != "" && pages < 10 {
		feed, _ := readAtom(t, srv, path)
		pages++
		if len(feed.Entries) > timeline.MaxFeedEntries {
			t.Fatalf("%s has %d entries, want at most %d", path, len(feed.Entries), timeline.MaxFeedEntries)
		}
		for _, slug := range entrySlugs(feed) {
			if seen[slug] {
				t.Errorf("%s repeats %s", path, slug)
			}
			seen[slug] = true
		}
		path = strings.TrimPrefix(atomLink(feed.Links, "next"), baseURL)
	}
	if len(seen) != 120 || pages != 3 {
		t.Errorf("%d entries in %d pages, want 120 in 3", len(seen), pages)
	}

	// The JSON Feed pages the same way, by next_url.
	seen = map[string]bool{}
	path, pages = web.ClaimsFeedPath(timeline.Filter{}, web.JSONFeed, nil), 0
	srv, _ = newServer(t, claimsOnly(sqlitetest.ManyEvents(t, 120)))
	for path != "" && pages < 10 {
		res := get(t, srv, path)
		var feed struct {
			NextURL string `json:"next_url"`
			Items   []struct {
				ID string `json:"id"`
			} `json:"items"`
		}
		if err := json.NewDecoder(res.Body).Decode(&feed); err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d, %v", path, res.StatusCode, err)
		}
		pages++
		if len(feed.Items) > timeline.MaxFeedEntries {
			t.Fatalf("%s has %d items", path, len(feed.Items))
		}
		for _, item := range feed.Items {
			if seen[item.ID] {
				t.Errorf("%s repeats %s", path, item.ID)
			}
			seen[item.ID] = true
		}
		path = strings.TrimPrefix(feed.NextURL, baseURL)
	}
	if len(seen) != 120 || pages != 3 {
		t.Errorf("JSON Feed: %d items in %d pages, want 120 in 3", len(seen), pages)
	}
}

// claimsOnly makes every event of ds a claim.
func claimsOnly(ds *timeline.Dataset) *timeline.Dataset {
	for i := range ds.Events {
		ds.Events[i].Kind = timeline.KindClaim
	}
	return ds
}

// TestFeedResendsAnsweredClaim: a feed reader that read the bundled story's
// feed before an import that gives a claim a new answer finds the claim's
// entry again, first, with a later time, saying what answered it. The
// first version is the bundled story without one of its answers, so that
// the second, the bundled story itself, adds it: no data is made up.
func TestFeedResendsAnsweredClaim(t *testing.T) {
	const claim, answer = "kremlin-statement-attempt-on-putin", "galeotti-not-an-assassination-attempt"
	bundled, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	before, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(before.Events, func(e timeline.Event) bool { return e.Slug == answer })
	if i < 0 {
		t.Fatalf("the bundled story has no event %s", answer)
	}
	before.Events[i].Answers = slices.DeleteFunc(before.Events[i].Answers, func(a timeline.Answer) bool { return a.Event.Slug == claim })

	db := sqlitetest.MustOpen(t)
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	t1 := t0.Add(time.Hour)
	importAt(t, db, before, t0)
	srv := httptest.NewServer(server.New(server.Config{Store: db, BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(srv.Close)

	path := web.TimelineFeedPath(timeline.Filter{Story: bundled.Slug}, web.Atom, nil)
	old, res := readAtom(t, srv, path)
	oldTag := res.Header.Get("ETag")
	if len(old.Entries) != len(bundled.Events) {
		t.Fatalf("feed has %d entries, want the story's %d", len(old.Entries), len(bundled.Events))
	}

	importAt(t, db, bundled, t1)
	feed, res := readAtom(t, srv, path, "If-None-Match", oldTag)
	if res.Header.Get("ETag") == oldTag {
		t.Error("the feed kept its ETag through an import that changed it")
	}
	// The claim and the answer changed at t1; at one time, slugs order them.
	if got := entrySlugs(feed); len(got) < 2 || got[0] != claim || got[1] != answer {
		t.Fatalf("newest entries = %v, want %s then %s", got[:min(len(got), 3)], claim, answer)
	}
	entry := feed.Entries[0]
	if !entry.UpdatedParsed.Equal(t1) || !entry.PublishedParsed.Equal(t0) {
		t.Errorf("claim entry updated %v published %v, want %v and %v", entry.Updated, entry.Published, t1, t0)
	}
	if entry.ID != baseURL+web.EventPath(claim) {
		t.Errorf("claim entry id %q, want its permalink, as before", entry.ID)
	}
	if want := web.AnsweredByLine(timeline.Answer{Type: timeline.AnswerDoubts, Event: timeline.EventRef{Title: bundled.Events[i].Title, Speakers: []timeline.Actor{{Name: "Mark Galeotti"}}}}); entry.Content == nil || !strings.Contains(entry.Content.Value, want) {
		t.Errorf("claim entry content does not say %q", want)
	}
	if got := feed.UpdatedParsed; got == nil || !got.Equal(t1) {
		t.Errorf("feed updated %v, want %v", feed.Updated, t1)
	}
}

// importBundledAt imports the bundled story into db as of at.
func importBundledAt(t *testing.T, db *sqlite.DB, at time.Time) *timeline.Dataset {
	t.Helper()
	ds, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	importAt(t, db, ds, at)
	return ds
}

// renameFirstAt re-imports ds as of at with its first event renamed to
// slug, its old slug kept as a former one.
func renameFirstAt(t *testing.T, db *sqlite.DB, ds *timeline.Dataset, slug string, at time.Time) {
	t.Helper()
	ds.Events[0].FormerSlugs = append(ds.Events[0].FormerSlugs, ds.Events[0].Slug)
	ds.Events[0].Slug = slug
	importAt(t, db, ds, at)
}

// importAt imports ds into db with the import's clock at at.
func importAt(t *testing.T, db *sqlite.DB, ds *timeline.Dataset, at time.Time) {
	t.Helper()
	im, err := db.BeginImport(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	im.SetTime(at)
	if err := im.Apply(ds); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}
}

// TestFeedEntryIDSurvivesRename: an entry's id is permanent (RFC 4287), so
// an event renamed once and then again keeps the id of its first permalink
// in both feeds, while its link follows it to the new one.
func TestFeedEntryIDSurvivesRename(t *testing.T) {
	db := sqlitetest.MustOpen(t)
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ds := importBundledAt(t, db, t0)
	first := ds.Events[0].Slug
	srv := httptest.NewServer(server.New(server.Config{Store: db, BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
	t.Cleanup(srv.Close)
	atomPath := web.TimelineFeedPath(timeline.Filter{Story: ds.Slug}, web.Atom, nil)
	jsonPath := web.TimelineFeedPath(timeline.Filter{Story: ds.Slug}, web.JSONFeed, nil)

	for i, slug := range []string{first, first + "-renamed", first + "-renamed-again"} {
		if i > 0 {
			renameFirstAt(t, db, ds, slug, t0.Add(time.Duration(i)*time.Hour))
		}
		wantID, wantLink := baseURL+web.EventPath(first), baseURL+web.EventPath(slug)
		feed, _ := readAtom(t, srv, atomPath)
		j := slices.IndexFunc(feed.Entries, func(e *atom.Entry) bool { return atomLink(e.Links, "alternate") == wantLink })
		if j < 0 {
			t.Fatalf("slug %s: the Atom feed has no entry linking to %s", slug, wantLink)
		}
		if got := feed.Entries[j].ID; got != wantID {
			t.Errorf("slug %s: Atom entry id %q, want the first permalink %q", slug, got, wantID)
		}
		res := get(t, srv, jsonPath)
		var doc struct {
			Items []struct{ ID, URL string }
		}
		if err := json.NewDecoder(res.Body).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		k := slices.IndexFunc(doc.Items, func(it struct{ ID, URL string }) bool { return it.URL == wantLink })
		if k < 0 {
			t.Fatalf("slug %s: the JSON Feed has no item at %s", slug, wantLink)
		}
		if got := doc.Items[k].ID; got != wantID {
			t.Errorf("slug %s: JSON Feed item id %q, want the first permalink %q", slug, got, wantID)
		}
	}
}

// TestFeedEntryIDSurvivesMove: an archive moved by export and import into a
// new database keeps the Atom entry id of an event renamed twice, so that
// feed readers do not show it again as new.
func TestFeedEntryIDSurvivesMove(t *testing.T) {
	ctx := context.Background()
	from := sqlitetest.MustOpen(t)
	t0 := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	ds := importBundledAt(t, from, t0)
	first := ds.Events[0].Slug
	for i, slug := range []string{first + "-renamed", first + "-renamed-again"} {
		renameFirstAt(t, from, ds, slug, t0.Add(time.Duration(i+1)*time.Hour))
	}

	var file bytes.Buffer
	w := datasetfile.NewWriter(&file)
	if err := from.Export(ctx, ds.Slug, w); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	to := sqlitetest.MustOpen(t)
	im, err := to.BeginImport(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer im.Rollback()
	if err := datasetfile.Scan(&file, im); err != nil {
		t.Fatal(err)
	}
	if _, err := im.Commit(); err != nil {
		t.Fatal(err)
	}

	link := baseURL + web.EventPath(ds.Events[0].Slug)
	entryOf := func(db *sqlite.DB) *atom.Entry {
		srv := httptest.NewServer(server.New(server.Config{Store: db, BaseURL: baseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}))
		defer srv.Close()
		feed, _ := readAtom(t, srv, web.TimelineFeedPath(timeline.Filter{Story: ds.Slug}, web.Atom, nil))
		j := slices.IndexFunc(feed.Entries, func(e *atom.Entry) bool { return atomLink(e.Links, "alternate") == link })
		if j < 0 {
			t.Fatalf("the Atom feed has no entry linking to %s", link)
		}
		return feed.Entries[j]
	}
	want := baseURL + web.EventPath(first)
	before, after := entryOf(from), entryOf(to)
	if before.ID != want {
		t.Fatalf("before the move: Atom entry id %q, want the first permalink %q", before.ID, want)
	}
	if after.ID != want {
		t.Errorf("after export and import into a new database: Atom entry id %q, want %q, as before", after.ID, want)
	}
	// Its dates are the archive's, not the move's, so a feed reader shows
	// nothing new.
	if after.Published != before.Published || after.Updated != before.Updated || before.Updated == before.Published {
		t.Errorf("after the move: published %s, updated %s; before: %s, %s", after.Published, after.Updated, before.Published, before.Updated)
	}
}
