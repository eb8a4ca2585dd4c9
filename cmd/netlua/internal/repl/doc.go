// Package repl is netlua's prompt (Main): statements read from a terminal
// with line editing, history and completion, or plain lines from a pipe,
// run one by one in one runtime, with the values of expressions printed.
package repl
