package dataset

import (
	"fmt"
)

// builder reads a file's records, the story, actors, sources and events,
// from its tokens, checks each with the validator and hands it on while
// the file is free of problems. A problem that stops the reading, such as
// broken JSON or a misplaced array, is returned as a *problemError.
type builder struct {
	in     *tokenReader
	v      *validator
	pipe   *pipe    // nil when only validating
	header fileJSON // the fields before the arrays
}

// handle passes a record on while the file is still free of problems.
func (b *builder) handle(rec record) error {
	switch {
	case b.pipe == nil:
		return nil
	case b.pipe.quit.Load():
		return errQuit
	case !b.v.ok():
		b.pipe.failed.Store(true)
		return nil
	}
	b.pipe.batch = append(b.pipe.batch, rec)
	if len(b.pipe.batch) == batchSize {
		b.pipe.send()
	}
	return nil
}

// file reads the top-level object: its header fields, then the actors,
// sources and events arrays, in that order.
func (b *builder) file() error {
	if err := b.in.delim('{', "a JSON object"); err != nil {
		return err
	}
	seen := map[string]bool{}
	for b.in.more() {
		tok, err := b.in.token()
		if err != nil {
			return err
		}
		key, _ := tok.(string)
		if seen[key] {
			return &problemError{b.in.offset(), fmt.Sprintf("the key %s appears twice: a field is given once", quote(key))}
		}
		seen[key] = true
		switch key {
		case "format":
			err = b.decode(&b.header.Format, "format")
		case "story":
			err = b.decode(&b.header.Story, "story")
		case "title":
			err = b.decode(&b.header.Title, "title")
		case "description":
			err = b.decode(&b.header.Description, "description")
		case "actors":
			err = b.array("actors", b.actor)
		case "sources":
			if !seen["actors"] {
				return &problemError{b.in.offset(), `"sources" must come after "actors"`}
			}
			err = b.array("sources", b.source)
		case "events":
			if !seen["actors"] || !seen["sources"] {
				return &problemError{b.in.offset(), `"events" must come after "actors" and "sources"`}
			}
			if err := b.story(); err != nil {
				return err
			}
			err = b.array("events", b.event)
		default:
			return &problemError{b.in.offset(), fmt.Sprintf("unknown field %s", quote(key))}
		}
		if err != nil {
			return err
		}
	}
	if err := b.in.delim('}', "the end of the object"); err != nil {
		return err
	}
	if err := b.in.end(); err != nil {
		return err
	}
	if !seen["events"] {
		b.v.header(&b.header)
		if !seen["actors"] || !seen["sources"] {
			b.v.add("file", `a file has "actors", "sources" and "events" arrays`)
		} else {
			b.v.add("file", `"events" is missing`)
		}
	}
	return nil
}

// array reads a JSON array, calling each for every element with its path.
func (b *builder) array(name string, each func(where string) error) error {
	if err := b.in.delim('[', fmt.Sprintf("%q to be an array", name)); err != nil {
		return err
	}
	for i := 0; b.in.more(); i++ {
		if err := each(index(name, i)); err != nil {
			return err
		}
	}
	_, err := b.in.token() // ']'
	return err
}

// decode reads the next value into v, and notes the problems with its
// text, each where it is in the file.
func (b *builder) decode(v any, where string) error {
	problems, err := b.in.decode(v, where)
	for _, p := range problems {
		b.v.add(b.in.kept.place(p.offset), "%s", p.msg)
	}
	return err
}

// story checks the header, which is whole once the events begin, and
// hands on the story.
func (b *builder) story() error {
	b.v.header(&b.header)
	slug, title, description := b.header.Story, b.header.Title, b.header.Description
	return b.handle(func(h Handler) error { return h.Story(slug, title, description) })
}

func (b *builder) actor(where string) error {
	var a actorJSON
	if err := b.decode(&a, where); err != nil {
		return err
	}
	actor := b.v.actor(&a)
	return b.handle(func(h Handler) error { return h.Actor(actor) })
}

func (b *builder) source(where string) error {
	var s sourceJSON
	if err := b.decode(&s, where); err != nil {
		return err
	}
	source := b.v.source(&s)
	return b.handle(func(h Handler) error { return h.Source(source) })
}

func (b *builder) event(where string) error {
	var e eventJSON
	if err := b.decode(&e, where); err != nil {
		return err
	}
	event := b.v.event(&e)
	return b.handle(func(h Handler) error { return h.Event(event) })
}
