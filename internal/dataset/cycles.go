package dataset

import (
	"fmt"
	"slices"
	"strings"
)

// cycle is a loop of answers of one type: slugs[0] answers slugs[1] … answers slugs[0].
type cycle struct {
	typ   string
	slugs []string
}

// findCycles finds loops of answers of the same type ("a denies b, b denies
// a"), which would make a thread endless. Each loop is reported once.
func findCycles(answers []answer) []cycle {
	byType := map[string]map[string][]string{} // type → from → to
	var types []string
	var starts []string // answering events, in file order
	for _, a := range answers {
		if byType[a.typ] == nil {
			byType[a.typ] = map[string][]string{}
			types = append(types, a.typ)
		}
		if len(starts) == 0 || starts[len(starts)-1] != a.from {
			starts = append(starts, a.from)
		}
		byType[a.typ][a.from] = append(byType[a.typ][a.from], a.to)
	}
	var found []cycle
	for _, typ := range types {
		graph := byType[typ]
		const (
			unseen = iota
			onPath
			done
		)
		state := map[string]int{}
		for _, start := range starts {
			if state[start] != unseen || len(graph[start]) == 0 {
				continue
			}
			// Iterative depth-first search: a long chain must not overflow the stack.
			type frame struct {
				slug string
				next int
			}
			path := []frame{{slug: start}}
			state[start] = onPath
			for len(path) > 0 {
				top := &path[len(path)-1]
				targets := graph[top.slug]
				if top.next == len(targets) {
					state[top.slug] = done
					path = path[:len(path)-1]
					continue
				}
				to := targets[top.next]
				top.next++
				switch state[to] {
				case unseen:
					state[to] = onPath
					path = append(path, frame{slug: to})
				case onPath:
					start := slices.IndexFunc(path, func(f frame) bool { return f.slug == to })
					var slugs []string
					for _, f := range path[start:] {
						slugs = append(slugs, f.slug)
					}
					found = append(found, cycle{typ: typ, slugs: slugs})
				}
			}
		}
	}
	return found
}

func (c cycle) String() string {
	return fmt.Sprintf("answers form a loop of %q: %s → %s", c.typ, strings.Join(c.slugs, " → "), c.slugs[0])
}
