package dataset

import (
	"bytes"
	"fmt"
	"io"
)

// problemError is a problem that stops the scan, such as broken JSON, at a
// byte offset in the file, or in the file as a whole (wholeFile). Reading
// and building find problems by offset; Scan places them, as a line and
// column, once.
type problemError struct {
	offset int64
	msg    string
}

// wholeFile is the offset of a problem with the file as a whole.
const wholeFile = -1

func (p *problemError) Error() string { return fmt.Sprintf("byte %d: %s", p.offset, p.msg) }

// readError marks a failure of the underlying reader, as opposed to bad JSON.
type readError struct{ err error }

func (e *readError) Error() string { return e.err.Error() }
func (e *readError) Unwrap() error { return e.err }

// trackingReader remembers the most recent bytes read and how many lines
// came before them, so that a problem at a byte offset can be placed at a
// line and column without keeping the whole file.
type trackingReader struct {
	r      io.Reader
	chunks []chunk
	kept   int
	lines  int    // newlines before the first kept chunk
	total  int64  // bytes read
	spare  []byte // a dropped chunk's buffer, to copy the next read into
}

type chunk struct {
	start int64
	data  []byte
}

// keepBytes bounds the bytes kept; the JSON decoder never needs to point
// further back than the value it is decoding.
const keepBytes = 8 << 20

func (t *trackingReader) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if n > 0 {
		t.chunks = append(t.chunks, chunk{start: t.total, data: append(t.spare[:0], p[:n]...)})
		t.spare = nil
		t.kept += n
		t.total += int64(n)
		for len(t.chunks) > 2 && t.kept-len(t.chunks[0].data) > keepBytes {
			t.lines += bytes.Count(t.chunks[0].data, []byte("\n"))
			t.kept -= len(t.chunks[0].data)
			// Reusing the buffer spares the garbage collector a copy of the whole file.
			t.spare = t.chunks[0].data
			t.chunks = t.chunks[1:]
		}
	}
	if err != nil && err != io.EOF {
		err = &readError{err}
	}
	return n, err
}

// place says where a problem is: the 1-based line and column of its byte
// offset, or the offset itself when it is no longer among the bytes kept.
func (t *trackingReader) place(offset int64) string {
	if offset == wholeFile {
		return "file"
	}
	if len(t.chunks) == 0 || offset < t.chunks[0].start {
		return fmt.Sprintf("byte %d", offset)
	}
	line, lineStart := t.lines+1, t.chunks[0].start
	for _, c := range t.chunks {
		end := min(int64(len(c.data)), offset-c.start)
		if end <= 0 {
			break
		}
		seg := c.data[:end]
		if n := bytes.Count(seg, []byte("\n")); n > 0 {
			line += n
			lineStart = c.start + int64(bytes.LastIndexByte(seg, '\n')) + 1
		}
	}
	if line == t.lines+1 && t.lines > 0 {
		return fmt.Sprintf("line %d", line) // the line began before the bytes kept
	}
	return fmt.Sprintf("line %d, column %d", line, offset-lineStart+1)
}

// from returns the bytes kept from offset on, or nil if they are not kept.
func (t *trackingReader) from(offset int64) []byte {
	if len(t.chunks) == 0 || offset < t.chunks[0].start || offset > t.total {
		return nil
	}
	var b []byte
	for _, c := range t.chunks {
		if skip := offset - c.start; skip < int64(len(c.data)) {
			b = append(b, c.data[max(skip, 0):]...)
		}
	}
	return b
}

// span returns the bytes kept from start to end, and false if they are not
// all kept. It copies only a span across chunks.
func (t *trackingReader) span(start, end int64) ([]byte, bool) {
	if len(t.chunks) == 0 || start < t.chunks[0].start || end > t.total || start > end {
		return nil, false
	}
	for i, c := range t.chunks {
		cEnd := c.start + int64(len(c.data))
		if start >= cEnd {
			continue
		}
		if end <= cEnd {
			return c.data[start-c.start : end-c.start], true
		}
		b := append([]byte(nil), c.data[start-c.start:]...)
		for _, d := range t.chunks[i+1:] {
			b = append(b, d.data[:min(int64(len(d.data)), end-d.start)]...)
			if d.start+int64(len(d.data)) >= end {
				break
			}
		}
		return b, true
	}
	return nil, start == end
}
