package timeline

import "testing"

// TestCursorURLForm: a cursor in a URL is its sort key and its event's
// slug, and reads back as itself; anything else is EINVALID.
func TestCursorURLForm(t *testing.T) {
	for _, c := range []Cursor{{Start: 1683072000, Slug: "peskov-blames-us"}, {Start: -5, Slug: "1"}, {Start: 0, Slug: "e0042"}} {
		got, err := ParseCursor(c.String())
		if err != nil || got != c {
			t.Errorf("ParseCursor(%q) = %+v, %v, want %+v", c.String(), got, err, c)
		}
	}
	if got, want := (Cursor{Start: 1683072000, Slug: "peskov-blames-us"}).String(), "1683072000.peskov-blames-us"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	for _, s := range []string{"", "nonsense", "1683072000", "1683072000.", ".slug", "1e99.x", "99999999999999999999.1", "5.Upper", "5.a.b", "5.a--b", "5.-a"} {
		if _, err := ParseCursor(s); ErrorCode(err) != EINVALID {
			t.Errorf("ParseCursor(%q): err = %v, want EINVALID", s, err)
		}
	}
}
