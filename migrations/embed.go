// Package migrations holds the numbered SQL files that build the database
// schema. They are embedded so the binary carries its own schema.
package migrations

import "embed"

// FS holds the migrations, named NNNN_description.sql and applied in order.
//
//go:embed *.sql
var FS embed.FS
