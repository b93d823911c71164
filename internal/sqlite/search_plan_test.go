package sqlite

import "testing"

// TestChooseSearchPlan: the searches measured on the million-event
// archive each get the plan that read them fastest there (README, "Search").
func TestChooseSearchPlan(t *testing.T) {
	const archive, page = 1_000_000, 51
	tests := []struct {
		name                    string
		matches, inView, events float64
		phrase, prefix          bool
		spelled                 int // the most words a prefix is spelled out as; 0 for none
		want                    searchPlan
	}{
		{"RareWord", 200, 200, archive, false, false, 0, searchDrives},
		{"CommonWord", archive, archive, archive, false, false, 0, searchLooksUp},
		// "pipeline number": 32,043 matches; 23 ms listed, 34 ms looked up, 64 ms driven.
		{"PhraseOfCommonWordsInAFew", 32_000, 32_000, archive, true, false, 0, searchListed},
		// "synthetic report": 125,185 matches; 9 ms looked up, 24 ms listed.
		{"PhraseInAnEighth", 125_000, 125_000, archive, true, false, 0, searchLooksUp},
		// A word in a quarter of the events: 3 ms looked up, 21 ms listed.
		{"WordInAQuarter", 230_000, 230_000, archive, false, false, 0, searchLooksUp},
		// A small story reads its few rows either way; listing a middling
		// word beats sorting all of the archive's matches.
		{"MiddlingWordInASmallStory", 32_000, 16, 500, false, false, 0, searchListed},
		{"CommonPrefix", archive, archive, archive, false, true, 0, searchListed},
		{"RarePrefix", 300, 300, archive, false, true, 0, searchDrives},
		// A common prefix spelled as a few words is looked up like a word:
		// the benchmark's prefixes with an actor, p99 123 ms listed, 18 ms
		// looked up.
		{"CommonPrefixSpelled", 230_000, 230_000, archive, false, false, 2, searchLooksUp},
		{"CommonPrefixSpelledInSixteen", 230_000, 230_000, archive, false, false, 16, searchLooksUp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := chooseSearchPlan(tt.matches, tt.inView, tt.events, page, tt.phrase, tt.prefix, tt.spelled); got != tt.want {
				t.Errorf("plan = %d, want %d", got, tt.want)
			}
		})
	}
}
