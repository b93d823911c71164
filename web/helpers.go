package web

import (
	"strconv"
	"strings"

	"github.com/timelinenews/timeline/internal/timeline"
)

func pageTitle(site Site, head Head) string {
	if head.Title == "" || head.Title == site.Name {
		return site.Name
	}
	return head.Title + " · " + site.Name
}

func ogType(head Head) string {
	if head.OGType == "" {
		return "website"
	}
	return head.OGType
}

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

func relClass(incoming bool) string {
	if incoming {
		return "answered-by"
	}
	return "answers"
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

// titleID is the id of the heading of the item whose id is id. Slugs never
// hold "--", so it cannot be an event's id.
func titleID(id string) string { return "title--" + id }

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
