package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/timelinenews/timeline/internal/story"
	"github.com/timelinenews/timeline/web"
)

// barCount reads the number of events a bar's name gives: "3 May 2023: 5 events: …";
// spreadCount the number a spread period's counts give: "7 events: …".
var (
	barCount    = regexp.MustCompile(`: ([0-9,]+) events?:`)
	spreadCount = regexp.MustCompile(`^([0-9,]+) events?:`)
)

// TestOverview: every list view draws its events in time above them; each
// bar narrows the view to its period, and the narrowed view leads back out
// to the whole one; a screen reader has a table of the same counts; and the
// picture of the bundled story stays under 10 KB.
func TestOverview(t *testing.T) {
	ds, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := newServer(t, ds)
	whole := web.StoryPath(ds.Slug)

	doc := page(t, srv, whole, http.StatusOK)
	fig := doc.Find(`[data-testid="overview"]`)
	if fig.Length() != 1 {
		t.Fatalf("%d overviews on %s, want 1", fig.Length(), whole)
	}
	html, err := goquery.OuterHtml(fig)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("the overview of %s weighs %d bytes", whole, len(html))
	if len(html) >= 10<<10 {
		t.Errorf("the overview weighs %d bytes, want under 10 KB", len(html))
	}
	svg := fig.Find(`svg[data-testid="overview-svg"]`)
	if svg.AttrOr("aria-labelledby", "") == "" || svg.Find("desc").Text() == "" {
		t.Error("the picture has no accessible name or description")
	}
	if fig.Find(`[data-testid="overview-whole"]`).Length() != 0 {
		t.Error("the whole view links to itself")
	}
	bars := fig.Find(`a[data-testid="overview-bar"]`)
	if bars.Length() == 0 {
		t.Fatal("no bar links")
	}
	if rows := fig.Find(`table[data-testid="overview-table"] tbody tr`).Length(); rows < bars.Length() {
		t.Errorf("the table has %d periods, fewer than the %d bars", rows, bars.Length())
	}
	total := followBars(t, srv, whole, fig, 1)
	if total != len(ds.Events) {
		t.Errorf("the bars count %d events, want the story's %d", total, len(ds.Events))
	}
	if svg.Find(`.ov-page`).Length() == 0 {
		t.Error("the periods of the page read are not marked")
	}
	// The events known only as "May 2023" are in no day's bar: they are
	// named apart, and the days the picture runs to are those of the rest.
	if got := fig.Find(`[data-testid="overview-spread-period"]`).Text(); got != "May 2023 (day not given)" {
		t.Errorf("the events spread over a month read %q, want May 2023 (day not given)", got)
	}
	bars = fig.Find(`a[data-testid="overview-bar"]`)
	if got := bars.Last().Find("title").Text(); !strings.HasPrefix(got, "4 May 2023:") {
		t.Errorf("the last bar is %q, want 4 May 2023, the last day an event is known to fall on", got)
	}
	// The axis names the first and the last period, which the first and
	// last bars count.
	period := func(bar *goquery.Selection) string { p, _, _ := strings.Cut(bar.Find("title").Text(), ":"); return p }
	wantAxis := []string{period(bars.First()), period(bars.Last())}
	if got := fig.Find(`.ov-axis span`).Map(func(_ int, s *goquery.Selection) string { return s.Text() }); !slices.Equal(got, wantAxis) {
		t.Errorf("the axis reads %q, want the first and last periods %q", got, wantAxis)
	}
	legend := fig.Find(`.ov-legend li`).Map(func(_ int, s *goquery.Selection) string { return strings.TrimSpace(s.Text()) })
	if want := []string{"claims", "answers that contest", "other events", web.OverviewThisPage}; !slices.Equal(legend, want) {
		t.Errorf("the legend reads %q, want %q", legend, want)
	}
	for _, class := range []string{"ov-claim", "ov-contesting", "ov-other", "ov-page"} {
		if fig.Find(`.ov-legend rect.`+class).Length() != 1 {
			t.Errorf("the legend has no swatch drawn as %s", class)
		}
	}

	t.Run("ActorLanes", func(t *testing.T) {
		doc := page(t, srv, whole+"?actor=kremlin&actor=ukraine", http.StatusOK)
		heads := doc.Find(`table[data-testid="overview-table"] thead th`)
		if heads.Length() != 4 { // period, two actors, this page
			t.Fatalf("%d columns, want a period, a lane for each of two actors, and this page", heads.Length())
		}
		if got := doc.Find(`svg[data-testid="overview-svg"] > text`).Length(); got != 2 {
			t.Errorf("%d lanes named, want 2", got)
		}
	})
	// A day lists no event known only to its month, and says how many
	// there are, with the month's list, where they are.
	t.Run("DatesCutAMonth", func(t *testing.T) {
		path := whole + "?from=2023-05-16&to=2023-05-16"
		doc := page(t, srv, path, http.StatusOK)
		if n := len(eventIDs(doc)); n != 0 {
			t.Errorf("%s lists %d events, want none: no source dates an event on 16 May", path, n)
		}
		if doc.Find(`[data-testid="overview"] svg, [data-testid="overview-table"]`).Length() != 0 {
			t.Error("a picture is drawn of a view with no event")
		}
		cut := doc.Find(`[data-testid="overview-cut"] li`)
		if cut.Length() != 1 || cut.Find(`[data-testid="overview-cut-period"]`).Text() != "May 2023 (day not given)" {
			t.Fatalf("the periods the dates cut read %q, want May 2023", cut.Text())
		}
		m := spreadCount.FindStringSubmatch(cut.Find(`[data-testid="overview-cut-counts"]`).Text())
		if m == nil {
			t.Fatalf("the month gives no count: %q", cut.Text())
		}
		n, _ := strconv.Atoi(m[1])
		month := page(t, srv, cut.Find("a").AttrOr("href", ""), http.StatusOK)
		monthOnly := 0
		month.Find(`li.event time`).Each(func(_ int, tm *goquery.Selection) {
			if tm.AttrOr("datetime", "") == "2023-05" {
				monthOnly++
			}
		})
		if n == 0 || monthOnly != n {
			t.Errorf("the cut month counts %d events, its list has %d dated only May 2023", n, monthOnly)
		}
	})
	// A search's picture counts its matches, not the story's events.
	t.Run("Search", func(t *testing.T) {
		path := whole + "?q=Medvedev"
		doc := page(t, srv, path, http.StatusOK)
		listed := len(eventIDs(doc))
		counted := 0
		doc.Find(`[data-testid="overview"] a[data-testid="overview-bar"] title`).Each(func(_ int, title *goquery.Selection) {
			if m := barCount.FindStringSubmatch(title.Text()); m != nil {
				n, _ := strconv.Atoi(m[1])
				counted += n
			}
		})
		doc.Find(`[data-testid="overview-spread-counts"]`).Each(func(_ int, c *goquery.Selection) {
			if m := spreadCount.FindStringSubmatch(c.Text()); m != nil {
				n, _ := strconv.Atoi(m[1])
				counted += n
			}
		})
		if listed == 0 || listed == len(ds.Events) || counted != listed {
			t.Errorf("%s lists %d of the story's %d events and its picture counts %d", path, listed, len(ds.Events), counted)
		}
	})
	t.Run("EveryList", func(t *testing.T) {
		for _, path := range []string{web.StoryClaimsPath(ds.Slug), "/timeline", "/claims", web.ActorPath("kremlin")} {
			if n := page(t, srv, path, http.StatusOK).Find(`[data-testid="overview"] a[data-testid="overview-bar"]`).Length(); n == 0 {
				t.Errorf("%s: no overview with bars", path)
			}
		}
	})
}

