package web

import "github.com/timelinenews/timeline/internal/timeline"

// ClaimsView lists claims with every answer beside them.
type ClaimsView struct {
	Site    Site
	Head    Head
	Form    FilterForm
	Applied []Link
	Clear   string
	Claims  []timeline.Event
	Earlier string
	Later   string
}

// ClaimView is one claim's page.
type ClaimView struct {
	Site  Site
	Head  Head
	Claim timeline.Event
}
