package apidoc

import (
	"maps"
	"slices"
)

// luaKeywords cannot name a variable.
var luaKeywords = map[string]bool{
	"and": true, "break": true, "do": true, "else": true, "elseif": true, "end": true,
	"false": true, "for": true, "function": true, "if": true, "in": true, "local": true,
	"nil": true, "not": true, "or": true, "repeat": true, "return": true, "then": true,
	"true": true, "until": true, "while": true,
}

// IsIdent reports whether s can name a Lua variable: a name that is not
// a keyword.
func IsIdent(s string) bool {
	if s == "" || luaKeywords[s] || !isNameByte(s[0], false) {
		return false
	}
	return spanOf(s, func(b byte) bool { return isNameByte(b, true) }) == len(s)
}

// Keywords are Lua 5.1's reserved words, sorted.
func Keywords() []string { return slices.Sorted(maps.Keys(luaKeywords)) }
