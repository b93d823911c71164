package web

import "github.com/timelinenews/timeline/internal/timeline"

// ActorsView lists actors: the busiest of each kind, or the finder's results.
type ActorsView struct {
	Site    Site
	Head    Head
	Query   string
	Results []timeline.Actor // when Query is set
	Groups  []ActorGroup     // when it is not
}

// ActorView is an actor's page.
type ActorView struct {
	Site   Site
	Head   Head
	Actor  timeline.Actor
	ByRole []RoleEvents
	// Overview is the picture of the actor's events in time; nil without events.
	Overview *OverviewView
}

// RoleEvents are an actor's events in one role.
type RoleEvents struct {
	Role   timeline.Role
	Events []timeline.Event
	More   string // URL of the filtered timeline when there are more
}
