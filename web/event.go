package web

import "github.com/timelinenews/timeline/internal/timeline"

// EventView is an event's own page.
type EventView struct {
	Site       Site
	Head       Head
	Event      timeline.Event
	Prev, Next *timeline.EventRef
}

// ThreadView is a whole exchange.
type ThreadView struct {
	Site   Site
	Head   Head
	From   timeline.Event // the event the reader came from
	Events []timeline.Event
}

// ErrorView is an error page.
type ErrorView struct {
	Site    Site
	Head    Head
	Status  int
	Message string
	Links   []Link
}

func relClass(incoming bool) string {
	if incoming {
		return "answered-by"
	}
	return "answers"
}
