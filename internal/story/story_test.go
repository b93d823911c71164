package story_test

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/story"
	"github.com/timelinenews/timeline/internal/timeline"
)

// The two articles the story is curated from. Each is the root of a chain of
// sources: a source with a via reached us through that article, and its
// quote must be in it. A seed file is told apart by a sentence only it holds,
// not by its name.
var articles = []struct {
	key, marker string
}{
	{"article-a", "The Russian government has accused the United States of masterminding"},
	{"article-b", "the holy of holies in Russia"},
}

// attribution is, for each source carried by an article, the words with
// which the article attributes the quote to it: a quote filed under the
// source must hold them, and a quote filed under the article itself must
// not (it would belong to the source). cnbc is checked by passage instead.
var attribution = map[string]string{
	"guardian":      "according to the Guardian",
	"reuters":       "Reuters reported",
	"bbc":           "as reported by the BBC",
	"tass":          "according to TASS",
	"msnbc":         "MSNBC",
	"twitter-scarr": "(@francis_scarr)",
}

// inferred lists the events whose date is not literally stated by the
// articles (a weekday in an undated article, "one day later", "today", an
// undated remark placed by its neighbours). Each must be marked
// when_inferred, with a note on how the date was read,
// and every other event must have its date backed by a quote (see
// TestDatesAreBacked). Keep this list in step with internal/story/CHECKING.md.
var inferred = []string{
	"kremlin-reserves-right-to-retaliate",
	"kremlin-eve-of-victory-day",
	"moscow-accuses-ukraine",
	"russian-government-says-us-assisted",
	"kyiv-denies-involvement",
	"zelensky-we-dont-attack-putin",
	"zelensky-says-moscow-staged-it",
	"blinken-very-large-shaker-of-salt",
	"medvedev-calls-for-elimination-of-zelensky",
	"scarr-posts-explosion-footage",
	"footage-published-one-day-later",
	"kirby-ludicrous",
	"kirby-peskov-is-just-lying",
	"kirby-us-does-not-encourage-strikes",
	"yahun-not-a-false-flag",
	"galeotti-not-an-assassination-attempt",
	"cnbc-questions-the-delay",
	"western-officials-doubt-the-claim",
	"analysts-on-the-victory-day-timing",
	"author-b-doubts-drone-passed-air-defenses",
	"author-b-false-flag-self-evident",
	"author-b-ukraine-waits-for-next-move",
}

// datedByPublication lists the events dated by the date line of the article
// that is their speaker (an article's own background note), with that
// article's source key.
var datedByPublication = map[string]string{
	"article-a-victory-day-background": "article-a",
}

func dataset(t *testing.T) *timeline.Dataset {
	t.Helper()
	ds, err := story.Dataset()
	if err != nil {
		t.Fatalf("the bundled story does not validate: %v", err)
	}
	return ds
}

func eventsBySlug(ds *timeline.Dataset) map[string]*timeline.Event {
	m := map[string]*timeline.Event{}
	for i := range ds.Events {
		m[ds.Events[i].Slug] = &ds.Events[i]
	}
	return m
}

func sourcesByKey(ds *timeline.Dataset) map[string]timeline.Source {
	m := map[string]timeline.Source{}
	for _, s := range ds.Sources {
		m[s.Key] = s
	}
	return m
}

// rootOf follows a source's via chain to the article it comes from.
func rootOf(t *testing.T, sources map[string]timeline.Source, key string) string {
	t.Helper()
	for range len(sources) + 1 {
		s, ok := sources[key]
		if !ok {
			t.Fatalf("unknown source %q", key)
		}
		if s.Via == "" {
			return key
		}
		key = s.Via
	}
	t.Fatalf("source %q: via chain loops", key)
	return ""
}

