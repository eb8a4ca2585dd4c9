package lab

import (
	"fmt"
	"strings"
)

// PingReport writes pings as Mininet's pingall prints them: per family,
// a line per source host naming each target it reached, X for each it
// did not (each followed by a space, as Mininet writes them), then the
// share dropped, rounded down.
//
//	*** Ping: testing ping reachability
//	h1 -> h2 X
//	...
//	*** Results: 16% dropped (5/6 received)
func PingReport(pings []Ping) string {
	var b strings.Builder
	for _, fam := range []struct {
		title string
		v6    bool
	}{{"Ping", false}, {"Ping6", true}} {
		var mine []Ping
		for _, p := range pings {
			if p.Addr.Is6() == fam.v6 {
				mine = append(mine, p)
			}
		}
		if len(mine) > 0 {
			writeMatrix(&b, fam.title, mine)
		}
	}
	return b.String()
}

// writeMatrix writes one family's block of PingReport; the pings come
// grouped by source host, as PingAll returns them.
func writeMatrix(b *strings.Builder, title string, pings []Ping) {
	fmt.Fprintf(b, "*** %s: testing %s reachability\n", title, strings.ToLower(title))
	received := 0
	for i, p := range pings {
		if i == 0 || pings[i-1].From != p.From {
			if i > 0 {
				b.WriteByte('\n')
			}
			fmt.Fprintf(b, "%s -> ", p.From.name)
		}
		name := "X"
		if p.OK {
			name = p.To.name
			received++
		}
		b.WriteString(name + " ")
	}
	b.WriteByte('\n')
	dropped := 100 * (len(pings) - received) / len(pings)
	fmt.Fprintf(b, "*** Results: %d%% dropped (%d/%d received)\n", dropped, received, len(pings))
}
