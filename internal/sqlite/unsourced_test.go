package sqlite_test

import (
	"context"
	"testing"

	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

// TestUnsourced: an event with no source is stored marked unsourced only
// where the import allows it, loaded with the mark, and losing or gaining
// the mark is a change.
func TestUnsourced(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))
	unsourced := func() *timeline.Dataset {
		ds := sqlitetest.Dataset(t, storySpecs)
		ds.Events[3].Sources, ds.Events[3].Unsourced = nil, true
		return ds
	}
	slug := sqlitetest.Dataset(t, storySpecs).Events[3].Slug

	t.Run("RefusedWithoutPermission", func(t *testing.T) {
		_, err := db.Import(ctx, unsourced())
		if code := timeline.ErrorCode(err); code != timeline.EINVALID {
			t.Fatalf("err = %v (%s), want invalid", err, code)
		}
	})
	t.Run("StoredAndLoadedWithPermission", func(t *testing.T) {
		im, err := db.BeginImport(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer im.Rollback()
		im.SetAllowance(timeline.Allowance{Unsourced: true})
		if err := im.Apply(unsourced()); err != nil {
			t.Fatal(err)
		}
		res, err := im.Commit()
		if err != nil || res.EventsChanged != 1 {
			t.Fatalf("import = %+v, %v; want one event changed", res, err)
		}
		e, err := db.FindEvent(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		if !e.Unsourced || len(e.Sources) != 0 {
			t.Errorf("loaded Unsourced = %v with %d sources, want marked with none", e.Unsourced, len(e.Sources))
		}
	})
	t.Run("SourcedAgainIsAChange", func(t *testing.T) {
		res := sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))
		if res.EventsChanged != 1 {
			t.Fatalf("import = %+v, want the event changed back", res)
		}
		if e, _ := db.FindEvent(ctx, slug); e.Unsourced || len(e.Sources) == 0 {
			t.Errorf("after the source is back: Unsourced = %v, %d sources", e.Unsourced, len(e.Sources))
		}
	})
}
