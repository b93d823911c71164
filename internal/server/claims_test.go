package server_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

func claimIDs(doc *goquery.Document) []string {
	var ids []string
	doc.Find(`[data-testid="claim"]`).Each(func(_ int, s *goquery.Selection) { ids = append(ids, s.AttrOr("id", "")) })
	return ids
}

// stances maps "actor:stance" to the event it comes from, for one claim.
func stances(claim *goquery.Selection) map[string]string {
	out := map[string]string{}
	claim.Find(`[data-testid="stance"]`).Each(func(_ int, s *goquery.Selection) {
		out[s.AttrOr("data-actor", "")+":"+s.AttrOr("data-stance", "")] = s.Find(`td a`).AttrOr("href", "")
	})
	return out
}

func TestClaims(t *testing.T) {
	srv, _ := newServer(t, dataset(t, exchange))

	doc := page(t, srv, "/claims", http.StatusOK)
	if got, want := claimIDs(doc), []string{"kremlin-claims-attempt", "peskov-blames-us"}; !slices.Equal(got, want) {
		t.Fatalf("claims = %v, want %v", got, want)
	}
	got := stances(doc.Find("#kremlin-claims-attempt"))
	want := map[string]string{
		"kremlin:asserts": "/events/kremlin-claims-attempt",
		"zelensky:denies": "/events/zelensky-denies",
		"ukraine:denies":  "/events/zelensky-denies",
		"galeotti:doubts": "/events/galeotti-doubts",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("stance %s → %q, want %q (all: %v)", k, got[k], v, got)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d stances, want %d: %v", len(got), len(want), got)
	}
	peskov := stances(doc.Find("#peskov-blames-us"))
	if peskov["kirby:denies"] != "/events/kirby-denies" || peskov["us:denies"] != "/events/kirby-denies" {
		t.Errorf("stances on Peskov's accusation: %v", peskov)
	}
	if q := doc.Find(`#peskov-blames-us [data-actor="kirby"] blockquote`).Text(); q != "Quote for kirby-denies" {
		t.Errorf("Kirby's quote = %q", q)
	}

	t.Run("FilteredByActor", func(t *testing.T) {
		doc := page(t, srv, "/claims?actor=us&role=target", http.StatusOK)
		if got := claimIDs(doc); !slices.Equal(got, []string{"peskov-blames-us"}) {
			t.Errorf("claims against the US = %v", got)
		}
		if doc.Find(`[data-testid="chip"]`).Length() != 2 {
			t.Errorf("%d chips, want actor and role", doc.Find(`[data-testid="chip"]`).Length())
		}
		doc = page(t, srv, "/claims?actor=galeotti", http.StatusOK)
		if len(claimIDs(doc)) != 0 || doc.Find(`[data-testid="empty"]`).Length() != 1 {
			t.Error("Galeotti made no claim: want the empty state")
		}
		page(t, srv, "/claims?actor=nobody", http.StatusBadRequest)
	})

	t.Run("ClaimPage", func(t *testing.T) {
		doc := page(t, srv, "/claims/peskov-blames-us", http.StatusOK)
		if doc.Find(`meta[property="og:url"]`).AttrOr("content", "") != baseURL+"/claims/peskov-blames-us" ||
			doc.Find(`link[rel="canonical"]`).AttrOr("href", "") != baseURL+"/claims/peskov-blames-us" {
			t.Error("the claim page's canonical and og:url are wrong")
		}
		if doc.Find(`meta[property="og:title"]`).AttrOr("content", "") == "" || doc.Find(`script[type="application/ld+json"]`).Length() != 1 {
			t.Error("the claim page lacks its preview card")
		}
		if s := stances(doc.Find(`[data-testid="claim"]`)); s["peskov:asserts"] == "" || s["kirby:denies"] == "" {
			t.Errorf("claim page stances: %v", s)
		}
		page(t, srv, "/claims/nope", http.StatusNotFound)
	})

	t.Run("Thread", func(t *testing.T) {
		doc := page(t, srv, "/threads/kirby-denies", http.StatusOK)
		want := []string{"kremlin-claims-attempt", "zelensky-denies", "peskov-blames-us", "galeotti-doubts", "kirby-denies"}
		if got := eventIDs(doc); !slices.Equal(got, want) {
			t.Errorf("thread = %v, want %v", got, want)
		}
		if href := page(t, srv, "/events/kirby-denies", http.StatusOK).Find(`a.thread`).AttrOr("href", ""); href != "/threads/kirby-denies" {
			t.Errorf("the event page's whole-exchange link = %q", href)
		}
		page(t, srv, "/threads/nope", http.StatusNotFound)
	})
}

