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
			body, release := c.getOrClaim(context.Background(), "page")
			if body == nil {
				renders.Add(1)
				time.Sleep(50 * time.Millisecond)
				body = []byte("rendered")
				c.put("page", body)
				release()
			}
			got[i] = body
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
	done := make(chan []byte)
	go func() { b, _ := c.getOrClaim(context.Background(), "broken"); done <- b }()
	time.Sleep(20 * time.Millisecond)
	release()
	if b := <-done; b != nil {
		t.Errorf("a waiter got %q for a page never rendered", b)
	}
}
