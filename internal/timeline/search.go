package timeline

import (
	"strings"
	"unicode"
)

// MaxQueryLength bounds the words of a search, in bytes.
const MaxQueryLength = 120

// MaxRankedMatches bounds the matches a search in the order by relevance
// ranks: ranking reads and scores every match, so a word in most of the
// archive is read in time order, where a page stops at its events.
const MaxRankedMatches = 10_000

// Search is a reader's search, read: terms that must all match, unless an
// operator between two of them says otherwise. It is the store's to write
// in the syntax of its index.
type Search struct {
	Terms []SearchTerm
}

// SearchTerm is one word or quoted phrase of a search.
type SearchTerm struct {
	// Op is the operator before the term: "" (and), "OR" or "NOT".
	Op string
	// Words are the term's words, in order: a phrase when more than one.
	Words []string
	// Prefix: the last word matches any word it begins ("drone*").
	Prefix bool
}

// SearchOperators are the words that join terms rather than being
// searched for, written in capitals as the reader types them.
var SearchOperators = []string{"AND", "OR", "NOT"}

// SearchWords splits text into the words a search matches, as the index
// does: runs of letters and digits, compared without case.
func SearchWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !IsWordRune(r) })
}

// IsWordRune tells whether r is part of a word, for the search.
func IsWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// ParseSearch reads a search: words, "quoted phrases", prefixes (drone*),
// and AND, OR, NOT between terms. A query it cannot read is an EINVALID
// *Error with Field "q" that says why.
func ParseSearch(q string) (Search, error) {
	var s Search
	if len(q) > MaxQueryLength {
		return s, fieldError("q", q, "A search is at most %d characters long.", MaxQueryLength)
	}
	op, opWord := "", ""
	rest := q
	for {
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if rest == "" {
			break
		}
		var raw string
		quoted := rest[0] == '"'
		if quoted {
			end := strings.IndexByte(rest[1:], '"')
			if end < 0 {
				return s, fieldError("q", q, "A quotation mark in the search is not closed: put another after the phrase, or search the words alone.")
			}
			raw, rest = rest[1:1+end], rest[2+end:]
		} else {
			end := strings.IndexFunc(rest, func(r rune) bool { return unicode.IsSpace(r) || r == '"' })
			if end < 0 {
				end = len(rest)
			}
			raw, rest = rest[:end], rest[end:]
		}
		prefix := false
		if quoted && strings.HasPrefix(rest, "*") {
			prefix, rest = true, rest[1:]
		} else if !quoted && strings.HasSuffix(raw, "*") {
			prefix, raw = true, strings.TrimRight(raw, "*")
		}
		if !quoted && isOperator(raw) {
			if opWord != "" {
				return s, fieldError("q", q, "“%s” and “%s” follow each other in the search: each must stand between two words.", opWord, raw)
			}
			if len(s.Terms) == 0 {
				return s, fieldError("q", q, "The search starts with “%s”, which must stand between two words.", raw)
			}
			opWord = raw
			if raw != "AND" { // AND is what terms side by side mean
				op = raw
			}
			continue
		}
		words := SearchWords(raw)
		if len(words) == 0 {
			continue // punctuation alone matches nothing, as in the index
		}
		s.Terms = append(s.Terms, SearchTerm{Op: op, Words: words, Prefix: prefix})
		op, opWord = "", ""
	}
	if opWord != "" {
		return s, fieldError("q", q, "The search ends with “%s”, which must stand between two words.", opWord)
	}
	if len(s.Terms) == 0 && strings.TrimSpace(q) != "" {
		return s, fieldError("q", q, "The search has no words in it: only letters and digits are searched.")
	}
	return s, nil
}

func isOperator(word string) bool {
	for _, op := range SearchOperators {
		if word == op {
			return true
		}
	}
	return false
}

// Marked are the terms whose words a matching text shows: all but those
// after NOT.
func (s Search) Marked() []SearchTerm {
	var out []SearchTerm
	for _, t := range s.Terms {
		if t.Op != "NOT" {
			out = append(out, t)
		}
	}
	return out
}

// PlainQuery is q with every word searched as a plain word: quotation
// marks and operators taken as text, each word quoted so that the search
// reads it whatever it is. It is what a search that cannot be read is
// offered instead; "" when q has no words.
func PlainQuery(q string) string {
	words := strings.FieldsFunc(q, func(r rune) bool { return unicode.IsSpace(r) || r == '"' || r == '*' })
	var quoted []string
	for _, w := range words {
		if len(SearchWords(w)) > 0 {
			quoted = append(quoted, `"`+w+`"`)
		}
	}
	return strings.Join(quoted, " ")
}

// canonicalQuery is q with its spaces collapsed: one search, one form.
func canonicalQuery(q string) string { return strings.Join(strings.Fields(q), " ") }