// ldRef is a JSON-LD node's @id.
type ldRef struct {
	ID string `json:"@id"`
}

// ldClaim is the part of a schema.org Claim the tests read.
type ldClaim struct {
	Type   string  `json:"@type"`
	ID     string  `json:"@id"`
	About  []ldRef `json:"about"`
	Author []struct {
		Type, Name string
	} `json:"author"`
	Appearance []struct {
		Type      string `json:"@type"`
		Publisher struct {
			Name string `json:"name"`
		} `json:"publisher"`
		Text string `json:"text"`
	} `json:"appearance"`
	DatePublished string `json:"datePublished"`
}

// pageArticle is the NewsArticle in a page's JSON-LD: the whole of it, or
// a node of its graph where the page has claims.
func pageArticle(t *testing.T, doc *goquery.Document) map[string]any {
	t.Helper()
	var ld map[string]any
	text := doc.Find(`script[type="application/ld+json"]`).Text()
	if err := json.Unmarshal([]byte(text), &ld); err != nil {
		t.Fatalf("JSON-LD: %v in %s", err, text)
	}
	if ld["@type"] == "NewsArticle" {
		return ld
	}
	graph, _ := ld["@graph"].([]any)
	for _, n := range graph {
		if n, ok := n.(map[string]any); ok && n["@type"] == "NewsArticle" {
			return n
		}
	}
	t.Fatalf("no NewsArticle in %s", text)
	return nil
}

// pageClaims are the Claims in a page's JSON-LD, by @id.
func pageClaims(t *testing.T, doc *goquery.Document) map[string]ldClaim {
	t.Helper()
	var ld struct {
		Graph []json.RawMessage `json:"@graph"`
	}
	script := doc.Find(`script[type="application/ld+json"]`)
	if script.Length() != 1 {
		t.Fatalf("%d ld+json scripts", script.Length())
	}
	if err := json.Unmarshal([]byte(script.Text()), &ld); err != nil {
		t.Fatalf("%v in %s", err, script.Text())
	}
	claims := map[string]ldClaim{}
	for _, raw := range ld.Graph {
		var n ldClaim
		// Other nodes, the article, have other shapes.
		if json.Unmarshal(raw, &n) == nil && n.Type == "Claim" {
			claims[n.ID] = n
		}
	}
	return claims
}

// TestClaimJSONLD reads the bundled story's claim page as a search engine
// reads its structured data: the claim, by whom and where, and an answer
// as a claim about it.
func TestClaimJSONLD(t *testing.T) {
	const claim, answer = "kremlin-statement-attempt-on-putin", "galeotti-not-an-assassination-attempt"
	srv := storyServer(t)
	claimID, answerID := baseURL+"/events/"+claim+"#claim", baseURL+"/events/"+answer+"#claim"
	for _, path := range []string{"/claims/" + claim, "/events/" + claim} {
		t.Run(path, func(t *testing.T) {
			claims := pageClaims(t, page(t, srv, path, http.StatusOK))
			c, ok := claims[claimID]
			if !ok {
				t.Fatalf("no Claim %s among %v", claimID, claims)
			}
			if len(c.Author) == 0 || c.Author[0].Name == "" || c.DatePublished == "" {
				t.Errorf("claim without author or date: %+v", c)
			}
			if len(c.Appearance) == 0 || c.Appearance[0].Type != "CreativeWork" || c.Appearance[0].Publisher.Name == "" || c.Appearance[0].Text == "" {
				t.Errorf("claim without an appearance and its quote: %+v", c.Appearance)
			}
			a, ok := claims[answerID]
			if !ok {
				t.Fatalf("no answer Claim %s", answerID)
			}
			if len(a.About) != 1 || a.About[0].ID != claimID || len(a.Author) == 0 || len(a.Appearance) == 0 {
				t.Errorf("answer %+v, want a sourced claim about %s", a, claimID)
			}
		})
	}
	t.Run("AnswerPage", func(t *testing.T) {
		a, ok := pageClaims(t, page(t, srv, "/events/"+answer, http.StatusOK))[answerID]
		if !ok || !slices.Contains(a.About, ldRef{ID: claimID}) {
			t.Errorf("the answer's own page: %+v", a)
		}
	})
}
