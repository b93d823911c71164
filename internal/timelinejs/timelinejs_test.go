package timelinejs

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/timeline"
)

// read converts a TimelineJS file and reads the result as the importer does.
func read(t *testing.T, src []byte) (*timeline.Dataset, error) {
	t.Helper()
	var out bytes.Buffer
	if err := Convert(bytes.NewReader(src), &out); err != nil {
		if out.Len() != 0 {
			t.Errorf("a refused file wrote %d bytes", out.Len())
		}
		return nil, err
	}
	ds, err := readOurs(&out)
	if err != nil {
		t.Fatalf("the converted file does not validate: %v\n%s", err, out.String())
	}
	return ds, nil
}

// readOurs reads a converted file as the importer does.
func readOurs(out *bytes.Buffer) (*timeline.Dataset, error) { return dataset.Read(out) }

func mustRead(t *testing.T, src []byte) *timeline.Dataset {
	t.Helper()
	ds, err := read(t, src)
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func testFile(t *testing.T) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/kremlin-drones.json")
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestConvertDocumentedFile(t *testing.T) {
	ds := mustRead(t, testFile(t))
	if got, want := ds.Title, "Drones over the Kremlin, May 2023"; got != want {
		t.Errorf("title %q, want %q", got, want)
	}
	if ds.Slug != "" {
		t.Errorf("story slug %q: the importer names it from --story or the title", ds.Slug)
	}
	if len(ds.Events) != 4 {
		t.Fatalf("%d events, want 4", len(ds.Events))
	}
	tests := []struct {
		slug, when, summaryStart, actor, outlet string
	}{
		{"drones-downed-over-kremlin", "2023-05-03", "The Kremlin said in a statement", "the-kremlin", "Source article A (outlet not named in our copy)"},
		{"kremlin-calls-it-a-terrorist-attack-and-an-attempt-on-putin-s-life", "2023-05-03", "In a statement on Wednesday, the Kremlin said two drones had been taken down using “radar warfare systems”", "the-kremlin", "The Guardian"},
		{"article-a-the-incident-came-less-than-a-week-before-the-victory-day-parade", "2023-05-04", "Article A notes", "source-article-a", "Source article A (outlet not named in our copy)"},
		{"the-soviet-union-s-defeat-of-nazi-germany", "1945", "Victory Day commemorates", "source-article-a", "Source article A (outlet not named in our copy)"},
	}
	sources := map[string]timeline.Source{}
	for _, s := range ds.Sources {
		sources[s.Key] = s
	}
	for i, tt := range tests {
		e := ds.Events[i]
		if e.Slug != tt.slug {
			t.Errorf("event %d: slug %q, want %q", i, e.Slug, tt.slug)
		}
		if e.When.Text() != tt.when {
			t.Errorf("event %s: when %q, want %q", e.Slug, e.When.Text(), tt.when)
		}
		if !strings.HasPrefix(e.Summary, tt.summaryStart) {
			t.Errorf("event %s: summary %q, want it to start %q", e.Slug, e.Summary, tt.summaryStart)
		}
		if got := e.Actors[0]; got.Actor.Slug != tt.actor || got.Role != timeline.RoleMentioned {
			t.Errorf("event %s: actor %+v, want %s, mentioned", e.Slug, got, tt.actor)
		}
		if got := sources[e.Sources[0].Source.Key].Outlet; got != tt.outlet {
			t.Errorf("event %s: source %q, want %q", e.Slug, got, tt.outlet)
		}
		if e.Sources[0].Quote != "" || len(e.Answers) != 0 || e.AccordingTo.Slug != "" {
			t.Errorf("event %s: a quote, an answer or an account guessed: %+v", e.Slug, e)
		}
	}
	if got := ds.Events[0].DisplayDate; got != "Early hours of 3 May 2023" {
		t.Errorf("display_date %q, want it kept", got)
	}
	if p := ds.Events[3].When.Precision; p != timeline.PrecisionYear {
		t.Errorf("a year alone has precision %s, want year", p)
	}
	if got, want := ds.Events[0].Summary, "The Kremlin said in a statement that Russian air defenses brought down two drones in the capital in the early hours of Wednesday, 3 May."; got != want {
		t.Errorf("the first paragraph read as %q, want %q", got, want)
	}
	if got, want := ds.Events[0].Body, "Putin was not in residence at the time of the alleged attack."; got != want {
		t.Errorf("the other paragraphs read as %q, want %q", got, want)
	}
	if len(ds.Sources) != 2 || len(ds.Actors) != 2 {
		t.Errorf("%d sources and %d actors, want 2 and 2 (each once)", len(ds.Sources), len(ds.Actors))
	}
}

func TestPrecision(t *testing.T) {
	tests := []struct {
		date, want string
		precision  timeline.Precision
	}{
		{`{"year": 2023}`, "2023", timeline.PrecisionYear},
		{`{"year": "2023", "month": "5"}`, "2023-05", timeline.PrecisionMonth},
		{`{"year": 2023, "month": 5, "day": 3}`, "2023-05-03", timeline.PrecisionDay},
		{`{"year": 2023, "month": 5, "day": 3, "hour": 0}`, "2023-05-03T00", timeline.PrecisionHour},
		{`{"year": 2023, "month": 5, "day": 3, "hour": 14, "minute": 30}`, "2023-05-03T14:30", timeline.PrecisionMinute},
		{`{"year": 2023, "month": 5, "day": 3, "hour": 14, "minute": 30, "second": 59}`, "2023-05-03T14:30", timeline.PrecisionMinute},
		{`{"year": 2024, "month": 2, "day": 29}`, "2024-02-29", timeline.PrecisionDay},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			ds := mustRead(t, slideFile(`"start_date": `+tt.date))
			if w := ds.Events[0].When; w.Text() != tt.want || w.Precision != tt.precision {
				t.Errorf("%s read as %q (%s), want %q (%s)", tt.date, w.Text(), w.Precision, tt.want, tt.precision)
			}
		})
	}
}

