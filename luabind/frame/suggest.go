package frame

import "strings"

// nearest returns the names closest to name by edit distance (a
// transposition counts as one edit, so "tpc" is one from "tcp"), in the
// order given, or none when even the closest is too far to be a typo:
// more than a third of name's length, and at least one edit.
func nearest(name string, names []string) []string {
	limit := max(1, len(name)/3)
	var best []string
	for _, n := range names {
		d := editDistance(strings.ToLower(name), strings.ToLower(n))
		switch {
		case d > limit:
		case d < limit:
			limit, best = d, append(best[:0], n)
		default:
			best = append(best, n)
		}
	}
	return best
}

// editDistance is the optimal string alignment distance between a and b:
// insertions, deletions, substitutions and swaps of adjacent bytes.
func editDistance(a, b string) int {
	// Three rows of the dynamic programme: two back (for swaps), one back, this one.
	prev2, prev, row := make([]int, len(b)+1), make([]int, len(b)+1), make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		row[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			row[j] = min(prev[j]+1, row[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				row[j] = min(row[j], prev2[j-2]+1)
			}
		}
		prev2, prev, row = prev, row, prev2
	}
	return prev[len(b)]
}

// didYouMean is the hint an unknown name gets: "did you mean 'ttl'? ",
// or nothing when no name is near.
func didYouMean(name string, names []string) string {
	near := nearest(name, names)
	if len(near) == 0 {
		return ""
	}
	return "did you mean '" + strings.Join(near, "' or '") + "'? "
}
