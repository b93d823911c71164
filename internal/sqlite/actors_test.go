package sqlite_test

import (
	"context"
	"slices"
	"testing"

	"github.com/timelinenews/timeline/internal/sqlite/sqlitetest"
	"github.com/timelinenews/timeline/internal/timeline"
)

func TestFindActors(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	sqlitetest.MustImport(t, db, sqlitetest.Dataset(t, storySpecs))
	actors, err := db.FindActors(ctx)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, a := range actors {
		counts[a.Slug] = a.EventCount
	}
	if counts["ukraine"] != 3 || counts["kremlin"] != 2 || counts["kirby"] != 1 {
		t.Errorf("counts = %v", counts)
	}
	a, err := db.FindActor(ctx, "ukraine")
	if err != nil || a.Name != "Name ukraine" {
		t.Errorf("FindActor = %+v, %v", a, err)
	}
	if _, err := db.FindActor(ctx, "nobody"); timeline.ErrorCode(err) != timeline.ENOTFOUND {
		t.Errorf("unknown actor: err = %v", err)
	}
}

func TestActorFinder(t *testing.T) {
	ctx := context.Background()
	db := sqlitetest.MustOpen(t)
	ds := sqlitetest.Dataset(t, storySpecs)
	for i := range ds.Actors {
		if ds.Actors[i].Slug == "zelensky" {
			ds.Actors[i].Name = "Volodymyr Zelensky"
			ds.Actors[i].Description = "President of Ukraine"
		}
	}
	sqlitetest.MustImport(t, db, ds)
	for _, tt := range []struct {
		q    string
		want []string
	}{
		{"zel", []string{"zelensky"}},
		{"VOLO zel", []string{"zelensky"}},
		{"president", []string{"zelensky"}},
		{"name", []string{"ukraine", "kremlin", "us", "kirby", "peskov"}}, // busiest first, then by name
		{`"*)(`, nil},
		{"nobody", nil},
	} {
		got, err := db.SearchActors(ctx, tt.q, 10)
		if err != nil {
			t.Fatalf("%q: %v", tt.q, err)
		}
		var slugs []string
		for _, a := range got {
			slugs = append(slugs, a.Slug)
		}
		if !slices.Equal(slugs, tt.want) {
			t.Errorf("search %q = %v, want %v", tt.q, slugs, tt.want)
		}
	}
	// A rename reaches the index through its trigger.
	ds.Actors[0].Name = "Kremlin Palace"
	sqlitetest.MustImport(t, db, ds)
	if got, _ := db.SearchActors(ctx, "palace", 10); len(got) != 1 {
		t.Errorf("renamed actor not found: %v", got)
	}

	top, err := db.FindTopActors(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(top) != 2 || top[0].Slug != "ukraine" {
		t.Errorf("top actors = %+v", top)
	}
}
