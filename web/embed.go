package web

import (
	"html"
	"strconv"

	"github.com/timelinenews/timeline/internal/timeline"
)

// EmbedHead describes an embed page: the page it is the embed form of.
type EmbedHead struct {
	Title    string
	PagePath string // the full page's path and query
}

// EmbedTimelineView is a timeline's embed form: the first page of its
// events, compact.
type EmbedTimelineView struct {
	Site   Site
	Head   EmbedHead
	Events []timeline.Event
	Story  string // the story whose timeline it is, "" for the archive's
}

// EmbedEventView is an event's embed form.
type EmbedEventView struct {
	Site  Site
	Head  EmbedHead
	Event timeline.Event
}

// EmbedClaimView is a claim's embed form: who stands where on it.
type EmbedClaimView struct {
	Site  Site
	Head  EmbedHead
	Claim timeline.Event
}

// EmbedClaimsView is a claims list's embed form: its first claims, each
// beside who stands where on it.
type EmbedClaimsView struct {
	Site   Site
	Head   EmbedHead
	Claims []timeline.Event
}

// The size an embed is offered at: its height fixed for hosts without
// script, where the page scrolls inside the frame.
const (
	EmbedWidth  = 600
	EmbedHeight = 480
)

// Embed is what a page offers to be embedded: its embed form's path.
type Embed struct {
	Path  string // the embed page's path and query
	Title string
}

// EmbedSnippet is the HTML a host page pastes to embed the page at
// embedURL (absolute). The sandbox lets the embed run its resize script,
// and lets a reader's click open the full page in the top window or a new
// one; nothing else.
func EmbedSnippet(embedURL, title string, width, height int) string {
	return `<iframe src="` + html.EscapeString(embedURL) + `" title="` + html.EscapeString(title) +
		`" width="` + strconv.Itoa(width) + `" height="` + strconv.Itoa(height) +
		`" sandbox="allow-scripts allow-popups allow-top-navigation-by-user-activation" loading="lazy" style="border:0"></iframe>`
}

func embedSnippetOf(site Site, e Embed) string {
	return EmbedSnippet(site.Absolute(e.Path), e.Title, EmbedWidth, EmbedHeight)
}
