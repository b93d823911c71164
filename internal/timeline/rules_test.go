package timeline

import "testing"

func TestAnswerContests(t *testing.T) {
	tests := []struct {
		typ  AnswerType
		want bool
	}{
		{AnswerDenies, true},
		{AnswerDisputes, true},
		{AnswerDoubts, true},
		{AnswerSupports, false},
		{AnswerAccuses, false},
		{AnswerCites, false},
		{AnswerRespondsTo, false},
	}
	for _, tt := range tests {
		if got := tt.typ.Contests(); got != tt.want {
			t.Errorf("%s.Contests() = %v, want %v", tt.typ, got, tt.want)
		}
	}
	for _, typ := range ContestingTypes {
		if !typ.Valid() {
			t.Errorf("contesting type %q is not an answer type", typ)
		}
	}
}

func TestEventKindIsClaim(t *testing.T) {
	for _, k := range EventKinds {
		want := k == KindClaim || k == KindAccusation
		if got := k.IsClaim(); got != want {
			t.Errorf("%s.IsClaim() = %v, want %v", k, got, want)
		}
	}
}

func TestStanceOf(t *testing.T) {
	tests := []struct {
		typ  AnswerType
		want Stance
	}{
		{AnswerSupports, StanceSupports},
		{AnswerDenies, StanceDenies},
		{AnswerDisputes, StanceDisputes},
		{AnswerAccuses, StanceDisputes}, // a counter-accusation disputes
		{AnswerDoubts, StanceDoubts},
		{AnswerCites, StanceResponds},
		{AnswerRespondsTo, StanceResponds},
	}
	for _, tt := range tests {
		if got := StanceOf(tt.typ); got != tt.want {
			t.Errorf("StanceOf(%s) = %s, want %s", tt.typ, got, tt.want)
		}
	}
}
