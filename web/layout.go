package web

// Site is what every page knows about the site.
type Site struct {
	Name    string
	BaseURL string // absolute, without a trailing slash
}

// Absolute makes a site path absolute with the base URL.
func (s Site) Absolute(path string) string { return s.BaseURL + path }

// Head describes a page to the layout: its title, its summary for previews,
// its canonical path, and structured data.
type Head struct {
	Title       string
	Description string
	Path        string     // canonical path and query; "" for pages not to be indexed
	OGType      string     // "website" or "article"
	JSONLD      *JSONLD    // schema.org data, or nil
	Section     Section    // the navigation entry to mark current
	Feeds       *FeedLinks // the page's feeds, or nil
	Embed       *Embed     // the page's embed form, or nil for a page not embeddable
	Card        *CardImage // the page's share image, or nil
	// SearchIn is the list the header's search box searches, the archive's
	// timeline when ""; Query is the search shown in it.
	SearchIn, Query string
}

// CardImage is a page's share image: its path and what it says, for
// readers who cannot see it.
type CardImage struct {
	Path string
	Alt  string
}

func twitterCard(head Head) string {
	if head.Card != nil {
		return "summary_large_image"
	}
	return "summary"
}

// Section is an entry of the site's navigation.
type Section string

const (
	SectionTimeline Section = "timeline"
	SectionClaims   Section = "claims"
	SectionActors   Section = "actors"
)

// Link is a labelled URL.
type Link struct {
	Label string
	URL   string
}

func pageTitle(site Site, head Head) string {
	if head.Title == "" || head.Title == site.Name {
		return site.Name
	}
	return head.Title + " · " + site.Name
}

func ogType(head Head) string {
	if head.OGType == "" {
		return "website"
	}
	return head.OGType
}
