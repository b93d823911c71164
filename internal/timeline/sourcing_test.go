package timeline

import "testing"

func TestBacking(t *testing.T) {
	cited := []Citation{{Source: Source{Key: "tass"}}}
	named := []EventActor{{Actor: Actor{Slug: "kremlin"}, Role: RoleSpeaker}}
	tests := []struct {
		name          string
		of            func(*Event) Backing
		e             Event
		want          Backing
		allowed, open bool // Acceptable without, and with, the editor's permission
	}{
		{"Sourced", SourcingOf, Event{Sources: cited}, Backed, true, true},
		{"NoSource", SourcingOf, Event{}, Missing, false, true},
		{"MarkedUnsourced", SourcingOf, Event{Unsourced: true}, MarkedMissing, false, true},
		{"MarkedButSourced", SourcingOf, Event{Unsourced: true, Sources: cited}, MarkedButBacked, false, false},
		{"Attributed", AttributionOf, Event{Actors: named}, Backed, true, true},
		{"NoActor", AttributionOf, Event{}, Missing, false, true},
		{"MarkedUnattributed", AttributionOf, Event{Unattributed: true}, MarkedMissing, false, true},
		{"MarkedButAttributed", AttributionOf, Event{Unattributed: true, Actors: named}, MarkedButBacked, false, false},
		{"UnsourcedStillAttributed", AttributionOf, Event{Unsourced: true, Actors: named}, Backed, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.of(&tt.e)
			if got != tt.want {
				t.Fatalf("backing = %d, want %d", got, tt.want)
			}
			if a := got.Acceptable(false); a != tt.allowed {
				t.Errorf("Acceptable(false) = %v, want %v", a, tt.allowed)
			}
			if a := got.Acceptable(true); a != tt.open {
				t.Errorf("Acceptable(true) = %v, want %v", a, tt.open)
			}
		})
	}
}