func TestBundledStory(t *testing.T) {
	ds := dataset(t)
	if len(ds.Events) < 20 {
		t.Errorf("%d events, want at least 20", len(ds.Events))
	}
	sources := sourcesByKey(ds)
	used := map[string]bool{}
	cited := map[string]bool{}
	for _, e := range ds.Events {
		if len(e.Sources) == 0 {
			t.Errorf("event %s has no source", e.Slug)
		}
		for _, c := range e.Sources {
			cited[c.Source.Key] = true
			if strings.TrimSpace(c.Quote) == "" {
				t.Errorf("event %s cites %s without a quote: every citation quotes its source", e.Slug, c.Source.Key)
			}
		}
		for _, a := range e.Actors {
			used[a.Actor.Slug] = true
		}
		// A denial answers something: that is the point of the story.
		if e.Kind == timeline.KindDenial && len(e.Answers) == 0 {
			t.Errorf("denial %s answers nothing", e.Slug)
		}
	}
	for _, a := range ds.Actors {
		if !used[a.Slug] {
			t.Errorf("actor %s is in no event", a.Slug)
		}
	}
	// Every source comes from one of the two articles, and is cited.
	var roots []string
	for _, a := range articles {
		roots = append(roots, a.key)
	}
	for _, s := range ds.Sources {
		if r := rootOf(t, sources, s.Key); !slices.Contains(roots, r) {
			t.Errorf("source %s comes from %s, which is not one of the articles %v", s.Key, r, roots)
		}
		if !cited[s.Key] {
			t.Errorf("source %s is cited by no event", s.Key)
		}
	}
}

// TestIncidentsSayWhoseAccount: an incident the articles know only from one
// party is that party's account. Its speaker is the party, its title says
// so ("…, the Kremlin says"), and the format's contested mark must be able
// to show when it is doubted.
func TestIncidentsSayWhoseAccount(t *testing.T) {
	ds := dataset(t)
	names := map[string]string{}
	kinds := map[string]timeline.ActorKind{}
	for _, a := range ds.Actors {
		names[a.Slug], kinds[a.Slug] = a.Name, a.Kind
	}
	for _, e := range ds.Events {
		if e.Kind != timeline.KindIncident {
			continue
		}
		speakers := e.ActorsIn(timeline.RoleSpeaker)
		if len(speakers) != 1 {
			t.Errorf("incident %s has %d speakers, want the one party whose account it is", e.Slug, len(speakers))
			continue
		}
		if e.AccordingTo.Slug != speakers[0].Slug {
			t.Errorf("incident %s: according_to %q, want %q, the party whose account it is", e.Slug, e.AccordingTo.Slug, speakers[0].Slug)
		}
		name := strings.TrimPrefix(names[speakers[0].Slug], "The ")
		if !strings.Contains(strings.ToLower(e.Title), strings.ToLower(name)+" says") {
			t.Errorf("incident %s: title %q does not say it is %s's account", e.Slug, e.Title, name)
		}
		if kinds[speakers[0].Slug] == timeline.ActorMilitary {
			t.Errorf("incident %s: its speaker %s is the actor in the account, not the one giving it", e.Slug, speakers[0].Slug)
		}
	}
}

