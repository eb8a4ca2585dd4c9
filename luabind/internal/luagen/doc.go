// Package luagen writes small random Lua 5.1 programs that print a trace
// of what they compute, for differential tests of netlua's VM against the
// reference lua5.1: both must print the same thing.
//
// The programs stress what a compiler gets wrong: if/elseif/else chains,
// while, repeat, numeric and generic for loops, break, locals in nested
// blocks, closures capturing loop variables, multiple assignment, varargs,
// method calls, constant as well as computed conditions, pcall, and the
// formatting of numbers. They are typed, so that they raise no run-time
// error, and every loop is bounded, so that they end whatever the VM does
// right. What they leave unspecified in Lua (the order of pairs over a
// hash, the border of a table with holes, the order in which the operands
// of one expression run their side effects) they do not use.
package luagen
