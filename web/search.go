package web

import (
	"context"
	"io"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/timelinenews/timeline/internal/timeline"
)

// maxQueryLength is the search boxes' maxlength.
var maxQueryLength = strconv.Itoa(timeline.MaxQueryLength)

// searchAction is where the header's search box sends its words.
func searchAction(head Head) string {
	if head.SearchIn != "" {
		return head.SearchIn
	}
	return ArchiveTimelinePath()
}

type marksKey struct{}

// WithMarks renders its children with the words the search q matches
// marked in the texts of the events they show (see markedText). A search
// that cannot be read marks nothing.
func WithMarks(q string) templ.Component {
	return templ.ComponentFunc(func(ctx context.Context, w io.Writer) error {
		children := templ.GetChildren(ctx)
		ctx = templ.ClearChildren(ctx)
		if s, err := timeline.ParseSearch(q); err == nil && len(s.Terms) > 0 {
			ctx = context.WithValue(ctx, marksKey{}, s.Marked())
		}
		return children.Render(ctx, w)
	})
}

func marksOf(ctx context.Context) []timeline.SearchTerm {
	terms, _ := ctx.Value(marksKey{}).([]timeline.SearchTerm)
	return terms
}

// Segment is a piece of a text, marked where a search matched it.
type Segment struct {
	Text string
	Mark bool
}

// MarkSegments cuts text into segments, marking each word that a term
// matches as the search does: the same word without case, or, for a
// prefix term, a word that its last word begins. The words of a phrase
// are marked wherever they stand. Text is not escaped here: the
// segments are written as text, escaped, by markedText.
func MarkSegments(text string, terms []timeline.SearchTerm) []Segment {
	if len(terms) == 0 {
		return []Segment{{Text: text}}
	}
	var out []Segment
	add := func(s string, mark bool) {
		if n := len(out); n > 0 && out[n-1].Mark == mark {
			out[n-1].Text += s
		} else if s != "" {
			out = append(out, Segment{Text: s, Mark: mark})
		}
	}
	for len(text) > 0 {
		i := strings.IndexFunc(text, timeline.IsWordRune)
		if i < 0 {
			add(text, false)
			break
		}
		add(text[:i], false)
		text = text[i:]
		end := strings.IndexFunc(text, func(r rune) bool { return !timeline.IsWordRune(r) })
		if end < 0 {
			end = len(text)
		}
		add(text[:end], wordMatches(strings.ToLower(text[:end]), terms))
		text = text[end:]
	}
	return out
}

func wordMatches(word string, terms []timeline.SearchTerm) bool {
	for _, t := range terms {
		for i, w := range t.Words {
			if word == w || t.Prefix && i == len(t.Words)-1 && strings.HasPrefix(word, w) {
				return true
			}
		}
	}
	return false
}
