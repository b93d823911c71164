package web

import "github.com/timelinenews/timeline/internal/timeline"

// ClaimsView lists claims with every answer beside them.
type ClaimsView struct {
	Site    Site
	Head    Head
	Form    FilterForm
	Applied []Link
	Clear   string
	Claims  []Claim
	Earlier string
	Later   string
}

// ClaimView is one claim's page.
type ClaimView struct {
	Site  Site
	Head  Head
	Claim Claim
}

// Claim is a claim or accusation and where every actor stands on it.
type Claim struct {
	Event   timeline.Event
	Stances []Stance
}

// Stance is one actor's position on a claim, from one event.
type Stance struct {
	Actor  timeline.Actor
	Stance timeline.Stance
	Event  timeline.EventRef
}

// ClaimOf lays out where everyone stands on e: its speakers assert it, and
// the speakers of each answer take the answer's stance.
func ClaimOf(e timeline.Event) Claim {
	c := Claim{Event: e}
	ref := e.Ref()
	if len(e.Sources) > 0 {
		ref.Quote = e.Sources[0].Quote
	}
	for _, a := range e.ActorsIn(timeline.RoleSpeaker) {
		c.Stances = append(c.Stances, Stance{Actor: a, Stance: timeline.StanceAsserts, Event: ref})
	}
	for _, r := range e.AnsweredBy {
		for _, a := range r.Event.Speakers {
			c.Stances = append(c.Stances, Stance{Actor: a, Stance: timeline.StanceOf(r.Type), Event: r.Event})
		}
	}
	return c
}
