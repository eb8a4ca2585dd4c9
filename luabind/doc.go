// Package luabind is netlua's host runtime: the Lua state, the modules it
// is built from, argument checks, errors in Lua's own form, the event loop
// and the cleanup ledger.
//
// Each Lua module lives in its own package under luabind/ and describes
// itself in a Module, which its constructor (Module()) returns; a runtime is
// built from the modules it is given (New), and nothing registers globally.
// The description is data: the same Module value feeds require, `netlua
// doc`, REPL completion and the editor stubs, so documentation cannot
// drift from code.
//
// A gopher-lua state is single-threaded. Only the goroutine that runs the
// Runtime touches it; other goroutines hand work to it with Loop.Post.
package luabind
