package server_test

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/timelinenews/timeline/web"
)

// cardOf fetches a share image, checks it is a PNG of the card's size with
// text drawn on it, and returns its bytes.
func cardOf(tb testing.TB, res *http.Response) []byte {
	tb.Helper()
	if res.StatusCode != http.StatusOK {
		tb.Fatalf("status = %d", res.StatusCode)
	}
	if got := res.Header.Get("Content-Type"); got != "image/png" {
		tb.Errorf("Content-Type = %q", got)
	}
	b, err := io.ReadAll(res.Body)
	if err != nil {
		tb.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("decode: %v", err)
	}
	if got := img.Bounds().Size(); got != image.Pt(web.CardWidth, web.CardHeight) {
		tb.Errorf("size = %v", got)
	}
	ink := 0
	wr, wg, wb, _ := web.CardInk.RGBA()
	for y := range web.CardHeight {
		for x := range web.CardWidth {
			if r, g, b, _ := img.At(x, y).RGBA(); r == wr && g == wg && b == wb {
				ink++
			}
		}
	}
	if ink < 500 {
		tb.Errorf("%d pixels of ink: the card looks blank", ink)
	}
	return b
}

func TestCards(t *testing.T) {
	ds := dataset(t, exchange)
	ds.Events[3].FormerSlugs = []string{"kremlin-blames-washington"}
	srv, _ := newServer(t, ds)
	const story = "drones-over-the-kremlin"

	t.Run("Images", func(t *testing.T) {
		claim := cardOf(t, get(t, srv, "/cards/events/kremlin-claims-attempt.png"))
		denial := cardOf(t, get(t, srv, "/cards/events/zelensky-denies.png"))
		cardOf(t, get(t, srv, "/cards/stories/"+story+".png"))
		if bytes.Equal(claim, denial) {
			t.Error("two events with different titles have the same card")
		}
	})

	t.Run("UnknownSlug", func(t *testing.T) {
		for _, path := range []string{"/cards/events/nope.png", "/cards/stories/nope.png"} {
			if res := get(t, srv, path); res.StatusCode != http.StatusNotFound {
				t.Errorf("GET %s = %d, want 404", path, res.StatusCode)
			}
		}
	})

	t.Run("MovedSlug", func(t *testing.T) {
		res := get(t, srv, "/cards/events/kremlin-blames-washington.png")
		if got := res.Header.Get("Location"); res.StatusCode != http.StatusMovedPermanently || got != "/cards/events/peskov-blames-us.png" {
			t.Errorf("GET a former slug's card = %d to %q", res.StatusCode, got)
		}
	})

	t.Run("Cached", func(t *testing.T) {
		path := "/cards/events/kremlin-claims-attempt.png"
		etag := get(t, srv, path).Header.Get("ETag")
		if etag == "" {
			t.Fatal("no ETag")
		}
		if res := get(t, srv, path, "If-None-Match", etag); res.StatusCode != http.StatusNotModified {
			t.Errorf("second request with the ETag = %d, want 304", res.StatusCode)
		}
	})

	t.Run("HeadTags", func(t *testing.T) {
		tests := []struct {
			page, card string
			alt        []string // what the card's description must say
		}{
			{"/stories/" + story, "/cards/stories/" + story + ".png", []string{"Drones over the Kremlin", "3 May 2023 – 4 May 2023"}},
			{"/events/zelensky-denies", "/cards/events/zelensky-denies.png", []string{"Zelensky denies any attack", "Volodymyr Zelensky and Ukraine"}},
			{"/claims/kremlin-claims-attempt", "/cards/events/kremlin-claims-attempt.png", []string{"Kremlin calls it an attempt on Putin's life", "3 May 2023, Moscow time", "The Kremlin", "1 denial, 1 doubt"}},
			// A story's claims share the story's card.
			{"/stories/" + story + "/claims?actor=kremlin", "/cards/stories/" + story + ".png", []string{"Drones over the Kremlin"}},
		}
		for _, tt := range tests {
			doc := page(t, srv, tt.page, http.StatusOK)
			meta := func(attr, name string) string {
				return doc.Find(`head meta[`+attr+`="`+name+`"]`).AttrOr("content", "")
			}
			if got, want := meta("property", "og:image"), baseURL+tt.card; got != want {
				t.Errorf("%s: og:image = %q, want %q", tt.page, got, want)
			}
			if w, h := meta("property", "og:image:width"), meta("property", "og:image:height"); w != "1200" || h != "630" {
				t.Errorf("%s: og:image size = %sx%s", tt.page, w, h)
			}
			if got := meta("name", "twitter:card"); got != "summary_large_image" {
				t.Errorf("%s: twitter:card = %q", tt.page, got)
			}
			alt := meta("property", "og:image:alt")
			if got := meta("name", "twitter:image:alt"); got != alt {
				t.Errorf("%s: twitter:image:alt = %q, want og:image:alt's %q", tt.page, got, alt)
			}
			for _, want := range tt.alt {
				if !strings.Contains(alt, want) {
					t.Errorf("%s: og:image:alt = %q, without %q", tt.page, alt, want)
				}
			}
			// The image the tags name is served.
			cardOf(t, get(t, srv, strings.TrimPrefix(meta("property", "og:image"), baseURL)))
		}
	})

	t.Run("NoCardNoLargeImage", func(t *testing.T) {
		doc := page(t, srv, "/actors", http.StatusOK)
		if doc.Find(`meta[property="og:image"]`).Length() != 0 {
			t.Error("a page without a card names an image")
		}
		if got := doc.Find(`meta[name="twitter:card"]`).AttrOr("content", ""); got != "summary" {
			t.Errorf("twitter:card = %q, want summary", got)
		}
	})
}
