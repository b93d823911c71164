package timeline

import "testing"

// TestCursorURLForm: a cursor in a URL is its sort key and its event's
// slug, and reads back as itself; anything else is EINVALID.
func TestCursorURLForm(t *testing.T) {
	for _, c := range []Cursor{{Start: 1683072000, Slug: "peskov-blames-us"}, {Start: -5, Slug: "1"}, {Start: 0, Slug: "e0042"},
		{Ranked: true, Rank: -7.25, Slug: "peskov-blames-us"}, {Ranked: true, Rank: -1.2345678901234567e-06, Slug: "a"}, {Ranked: true, Slug: "b"}} {
		got, err := ParseCursor(c.String())
		if err != nil || got != c {
			t.Errorf("ParseCursor(%q) = %+v, %v, want %+v", c.String(), got, err, c)
		}
	}
	if got, want := (Cursor{Start: 1683072000, Slug: "peskov-blames-us"}).String(), "1683072000.peskov-blames-us"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
	for _, s := range []string{"", "nonsense", "1683072000", "1683072000.", ".slug", "1e99.x", "99999999999999999999.1", "5.Upper", "5.a.b", "5.a--b", "5.-a", "r.a", "rx.a", "rNaN.a", "r+Inf.a", "r1.5.a.b"} {
		if _, err := ParseCursor(s); ErrorCode(err) != EINVALID {
			t.Errorf("ParseCursor(%q): err = %v, want EINVALID", s, err)
		}
	}
}

// TestFilterOrder: the order's names read into the filter and back; the
// order by relevance needs a search, falls back to time order without
// one in the canonical form, and pages only by its own cursors.
func TestFilterOrder(t *testing.T) {
	for _, order := range Orders {
		f := Filter{Query: "salt"}
		if err := f.SetOrder(order); err != nil || f.Order() != order {
			t.Errorf("SetOrder(%q): order %q, err %v", order, f.Order(), err)
		}
	}
	if f := (Filter{}); f.SetOrder("") != nil || f.Order() != OrderOldest {
		t.Errorf("the default order = %q, want %q", f.Order(), OrderOldest)
	}
	var bad Filter
	if err := bad.SetOrder("random"); ErrorCode(err) != EINVALID || err.(*Error).Field != "order" {
		t.Errorf("SetOrder(random): err = %v, want EINVALID on order", err)
	}
	noSearch := Filter{Relevance: true}
	if err := noSearch.Validate(); ErrorCode(err) != EINVALID || err.(*Error).Field != "order" {
		t.Errorf("Validate(relevance without a search): err = %v, want EINVALID on order", err)
	}
	noSearch.Canonical()
	if noSearch.Relevance || noSearch.Validate() != nil {
		t.Errorf("canonical relevance without a search = %+v, want time order", noSearch)
	}
	both := Filter{Query: "salt", Relevance: true, Desc: true}
	both.Canonical()
	if both.Desc {
		t.Error("canonical relevance kept desc")
	}
	ranked, timed := &Cursor{Ranked: true, Rank: -1, Slug: "a"}, &Cursor{Start: 5, Slug: "a"}
	for _, tt := range []struct {
		f    Filter
		want bool
	}{
		{Filter{Query: "salt", Relevance: true, Later: ranked}, true},
		{Filter{Query: "salt", Relevance: true, Earlier: timed}, false},
		{Filter{Query: "salt", Later: ranked}, false},
		{Filter{Query: "salt", Later: timed}, true},
	} {
		if err := tt.f.Validate(); (err == nil) != tt.want {
			t.Errorf("Validate(%+v) = %v, want valid %v", tt.f, err, tt.want)
		}
	}
}
