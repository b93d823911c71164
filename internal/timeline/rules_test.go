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

func TestEventPositions(t *testing.T) {
	peskov, kirby, kyiv := Actor{Slug: "peskov"}, Actor{Slug: "kirby"}, Actor{Slug: "kyiv"}
	claim := Event{
		Slug: "us-behind-it", Kind: KindAccusation,
		Actors:  []EventActor{{Actor: peskov, Role: RoleSpeaker}, {Actor: Actor{Slug: "us"}, Role: RoleTarget}},
		Sources: []Citation{{Quote: "decisions are made in Washington"}, {Quote: "a second quote"}},
		AnsweredBy: []Answer{
			{Type: AnswerDenies, Event: EventRef{Slug: "kirby-denies", Speakers: []Actor{kirby}}},
			{Type: AnswerAccuses, Event: EventRef{Slug: "kyiv-counters", Speakers: []Actor{kyiv}}},
			{Type: AnswerCites, Event: EventRef{Slug: "cited-by", Speakers: nil}},
		},
	}
	got := claim.Positions()
	want := []struct {
		actor  string
		stance Stance
		event  string
	}{
		{"peskov", StanceAsserts, "us-behind-it"}, // the target takes no position
		{"kirby", StanceDenies, "kirby-denies"},
		{"kyiv", StanceDisputes, "kyiv-counters"},
	}
	if len(got) != len(want) {
		t.Fatalf("%d positions, want %d: %+v", len(got), len(want), got)
	}
	for i, w := range want {
		if got[i].Actor.Slug != w.actor || got[i].Stance != w.stance || got[i].Event.Slug != w.event {
			t.Errorf("position %d = %s %s (%s), want %s %s (%s)", i, got[i].Actor.Slug, got[i].Stance, got[i].Event.Slug, w.actor, w.stance, w.event)
		}
	}
	if got[0].Event.Quote != "decisions are made in Washington" {
		t.Errorf("the assertion quotes %q, want the claim's first quote", got[0].Event.Quote)
	}
}
