package timeline

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// TestParseSearch: words, phrases, prefixes and operators are read; what
// the syntax cannot read is EINVALID on field q, with the words offered
// as plain terms that read.
func TestParseSearch(t *testing.T) {
	for _, tt := range []struct {
		q    string
		want []SearchTerm
	}{
		{"", nil},
		{"drone", []SearchTerm{{Words: []string{"drone"}}}},
		{"Drone*  Strike", []SearchTerm{{Words: []string{"drone"}, Prefix: true}, {Words: []string{"strike"}}}},
		{`"shaker of salt"`, []SearchTerm{{Words: []string{"shaker", "of", "salt"}}}},
		{`"drone str"*`, []SearchTerm{{Words: []string{"drone", "str"}, Prefix: true}}},
		{"kremlin OR moscow NOT ukraine", []SearchTerm{{Words: []string{"kremlin"}}, {Op: "OR", Words: []string{"moscow"}}, {Op: "NOT", Words: []string{"ukraine"}}}},
		{"peskov AND drone", []SearchTerm{{Words: []string{"peskov"}}, {Words: []string{"drone"}}}},
		{"U.S. don't", []SearchTerm{{Words: []string{"u", "s"}}, {Words: []string{"don", "t"}}}},
		{`"AND"`, []SearchTerm{{Words: []string{"and"}}}},
		{"and", []SearchTerm{{Words: []string{"and"}}}}, // operators are capitals
	} {
		got, err := ParseSearch(tt.q)
		if err != nil || !reflect.DeepEqual(got.Terms, tt.want) {
			t.Errorf("ParseSearch(%q) = %+v, %v, want %+v", tt.q, got.Terms, err, tt.want)
		}
	}
	for _, tt := range []struct{ q, why, plain string }{
		{`"unbalanced`, "not closed", `"unbalanced"`},
		{"AND", "starts with", `"AND"`},
		{"drone NOT", "ends with", `"drone" "NOT"`},
		{"drone OR NOT salt", "follow each other", `"drone" "OR" "NOT" "salt"`},
		{"!!! ...", "no words", ""},
		{strings.Repeat("a", MaxQueryLength+1), "at most", `"` + strings.Repeat("a", MaxQueryLength+1) + `"`},
	} {
		_, err := ParseSearch(tt.q)
		var e *Error
		if !errors.As(err, &e) || e.Code != EINVALID || e.Field != "q" || e.Value != tt.q || !strings.Contains(e.Message, tt.why) {
			t.Errorf("ParseSearch(%q): err = %#v, want EINVALID on q saying %q", tt.q, err, tt.why)
			continue
		}
		if got := PlainQuery(tt.q); got != tt.plain {
			t.Errorf("PlainQuery(%q) = %q, want %q", tt.q, got, tt.plain)
		}
		if _, err := ParseSearch(PlainQuery(tt.q)); tt.plain != "" && len(tt.plain) <= MaxQueryLength && err != nil {
			t.Errorf("the plain terms %q do not read: %v", PlainQuery(tt.q), err)
		}
	}
}

// TestFilterQuery: a search is part of a filter's one written form and of
// what it validates.
func TestFilterQuery(t *testing.T) {
	f := Filter{Query: "  drone\t strike "}
	f.Canonical()
	if f.Query != "drone strike" {
		t.Errorf("canonical query = %q, want %q", f.Query, "drone strike")
	}
	f = Filter{Query: `"open`}
	if err := f.Validate(); ErrorCode(err) != EINVALID {
		t.Errorf("Validate(%q) = %v, want EINVALID", f.Query, err)
	}
}
