package dataset

import "hash/maphash"

// slugSet is a set of slugs kept in one byte slice, each slug behind its
// length, and an open-addressed table of offsets into it. For the million
// event slugs of a large file it takes a third of the memory of a
// map[string]bool and holds no pointers, so the garbage collector, which
// runs hundreds of times during such a read, never has to walk it.
type slugSet struct {
	seed  maphash.Seed
	data  []byte
	slots []uint64 // 1 + the slug's offset in data; 0 is an empty slot
	n     int
}

// maxSetSlug is the longest string a slugSet holds: its length is one byte.
// Valid slugs are far shorter.
const maxSetSlug = 255

func newSlugSet() *slugSet { return &slugSet{seed: maphash.MakeSeed()} }

// has reports whether slug is in the set.
func (s *slugSet) has(slug string) bool {
	if s.n == 0 || len(slug) > maxSetSlug {
		return false
	}
	_, found := s.find(slug)
	return found
}

// add puts slug in the set and reports whether it was there already. It
// panics on a slug longer than maxSetSlug: only valid slugs are added.
func (s *slugSet) add(slug string) (had bool) {
	if len(slug) > maxSetSlug {
		panic("dataset: slug too long for a slugSet")
	}
	if 2*(s.n+1) > len(s.slots) {
		s.grow()
	}
	i, found := s.find(slug)
	if found {
		return true
	}
	s.slots[i] = uint64(len(s.data)) + 1
	s.data = append(s.data, byte(len(slug)))
	s.data = append(s.data, slug...)
	s.n++
	return false
}

// find returns the slot holding slug, or the empty slot where it belongs.
func (s *slugSet) find(slug string) (int, bool) {
	mask := uint64(len(s.slots) - 1)
	for i := maphash.String(s.seed, slug) & mask; ; i = (i + 1) & mask {
		off := s.slots[i]
		if off == 0 {
			return int(i), false
		}
		if s.holds(off-1, slug) {
			return int(i), true
		}
	}
}

// holds reports whether the slug stored at offset off of data is slug.
func (s *slugSet) holds(off uint64, slug string) bool {
	stored := s.stored(off)
	return len(stored) == len(slug) && string(stored) == slug
}

// stored returns the bytes of the slug stored at offset off of data.
func (s *slugSet) stored(off uint64) []byte {
	return s.data[off+1 : off+1+uint64(s.data[off])]
}

// grow doubles the table, keeping it at most half full so that probes stay short.
func (s *slugSet) grow() {
	old := s.slots
	s.slots = make([]uint64, max(64, 2*len(old)))
	mask := uint64(len(s.slots) - 1)
	for _, off := range old {
		if off == 0 {
			continue
		}
		// Bytes hashes as String does the same text.
		i := maphash.Bytes(s.seed, s.stored(off-1)) & mask
		for s.slots[i] != 0 {
			i = (i + 1) & mask
		}
		s.slots[i] = off
	}
}
