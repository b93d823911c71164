package web

import (
	"net/http"
	"testing"
	"time"

	"github.com/timelinenews/timeline/internal/timeline"
)

func mustWhen(t *testing.T, text, zone string) timeline.When {
	t.Helper()
	w, err := timeline.ParseWhen(text, zone)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 7: "7", 999: "999", 1000: "1,000", 12345: "12,345", 363395: "363,395", 1000000: "1,000,000", -4200: "-4,200"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// TestWhenLabels is a time in words at its precision, in its zone.
func TestWhenLabels(t *testing.T) {
	tests := []struct {
		text, zone       string
		label, zoneLabel string
		day, short       string
	}{
		{"2023", "UTC", "2023", "UTC", "2023 (month and day not given)", "2023"},
		{"2023-05", "Europe/Kyiv", "May 2023", "Kyiv time", "May 2023 (day not given)", "May 2023"},
		{"2023-05-03", "Europe/Moscow", "3 May 2023", "Moscow time", "Wednesday 3 May 2023", "3 May 2023"},
		{"2023-05-03 early-hours", "Europe/Moscow", "early hours of 3 May 2023", "Moscow time", "Wednesday 3 May 2023", "3 May 2023"},
		{"2023-05-03 late", "America/New_York", "late on 3 May 2023", "US Eastern time", "Wednesday 3 May 2023", "3 May 2023"},
		{"2023-05-04 morning", "Europe/Kyiv", "morning of 4 May 2023", "Kyiv time", "Thursday 4 May 2023", "4 May 2023"},
		{"2023-05-04T14", "Europe/Moscow", "4 May 2023, 14:00–15:00", "Moscow time", "Thursday 4 May 2023", "4 May 2023"},
		{"2023-05-04T09:15", "America/New_York", "4 May 2023, 09:15", "US Eastern time", "Thursday 4 May 2023", "4 May 2023"},
		{"2023-05-04", "Etc/UTC", "4 May 2023", "UTC", "Thursday 4 May 2023", "4 May 2023"},
		{"2023-05-04", "America/Argentina/Buenos_Aires", "4 May 2023", "Buenos Aires time", "Thursday 4 May 2023", "4 May 2023"},
	}
	for _, tt := range tests {
		t.Run(tt.text+"@"+tt.zone, func(t *testing.T) {
			w := mustWhen(t, tt.text, tt.zone)
			if got := WhenLabel(w); got != tt.label {
				t.Errorf("label = %q, want %q", got, tt.label)
			}
			if got := ZoneLabel(w); got != tt.zoneLabel {
				t.Errorf("zone label = %q, want %q", got, tt.zoneLabel)
			}
			if got, want := FullWhenLabel(w), tt.label+", "+tt.zoneLabel; got != want {
				t.Errorf("full label = %q, want %q", got, want)
			}
			if got := DayLabel(w); got != tt.day {
				t.Errorf("day label = %q, want %q", got, tt.day)
			}
			if got := ShortDate(w); got != tt.short {
				t.Errorf("short date = %q, want %q", got, tt.short)
			}
		})
	}
}

// TestWords is every other word made from a domain value.
func TestWords(t *testing.T) {
	day := func(s string) time.Time {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	tests := []struct{ name, got, want string }{
		{"KindLabel", KindLabel(timeline.KindAccusation), "Accusation"},
		{"HourRange", DateRangeLabel(timeline.Filter{From: day("2023-05-03").Add(14 * time.Hour), To: day("2023-05-03").Add(16 * time.Hour)}), "3 May 2023 14:00 UTC to 3 May 2023 16:00 UTC"},
		{"DayRange", DateRangeLabel(timeline.Filter{From: day("2023-05-03"), To: day("2023-05-05")}), "3 May 2023 to 4 May 2023"},
		{"OneDay", DateRangeLabel(timeline.Filter{From: day("2023-05-16"), To: day("2023-05-17")}), "16 May 2023"},
		{"OneHour", DateRangeLabel(timeline.Filter{From: day("2023-05-03").Add(14 * time.Hour), To: day("2023-05-03").Add(15 * time.Hour)}), "3 May 2023, 14:00 to 15:00 UTC"},
		{"OneWeek", DateRangeLabel(timeline.Filter{From: day("2023-05-01"), To: day("2023-05-08")}), "Week of 1 May 2023"},
		{"NotAWeek", DateRangeLabel(timeline.Filter{From: day("2023-05-03"), To: day("2023-05-10")}), "3 May 2023 to 9 May 2023"},
		{"OneMonth", DateRangeLabel(timeline.Filter{From: day("2023-05-01"), To: day("2023-06-01")}), "May 2023"},
		{"OneYear", DateRangeLabel(timeline.Filter{From: day("2023-01-01"), To: day("2024-01-01")}), "2023"},
		{"OneDecade", DateRangeLabel(timeline.Filter{From: day("1990-01-01"), To: day("2000-01-01")}), "1990–1999"},
		{"PeriodHour", PeriodLabel(timeline.PeriodHour, timeline.Span{Start: day("2023-05-03").Add(14 * time.Hour)}), "3 May 2023 14:00 UTC"},
		{"PeriodWeek", PeriodLabel(timeline.PeriodWeek, timeline.Span{Start: day("2023-05-01")}), "Week of 1 May 2023"},
		{"PeriodMonth", PeriodLabel(timeline.PeriodMonth, timeline.Span{Start: day("2023-05-01")}), "May 2023"},
		{"PeriodYear", PeriodLabel(timeline.PeriodYear, timeline.Span{Start: day("2023-01-01")}), "2023"},
		{"PeriodDecade", PeriodLabel(timeline.PeriodDecade, timeline.Span{Start: day("1990-01-01"), End: day("2000-01-01")}), "1990–1999"},
		{"Tally", TallyLabel(timeline.Tally{timeline.ClassOther: 1200, timeline.ClassClaim: 1, timeline.ClassContesting: 2}), "1,203 events: 1 claim, 2 answers that contest, 1,200 other events"},
		{"TallyOne", TallyLabel(timeline.Tally{timeline.ClassContesting: 1}), "1 event: 1 answer that contests"},
		{"TallyNone", TallyLabel(timeline.Tally{}), "no events"},
		{"KindLabelUnknown", KindLabel("rumour"), "Rumour"},
		{"KindList", KindList(), "incident, statement, claim, accusation, denial, analysis, threat, report"},
		{"ActorKindHeading", ActorKindHeading(timeline.ActorPerson), "People"},
		{"ActorKindHeadingGovernment", ActorKindHeading(timeline.ActorGovernment), "Government bodies"},
		{"ActorKindHeadingUnknown", ActorKindHeading("guild"), "Guild"},
		{"ActorKindNoun", ActorKindNoun(timeline.ActorMedia), "Media outlet"},
		{"ActorKindNounUnknown", ActorKindNoun("guild"), "Guild"},
		{"RoleLabelTarget", RoleLabel(timeline.RoleTarget), "target"},
		{"RoleLabelMentioned", RoleLabel(timeline.RoleMentioned), "mentioned"},
		{"RoleHeadingSpeaker", RoleHeading(timeline.RoleSpeaker), "Acted or spoke"},
		{"RoleHeadingTarget", RoleHeading(timeline.RoleTarget), "Accused, targeted or the subject"},
		{"RoleChoiceTarget", RoleChoice(timeline.RoleTarget), "Accused or targeted"},
		{"RoleChoiceMentioned", RoleChoice(timeline.RoleMentioned), "Mentioned"},
		{"OrderOldest", OrderLabel(false), "Oldest first"},
		{"OrderNewest", OrderLabel(true), "Newest first"},
		{"AnswerVerb", AnswerVerb(timeline.AnswerDenies), "denies"},
		{"AnswerVerbRespondsTo", AnswerVerb(timeline.AnswerRespondsTo), "responds to"},
		{"AnswerPassive", AnswerPassive(timeline.AnswerDoubts), "doubted by"},
		{"AnswerPassiveAccuses", AnswerPassive(timeline.AnswerAccuses), "answered with an accusation by"},
		{"AnswerPassiveRespondsTo", AnswerPassive(timeline.AnswerRespondsTo), "answered by"},
		{"Capitalized", capitalizeFirst(AnswerPassive(timeline.AnswerCites)), "Cited by"},
		{"CapitalizedEmpty", capitalizeFirst(""), ""},
		{"StanceLabel", StanceLabel(timeline.StanceOf(timeline.AnswerAccuses)), "disputes"},
		{"EventCountOne", EventCount(1), "1 event"},
		{"EventCountMany", EventCount(363395), "363,395 events"},
		{"DateRange", DateRangeLabel(timeline.Filter{From: day("2023-05-03"), To: day("2023-05-05")}), "3 May 2023 to 4 May 2023"},
		{"DateRangeFrom", DateRangeLabel(timeline.Filter{From: day("2023-05-03")}), "From 3 May 2023"},
		{"DateRangeUntil", DateRangeLabel(timeline.Filter{To: day("2023-05-05")}), "Until 4 May 2023"},
		{"ActorChip", ActorChip(timeline.Actor{Name: "John Kirby"}), "Actor: John Kirby"},
		{"RoleChip", RoleChip(timeline.RoleTarget), "Role: target"},
		{"KindChip", KindChip(timeline.KindDenial), "Kind: Denial"},
		{"FilteredTitle", FilteredTitle([]Link{{Label: "Actor: John Kirby"}, {Label: "Kind: Denial"}}, "Drones"), "Actor: John Kirby, Kind: Denial — Drones"},
		{"ClaimTitle", ClaimTitle(&timeline.Event{Title: "Peskov blames Washington"}), "Who said what: Peskov blames Washington"},
		{"ThreadTitle", ThreadTitle(&timeline.Event{Title: "Peskov blames Washington"}), "The whole exchange: Peskov blames Washington"},
		{"ClaimsDescription", ClaimsDescription("Drones"), "Every claim in Drones, and who asserted, denied or doubted it."},
		{"ActorsDescription", ActorsDescription("Drones"), "Everyone in the timeline: Drones"},
		{"ActorsMatching", ActorsMatching("pes"), "Actors matching “pes”"},
		{"ActorDescription", ActorDescription(timeline.Actor{Name: "Kirby", Description: "Spokesman"}, "Drones"), "Spokesman"},
		{"ActorDescriptionNone", ActorDescription(timeline.Actor{Name: "Kirby"}, "Drones"), "Kirby in the timeline: Drones"},
		{"ErrorTitle400", ErrorTitle(http.StatusBadRequest), "That address asks for something we don’t have"},
		{"ErrorTitle404", ErrorTitle(http.StatusNotFound), "Not found"},
		{"ErrorTitle409", ErrorTitle(http.StatusConflict), "Not possible now"},
		{"ErrorTitle500", ErrorTitle(http.StatusInternalServerError), "Something went wrong"},
		{"WithoutParam", WithoutParam("kind", "rumour"), "The same view without kind=rumour"},
		{"MarksPrefixNone", MarksPrefix(), ""},
		{"MarksPrefix", MarksPrefix(UnsourcedLabel, UnattributedLabel), "[No source given] [No one named] "},
		{"EventDescription", EventDescription(&timeline.Event{Summary: "Two drones.", Unsourced: true}), "[No source given] Two drones."},
		{"EventDescriptionUnmarked", EventDescription(&timeline.Event{Summary: "Two drones."}), "Two drones."},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

// TestEveryValueHasWords: no answer type but responds-to falls back to the
// bare "answered by", and no two roles share a heading.
func TestEveryValueHasWords(t *testing.T) {
	for _, a := range timeline.AnswerTypes {
		if a != timeline.AnswerRespondsTo && AnswerPassive(a) == "answered by" {
			t.Errorf("answer type %s has no passive", a)
		}
	}
	seen := map[string]timeline.Role{}
	for _, r := range timeline.Roles {
		if other, dup := seen[RoleHeading(r)]; dup {
			t.Errorf("roles %s and %s share the heading %q", r, other, RoleHeading(r))
		}
		seen[RoleHeading(r)] = r
	}
}

// TestStorySpan is a story's span in words: one period when it holds the
// other, both ends otherwise.
func TestStorySpan(t *testing.T) {
	tests := []struct {
		first, last string
		want        string
	}{
		{"2023-05-03 early-hours", "2023-05", "May 2023"},
		{"2023-05", "2023-05-30", "May 2023"},
		{"2023-05-03", "2023-05-03 evening", "3 May 2023"},
		{"2023-05-03", "2023-06", "3 May 2023 – Jun 2023"},
		{"2023-05-03", "2023-05-04 morning", "3 May 2023 – 4 May 2023"},
		{"2022", "2023-05-03", "2022 – 3 May 2023"},
	}
	for _, tt := range tests {
		got := StorySpan(mustWhen(t, tt.first, "Europe/Moscow"), mustWhen(t, tt.last, "Europe/Moscow"))
		if got != tt.want {
			t.Errorf("StorySpan(%q, %q) = %q, want %q", tt.first, tt.last, got, tt.want)
		}
	}
	if got := StorySpan(timeline.When{}, timeline.When{}); got != "" {
		t.Errorf("StorySpan of a story with no events = %q, want none", got)
	}
}
