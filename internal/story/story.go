// Package story holds the bundled story: the May 2023 drone incident over the
// Kremlin, as a data file in the import format, curated from two articles.
package story

import (
	"bytes"
	_ "embed"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/timeline"
)

// File is the bundled data file, exactly as committed.
//
//go:embed kremlin-drone-2023.json
var File []byte

// Dataset parses and validates the bundled file.
func Dataset() (*timeline.Dataset, error) {
	return dataset.Read(bytes.NewReader(File))
}
