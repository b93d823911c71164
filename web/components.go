package web

import "github.com/timelinenews/timeline/internal/timeline"

// AnswerGroup is the answers of one type to an event: "Denied by …".
type AnswerGroup struct {
	Type    timeline.AnswerType
	Answers []timeline.Answer
}

// GroupAnswers groups an event's answers by type, in order of first appearance.
func GroupAnswers(rels []timeline.Answer) []AnswerGroup {
	var groups []AnswerGroup
	for _, r := range rels {
		i := 0
		for i < len(groups) && groups[i].Type != r.Type {
			i++
		}
		if i == len(groups) {
			groups = append(groups, AnswerGroup{Type: r.Type})
		}
		groups[i].Answers = append(groups[i].Answers, r)
	}
	return groups
}

// ItemNamesStory reports whether an event item in a list of the story in
// ("" for a list of the whole archive: an actor's page, /timeline) says
// which story the event is in: everywhere but in its own story's lists,
// where it would say the same on every item.
func ItemNamesStory(e timeline.Event, in string) bool {
	return e.Story.Slug != "" && e.Story.Slug != in
}

// ItemActorPath is where an actor's name on an event item in a list of
// the story in leads: that story's timeline of the actor when the event is
// in it, the archive's otherwise.
func ItemActorPath(e timeline.Event, in, actor string) string {
	if in != "" && e.Story.Slug == in {
		return StoryActorTimelinePath(in, actor)
	}
	return ActorTimelinePath(actor)
}

// titleID is the id of the heading of the item whose id is id. Slugs never
// hold "--", so it cannot be an event's id.
func titleID(id string) string { return "title--" + id }
