package web

import "github.com/timelinenews/timeline/internal/timeline"

// FrontView is the front page: the archive's stories, most recently
// updated first, a page at a time.
type FrontView struct {
	Site    Site
	Head    Head
	Stories []timeline.Story
	Older   string // URL of the next page, "" when there is none
	Newest  string // URL of the first page, when on another
}
