package timeline

import "testing"

func TestSourcing(t *testing.T) {
	cited := []Citation{{Source: Source{Key: "tass"}}}
	tests := []struct {
		name          string
		e             Event
		want          Sourcing
		allowed, open bool // Acceptable without, and with, the editor's permission
	}{
		{"Sourced", Event{Sources: cited}, Sourced, true, true},
		{"NoSource", Event{}, NoSource, false, true},
		{"MarkedUnsourced", Event{Unsourced: true}, MarkedUnsourced, false, true},
		{"MarkedButSourced", Event{Unsourced: true, Sources: cited}, MarkedButSourced, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := SourcingOf(&tt.e)
			if got != tt.want {
				t.Fatalf("SourcingOf = %d, want %d", got, tt.want)
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