// TestAnswers pins the links the line-by-line reading settled: the ones the
// articles back, and the ones that said more than the articles do.
func TestAnswers(t *testing.T) {
	ds := dataset(t)
	events := eventsBySlug(ds)
	has := func(from, to string, typ timeline.AnswerType) bool {
		e := events[from]
		if e == nil {
			t.Fatalf("no event %s", from)
		}
		if events[to] == nil {
			t.Fatalf("no event %s", to)
		}
		return slices.ContainsFunc(e.Answers, func(r timeline.Answer) bool { return r.Event.Slug == to && r.Type == typ })
	}
	const (
		accusedUkraine = "moscow-accuses-ukraine"              // article A's version
		accusedBoth    = "russian-government-says-us-assisted" // article B's version
		peskov         = "peskov-decisions-made-in-washington" // the later accusation against the U.S.
		incident       = "drones-downed-over-kremlin"
		statement      = "kremlin-statement-attempt-on-putin"
	)
	must := []struct {
		from, to string
		typ      timeline.AnswerType
	}{
		// The same denials and doubts answer both versions of the accusation.
		{"kyiv-denies-involvement", accusedUkraine, timeline.AnswerDenies},
		{"kyiv-denies-involvement", accusedBoth, timeline.AnswerDenies},
		{"zelensky-we-dont-attack-putin", accusedUkraine, timeline.AnswerDenies},
		{"zelensky-we-dont-attack-putin", accusedBoth, timeline.AnswerDenies},
		{"yahun-drone-could-not-fly-800-km", accusedUkraine, timeline.AnswerDoubts},
		{"yahun-drone-could-not-fly-800-km", accusedBoth, timeline.AnswerDoubts},
		{"western-officials-doubt-the-claim", accusedUkraine, timeline.AnswerDoubts},
		{"western-officials-doubt-the-claim", accusedBoth, timeline.AnswerDoubts},
		{"blinken-very-large-shaker-of-salt", statement, timeline.AnswerDoubts},
		{"blinken-very-large-shaker-of-salt", accusedBoth, timeline.AnswerDoubts},
		// Kirby's denials answer Peskov and article B's version.
		{"kirby-ludicrous", peskov, timeline.AnswerDenies},
		{"kirby-ludicrous", accusedBoth, timeline.AnswerDenies},
		{"kirby-peskov-is-just-lying", peskov, timeline.AnswerDenies},
		{"kirby-peskov-is-just-lying", accusedBoth, timeline.AnswerDenies},
		{"kirby-us-does-not-encourage-strikes", peskov, timeline.AnswerDenies},
		{"kirby-us-does-not-encourage-strikes", accusedBoth, timeline.AnswerDenies},
		// Peskov rejects the attempts in Kyiv to disown the attack.
		{peskov, "kyiv-denies-involvement", timeline.AnswerDisputes},
		{peskov, "zelensky-we-dont-attack-putin", timeline.AnswerDisputes},
		// CNBC's questions about who filmed it answer the footage.
		{"cnbc-questions-the-delay", "reuters-still-explosion-over-senate", timeline.AnswerDoubts},
		{"cnbc-questions-the-delay", "scarr-posts-explosion-footage", timeline.AnswerDoubts},
		{"cnbc-questions-the-delay", "footage-published-one-day-later", timeline.AnswerDoubts},
		// The incident, the Kremlin's account, is questioned.
		{"cnbc-questions-the-delay", incident, timeline.AnswerDoubts},
		{"author-b-doubts-drone-passed-air-defenses", incident, timeline.AnswerDoubts},
		{"author-b-false-flag-self-evident", incident, timeline.AnswerDoubts},
	}
	for _, l := range must {
		if !has(l.from, l.to, l.typ) {
			t.Errorf("%s should answer %s: %s", l.from, l.to, l.typ)
		}
	}
	mustNot := []struct {
		from, to, why string
	}{
		{peskov, "biden-administration-no-advance-warning", "Peskov names no one in Washington; \"no advanced warning\" is not a denial of involvement"},
		{"zelensky-we-dont-attack-putin", statement, "Zelensky denies Ukraine's involvement, not the statement's account"},
		{"author-b-doubts-drone-passed-air-defenses", "scarr-posts-explosion-footage", "the author will not comment on the video's authenticity"},
	}
	for _, l := range mustNot {
		if slices.ContainsFunc(events[l.from].Answers, func(r timeline.Answer) bool { return r.Event.Slug == l.to }) {
			t.Errorf("%s answers %s, but should not: %s", l.from, l.to, l.why)
		}
	}
	// The incident shows as contested.
	contested := false
	for _, e := range ds.Events {
		for _, r := range e.Answers {
			if r.Event.Slug == incident && r.Type.Contests() {
				contested = true
			}
		}
	}
	if !contested {
		t.Errorf("%s is answered by nothing that contests it", incident)
	}
}

