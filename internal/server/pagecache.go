package server

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"sync"
)

// pageCache keeps representations in memory, keyed by their ETag, which
// names the data version, the build and the view: an entry can never be
// stale, only unused, and the least recently used go first once the cache
// holds maxBytes. Popular views (the front page, a shared view) are then
// served without touching the store beyond reading the data version.
type pageCache struct {
	mu       sync.Mutex
	maxBytes int
	bytes    int
	order    *list.List // of *cachedPage, most recently used first
	byKey    map[string]*list.Element
}

type cachedPage struct {
	key         string
	contentType string
	body        []byte
	gzip        []byte // body compressed once, for the readers who accept gzip
}

func (p *cachedPage) size() int { return len(p.body) + len(p.gzip) }

func newPageCache(maxBytes int) *pageCache {
	return &pageCache{maxBytes: maxBytes, order: list.New(), byKey: map[string]*list.Element{}}
}

func (c *pageCache) get(key string) (*cachedPage, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil, false
	}
	c.order.MoveToFront(el)
	return el.Value.(*cachedPage), true
}

// put keeps a representation and returns it, or nil for one too large to
// keep.
func (c *pageCache) put(key, contentType string, body []byte) *cachedPage {
	if c.maxBytes <= 0 || len(body) > c.maxBytes/8 {
		return nil // one huge page must not flush everything else
	}
	page := &cachedPage{key: key, contentType: contentType, body: body, gzip: gzipped(body)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[key]; ok {
		return el.Value.(*cachedPage)
	}
	c.byKey[key] = c.order.PushFront(page)
	c.bytes += page.size()
	for c.bytes > c.maxBytes {
		oldest := c.order.Back()
		p := oldest.Value.(*cachedPage)
		c.order.Remove(oldest)
		delete(c.byKey, p.key)
		c.bytes -= p.size()
	}
	return page
}

// gzipLevel trades a little size for time: a page nobody else asks for
// pays its compression in full.
const gzipLevel = 4

// gzipWriters keeps compressors for reuse: each holds over a megabyte of
// state that would otherwise be allocated and cleared for every page.
var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzipLevel)
	return zw
}}

func gzipped(body []byte) []byte {
	buf := bytes.NewBuffer(make([]byte, 0, len(body)/4))
	zw := gzipWriters.Get().(*gzip.Writer)
	zw.Reset(buf)
	zw.Write(body)
	zw.Close()
	gzipWriters.Put(zw)
	return buf.Bytes()
}
