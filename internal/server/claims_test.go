package server_test

import (
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
