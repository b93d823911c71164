package web

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"

	"github.com/timelinenews/timeline/internal/timeline"
)

// Card is what a share image says: the lines a preview shows of a story or
// an event when its link is shared.
type Card struct {
	Title string
	When  string // the date at its true precision
	Who   string // the speakers, or a story's busiest actors
	Tally string // how many contest it; "" when none does
	Site  string
}

// The share image's size, the one Open Graph previews show large.
const (
	CardWidth  = 1200
	CardHeight = 630
)

// CardInk is the colour of a card's text.
var CardInk = color.RGBA{0x1a, 0x1a, 0x1a, 0xff}

var (
	cardPaper  = color.RGBA{0xfa, 0xf8, 0xf3, 0xff}
	cardAccent = color.RGBA{0xb0, 0x30, 0x30, 0xff}
)

// Bounds on what a card draws, so that any input renders in bounded time.
const (
	cardMargin     = 72
	cardTitleLines = 4
	cardTitleRunes = 300 // more than four lines can hold
	cardLineRunes  = 200
)

// cardFonts are the Go fonts, parsed once: parsing costs more than a render.
var cardFonts = sync.OnceValues(func() (goFonts, error) {
	var fonts goFonts
	var err error
	if fonts.regular, err = opentype.Parse(goregular.TTF); err != nil {
		return fonts, fmt.Errorf("parse Go Regular: %w", err)
	}
	if fonts.bold, err = opentype.Parse(gobold.TTF); err != nil {
		return fonts, fmt.Errorf("parse Go Bold: %w", err)
	}
	return fonts, nil
})

type goFonts struct{ regular, bold *opentype.Font }

// EventCard is the card of an event: its title, time, speakers and, for a
// claim, how many contest it.
func EventCard(site Site, e *timeline.Event) Card {
	return Card{Title: e.Title, When: FullWhenLabel(e.When), Who: SpeakerNames(e.ActorsIn(timeline.RoleSpeaker)),
		Tally: ContestTally(e.AnsweredBy), Site: site.Name}
}

// StoryCard is the card of a story: its title, its span and its busiest
// actors.
func StoryCard(site Site, st *timeline.Story, top []timeline.Actor) Card {
	c := Card{Title: st.Title, When: StorySpan(st.First, st.Last), Site: site.Name}
	if len(top) > 0 {
		c.Who = SpeakerNames(top)
	}
	return c
}

// CardPNG draws c as a PNG of CardWidth by CardHeight.
func CardPNG(c Card) ([]byte, error) {
	fonts, err := cardFonts()
	if err != nil {
		return nil, err
	}
	regular, bold := fonts.regular, fonts.bold
	// A face keeps buffers and is not safe for concurrent use: one per render.
	face := func(f *opentype.Font, size float64) (font.Face, error) {
		return opentype.NewFace(f, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
	}
	titleFace, err := face(bold, 60)
	if err != nil {
		return nil, fmt.Errorf("title face: %w", err)
	}
	defer titleFace.Close()
	lineFace, err := face(regular, 34)
	if err != nil {
		return nil, fmt.Errorf("line face: %w", err)
	}
	defer lineFace.Close()
	tallyFace, err := face(bold, 34)
	if err != nil {
		return nil, fmt.Errorf("tally face: %w", err)
	}
	defer tallyFace.Close()

	img := image.NewRGBA(image.Rect(0, 0, CardWidth, CardHeight))
	draw.Draw(img, img.Bounds(), image.NewUniform(cardPaper), image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, 0, CardWidth, 16), image.NewUniform(cardAccent), image.Point{}, draw.Src)

	width := fixed.I(CardWidth - 2*cardMargin)
	ink := image.NewUniform(CardInk)
	d := font.Drawer{Dst: img, Src: ink}
	line := func(f font.Face, s string, y int) {
		d.Face, d.Dot = f, fixed.P(cardMargin, y)
		d.DrawString(s)
	}
	// The site's name heads the card, above the title's bounded lines, so
	// that nothing below can run into it.
	line(tallyFace, fitLine(tallyFace, truncateRunes(c.Site, cardLineRunes), width), cardMargin)
	y := cardMargin + 78
	for _, l := range wrapLines(titleFace, truncateRunes(c.Title, cardTitleRunes), width, cardTitleLines) {
		line(titleFace, l, y)
		y += 72
	}
	y += 20
	for _, s := range []string{c.When, c.Who} {
		if s != "" {
			line(lineFace, fitLine(lineFace, truncateRunes(s, cardLineRunes), width), y)
			y += 48
		}
	}
	if c.Tally != "" {
		d.Src = image.NewUniform(cardAccent)
		line(tallyFace, fitLine(tallyFace, c.Tally, width), y)
		d.Src = ink
	}

	var buf bytes.Buffer
	// Flat colours compress well even at the fastest level, which takes
	// about a third off a render (BenchmarkCardPNG) for 5% more bytes.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&buf, img); err != nil {
		return nil, fmt.Errorf("encode card: %w", err)
	}
	return buf.Bytes(), nil
}

// wrapLines breaks s into at most max lines no wider than width, the last
// ending in an ellipsis when s does not fit. A word wider than a line is
// cut.
func wrapLines(f font.Face, s string, width fixed.Int26_6, max int) []string {
	words := strings.Fields(s)
	var lines []string
	for len(words) > 0 && len(lines) < max {
		cur := ""
		for len(words) > 0 {
			next := words[0]
			if cur != "" {
				next = cur + " " + words[0]
			}
			if font.MeasureString(f, next) > width {
				if cur == "" { // one word wider than the line
					cur = fitLine(f, words[0], width)
					words = words[1:]
				}
				break
			}
			cur, words = next, words[1:]
		}
		lines = append(lines, cur)
	}
	if len(words) > 0 && len(lines) > 0 {
		lines[len(lines)-1] = withEllipsis(f, lines[len(lines)-1], width)
	}
	return lines
}

// fitLine is s, cut with an ellipsis when wider than width.
func fitLine(f font.Face, s string, width fixed.Int26_6) string {
	if font.MeasureString(f, s) <= width {
		return s
	}
	return withEllipsis(f, s, width)
}

// withEllipsis is s shortened until s with "…" fits in width.
func withEllipsis(f font.Face, s string, width fixed.Int26_6) string {
	for s != "" && font.MeasureString(f, s+"…") > width {
		_, size := utf8.DecodeLastRuneInString(s)
		s = s[:len(s)-size]
	}
	return strings.TrimRight(s, " ") + "…"
}

// truncateRunes is s cut to at most n runes, so that measuring is bounded.
func truncateRunes(s string, n int) string {
	i := 0
	for pos := range s {
		if i == n {
			return s[:pos]
		}
		i++
	}
	return s
}