// TestActorDescriptions: actors are described only as the articles describe
// them. These are words the reading found added from outside the articles.
func TestActorDescriptions(t *testing.T) {
	ds := dataset(t)
	adjectives := map[string]string{"Russia": "Russian", "Ukraine": "Ukrainian", "United States": "U.S."}
	banned := []string{"White House", "news agency", "newspaper", "broadcaster", "presidency", "journalist"}
	for _, a := range ds.Actors {
		for _, w := range banned {
			if strings.Contains(strings.ToLower(a.Description), strings.ToLower(w)) {
				t.Errorf("actor %s: description %q says %q, which the articles do not", a.Slug, a.Description, w)
			}
		}
		// The articles give no outlet's country, except where its name
		// says it ("Russian social media channels").
		if a.Kind == timeline.ActorMedia && a.Country != "" {
			if adj, ok := adjectives[a.Country]; !ok || !strings.Contains(a.Name, adj) {
				t.Errorf("actor %s: country %q is not in the articles", a.Slug, a.Country)
			}
		}
	}
}

// TestInferredDatesAreMarked: each event known to have an inferred date is
// marked so, with a note on how it was read, and no other event is.
func TestInferredDatesAreMarked(t *testing.T) {
	ds := dataset(t)
	events := eventsBySlug(ds)
	for _, slug := range inferred {
		e := events[slug]
		if e == nil {
			t.Errorf("inferred-date event %s is not in the story", slug)
			continue
		}
		if !e.WhenInferred || e.WhenNote == "" {
			t.Errorf("event %s has an inferred date but is not marked so with a note (when_inferred %v, when_note %q)", slug, e.WhenInferred, e.WhenNote)
		}
	}
	for _, e := range ds.Events {
		if e.WhenInferred && !slices.Contains(inferred, e.Slug) {
			t.Errorf("event %s says its date is inferred but is not in the test's list", e.Slug)
		}
	}
}

// seeds reads the two source articles, which CI has beside the repository in
// ../shared/seeds, and returns their texts by source key.
func seeds(t *testing.T) map[string]string {
	t.Helper()
	files, _ := filepath.Glob("../../../shared/seeds/*.txt")
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("the source articles (../shared/seeds) are missing")
		}
		t.Skip("the source articles (../shared/seeds) are not beside this checkout")
	}
	texts := map[string]string{}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range articles {
			if strings.Contains(string(b), a.marker) {
				if _, dup := texts[a.key]; dup {
					t.Fatalf("two seed files hold %s's sentence %q", a.key, a.marker)
				}
				texts[a.key] = string(b)
			}
		}
	}
	for _, a := range articles {
		if texts[a.key] == "" {
			t.Fatalf("no seed file holds %s (looked for %q)", a.key, a.marker)
		}
	}
	return texts
}

// cnbcPassage is the paragraph article B introduces with "CNBC:". Our copy
// does not mark where the quoted passage ends, so only that paragraph is
// certainly CNBC's.
func cnbcPassage(t *testing.T, b string) string {
	t.Helper()
	_, rest, ok := strings.Cut(b, "CNBC:\n\n")
	if !ok {
		t.Fatal("article B has no \"CNBC:\" passage")
	}
	para, _, _ := strings.Cut(rest, "\n\n")
	return para
}

