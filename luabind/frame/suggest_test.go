package frame

import (
	"slices"
	"testing"
)

// TestEditDistance checks the distance on the textbook pairs: Levenshtein's
// kitten/sitting, and the pair that tells optimal string alignment (3)
// from unrestricted Damerau-Levenshtein (2).
func TestEditDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"kitten", "sitting", 3}, {"", "abc", 3}, {"abc", "", 3}, {"same", "same", 0},
		{"ca", "ac", 1}, {"tpc", "tcp", 1}, {"ca", "abc", 3}, {"flaw", "lawn", 2},
	} {
		if got := editDistance(c.a, c.b); got != c.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestNearest(t *testing.T) {
	for _, c := range []struct {
		proto *Proto
		name  string
		want  []string
	}{
		{IPv4, "tll", []string{"ttl"}},
		{IPv4, "TTL", []string{"ttl"}},            // case alone is no edit
		{IPv4, "sr", []string{"src"}},             // one letter short
		{IPv4, "dts", []string{"dst"}},            // a swap
		{IPv4, "tl", []string{"ttl"}},             // tos is two edits away
		{IPv4, "source", nil},                     // too far from any: no guess
		{IPv4, "x", nil},                          // two edits from id, and one is the most for 1 to 5 letters
		{IPv4, "options", []string{"options"}},    // an exact name is its own nearest
		{UDP, "port", []string{"sport", "dport"}}, // two at one edit, in field order
		{UDP, "dprot", []string{"dport"}},         // a swap beats sport's two edits
	} {
		if got := nearest(c.name, c.proto.fieldNames()); !slices.Equal(got, c.want) {
			t.Errorf("nearest(%q) in %s = %q, want %q", c.name, c.proto.Name, got, c.want)
		}
	}
}