// followBars checks that each bar of the overview fig links to the view
// narrowed to its period, that the narrowed view holds as many events as
// the bar counts and leads back out to whole, and, depth times more, the
// same of the narrowed view's own overview (a day's hours). It returns the
// events the bars count and those spread over a longer period, which
// link to the view of that period.
func followBars(t *testing.T, srv *httptest.Server, whole string, fig *goquery.Selection, depth int) int {
	t.Helper()
	total := 0
	fig.Find(`[data-testid="overview-spread"] li`).Each(func(_ int, li *goquery.Selection) {
		counts := li.Find(`[data-testid="overview-spread-counts"]`).Text()
		m := spreadCount.FindStringSubmatch(counts)
		if m == nil {
			t.Errorf("spread period %q gives no count", li.Text())
			return
		}
		n, _ := strconv.Atoi(m[1])
		total += n
		if u, err := url.Parse(li.Find("a").AttrOr("href", "")); err != nil || u.Path != whole || u.Query().Get("from") == "" || u.Query().Get("to") == "" {
			t.Errorf("spread period %q links to %v, want the story between two dates", li.Text(), u)
		}
	})
	fig.Find(`a[data-testid="overview-bar"]`).Each(func(_ int, bar *goquery.Selection) {
		label := bar.Find("title").Text()
		m := barCount.FindStringSubmatch(label)
		if m == nil {
			t.Errorf("bar %q gives no count", label)
			return
		}
		want, _ := strconv.Atoi(m[1])
		total += want
		href := bar.AttrOr("href", "")
		u, err := url.Parse(href)
		if err != nil || u.Path != whole || u.Query().Get("from") == "" || u.Query().Get("to") == "" {
			t.Errorf("bar %q links to %q, want the story between two dates", label, href)
			return
		}
		narrowed := page(t, srv, href, http.StatusOK)
		if got := len(eventIDs(narrowed)); got != want {
			t.Errorf("bar %q leads to %d events, want %d", label, got, want)
		}
		if back := narrowed.Find(`[data-testid="overview-whole"]`).AttrOr("href", ""); back != whole {
			t.Errorf("%s leads back out to %q, want %q", href, back, whole)
		}
		if depth > 0 {
			if got := followBars(t, srv, whole, narrowed.Find(`[data-testid="overview"]`), depth-1); got != want {
				t.Errorf("the bars of %s count %d events, want %d", href, got, want)
			}
		}
	})
	return total
}

