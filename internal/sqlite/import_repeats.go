package sqlite

// lastWritten is the last record of each actor or source, by slug or key,
// that an import sent to SQLite. An archive's files each list the actors
// and sources their story names, so a shared one comes back file after
// file: in the synthetic million-event archive, each of 10,000 sources
// comes back in 118 files on average, 1.2 million records. A record the
// same as the last one written would change nothing, so the importer skips
// its upsert and its id lookup, most of the cost of the sources of a
// many-file import. A record that differs is written, so the last record
// of an actor or source still wins, as it does without lastWritten.
type lastWritten[T comparable] map[string]T

// repeats reports whether rec is the record last written under key.
func (w lastWritten[T]) repeats(key string, rec T) bool {
	last, ok := w[key]
	return ok && last == rec
}
