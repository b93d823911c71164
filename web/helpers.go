package web

import (
	"strconv"
	"strings"

	"github.com/timelinenews/timeline/internal/timeline"
)

func roleLabel(r timeline.Role) string {
	switch r {
	case timeline.RoleTarget:
		return "target"
	case timeline.RoleMentioned:
		return "mentioned"
	}
	return string(r)
}

func capitalizeFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
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

func eventCountLabel(n int) string { return thousands(n) + " " + eventWord(n) }

func eventWord(n int) string {
	if n == 1 {
		return "event"
	}
	return "events"
}

func roleHeading(r timeline.Role) string {
	switch r {
	case timeline.RoleTarget:
		return "Accused, targeted or the subject"
	case timeline.RoleMentioned:
		return "Mentioned"
	}
	return "Acted or spoke"
}

// kindNoun names one actor of kind k: "Person", where ActorKind.Label is the
// plural heading for a group ("People").
func kindNoun(k timeline.ActorKind) string {
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

// ShortDate is a compact date for inline mentions: "4 May".
func ShortDate(w timeline.When) string {
	switch w.Precision {
	case timeline.PrecisionYear:
		return w.Start.Format("2006")
	case timeline.PrecisionMonth:
		return w.Start.Format("Jan 2006")
	}
	return w.Start.Format("2 Jan 2006")
}
