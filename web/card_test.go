package web

import (
	"bytes"
	"image"
	"image/png"
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
}

func BenchmarkCardPNG(b *testing.B) {
	c := Card{Title: "Kremlin calls it an attempt on Putin's life", When: "3 May 2023, Moscow time", Who: "The Kremlin", Tally: "1 denial, 1 doubt", Site: "Timeline"}
	for b.Loop() {
		if _, err := CardPNG(c); err != nil {
			b.Fatal(err)
		}
	}
}
