package timeline

// Backing is whether an event has what every event should: a source to
// back it, and an actor who did or said it. An import refuses an event
// without either, unless the editor allowed it (Allowance); such an event is
// then marked in the data, so that a story exported with it imports again
// only where it is allowed, and readers are told plainly.
type Backing int

const (
	// Backed: the event has it, as every event should.
	Backed Backing = iota
	// Missing: the event has none and is not marked; it is refused, or,
	// where the editor allowed it, taken marked.
	Missing
	// MarkedMissing: the event has none and says so (in a story file,
	// "unsourced": true or "unattributed": true); taken only where allowed.
	MarkedMissing
	// MarkedButBacked: the event has it and says it has none.
	MarkedButBacked
)

func backingOf(has, marked bool) Backing {
	switch {
	case marked && has:
		return MarkedButBacked
	case marked:
		return MarkedMissing
	case !has:
		return Missing
	}
	return Backed
}

// SourcingOf says whether e cites a source.
func SourcingOf(e *Event) Backing { return backingOf(len(e.Sources) > 0, e.Unsourced) }

// AttributionOf says whether e names an actor.
func AttributionOf(e *Event) Backing { return backingOf(len(e.Actors) > 0, e.Unattributed) }

// Acceptable reports whether an import takes an event backed as b: a backed
// event always, one without only where the editor allowed it (it is then
// marked), and never one that has it and says it has none.
func (b Backing) Acceptable(allowed bool) bool {
	switch b {
	case Backed:
		return true
	case Missing, MarkedMissing:
		return allowed
	}
	return false
}

// Allowance is what an editor let an import take that it refuses by
// default (timeline import --allow-unsourced, --allow-unattributed).
type Allowance struct {
	Unsourced    bool // events that cite no source, marked unsourced
	Unattributed bool // events that name no actor, marked unattributed
}
