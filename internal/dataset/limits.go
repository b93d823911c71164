package dataset

// Bounds on what one file may hold, in one place and stated in the README.
// They are generous for editors and firm against accidents: each is checked
// while the file is read, so that memory stays bounded whatever it holds.
const (
	// maxRecord bounds the bytes of one record (the story's header fields,
	// an actor, a source or an event), with the space before it. The
	// reader refuses a record as soon as it passes this, unread.
	maxRecord = 1 << 20

	// Per event.
	maxEventActors  = 50
	maxEventSources = 20
	maxEventAnswers = 50
	maxFormerSlugs  = 20

	// Text fields, in characters.
	maxSlug    = 120  // slugs, keys and former slugs (timeline.ValidSlug)
	maxName    = 300  // names, outlets, titles, locations, countries
	maxTitle   = 300  // a title
	maxSummary = 4000 // a summary or description
	maxBody    = 100000
	maxQuote   = 10000
	maxURL     = 2000
	maxWhen    = 100 // when, until, zone, published, kinds, roles, types

	// maxProblems bounds the list a broken file gives; the rest are counted.
	maxProblems = 1000

	// maxShown bounds a value quoted in a message, in characters.
	maxShown = 60
)
