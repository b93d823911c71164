package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

// Every English word a reader sees that is made from a domain value —
// dates, zones, kinds, roles, stances, ranges, counts — is written here,
// as are the labels and titles the handlers put on pages. The domain keeps
// the facts (a time's precision, start and end; a kind's name); templates
// keep only their own prose.

// When labels.

// WhenLabel is w in words at its precision, without the zone:
// "early hours of 3 May 2023", "3 May 2023, 14:30".
func WhenLabel(w timeline.When) string {
	s := w.Start
	switch w.Precision {
	case timeline.PrecisionYear:
		return s.Format("2006")
	case timeline.PrecisionMonth:
		return s.Format("January 2006")
	case timeline.PrecisionDay:
		return s.Format("2 January 2006")
	case timeline.PrecisionPartOfDay:
		day := s.Format("2 January 2006")
		switch w.Part {
		case timeline.EarlyHours:
			return "early hours of " + day
		case timeline.Late:
			return "late on " + day
		}
		return string(w.Part) + " of " + day
	case timeline.PrecisionHour:
		return s.Format("2 January 2006, 15:00") + "–" + s.Add(time.Hour).Format("15:00")
	}
	return s.Format("2 January 2006, 15:04")
}

// ZoneLabel names w's zone for a reader: "Moscow time", "UTC".
func ZoneLabel(w timeline.When) string {
	name := w.Zone()
	switch name {
	case "UTC", "Etc/UTC":
		return "UTC"
	case "America/New_York":
		return "US Eastern time"
	}
	if i := strings.LastIndexByte(name, '/'); i >= 0 {
		name = name[i+1:]
	}
	return strings.ReplaceAll(name, "_", " ") + " time"
}

// FullWhenLabel is w in words with its zone: "early hours of 3 May 2023, Moscow time".
func FullWhenLabel(w timeline.When) string { return WhenLabel(w) + ", " + ZoneLabel(w) }

// DayLabel is the heading for the group of w (When.DayKey): "Wednesday 3 May 2023".
func DayLabel(w timeline.When) string {
	switch w.Precision {
	case timeline.PrecisionYear:
		return w.Start.Format("2006") + " (month and day not given)"
	case timeline.PrecisionMonth:
		return w.Start.Format("January 2006") + " (day not given)"
	}
	return w.Start.Format("Monday 2 January 2006")
}

// ShortDate is a compact date for inline mentions: "4 May 2023".
func ShortDate(w timeline.When) string {
	switch w.Precision {
	case timeline.PrecisionYear:
		return w.Start.Format("2006")
	case timeline.PrecisionMonth:
		return w.Start.Format("Jan 2006")
	}
	return w.Start.Format("2 Jan 2006")
}

// shortDay is a day in a date range: "3 May 2023".
func shortDay(t time.Time) string { return t.Format("2 Jan 2006") }

// FilterSummary opens the filter form.
const FilterSummary = "Filter by actor, role, kind or date"

// The filter form's dates, in UTC as the list's URLs give them; the last
// day is included.
const (
	DatesLegend   = "Dates (UTC)"
	DateFromLabel = "From"
	DateToLabel   = "To (included)"
)

// DateRangeLabel is the dates f keeps, in words: "3 May 2023 to 4 May 2023",
// "From 3 May 2023", "Until 4 May 2023", or with times in UTC where an end
// is not a midnight: "3 May 2023 14:00 UTC to 3 May 2023 15:00 UTC". f.To
// is the first instant after the range, so at a midnight the day named is
// the one before it. Dates that are one period, as the overview's links
// give them, are named as that period: "16 May 2023", "May 2023", "2023",
// "3 May 2023, 14:00 to 15:00 UTC".
func DateRangeLabel(f timeline.Filter) string {
	from, to := rangeEnd(f.From, 0), rangeEnd(f.To, -1)
	switch {
	case f.From.IsZero():
		return "Until " + to
	case f.To.IsZero():
		return "From " + from
	}
	s := timeline.Span{Start: f.From, End: f.To}
	if p, ok := s.Period(); ok && p == timeline.PeriodHour {
		return f.From.UTC().Format("2 Jan 2006, 15:04") + " to " + f.To.UTC().Format("15:04") + " UTC"
	} else if ok {
		return PeriodLabel(p, s)
	}
	return from + " to " + to
}

