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

// titleID is the id of the heading of the item whose id is id. Slugs never
// hold "--", so it cannot be an event's id.
func titleID(id string) string { return "title--" + id }