// slideFile is a file of one slide with a headline, a group and a source,
// and the fields given.
func slideFile(fields string) []byte {
	return []byte(`{"events": [{"text": {"headline": "A headline"}, "group": "A group", "media": {"credit": "An outlet"}, ` + fields + `}]}`)
}

func problems(t *testing.T, err error) []dataset.Problem {
	t.Helper()
	var invalid *dataset.InvalidError
	if !errors.As(err, &invalid) {
		t.Fatalf("got %v, want an *InvalidError", err)
	}
	return invalid.Problems
}

func TestImpossibleDates(t *testing.T) {
	tests := []struct {
		name, fields, where, message string
	}{
		{"Month13", `"start_date": {"year": 2023, "month": 13}`, "events[0].start_date.month", "month 13 is not one of 1 to 12"},
		{"February31", `"start_date": {"year": 2023, "month": 2, "day": 31}`, "events[0].start_date.day", "February has no day 31"},
		{"February29NotLeap", `"start_date": {"year": 2023, "month": 2, "day": 29}`, "events[0].start_date.day", "February has no day 29"},
		{"Hour24", `"start_date": {"year": 2023, "month": 2, "day": 1, "hour": 24}`, "events[0].start_date.hour", "hour 24 is not one of 0 to 23"},
		{"DayWithoutMonth", `"start_date": {"year": 2023, "day": 4}`, "events[0].start_date.day", "without the month"},
		{"YearNotANumber", `"start_date": {"year": "soon"}`, "events[0].start_date.year", "is not a whole number"},
		{"NoYear", `"start_date": {"month": 5}`, "events[0].start_date.month", "without the year"},
		{"NoDate", `"unique_id": "x"`, "events[0].start_date", "is missing"},
		{"EndBadDay", `"start_date": {"year": 2023}, "end_date": {"year": 2023, "month": 4, "day": 31}`, "events[0].end_date.day", "April has no day 31"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := read(t, slideFile(tt.fields))
			for _, p := range problems(t, err) {
				if p.Where == tt.where && strings.Contains(p.Message, tt.message) {
					return
				}
			}
			t.Errorf("problems %v, want %s: …%s…", err, tt.where, tt.message)
		})
	}
}

func TestEveryProblemAtOnce(t *testing.T) {
	src := []byte(`{"events": [
		{"start_date": {"year": 2023}, "text": {"headline": "No source"}, "group": "A group"},
		{"start_date": {"year": 2023}, "text": {"headline": "Empty media"}, "group": "A group", "media": {"url": "", "caption": "a caption"}},
		{"start_date": {"year": 2023}, "text": {"headline": "No group"}, "media": {"credit": "An outlet"}},
		{"start_date": {"year": 2023, "month": 13}, "text": {"text": "no headline"}, "group": "A group", "media": {"url": "<blockquote>an embed</blockquote>"}}
	]}`)
	_, err := read(t, src)
	got := map[string]bool{}
	for _, p := range problems(t, err) {
		got[p.Where] = true
		if p.Where == "events[0].media" && !strings.Contains(p.Message, "add media.url") {
			t.Errorf("the missing source says %q, not what to add", p.Message)
		}
	}
	for _, want := range []string{"events[0].media", "events[1].media", "events[2].group", "events[3].start_date.month", "events[3].text.headline", "events[3].media"} {
		if !got[want] {
			t.Errorf("no problem at %s; got %v", want, err)
		}
	}
}