func rangeEnd(t time.Time, days int) string {
	if t = t.UTC(); t.Equal(t.Truncate(24 * time.Hour)) {
		return shortDay(t.AddDate(0, 0, days))
	}
	return t.Format("2 Jan 2006 15:04") + " UTC"
}

// The overview picture.

// OverviewTitle names the picture of a view's events over periods of p.
func OverviewTitle(p timeline.Period) string { return "Events by " + string(p) }

// OverviewDescription says what the picture draws, for those who cannot see it.
const OverviewDescription = "Bars count the events in each period: claims hatched, answers that contest something dotted, other events solid. A line under the bars marks the periods of the events on this page. Each bar narrows the view to its period."

// OverviewTooManyMatches stands in for the picture of a search with more
// matches than the overview counts.
var OverviewTooManyMatches = "No picture of where this search's matches fall in time: it matches more than " + EventCount(timeline.MaxSearchOverview) +
	" in the archive, and this list holds more than " + EventCount(timeline.MaxSearchOverview) + " before the search. Add words, choose an actor or narrow the dates to see it."

// OverviewWhole is the link from a narrowed view back out to all its dates.
const OverviewWhole = "See all dates"

// OverviewThisPage heads the column that marks the periods of the page read.
const OverviewThisPage = "On this page"

// OverviewAllEvents names the lane of every event in the view, beside the lanes of actors.
const OverviewAllEvents = "All events"

// PeriodLabel names one period of an overview in UTC: "3 May 2023 14:00 UTC",
// "3 May 2023", "Week of 1 May 2023", "May 2023", "2023", "1990–1999".
func PeriodLabel(p timeline.Period, s timeline.Span) string {
	t := s.Start.UTC()
	switch p {
	case timeline.PeriodHour:
		return t.Format("2 Jan 2006 15:04") + " UTC"
	case timeline.PeriodDay:
		return shortDay(t)
	case timeline.PeriodWeek:
		return "Week of " + shortDay(t)
	case timeline.PeriodMonth:
		return t.Format("January 2006")
	case timeline.PeriodYear:
		return t.Format("2006")
	}
	return t.Format("2006") + "–" + s.End.UTC().AddDate(-1, 0, 0).Format("2006") // "1990–1999"
}

// SpreadLabel names a period that events known no closer than it are
// spread over, in an overview of shorter periods: "May 2023 (day not given)".
func SpreadLabel(p timeline.Period, s timeline.Span) string {
	switch p {
	case timeline.PeriodDay:
		return PeriodLabel(p, s) + " (hour not given)"
	case timeline.PeriodMonth:
		return PeriodLabel(p, s) + " (day not given)"
	case timeline.PeriodYear:
		return PeriodLabel(p, s) + " (month not given)"
	}
	return PeriodLabel(p, s)
}

// OverviewSpreadIntro introduces the events an overview draws in no bar.
const OverviewSpreadIntro = "Known less precisely than a bar, so in none:"

// OverviewCutIntro introduces the events a view's dates leave out that
// may yet fall in them: those known only to a period the dates cut.
const OverviewCutIntro = "Known less precisely than these dates, so not listed here, though they may fall in them:"

// ClassLabel names a class of events in an overview, for a count of n.
func ClassLabel(c timeline.EventClass, n int) string {
	one, many := classNouns(c)
	return plural(n, one, many)
}

// ClassLegend names a class of events in the overview's legend.
func ClassLegend(c timeline.EventClass) string {
	_, many := classNouns(c)
	return many
}

func classNouns(c timeline.EventClass) (one, many string) {
	switch c {
	case timeline.ClassClaim:
		return "claim", "claims"
	case timeline.ClassContesting:
		return "answer that contests", "answers that contest"
	}
	return "other event", "other events"
}

