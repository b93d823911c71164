package timeline

import "strings"

// Story is one story the archive follows: its own slug, title and
// description, and its events. Actors and sources are the archive's, shared
// by every story that names them. The counts, span and busiest actors are
// kept by the store at import.
type Story struct {
	ID          int64
	Slug        string
	Title       string
	Description string
	// Updated orders stories by their last change: the data version of the
	// import that last changed the story.
	Updated    int64
	EventCount int
	ClaimCount int
	// First and Last are the earliest and latest events' times, zero for a
	// story with no events.
	First, Last When
	// TopActors are the actors in most of the story's events, busiest first,
	// where loaded; their EventCount is within the story.
	TopActors []Actor
}

// Ref returns the short form of s.
func (s *Story) Ref() StoryRef { return StoryRef{Slug: s.Slug, Title: s.Title} }

// StoryRef names a story where an event shows which story it is in.
type StoryRef struct {
	Slug  string
	Title string
}

// Archive is the state of the whole database.
type Archive struct {
	// DataVersion changes whenever an import changes data.
	DataVersion int64
	// Reopens counts the times the store has gone over to a new database
	// file at its path (a read-only replica's file replaced): the new file
	// may carry an earlier data version with other data, so a state of the
	// data is named by both.
	Reopens int64
}

// StoryPage is one page of stories, most recently updated first, with the
// cursor of the next (older) page, nil when there is none.
type StoryPage struct {
	Stories []Story
	Older   *Cursor
}

// StoryCursorOf is the position of s in the list of stories: its Updated,
// then its slug.
func StoryCursorOf(s *Story) Cursor { return Cursor{Start: s.Updated, Slug: s.Slug} }

// maxSlugLen is the longest slug ValidSlug accepts.
const maxSlugLen = 120

// SlugOf derives a story's slug from its title, for files in the first
// format, which do not name one: ASCII letters (lowercased) and digits are
// kept, every run of anything else becomes one hyphen, hyphens at either
// end are dropped, and it is cut to 120 characters; "story" when nothing is
// left. "Drones over the Kremlin, May 2023" is
// "drones-over-the-kremlin-may-2023". Migration 0005 derives the slug of
// the story a database held before stories the same way, in SQL.
func SlugOf(title string) string {
	var b strings.Builder
	for _, r := range title {
		switch {
		case r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	s := b.String()
	for strings.Contains(s, "--") {
		s = strings.ReplaceAll(s, "--", "-")
	}
	s = strings.Trim(s, "-")
	if len(s) > maxSlugLen {
		s = strings.TrimRight(s[:maxSlugLen], "-")
	}
	if s == "" {
		return "story"
	}
	return s
}
