package timelinejs

import (
	"bytes"
	"html"
	"strings"
	"unicode"

	"github.com/microcosm-cc/bluemonday"
	xhtml "golang.org/x/net/html"
)

// allowed is the small allow-list TimelineJS text is reduced to before it
// is read: paragraphs, line breaks, emphasis and links to http or https.
// Everything else (scripts, styles, iframes, event handlers, other
// schemes) is dropped by the sanitiser, never parsed by us.
var allowed = func() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "em", "strong", "i", "b")
	p.AllowAttrs("href").OnElements("a")
	p.AllowURLSchemes("http", "https")
	p.RequireParseableURLs(true)
	return p
}()

// plainText reduces TimelineJS's HTML to the plain text Timeline stores:
// paragraphs and line breaks become line breaks, emphasis is dropped, and
// a link keeps its address after its words, "words (https://…)", unless
// the words are the address. Control characters other than line breaks
// and tabs are dropped, and spaces are collapsed.
func plainText(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return tidy(s)
	}
	z := xhtml.NewTokenizer(strings.NewReader(allowed.Sanitize(s)))
	var out strings.Builder
	var href string
	var linkText strings.Builder
	inLink := false
	for {
		tt := z.Next()
		switch tt {
		case xhtml.ErrorToken:
			return tidy(out.String())
		case xhtml.TextToken:
			text := html.UnescapeString(string(z.Raw()))
			if inLink {
				linkText.WriteString(text)
			} else {
				out.WriteString(text)
			}
		case xhtml.StartTagToken, xhtml.SelfClosingTagToken, xhtml.EndTagToken:
			name, hasAttr := z.TagName()
			switch string(name) {
			case "p":
				out.WriteString("\n\n")
			case "br":
				out.WriteString("\n")
			case "a":
				if tt == xhtml.EndTagToken {
					if inLink {
						out.WriteString(linked(linkText.String(), href))
					}
					inLink, href = false, ""
					linkText.Reset()
					continue
				}
				inLink, href = true, ""
				for hasAttr {
					var key, val []byte
					key, val, hasAttr = z.TagAttr()
					if string(key) == "href" {
						href = string(val)
					}
				}
			}
		}
	}
}

// linked writes a link's words with its address.
func linked(words, href string) string {
	w := strings.TrimSpace(words)
	switch {
	case href == "":
		return words
	case w == "" || w == href:
		return href
	}
	return words + " (" + href + ")"
}

// tidy drops control characters and collapses spaces, keeping at most one
// blank line between paragraphs.
func tidy(s string) string {
	var lines []string
	blank := false
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		line = strings.Join(strings.FieldsFunc(line, func(r rune) bool {
			return unicode.IsSpace(r) || unicode.IsControl(r)
		}), " ")
		if line == "" {
			blank = len(lines) > 0
			continue
		}
		if blank {
			lines = append(lines, "")
			blank = false
		}
		lines = append(lines, line)
	}
	return strings.Join(lines, "\n")
}

// htmlText is plain text as TimelineJS text: each paragraph in <p>, each
// line break a <br>, everything escaped. plainText reads it back as it was.
func htmlText(s string) string {
	if s == "" {
		return ""
	}
	var b bytes.Buffer
	for _, para := range strings.Split(s, "\n\n") {
		b.WriteString("<p>")
		b.WriteString(strings.ReplaceAll(html.EscapeString(para), "\n", "<br>"))
		b.WriteString("</p>")
	}
	return b.String()
}
