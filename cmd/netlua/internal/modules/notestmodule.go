//go:build !netluatest

package modules

import "github.com/netlua/netlua/luabind"

// testModules is empty in the binary users run; see testmodule.go.
func testModules() []*luabind.Module { return nil }