func TestHostileText(t *testing.T) {
	ds := mustRead(t, []byte(`{
		"title": {"text": {"headline": "<script>alert(1)</script>A story", "text": "<img src=x onerror=alert(1)>About it"}},
		"events": [{"start_date": {"year": 2023}, "group": "<b onclick=alert(1)>A group</b>",
			"text": {"headline": "<a href=\"javascript:alert(1)\">Click</a> here", "text": "<p>See <a href=\"https://example.org/a\" onclick=\"alert(1)\">the report</a> and <a href=\"javascript:alert(1)\">this</a>.</p><style>p{}</style><iframe src=\"https://evil.example\"></iframe>=HYPERLINK(\"https://evil.example\",\"x\")"},
			"media": {"url": "javascript:alert(1)", "credit": "<i>An outlet</i>"}}]}`))
	e := ds.Events[0]
	for _, s := range []string{ds.Title, ds.Description, e.Title, e.Summary, e.Body, ds.Actors[0].Name, ds.Sources[0].Outlet} {
		if strings.ContainsAny(s, "<>") || strings.Contains(s, "alert") || strings.Contains(s, "evil.example\"></") {
			t.Errorf("markup or script kept: %q", s)
		}
	}
	if ds.Title != "A story" || e.Title != "Click here" {
		t.Errorf("titles %q and %q, want the words kept", ds.Title, e.Title)
	}
	if want := "See the report (https://example.org/a) and this."; e.Summary != want {
		t.Errorf("summary %q, want %q", e.Summary, want)
	}
	if want := `=HYPERLINK("https://evil.example","x")`; e.Body != want {
		t.Errorf("body %q, want %q", e.Body, want)
	}
	if ds.Sources[0].URL != "" {
		t.Errorf("source URL %q: only http and https are kept", ds.Sources[0].URL)
	}
}

func TestSlugs(t *testing.T) {
	ds := mustRead(t, []byte(`{"events": [
		{"start_date": {"year": 2023}, "text": {"headline": "Same"}, "group": "g", "media": {"credit": "c"}, "unique_id": "same"},
		{"start_date": {"year": 2023}, "text": {"headline": "Same"}, "group": "g", "media": {"credit": "c"}},
		{"start_date": {"year": 2023}, "text": {"headline": "Other"}, "group": "g", "media": {"credit": "c"}, "unique_id": "same"}
	]}`))
	var got []string
	for _, e := range ds.Events {
		got = append(got, e.Slug)
	}
	if want := "same same-2 other"; strings.Join(got, " ") != want {
		t.Errorf("slugs %v, want %s", got, want)
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, head string
		want       bool
	}{
		{"TimelineJS", `{"title": {"text": {"headline": "x"}}, "events": []}`, true},
		{"TimelineJSEventsFirst", `{"events": [{"start_date": {"year": 2023}}]}`, true},
		{"TimelineJSCut", `{"scale": "human", "eve`, true},
		{"Ours", `{"format": "timeline/v2", "story": "x", "title": "x", "actors": []}`, false},
		{"OursTitleFirst", `{"title": "A story", "format": "timeline/v1", "events": []}`, false},
		{"NotJSON", `Year,Month,Day`, false},
		{"Array", `[{"events": []}]`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Detect([]byte(tt.head)); got != tt.want {
				t.Errorf("Detect(%s) = %v, want %v", tt.head, got, tt.want)
			}
		})
	}
}

func TestRoundTrip(t *testing.T) {
	first := mustRead(t, testFile(t))
	var out bytes.Buffer
	tw := NewWriter(&out)
	if err := tw.Story("drones", first.Title, first.Description); err != nil {
		t.Fatal(err)
	}
	for _, a := range first.Actors {
		tw.Actor(a)
	}
	for _, s := range first.Sources {
		tw.Source(s)
	}
	for i := range first.Events {
		tw.Event(&first.Events[i])
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	if !Detect(out.Bytes()) {
		t.Fatalf("the export is not told to be TimelineJS:\n%s", out.String())
	}
	second := mustRead(t, out.Bytes())
	if first.Title != second.Title || first.Description != second.Description {
		t.Errorf("story %q / %q came back as %q / %q", first.Title, first.Description, second.Title, second.Description)
	}
	if len(second.Events) != len(first.Events) {
		t.Fatalf("%d events came back, want %d", len(second.Events), len(first.Events))
	}
	for i := range first.Events {
		a, b := first.Events[i], second.Events[i]
		if a.Slug != b.Slug || a.Title != b.Title || a.Summary != b.Summary || a.When != b.When || a.Until != b.Until ||
			a.Body != b.Body || a.Actors[0] != b.Actors[0] || a.Kind != b.Kind || a.DisplayDate != b.DisplayDate {
			t.Errorf("event %d came back as\n%+v\nwant\n%+v", i, b, a)
		}
	}
	if len(first.Sources) != len(second.Sources) || len(first.Actors) != len(second.Actors) {
		t.Errorf("sources and actors %d, %d came back as %d, %d", len(first.Sources), len(first.Actors), len(second.Sources), len(second.Actors))
	}
	for i := range first.Sources {
		if first.Sources[i] != second.Sources[i] {
			t.Errorf("source %+v came back as %+v", first.Sources[i], second.Sources[i])
		}
	}
}

func TestScanPlacesStoryFileProblems(t *testing.T) {
	src := slideFile(`"start_date": {"year": 2023}, "unique_id": "long"`)
	src = bytes.Replace(src, []byte(`"headline": "A headline"`), []byte(`"headline": "A headline", "text": "`+strings.Repeat("x", 4001)+`"`), 1)
	err := Scan(bytes.NewReader(src), nil)
	p := problems(t, err)
	if len(p) != 1 || p[0].Where != "events[0] (event long)" || !strings.Contains(p[0].Message, "summary is longer than 4000") {
		t.Errorf("got %v, want the too long summary placed at events[0]", err)
	}
}
