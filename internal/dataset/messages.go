package dataset

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The words of messages about a file: what the file says is quoted,
// escaped and cut short, and what was expected is said in words, never as
// a Go type.

// quote quotes a value from the file for a message: escaped, so that a
// terminal shows control codes as text, and cut to maxShown characters.
func quote(s string) string {
	if utf8.RuneCountInString(s) <= maxShown {
		return strconv.Quote(s)
	}
	cut := s
	for i := range s {
		if utf8.RuneCountInString(s[:i]) == maxShown {
			cut = s[:i]
			break
		}
	}
	return strconv.Quote(cut) + fmt.Sprintf("… (%d bytes)", len(s))
}

// path joins a field path: path("events[3]", "actors[2].role").
func path(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 && !strings.HasPrefix(p, "[") {
			b.WriteByte('.')
		}
		b.WriteString(p)
	}
	return b.String()
}

// index names an element of an array: index("events", 3) is "events[3]".
func index(name string, i int) string { return fmt.Sprintf("%s[%d]", name, i) }

// goTypeWords says in words what a Go type of the file's records holds.
var goTypeWords = map[string]string{
	"string":                   "text",
	"[]string":                 "a list of text",
	"dataset.actorJSON":        "an actor object",
	"dataset.sourceJSON":       "a source object",
	"dataset.eventJSON":        "an event object",
	"[]dataset.eventActorJSON": "a list of actors",
	"dataset.eventActorJSON":   "an actor object",
	"[]dataset.citationJSON":   "a list of sources",
	"dataset.citationJSON":     "a source object",
	"[]dataset.answerJSON":     "a list of answers",
	"dataset.answerJSON":       "an answer object",
}

func typeWords(goType string) string {
	if w, ok := goTypeWords[goType]; ok {
		return w
	}
	return "a different kind of value"
}

// jsonWords names a kind of JSON value as the decoder reports it.
func jsonWords(kind string) string {
	switch {
	case kind == "string":
		return "text"
	case strings.HasPrefix(kind, "number"):
		return "a number"
	case kind == "bool":
		return "true or false"
	case kind == "object":
		return "an object"
	case kind == "array":
		return "a list"
	case kind == "null":
		return "null"
	}
	return "a " + kind
}