// TestQuotesAreVerbatim checks every quote against the article its source
// comes from, and that it is filed under the right source.
func TestQuotesAreVerbatim(t *testing.T) {
	texts := seeds(t)
	ds := dataset(t)
	sources := sourcesByKey(ds)
	cnbc := cnbcPassage(t, texts["article-b"])

	// An article's published date is its date line, if it has one.
	dateLine := regexp.MustCompile(`^\s*date (\d{4}-\d{2}-\d{2})\b`)
	for _, a := range articles {
		want := ""
		if m := dateLine.FindStringSubmatch(texts[a.key]); m != nil {
			want = m[1]
		}
		if got := sources[a.key].Published; got != want {
			t.Errorf("source %s: published %q, but the article's date line says %q", a.key, got, want)
		}
	}

	quotes := 0
	for _, e := range ds.Events {
		for _, c := range e.Sources {
			quotes++
			key := c.Source.Key
			root := rootOf(t, sources, key)
			if !strings.Contains(texts[root], c.Quote) {
				t.Errorf("event %s: quote from %s is not verbatim in %s: %q", e.Slug, key, root, c.Quote)
				continue
			}
			inCNBC := strings.Contains(cnbc, c.Quote)
			switch {
			case key == "cnbc" && !inCNBC:
				t.Errorf("event %s: quote filed under cnbc is not in the passage article B takes from CNBC: %q", e.Slug, c.Quote)
			case key == root && root == "article-b" && inCNBC:
				t.Errorf("event %s: quote filed under article-b is in the passage it takes from CNBC; file it under cnbc: %q", e.Slug, c.Quote)
			case attribution[key] != "" && !strings.Contains(c.Quote, attribution[key]):
				t.Errorf("event %s: quote filed under %s does not hold the article's attribution %q: %q", e.Slug, key, attribution[key], c.Quote)
			}
			if key == root {
				for src, words := range attribution {
					if rootOf(t, sources, src) == root && strings.Contains(c.Quote, words) {
						t.Errorf("event %s: quote filed under %s is attributed to %s (%q); file it there", e.Slug, key, src, words)
					}
				}
			}
		}
	}
	if quotes < len(ds.Events) {
		t.Errorf("%d quotes for %d events: every event should quote its source", quotes, len(ds.Events))
	}
}

// partWords are the words a quote must hold to back a part of day.
var partWords = map[timeline.PartOfDay]string{
	timeline.EarlyHours: "early hours",
	timeline.Morning:    "morning",
	timeline.Afternoon:  "afternoon",
	timeline.Evening:    "evening",
	timeline.Late:       "late on",
}

// TestDatesAreBacked: an event not in the inferred list has its date in the
// words of one of its quotes: the calendar date ("May 3, 2023"), or a
// weekday in an article that is dated, in the week up to its date line; a
// part of day needs its words in the same quote. Anything else must be
// listed as inferred and say so.
func TestDatesAreBacked(t *testing.T) {
	ds := dataset(t)
	sources := sourcesByKey(ds)
	for _, e := range ds.Events {
		if slices.Contains(inferred, e.Slug) {
			continue
		}
		ends := []timeline.When{e.When}
		if !e.Until.IsZero() {
			ends = append(ends, e.Until)
		}
		for _, w := range ends {
			if !dateBacked(t, sources, &e, w) {
				t.Errorf("event %s: %s %s is not stated by any of its quotes; fix it or list it as inferred and mark it when_inferred", e.Slug, w.Text(), w.Zone())
			}
		}
	}
}

func dateBacked(t *testing.T, sources map[string]timeline.Source, e *timeline.Event, w timeline.When) bool {
	t.Helper()
	if w.Precision != timeline.PrecisionDay && w.Precision != timeline.PrecisionPartOfDay {
		return false // no rule for these; this story has none stated
	}
	day := time.Date(w.Start.Year(), w.Start.Month(), w.Start.Day(), 0, 0, 0, 0, time.UTC)
	if key, ok := datedByPublication[e.Slug]; ok {
		return slices.ContainsFunc(e.Sources, func(c timeline.Citation) bool { return c.Source.Key == key }) &&
			sources[key].Published == day.Format("2006-01-02")
	}
	for _, c := range e.Sources {
		if w.Precision == timeline.PrecisionPartOfDay && !strings.Contains(c.Quote, partWords[w.Part]) {
			continue
		}
		if strings.Contains(c.Quote, day.Format("January 2, 2006")) {
			return true
		}
		published := sources[c.Source.Key].Published
		if published == "" {
			published = sources[rootOf(t, sources, c.Source.Key)].Published
		}
		p, err := time.Parse("2006-01-02", published)
		if err != nil {
			continue // an undated article: its weekdays fix no day
		}
		if age := p.Sub(day); age >= 0 && age < 7*24*time.Hour && strings.Contains(c.Quote, day.Weekday().String()) {
			return true
		}
	}
	return false
}
