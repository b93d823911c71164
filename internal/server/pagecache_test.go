package server

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestPageCache(t *testing.T) {
	page := make([]byte, 10)
	entry := (&cachedPage{body: page, gzip: gzipped(page)}).size() // the page and its gzip copy
	c := newPageCache(10 * entry)
	c.put("a", page)
	c.put("b", page)
	if _, ok := c.get("a"); !ok {
		t.Fatal("a is not cached")
	}
	// Eleven pages for room for ten: b, least recently used, goes; a stays.
	for i := 0; i < 9; i++ {
		c.put(fmt.Sprint(i), page)
	}
	if _, ok := c.get("b"); ok {
		t.Error("the least recently used page survived")
	}
	if _, ok := c.get("a"); !ok {
		t.Error("a recently used page was dropped")
	}
	if c.bytes > 10*entry {
		t.Errorf("the cache holds %d bytes, bound %d", c.bytes, 10*entry)
	}
	c.put("huge", make([]byte, 10*entry/8+1))
	if _, ok := c.get("huge"); ok {
		t.Error("a page over an eighth of the cache was kept")
	}
}

// TestPageCacheOneRender asks for one page from many goroutines at once:
// one renders, the others wait and get its result.
func TestPageCacheOneRender(t *testing.T) {
	c := newPageCache(1 << 20)
	var renders atomic.Int32
	var wg sync.WaitGroup
	got := make([][]byte, 32)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			page, release := c.getOrClaim(context.Background(), "page")
			if page == nil {
				renders.Add(1)
				time.Sleep(50 * time.Millisecond)
				c.put("page", []byte("rendered"))
				release()
				page, _ = c.get("page")
			}
			got[i] = page.body
		}()
	}
	wg.Wait()
	if renders.Load() != 1 {
		t.Errorf("%d renders, want 1", renders.Load())
	}
	for i, b := range got {
		if string(b) != "rendered" {
			t.Fatalf("request %d got %q", i, b)
		}
	}
	// A claim released without a page lets the waiters render themselves.
	_, release := c.getOrClaim(context.Background(), "broken")
	done := make(chan *cachedPage)
	go func() { p, _ := c.getOrClaim(context.Background(), "broken"); done <- p }()
	time.Sleep(20 * time.Millisecond)
	release()
	if p := <-done; p != nil {
		t.Errorf("a waiter got %q for a page never rendered", p.body)
	}
}
