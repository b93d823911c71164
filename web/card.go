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
	// Marks are what the event was published without (EventMarks), drawn
	// as a badge in words, so that a shared card warns as its page does.
	Marks []string
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
	cardTitleLines = 4
	cardTitleRunes = 300 // more than four lines can hold
	cardLineRunes  = 200
)

// Where a card draws: the first row holds the site's name and, at its
// right, the badge of an event's marks; the title starts below it.
const (
	cardMargin        = 72 // also the first row's baseline
	cardTitleBaseline = cardMargin + 88
	cardBadgePadX     = 16  // the badge's padding beside its words
	cardBadgePadY     = 6   // and above and below them
	cardBadgeGap      = 24  // between the site's name and the badge
	cardSiteMin       = 240 // the site's name keeps at least this much of the row
)

// cardBadgeSep joins the marks on the badge.
const cardBadgeSep = " · "

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

// EventCard is the card of an event: its title, time, speakers, for a
// claim how many contest it, and what it was published without.
func EventCard(site Site, e *timeline.Event) Card {
	c := Card{Title: e.Title, When: FullWhenLabel(e.When), Who: SpeakerNames(e.ActorsIn(timeline.RoleSpeaker)),
		Tally: ContestTally(e.AnsweredBy), Site: site.Name, Marks: EventMarks(e)}
	if e.Unattributed {
		c.Who = "" // the badge says it, in the words every view uses
	}
	return c
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
	// that nothing below can run into it; the marks' badge shares its row,
	// at the right, where no title's length can push it off the card.
	siteWidth := width
	if badge, ok := cardBadge(tallyFace, c.Marks, width); ok {
		draw.Draw(img, badge.box, image.NewUniform(cardAccent), image.Point{}, draw.Src)
		d.Src, d.Face, d.Dot = image.NewUniform(cardPaper), tallyFace, badge.dot
		d.DrawString(badge.text)
		d.Src = ink
		siteWidth = fixed.I(badge.box.Min.X - cardMargin - cardBadgeGap)
	}
	line(tallyFace, fitLine(tallyFace, truncateRunes(c.Site, cardLineRunes), siteWidth), cardMargin)
	y := cardTitleBaseline
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

// cardBadgeBox is the marks' badge: its box and its words, drawn from dot.
type cardBadgeBox struct {
	box  image.Rectangle
	text string
	dot  fixed.Point26_6
}

// cardBadge lays out the badge of marks at the right of the card's first
// row, whose baseline is cardMargin: the marks are what matters on that
// row, so they take all of width but the site name's least; ok is false
// when there are no marks.
func cardBadge(f font.Face, marks []string, width fixed.Int26_6) (cardBadgeBox, bool) {
	if len(marks) == 0 {
		return cardBadgeBox{}, false
	}
	text := fitLine(f, truncateRunes(strings.Join(marks, cardBadgeSep), cardLineRunes), width-fixed.I(cardSiteMin+cardBadgeGap+2*cardBadgePadX))
	m := f.Metrics()
	right := CardWidth - cardMargin
	left := right - font.MeasureString(f, text).Ceil() - 2*cardBadgePadX
	box := image.Rect(left, cardMargin-m.Ascent.Ceil()-cardBadgePadY, right, cardMargin+m.Descent.Ceil()+cardBadgePadY)
	return cardBadgeBox{box: box, text: text, dot: fixed.P(left+cardBadgePadX, cardMargin)}, true
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
