package frame

import (
	"strconv"
	"strings"
)

// enumValue is the number an Enum field's name stands for, in any case
// ("SOLICIT" and "solicit" alike, as Scapy's names are upper case).
func enumValue(names []string, s string) (uint64, bool) {
	for v, name := range names {
		if name != "" && strings.EqualFold(name, s) {
			return uint64(v), true
		}
	}
	return 0, false
}

// enumNames lists an Enum field's names, for errors and docs:
// "solicit"=1, "advertise"=2, ...
func enumNames(names []string) string {
	var parts []string
	for v, name := range names {
		if name != "" {
			parts = append(parts, quoteText(name)+"="+strconv.Itoa(v))
		}
	}
	return strings.Join(parts, ", ")
}
