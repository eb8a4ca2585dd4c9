// Package run runs a netlua script: it reads the command line of the
// plain netlua command (ParseArgs), loads the chunk (a file, -e CODE or
// standard input), runs it and the event loop, then the cleanup, and
// turns how the run ended into the exit status (Script). What the other
// subcommands share with it lives here too: the signals that end a run
// through its cleanup (NotifySignals, OnSignals, InterruptStatus), the
// writer that turns a closed pipe into an interrupt (PipeWriter), and
// the closing of a runtime with its report (CloseRuntime).
package run
