// Package apidoc is `netlua doc` (Main): the API reference printed from
// the module registry, and, with --stubs, LuaLS type stubs for editors,
// whose types come from the signatures (sig.go) and, for now, from
// parameter-name tables (types.go).
package apidoc
