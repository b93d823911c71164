package server

import (
	"fmt"
	"testing"
)

func TestPageCache(t *testing.T) {
	c := newPageCache(100)
	c.put("a", make([]byte, 10))
	c.put("b", make([]byte, 10))
	if _, ok := c.get("a"); !ok {
		t.Fatal("a is not cached")
	}
	// Fill past the bound: b, least recently used, goes first; a stays.
	for i := 0; i < 9; i++ {
		c.put(fmt.Sprint(i), make([]byte, 10))
	}
	if _, ok := c.get("b"); ok {
		t.Error("the least recently used page survived")
	}
	if _, ok := c.get("a"); !ok {
		t.Error("a recently used page was dropped")
	}
	if c.bytes > 100 {
		t.Errorf("the cache holds %d bytes, bound 100", c.bytes)
	}
	c.put("huge", make([]byte, 50))
	if _, ok := c.get("huge"); ok {
		t.Error("a page over an eighth of the cache was kept")
	}
}
