// Package timeline holds the domain of Timeline: events, the actors in them,
// their sources, and how events answer one another. It imports neither HTTP
// nor SQL; the store and the web layer both depend on it.
package timeline

import (
	"net/url"
	"regexp"
	"time"
)

// EventKind says what sort of thing an event is.
type EventKind string

const (
	KindIncident   EventKind = "incident"   // something happened
	KindStatement  EventKind = "statement"  // someone said something that is not mainly a claim about others
	KindClaim      EventKind = "claim"      // someone asserted a contested fact
	KindAccusation EventKind = "accusation" // someone blamed someone
	KindDenial     EventKind = "denial"     // someone denied a claim or an accusation
	KindAnalysis   EventKind = "analysis"   // an analyst or official weighed the evidence
	KindThreat     EventKind = "threat"     // someone threatened retaliation
	KindReport     EventKind = "report"     // media published or reported something
)

// EventKinds lists every kind in the order the interface shows them.
var EventKinds = []EventKind{KindIncident, KindStatement, KindClaim, KindAccusation, KindDenial, KindAnalysis, KindThreat, KindReport}

// Valid reports whether k is a known kind.
func (k EventKind) Valid() bool { return contains(EventKinds, k) }

// ClaimKinds are the kinds of event that assert something others can
// answer: the claims view lists them, and only them.
var ClaimKinds = []EventKind{KindClaim, KindAccusation}

// IsClaim reports whether events of kind k are claims.
func (k EventKind) IsClaim() bool { return contains(ClaimKinds, k) }

// ActorKind says what sort of party an actor is.
type ActorKind string

const (
	ActorState      ActorKind = "state"
	ActorGovernment ActorKind = "government-body"
	ActorPerson     ActorKind = "person"
	ActorMilitary   ActorKind = "military"
	ActorMedia      ActorKind = "media-outlet"
	ActorAnalyst    ActorKind = "analyst"
	ActorOrg        ActorKind = "organisation"
)

// ActorKinds lists every actor kind in the order the filter form groups them.
var ActorKinds = []ActorKind{ActorState, ActorGovernment, ActorPerson, ActorMilitary, ActorAnalyst, ActorMedia, ActorOrg}

// Valid reports whether k is a known actor kind.
func (k ActorKind) Valid() bool { return contains(ActorKinds, k) }

// Role is the part an actor plays in an event.
type Role string

const (
	RoleSpeaker   Role = "speaker"   // acted or spoke
	RoleTarget    Role = "target"    // was accused, attacked, or the subject
	RoleMentioned Role = "mentioned" // only mentioned
)

// Roles lists every role.
var Roles = []Role{RoleSpeaker, RoleTarget, RoleMentioned}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return contains(Roles, r) }

// AnswerType says how one event answers an earlier one.
type AnswerType string

const (
	AnswerDenies     AnswerType = "denies"
	AnswerDisputes   AnswerType = "disputes"
	AnswerDoubts     AnswerType = "doubts"
	AnswerSupports   AnswerType = "supports"
	AnswerAccuses    AnswerType = "accuses"
	AnswerCites      AnswerType = "cites"
	AnswerRespondsTo AnswerType = "responds-to"
)

// AnswerTypes lists every answer type.
var AnswerTypes = []AnswerType{AnswerDenies, AnswerDisputes, AnswerDoubts, AnswerSupports, AnswerAccuses, AnswerCites, AnswerRespondsTo}

// Valid reports whether t is a known answer type.
func (t AnswerType) Valid() bool { return contains(AnswerTypes, t) }

// ContestingTypes are the answer types that contest the event they answer:
// both ends of such an answer are in dispute (Filter.Contested).
var ContestingTypes = []AnswerType{AnswerDenies, AnswerDisputes, AnswerDoubts}

// Contests reports whether an answer of this type contests the event it answers.
func (t AnswerType) Contests() bool { return contains(ContestingTypes, t) }

// Actor is a party to events: a state, a body, a person, an outlet.
type Actor struct {
	ID          int64
	Slug        string
	Name        string
	Kind        ActorKind
	Country     string
	Description string
	// EventCount is the number of events the actor takes part in, kept by the store.
	EventCount int
}

// Source is where a fact comes from: an article, a statement, a broadcast.
type Source struct {
	ID        int64
	Key       string // identity within a data file
	Outlet    string
	URL       string
	Title     string
	Published string // YYYY-MM-DD or "" when the source does not give it
	// Via is the key of the source through which this one reached us,
	// e.g. a Guardian quote as carried by another article; ViaOutlet is
	// that source's outlet, where loaded for display.
	Via       string
	ViaOutlet string
}

// EventActor is an actor in an event, with their role.
type EventActor struct {
	Actor Actor
	Role  Role
}

// Citation is a source backing an event, with the verbatim quote it supports.
type Citation struct {
	Source Source
	Quote  string
}

// EventRef is the short form of an event shown where another event links to it.
type EventRef struct {
	ID       int64
	Slug     string
	Title    string
	Kind     EventKind
	When     When
	Speakers []Actor
	// Story is the story the event is in.
	Story StoryRef
	// Quote is the event's first quote, where it is loaded as an answer.
	Quote string
}

