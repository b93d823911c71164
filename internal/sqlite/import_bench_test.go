package sqlite_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/timelinenews/timeline/internal/dataset"
	"github.com/timelinenews/timeline/internal/sqlite"
	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/synth"
)

// BenchmarkImport imports a synthetic file as the command line does,
// reading and applying it in one pass: into an empty database (bulk mode),
// over the same file with every event edited (row by row, with the
// indexes), and over the same file unchanged. TIMELINE_BENCH_EVENTS sets
// the file's size, 20,000 events unless told.
func BenchmarkImport(b *testing.B) {
	events := 20000
	if s := os.Getenv("TIMELINE_BENCH_EVENTS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("TIMELINE_BENCH_EVENTS=%q: want a number of events", s)
		}
		events = n
	}
	var buf bytes.Buffer
	if err := synth.Generate(&buf, synth.Options{Events: events, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	file := buf.Bytes()
	edited := bytes.ReplaceAll(file, []byte(`"summary": "A synthetic `), []byte(`"summary": "An edited synthetic `))

	importFile := func(b *testing.B, db *sqlite.DB, file []byte) sqlite.ImportResult {
		b.Helper()
		im, err := db.BeginImport(context.Background())
		if err != nil {
			b.Fatal(err)
		}
		defer im.Rollback()
		if err := dataset.Scan(bytes.NewReader(file), im); err != nil {
			b.Fatal(err)
		}
		res, err := im.Commit()
		if err != nil {
			b.Fatal(err)
		}
		return res
	}
	report := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N*events), "µs/event")
	}

	b.Run("Bulk", func(b *testing.B) {
		dir := b.TempDir()
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			db := sqlitetest.MustOpenPath(b, filepath.Join(dir, strconv.Itoa(i)+".db"))
			b.StartTimer()
			if res := importFile(b, db, file); res.EventsChanged != events {
				b.Fatalf("import = %+v, want %d events changed", res, events)
			}
			b.StopTimer()
			db.Close()
			os.RemoveAll(dir) // a large import's file need not wait for the end
			os.Mkdir(dir, 0o700)
			b.StartTimer()
		}
		report(b)
	})

	b.Run("Edited", func(b *testing.B) {
		db := sqlitetest.MustOpen(b)
		importFile(b, db, file)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			next := edited
			if i%2 == 1 {
				next = file
			}
			if res := importFile(b, db, next); res.EventsChanged != events {
				b.Fatalf("import = %+v, want %d events changed", res, events)
			}
		}
		report(b)
	})

	b.Run("Unchanged", func(b *testing.B) {
		db := sqlitetest.MustOpen(b)
		importFile(b, db, file)
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if res := importFile(b, db, file); res.Changed() {
				b.Fatalf("import = %+v, want no change", res)
			}
		}
		report(b)
	})
}
