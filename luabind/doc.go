// Package luabind is netlua's host runtime: the Lua state, the modules it
// is built from, argument checks, errors in Lua's own form, the event loop
// and the cleanup ledger.
//
// Each Lua module lives in its own package under luabind/ and describes
// itself in a Module, which its constructor (Module()) returns; a runtime is
// built from the modules it is given (New), and nothing registers globally.
// The description is data: every function comes with its signature, its
// doc and the LuaLS type of each name in the signature (Func.Types), and
// the same Module value feeds require, `netlua doc`, REPL completion and
// the editor stubs, so neither documentation nor stub types can drift
// from code.
//
// A gopher-lua state is single-threaded. Only the goroutine that runs the
// Runtime touches it; other goroutines hand work to it with Loop.Post.
//
// A module's objects (a socket, a timer) are userdata made by NewObject.
// The objects of a Type share one metatable per state: its __index is the
// type's methods table and its __fields (gopher-lua patch 24) the type's
// Get, so a method call in a loop is a table lookup and a field is read
// in Go with the object in hand.
package luabind