// Answer links an event to another: on Event.Answers the other event is the
// one answered; on Event.AnsweredBy it is the answer.
type Answer struct {
	Type  AnswerType
	Event EventRef
}

// Event is one dated, sourced thing that happened or was said.
type Event struct {
	ID          int64
	Slug        string
	Story       StoryRef // the story the event is in, where loaded
	FormerSlugs []string
	// FirstSlug is the slug the event was first published under, where
	// loaded: a renamed event keeps it, as the permanent id of its feed
	// entries.
	FirstSlug string
	Title     string
	Summary   string
	Body      string
	Kind      EventKind
	When      When
	Until     When // optional end; zero when the event has none
	Location  string
	// AccordingTo is the one actor, among the event's, through whose account
	// alone the event is known ("the Kremlin said"); zero when the sources
	// report it themselves.
	AccordingTo Actor
	// WhenInferred marks a time the sources imply rather than state, and
	// WhenNote says how it was read from them.
	WhenInferred bool
	WhenNote     string
	// DisplayDate is the date as the file's author wrote it for readers,
	// shown beside When; "" when not given.
	DisplayDate string
	Actors      []EventActor
	Sources     []Citation
	// Unsourced marks an event imported with no source, and Unattributed
	// one naming no actor, which an import takes only when told to (see
	// Backing); readers are told plainly.
	Unsourced    bool
	Unattributed bool
	Answers      []Answer
	AnsweredBy   []Answer
	// Added is when an import first brought the event in, and Changed
	// when one last changed it or its answers.
	Added, Changed time.Time
}

// Ref returns the short form of e.
func (e *Event) Ref() EventRef {
	return EventRef{ID: e.ID, Slug: e.Slug, Title: e.Title, Kind: e.Kind, When: e.When, Speakers: e.ActorsIn(RoleSpeaker), Story: e.Story}
}

// ActorsIn returns the actors that play role r in e.
func (e *Event) ActorsIn(r Role) []Actor {
	var out []Actor
	for _, a := range e.Actors {
		if a.Role == r {
			out = append(out, a.Actor)
		}
	}
	return out
}

// Contested reports whether any answer to e denies, disputes or doubts it.
func (e *Event) Contested() bool {
	for _, r := range e.AnsweredBy {
		if r.Type.Contests() {
			return true
		}
	}
	return false
}

// Dataset is a whole story as it is imported and exported: actors, sources and
// events, with references by slug and key. Slug is "" for a file in the
// first format, which does not name its story.
type Dataset struct {
	Slug        string
	Title       string
	Description string
	Actors      []Actor
	Sources     []Source
	Events      []Event
}

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// ValidSlug reports whether s is a lowercase, hyphenated slug of at most 120 characters.
func ValidSlug(s string) bool { return len(s) <= 120 && slugPattern.MatchString(s) }

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Stance is where an actor stands on a claim.
type Stance string

const (
	StanceAsserts  Stance = "asserts"
	StanceSupports Stance = "supports"
	StanceDenies   Stance = "denies"
	StanceDisputes Stance = "disputes"
	StanceDoubts   Stance = "doubts"
	StanceResponds Stance = "responds"
)

// Position is where one actor stands on a claim, and the event that says so.
type Position struct {
	Actor  Actor
	Stance Stance
	Event  EventRef
}

// Positions lays out who stands where on e: its speakers assert it, with
// its first quote, and the speakers of each answer take that answer's
// stance.
func (e *Event) Positions() []Position {
	var out []Position
	ref := e.Ref()
	if len(e.Sources) > 0 {
		ref.Quote = e.Sources[0].Quote
	}
	for _, a := range e.ActorsIn(RoleSpeaker) {
		out = append(out, Position{Actor: a, Stance: StanceAsserts, Event: ref})
	}
	for _, r := range e.AnsweredBy {
		for _, a := range r.Event.Speakers {
			out = append(out, Position{Actor: a, Stance: StanceOf(r.Type), Event: r.Event})
		}
	}
	return out
}

// StanceOf is the stance an answer of type t takes on what it answers.
func StanceOf(t AnswerType) Stance {
	switch t {
	case AnswerSupports:
		return StanceSupports
	case AnswerDenies:
		return StanceDenies
	case AnswerDisputes, AnswerAccuses:
		// Answering a claim with a counter-accusation disputes it.
		return StanceDisputes
	case AnswerDoubts:
		return StanceDoubts
	}
	return StanceResponds
}

// WebURL reports whether s is an absolute http or https URL: the only links
// Timeline stores or shows.
func WebURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// Listing is a kind of page the site lists for search engines, each page
// of it named by a slug: stories and events (not withdrawn ones, which are
// no longer part of the record).
type Listing string

const (
	ListingStories Listing = "stories"
	ListingEvents  Listing = "events"
)

// Listings are every Listing, in the order a sitemap gives them.
var Listings = []Listing{ListingStories, ListingEvents}

// Listed is a page of a listing: its slug, and when an import last
// changed what it shows (zero where that is not known).
type Listed struct {
	Slug    string
	Changed time.Time
}

// EntrySlug is the slug that names e for good: the one it was first
// published under, or its slug where that is not known.
func (e *Event) EntrySlug() string {
	if e.FirstSlug != "" {
		return e.FirstSlug
	}
	return e.Slug
}
