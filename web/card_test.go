package web

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/timelinenews/timeline/internal/timeline"
)

// decodeCard decodes a card's PNG and counts its pixels in CardInk.
func decodeCard(tb testing.TB, b []byte) (image.Image, int) {
	tb.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		tb.Fatalf("decode: %v", err)
	}
	ink := 0
	for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
		for x := img.Bounds().Min.X; x < img.Bounds().Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			if ir, ig, ib, _ := CardInk.RGBA(); r == ir && g == ig && b == ib {
				ink++
			}
		}
	}
	return img, ink
}

func sameColour(a, b color.Color) bool {
	ar, ag, ab, aa := a.RGBA()
	br, bg, bb, ba := b.RGBA()
	return ar == br && ag == bg && ab == bb && aa == ba
}

func TestCardPNG(t *testing.T) {
	long := strings.Repeat("Kremlin calls it an attempt on Putin's life ", 40)
	tests := []struct {
		name string
		card Card
	}{
		{"Claim", Card{Title: "Kremlin calls it an attempt on Putin's life", When: "3 May 2023, Moscow time", Who: "The Kremlin", Tally: "1 denial, 1 doubt", Site: "Timeline"}},
		{"LongTitle", Card{Title: long, When: "2023", Who: strings.Repeat("Name ", 200), Site: "Timeline"}},
		{"OneLongWord", Card{Title: strings.Repeat("x", 500), Site: "Timeline"}},
		{"Empty", Card{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := CardPNG(tt.card)
			if err != nil {
				t.Fatal(err)
			}
			img, ink := decodeCard(t, b)
			if got := img.Bounds().Size(); got != image.Pt(CardWidth, CardHeight) {
				t.Errorf("size = %v, want %dx%d", got, CardWidth, CardHeight)
			}
			if tt.card.Title != "" && ink < 500 {
				t.Errorf("%d pixels of ink: the card looks blank", ink)
			}
		})
	}

	t.Run("TitlesDiffer", func(t *testing.T) {
		a, err := CardPNG(Card{Title: "Two drones downed over the Kremlin"})
		if err != nil {
			t.Fatal(err)
		}
		b, err := CardPNG(Card{Title: "Zelensky denies any attack"})
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Equal(a, b) {
			t.Error("different titles drew the same image")
		}
	})
}

// TestCardMarks: an event published without a source or naming no one
// says so on its card, in words on a badge of the first row, whole, above
// the title; and an event with both has no badge.
func TestCardMarks(t *testing.T) {
	site := Site{Name: "Timeline"}
	plain := &timeline.Event{Title: "Two drones downed over the Kremlin", When: mustWhen(t, "2023-05-03", "Europe/Moscow")}
	marked := *plain
	marked.Unsourced, marked.Unattributed = true, true
	if got := EventCard(site, plain).Marks; len(got) != 0 {
		t.Errorf("a sourced event with its actors has marks %q", got)
	}
	card := EventCard(site, &marked)
	if want := []string{UnsourcedLabel, UnattributedLabel}; !slices.Equal(card.Marks, want) {
		t.Fatalf("marks = %q, want %q", card.Marks, want)
	}
	if card.Who != "" {
		t.Errorf("an event naming no one has the line %q besides its badge", card.Who)
	}

	fonts, err := cardFonts()
	if err != nil {
		t.Fatal(err)
	}
	face := func(f *opentype.Font, size float64) font.Face {
		t.Helper()
		fc, err := opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { fc.Close() })
		return fc
	}
	badge, ok := cardBadge(face(fonts.bold, 34), card.Marks, fixed.I(CardWidth-2*cardMargin))
	if !ok {
		t.Fatal("no badge for an event with marks")
	}
	if want := UnsourcedLabel + cardBadgeSep + UnattributedLabel; badge.text != want {
		t.Errorf("badge says %q, want the whole %q", badge.text, want)
	}
	titleTop := cardTitleBaseline - face(fonts.bold, 60).Metrics().Ascent.Ceil()
	if inside := image.Rect(cardMargin+cardSiteMin, 16, CardWidth-cardMargin, titleTop); !badge.box.In(inside) {
		t.Errorf("badge %v is not within %v, between the site's name, the top bar and the title", badge.box, inside)
	}
	if _, ok := cardBadge(face(fonts.bold, 34), nil, fixed.I(CardWidth-2*cardMargin)); ok {
		t.Error("a badge for no marks")
	}

	// Drawn, the two cards differ only in the badge, whose words are in
	// paper on the accent.
	with, err := CardPNG(card)
	if err != nil {
		t.Fatal(err)
	}
	card.Marks = nil
	without, err := CardPNG(card)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := decodeCard(t, with)
	b, _ := decodeCard(t, without)
	if got := a.Bounds().Size(); got != image.Pt(CardWidth, CardHeight) {
		t.Errorf("size = %v, want %dx%d", got, CardWidth, CardHeight)
	}
	outside, words := 0, 0
	for y := 0; y < CardHeight; y++ {
		for x := 0; x < CardWidth; x++ {
			pt := image.Pt(x, y)
			if !pt.In(badge.box) {
				if !sameColour(a.At(x, y), b.At(x, y)) {
					outside++
				}
				continue
			}
			if sameColour(a.At(x, y), cardPaper) {
				words++
			}
		}
	}
	if outside != 0 {
		t.Errorf("%d pixels differ outside the badge", outside)
	}
	if words < 1000 {
		t.Errorf("%d pixels of the badge's words: they are not drawn", words)
	}
}

