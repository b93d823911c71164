package web

import "github.com/timelinenews/timeline/internal/timeline"

// ClaimsView lists claims with every answer beside them.
type ClaimsView struct {
	Site    Site
	Head    Head
	Form    FilterForm
	Applied []Link
	Clear   string
	// Overview is the picture of the claims in time; nil without claims.
	Overview *OverviewView
	Claims   []timeline.Event
	Earlier  string
	Later    string
}

// ClaimView is one claim's page.
type ClaimView struct {
	Site  Site
	Head  Head
	Claim timeline.Event
}
