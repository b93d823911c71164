package server

import (
	"container/list"
	"sync"
)

// pageCache keeps rendered pages in memory, keyed by their ETag, which
// names the data version, the build and the URL: an entry can never be
// stale, only unused, and the least recently used go first once the cache
// holds maxBytes. Popular pages (the front page, a shared view) are then
// served without touching the store beyond reading the data version.
type pageCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	order    *list.List // of *cachedPage, most recently used first
	byKey    map[string]*list.Element
}

type cachedPage struct {
	key  string
	body []byte
}

func newPageCache(maxBytes int) *pageCache {
	return &pageCache{maxBytes: maxBytes, order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *pageCache) get(key string) ([]byte, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cachedPage).body, true
}

func (c *pageCache) put(key string, body []byte) {
	if len(body) > c.maxBytes/8 {
		return // one huge page must not flush everything else
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.byKey[key]; ok {
		return
	}
	c.byKey[key] = c.order.PushFront(&cachedPage{key: key, body: body})
	c.bytes += len(body)
	for c.bytes > c.maxBytes {
		oldest := c.order.Back()
		p := oldest.Value.(*cachedPage)
		c.order.Remove(oldest)
		delete(c.byKey, p.key)
		c.bytes -= len(p.body)
	}
}