// TestFilterFold: the server sends the filter form folded, so that no
// script has to fold it after the first paint on a phone (the stylesheet
// shows it on wide screens), and open where a filter is applied, so that
// the reader sees what they chose.
func TestFilterFold(t *testing.T) {
	srv, _ := newServer(t, dataset(t, exchange))
	for _, tt := range []struct {
		path string
		open bool
	}{
		{"/timeline", false},
		{"/claims", false},
		{"/timeline?actor=peskov", true},
		{"/timeline?from=2023-05-03&to=2023-05-03", true},
	} {
		_, open := page(t, srv, tt.path, http.StatusOK).Find("#filter-details").Attr("open")
		if open != tt.open {
			t.Errorf("%s: the filter form open = %v, want %v", tt.path, open, tt.open)
		}
	}
}

// TestFilterFormDates: the filter form offers the date range as two date
// inputs holding the view's first and last days, so that applying other
// filters keeps it; an end at an hour, from the picture, is kept as it is.
func TestFilterFormDates(t *testing.T) {
	ds, err := story.Dataset()
	if err != nil {
		t.Fatal(err)
	}
	srv, _ := newServer(t, ds)
	whole := web.StoryPath(ds.Slug)
	for _, tt := range []struct {
		query                string
		from, to, hiddenFrom string
	}{
		{"", "", "", ""},
		{"?from=2023-05-03&to=2023-05-04", "2023-05-03", "2023-05-04", ""},
		{"?from=2023-05-03", "2023-05-03", "", ""},
		{"?from=2023-05-03T14:00Z&to=2023-05-04", "", "2023-05-04", "2023-05-03T14:00Z"},
	} {
		form := page(t, srv, whole+tt.query, http.StatusOK).Find(`form[data-testid="filters"]`)
		dates := form.Find(`[data-testid="filter-dates"]`)
		if dates.Find("legend").Text() == "" {
			t.Errorf("%s: the dates have no legend", tt.query)
		}
		from, to := dates.Find(`input[type="date"][name="from"]`), dates.Find(`input[type="date"][name="to"]`)
		if tt.hiddenFrom != "" {
			if from.Length() != 0 || dates.Find(`input[type="hidden"][name="from"]`).AttrOr("value", "") != tt.hiddenFrom {
				t.Errorf("%s: the start at an hour is not kept as it is", tt.query)
			}
		} else if got := from.AttrOr("value", "-"); got != tt.from {
			t.Errorf("%s: from %q, want %q", tt.query, got, tt.from)
		}
		if got := to.AttrOr("value", "-"); got != tt.to {
			t.Errorf("%s: to %q, want %q", tt.query, got, tt.to)
		}
		for _, in := range []*goquery.Selection{from, to} {
			if id := in.AttrOr("id", ""); in.Length() > 0 && form.Find(`label[for="`+id+`"]`).Length() != 1 {
				t.Errorf("%s: the date input %s has no label", tt.query, id)
			}
		}
	}
	// Submitted as a browser submits it, empty fields included.
	doc := page(t, srv, whole+"?q=&actor=kremlin&role=&from=2023-05-03&to=2023-05-03&order=", http.StatusOK)
	if n := len(eventIDs(doc)); n == 0 || n == 29 {
		t.Errorf("the form's dates and actor give %d events, want those of 3 May with the Kremlin", n)
	}
	if got := page(t, srv, whole+"?from=3+May", http.StatusBadRequest).Find("main").Text(); !strings.Contains(got, "YYYY-MM-DD") {
		t.Errorf("a date the form's fallback text box took as typed gets %q", got)
	}
}