// TallyLabel is one period's counts in words: "3 events: 1 claim, 1 answer
// that contests, 1 other event".
func TallyLabel(t timeline.Tally) string {
	parts := make([]string, 0, len(timeline.EventClasses))
	for _, c := range timeline.EventClasses {
		if t[c] > 0 {
			parts = append(parts, ClassLabel(c, t[c]))
		}
	}
	if len(parts) == 0 {
		return "no events"
	}
	return EventCount(t.Total()) + ": " + strings.Join(parts, ", ")
}

// Kinds, roles, answers and stances.

// KindLabel is an event kind as a reader sees it: "Accusation".
func KindLabel(k timeline.EventKind) string { return capitalizeFirst(string(k)) }

// KindList names every event kind as the address takes them:
// "incident, statement, …".
func KindList() string {
	names := make([]string, len(timeline.EventKinds))
	for i, k := range timeline.EventKinds {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// ActorKindHeading is the plural heading for a group of actors of kind k:
// "People".
func ActorKindHeading(k timeline.ActorKind) string {
	switch k {
	case timeline.ActorState:
		return "States"
	case timeline.ActorGovernment:
		return "Government bodies"
	case timeline.ActorPerson:
		return "People"
	case timeline.ActorMilitary:
		return "Military"
	case timeline.ActorMedia:
		return "Media outlets"
	case timeline.ActorAnalyst:
		return "Analysts"
	case timeline.ActorOrg:
		return "Organisations"
	}
	return capitalizeFirst(string(k))
}

// ActorKindNoun names one actor of kind k: "Person", where
// ActorKindHeading is the plural heading for a group ("People").
func ActorKindNoun(k timeline.ActorKind) string {
	switch k {
	case timeline.ActorState:
		return "State"
	case timeline.ActorGovernment:
		return "Government body"
	case timeline.ActorPerson:
		return "Person"
	case timeline.ActorMilitary:
		return "Military"
	case timeline.ActorMedia:
		return "Media outlet"
	case timeline.ActorAnalyst:
		return "Analyst"
	case timeline.ActorOrg:
		return "Organisation"
	}
	return capitalizeFirst(string(k))
}

// RoleLabel is the role shown beside an actor in an event: "target".
func RoleLabel(r timeline.Role) string {
	switch r {
	case timeline.RoleTarget:
		return "target"
	case timeline.RoleMentioned:
		return "mentioned"
	}
	return string(r)
}

// RoleHeading heads an actor's events in one role: "Mentioned".
func RoleHeading(r timeline.Role) string {
	switch r {
	case timeline.RoleTarget:
		return "Accused, targeted or the subject"
	case timeline.RoleMentioned:
		return "Mentioned"
	}
	return "Acted or spoke"
}

// RoleChoice is a role in the filter form: "Accused or targeted".
func RoleChoice(r timeline.Role) string {
	switch r {
	case timeline.RoleTarget:
		return "Accused or targeted"
	case timeline.RoleMentioned:
		return "Mentioned"
	}
	return "Acted or spoke"
}

// AnyRole is the filter form's choice of no role.
const AnyRole = "Any role"

// OrderLabel is a list's order in words: "Oldest first", "Newest first".
func OrderLabel(desc bool) string {
	if desc {
		return "Newest first"
	}
	return "Oldest first"
}

// OrderChoice is an order of the filter form, by its name in
// timeline.Orders: "Oldest first", "Newest first", "Best match first".
func OrderChoice(order string) string {
	switch order {
	case timeline.OrderNewest:
		return OrderLabel(true)
	case timeline.OrderRelevance:
		return "Best match first"
	}
	return OrderLabel(false)
}

// AnswerVerb is an answer read forwards: "denies", "responds to".
func AnswerVerb(t timeline.AnswerType) string {
	if t == timeline.AnswerRespondsTo {
		return "responds to"
	}
	return string(t)
}

// AnswerPassive is an answer read backwards: "denied by", "responded to by".
func AnswerPassive(t timeline.AnswerType) string {
	switch t {
	case timeline.AnswerDenies:
		return "denied by"
	case timeline.AnswerDisputes:
		return "disputed by"
	case timeline.AnswerDoubts:
		return "doubted by"
	case timeline.AnswerSupports:
		return "supported by"
	case timeline.AnswerAccuses:
		return "answered with an accusation by"
	case timeline.AnswerCites:
		return "cited by"
	}
	return "answered by"
}

// AnswerLine says, in a feed entry, what an event answers:
// "Denies: Kremlin blames Kyiv".
func AnswerLine(a timeline.Answer) string {
	return capitalizeFirst(AnswerVerb(a.Type)) + ": " + a.Event.Title
}

// AnsweredByLine says, in a feed entry, what answered an event:
// "Denied by Kirby: US denies involvement".
func AnsweredByLine(a timeline.Answer) string {
	return capitalizeFirst(AnswerPassive(a.Type)) + " " + SpeakerNames(a.Event.Speakers) + ": " + a.Event.Title
}

// StanceLabel is where an actor stands on a claim, in a word: "denies".
func StanceLabel(s timeline.Stance) string { return string(s) }

// ContestedLabel marks an event that someone denies, disputes or doubts.
const ContestedLabel = "Contested"

// AccordingToLabel says whose account alone an event is known through:
// "According to The Kremlin".
func AccordingToLabel(a timeline.Actor) string { return "According to " + a.Name }

// InferredDateLabel marks a time the sources imply rather than state.
const InferredDateLabel = "date inferred"

// DisplayDateLabel is the date as a story's author wrote it, shown beside
// the time.
func DisplayDateLabel(d string) string { return "given as “" + d + "”" }

// UnsourcedLabel marks, wherever an event is shown, one its editor
// published with no source.
const UnsourcedLabel = "No source given"

// UnattributedLabel marks, wherever an event is shown, one its editor
// published naming no actor (a TimelineJS slide without a group).
const UnattributedLabel = "No one named"

// EventMarks are the marks of what e was published without, in the order
// every view shows them.
func EventMarks(e *timeline.Event) []string {
	var marks []string
	if e.Unsourced {
		marks = append(marks, UnsourcedLabel)
	}
	if e.Unattributed {
		marks = append(marks, UnattributedLabel)
	}
	return marks
}

// MarksPrefix begins a plain text about an event where no mark of a page's
// shows (a feed reader, a link preview, a search engine's structured
// data): "[No source given] [No one named] ", or "" for no marks.
func MarksPrefix(marks ...string) string {
	var b strings.Builder
	for _, m := range marks {
		b.WriteString("[" + m + "] ")
	}
	return b.String()
}

// EventDescription is e's summary for link previews and search engines,
// marked as its page marks it.
func EventDescription(e *timeline.Event) string {
	return MarksPrefix(EventMarks(e)...) + e.Summary
}

// UnsourcedNote stands where an event's sources would be listed.
const UnsourcedNote = "No source is given for this event: it was published without one. Weigh it accordingly."

// WhenNoteHeading introduces how an inferred date was read from the sources.
const WhenNoteHeading = "How the date is known"

// Names and counts.

// SpeakerNames names who spoke in an event: "Zelensky and Ukraine".
func SpeakerNames(actors []timeline.Actor) string {
	names := make([]string, len(actors))
	for i, a := range actors {
		names[i] = a.Name
	}
	switch len(names) {
	case 0:
		return "unattributed"
	case 1:
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// separator joins items in prose: ", " between, " and " before the last.
func separator(i, n int) string {
	if i == n-1 {
		return " and "
	}
	return ", "
}

// thousands writes a count as readers read one: 363,395, not 363395.
func thousands(n int) string {
	digits := strconv.Itoa(n)
	if n < 0 {
		return "-" + thousands(-n)
	}
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	return b.String()
}

// EventCount is a number of events: "1 event", "363,395 events".
func EventCount(n int) string { return thousands(n) + " " + eventWord(n) }

// plural is a count with its noun: "1 claim", "1,200 claims".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return thousands(n) + " " + many
}

func eventWord(n int) string {
	if n == 1 {
		return "event"
	}
	return "events"
}

// capitalizeFirst capitalises an ASCII first letter: "denied by" → "Denied by".
func capitalizeFirst(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// Applied filters, as chips that remove them.

// ActorChip is the chip of a chosen actor.
func ActorChip(a timeline.Actor) string { return "Actor: " + a.Name }

// RoleChip is the chip of a chosen role, or a role offered on an error page.
func RoleChip(r timeline.Role) string { return "Role: " + string(r) }

// KindChip is the chip of a chosen kind, or a kind offered on an error page.
func KindChip(k timeline.EventKind) string { return "Kind: " + KindLabel(k) }

// ContestedChip is the chip of the contested filter.
const ContestedChip = "Only contested"

// FilteredTitle is the title of a filtered view, which a shared link
// unfurls with: "Actor: John Kirby, Kind: Denial — Drones over the Kremlin".
func FilteredTitle(chips []Link, title string) string {
	labels := make([]string, len(chips))
	for i, l := range chips {
		labels[i] = l.Label
	}
	return strings.Join(labels, ", ") + " — " + title
}

// Page titles and descriptions the handlers give.

// ClaimsTitle is the title of the claims page.
const ClaimsTitle = "Claims and answers"

// ClaimsDescription describes the claims page of story.
func ClaimsDescription(story string) string {
	return "Every claim in " + story + ", and who asserted, denied or doubted it."
}

// ArchiveClaimsDescription describes the archive's claims page.
const ArchiveClaimsDescription = "Every claim in every story, and who asserted, denied or doubted it."

// ClaimTitle is the title of a claim's page.
func ClaimTitle(e *timeline.Event) string { return "Who said what: " + e.Title }

// ThreadTitle is the title of the exchange around e.
func ThreadTitle(e *timeline.Event) string { return "The whole exchange: " + e.Title }

// ActorsTitle is the title of the list of actors.
const ActorsTitle = "Actors"

// ActorsDescription describes the list of actors of story.
func ActorsDescription(story string) string { return "Everyone in the timeline: " + story }

// ActorsMatching is the title and heading of the finder's results for q.
func ActorsMatching(q string) string { return "Actors matching “" + q + "”" }

// ActorDescription describes an actor's page: their description, or where
// they have none, who they are in story.
func ActorDescription(a timeline.Actor, story string) string {
	if a.Description != "" {
		return a.Description
	}
	return a.Name + " in the timeline: " + story
}

// Error pages.

// ErrorTitle is the title of an error page with the HTTP status.
func ErrorTitle(status int) string {
	switch status {
	case http.StatusBadRequest:
		return "That address asks for something we don’t have"
	case http.StatusNotFound:
		return "Not found"
	case http.StatusConflict:
		return "Not possible now"
	case http.StatusGone:
		return "Withdrawn"
	case http.StatusServiceUnavailable:
		return "Back in a moment"
	}
	return "Something went wrong"
}

// Messages on error pages, where the error itself has none for the reader.
const (
	InternalErrorMessage    = "The server could not answer this request. Please try again in a moment."
	UnavailableMessage      = "The timeline is being brought up to date. Please try again in a moment."
	NoPageMessage           = "There is no page at this address."
	MethodNotAllowedMessage = "Timeline's pages are read with GET."
)

// Ways on from an error page.
const (
	EveryActor     = "Every actor"
	EveryActorFind = "Every actor, and a finder"
	EveryClaim     = "Every claim"
	WholeTimeline  = "The whole timeline"
)

// WithoutParam labels the same view without one bad query value.
func WithoutParam(param, value string) string {
	return "The same view without " + param + "=" + value
}

// Stories: the front page, a story's own pages, a withdrawn event.

const (
	// FrontTitle is the front page's title and heading.
	FrontTitle = "Stories"
	// FrontDescription is the front page's description.
	FrontDescription = "Every story the archive follows, most recently updated first: who said what, when, and who answered."
	// ArchiveTitle heads the archive-wide timeline.
	ArchiveTitle = "Every story"
	// ArchiveDescription describes the archive-wide timeline.
	ArchiveDescription = "The events of every story, in time order: who said what about whom, everywhere."
	// OlderStories is the front page's link to the next page.
	OlderStories = "Older stories"
	// NewestStories is the front page's link back to its first page.
	NewestStories = "Newest stories"
	// NoStories is what the front page says with nothing in the archive.
	NoStories = "There are no stories yet."
	// EveryStory is the way from a story to the front page.
	EveryStory = "Every story"
	// WithdrawnMessage is the page of a withdrawn event.
	WithdrawnMessage = "This event was withdrawn from its story: it is no longer part of the record."
	// MostPresent introduces a story's busiest actors on the front page.
	MostPresent = "Most present:"
)

// StorySpan is a story's span of dates, each at its own precision:
// "3 May 2023 – Jun 2023"; one period when it holds the other, so that a
// story from 3 May to a date known only as "May 2023" reads "May 2023";
// "" for a story with no events.
func StorySpan(first, last timeline.When) string {
	switch {
	case first.IsZero():
		return ""
	case last.Contains(first):
		return ShortDate(last)
	case first.Contains(last):
		return ShortDate(first)
	}
	return ShortDate(first) + " – " + ShortDate(last)
}

// StoryCounts is a story's number of events and of claims.
func StoryCounts(events, claims int) string {
	word := "claims"
	if claims == 1 {
		word = "claim"
	}
	return EventCount(events) + ", " + thousands(claims) + " " + word
}

// InStory labels the story an event is in.
func InStory(title string) string { return "In the story “" + title + "”" }

// FromStory labels an answer from another story.
func FromStory(title string) string { return "from “" + title + "”" }

// StoryClaimsTitle is the title of a story's claims page.
func StoryClaimsTitle(story string) string { return "Claims: " + story }

// Embeds and their snippets.
const (
	// EmbedSnippetSummary opens the snippet to copy on an embeddable page.
	EmbedSnippetSummary = "Embed this page"
	// EmbedSnippetLabel labels the snippet's text.
	EmbedSnippetLabel = "Paste this HTML into your page:"
	// EmbedNoEvents is an embedded timeline with nothing to show.
	EmbedNoEvents = "No event matches this view yet."
	// EmbedNoClaims is an embedded claims list with nothing to show.
	EmbedNoClaims = "No claim matches this view yet."
)

// EmbedFullPage is an embed's link to the page it shows, on the site.
func EmbedFullPage(site string) string { return "Read it in full on " + site }

// The search: the label of its boxes, the header's placeholder and button,
// its chip, and the offer of a search that cannot be read as plain words.
const (
	SearchLegend      = "Words"
	SearchLabel       = "Search the words"
	SearchPlaceholder = "Search: words, \"a phrase\", drone*"
	SearchButton      = "Search"
)

// SearchChip is the chip of a search.
func SearchChip(q string) string { return "Words: " + q }

// SearchPlainTerms offers a search's words as plain terms.
func SearchPlainTerms(plain string) string { return "Search the words as they are: " + plain }

// Share cards.

// contestNouns name one answer of each contesting type, and many.
var contestNouns = map[timeline.AnswerType][2]string{
	timeline.AnswerDenies:   {"denial", "denials"},
	timeline.AnswerDisputes: {"dispute", "disputes"},
	timeline.AnswerDoubts:   {"doubt", "doubts"},
}

// ContestTally counts the answers that deny, dispute or doubt an event, in
// the domain's order: "2 denials, 1 doubt"; "" when none contests it.
func ContestTally(answeredBy []timeline.Answer) string {
	var parts []string
	for _, t := range timeline.ContestingTypes {
		n := 0
		for _, a := range answeredBy {
			if a.Type == t {
				n++
			}
		}
		if n > 0 {
			nouns := contestNouns[t]
			parts = append(parts, plural(n, nouns[0], nouns[1]))
		}
	}
	return strings.Join(parts, ", ")
}

// CardAlt describes a share card to a reader who cannot see it, its marks
// first as the card shows them first:
// "Share card: Kremlin calls it an attempt on Putin's life; 3 May 2023, Moscow time; The Kremlin; 1 denial."
func CardAlt(c Card) string {
	parts := []string{c.Title}
	for _, p := range []string{c.When, c.Who, c.Tally} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return "Share card: " + MarksPrefix(c.Marks...) + strings.Join(parts, "; ") + "."
}