func TestWrapLines(t *testing.T) {
	fonts, err := cardFonts()
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(fonts.bold, &opentype.FaceOptions{Size: 60, DPI: 72})
	if err != nil {
		t.Fatal(err)
	}
	defer face.Close()
	width := fixed.I(600)
	lines := wrapLines(face, strings.Repeat("word ", 100), width, 3)
	if len(lines) != 3 {
		t.Fatalf("lines = %d, want 3", len(lines))
	}
	if last := lines[2]; !strings.HasSuffix(last, "…") {
		t.Errorf("last line %q has no ellipsis", last)
	}
	for _, l := range lines {
		if w := font.MeasureString(face, l); w > width {
			t.Errorf("line %q is %v wide, more than %v", l, w, width)
		}
	}
	if got := wrapLines(face, "Short title", width, 3); len(got) != 1 || got[0] != "Short title" {
		t.Errorf("short title = %q", got)
	}
}

func TestContestTally(t *testing.T) {
	answer := func(typ timeline.AnswerType) timeline.Answer { return timeline.Answer{Type: typ} }
	tests := []struct {
		name       string
		answeredBy []timeline.Answer
		want       string
	}{
		{"None", nil, ""},
		{"NotContesting", []timeline.Answer{answer(timeline.AnswerSupports)}, ""},
		{"Counts", []timeline.Answer{answer(timeline.AnswerDoubts), answer(timeline.AnswerDenies), answer(timeline.AnswerDenies), answer(timeline.AnswerCites)}, "2 denials, 1 doubt"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ContestTally(tt.answeredBy); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
	if got, want := CardAlt(Card{Title: "T", When: "2023", Tally: "1 denial"}), "Share card: T; 2023; 1 denial."; got != want {
		t.Errorf("alt = %q, want %q", got, want)
	}
	if got, want := CardAlt(Card{Title: "T", When: "2023", Marks: []string{UnsourcedLabel, UnattributedLabel}}), "Share card: [No source given] [No one named] T; 2023."; got != want {
		t.Errorf("alt of a marked card = %q, want %q", got, want)
	}
}

func BenchmarkCardPNG(b *testing.B) {
	c := Card{Title: "Kremlin calls it an attempt on Putin's life", When: "3 May 2023, Moscow time", Who: "The Kremlin", Tally: "1 denial, 1 doubt", Site: "Timeline"}
	for b.Loop() {
		if _, err := CardPNG(c); err != nil {
			b.Fatal(err)
		}
	}
}
