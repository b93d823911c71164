package timeline

// Sourcing is how an event is backed, as an import reads it.
type Sourcing int

const (
	// Sourced: the event cites at least one source, as every event should.
	Sourced Sourcing = iota
	// NoSource: the event cites none and is not marked unsourced; it is
	// refused, or, where the editor allowed it, taken marked unsourced.
	NoSource
	// MarkedUnsourced: the event cites none and says so ("unsourced": true
	// in a story file); taken only where the editor allowed it.
	MarkedUnsourced
	// MarkedButSourced: the event cites sources and says it has none.
	MarkedButSourced
)

// SourcingOf says how e is backed. The mark is explicit, in the data, so
// that a story exported with unsourced events imports again only where
// they are allowed, and says which they are.
func SourcingOf(e *Event) Sourcing {
	switch {
	case e.Unsourced && len(e.Sources) > 0:
		return MarkedButSourced
	case e.Unsourced:
		return MarkedUnsourced
	case len(e.Sources) == 0:
		return NoSource
	}
	return Sourced
}

// Acceptable reports whether an import takes an event sourced as s: a
// sourced event always, an event with no source only where the editor
// allowed unsourced events (it is then marked unsourced), and never one that
// cites sources and says it has none.
func (s Sourcing) Acceptable(allowUnsourced bool) bool {
	switch s {
	case Sourced:
		return true
	case NoSource, MarkedUnsourced:
		return allowUnsourced
	}
	return false
}
