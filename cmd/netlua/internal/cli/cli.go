// Package cli holds what every netlua subcommand shares on its command
// line: the exit statuses DESIGN.md fixes, and the one way the
// subcommands read their options (a FlagSet each, over the flag package).
package cli

// Exit statuses, as DESIGN.md fixes them. A signal that ends a run gives
// 128 + its number, as a shell reports it.
const (
	ExitOK     = 0   // the script, the tests or the command succeeded
	ExitError  = 1   // a script error, a failed test, a failed cleanup
	ExitUsage  = 2   // a mistake on the command line, nothing to run
	ExitSIGINT = 130 // ^C ended the run
	ExitTERM   = 143 // SIGTERM ended the run
)
