// Command netlua runs Lua scripts that script the Linux network stack:
// raw frames, raw IP sockets, netlink, nftables and packet verdicts.
//
//	netlua SCRIPT [ARGS...]   run a script (arg[0] is SCRIPT, arg[1..] ARGS)
//	netlua -e CODE [ARGS...]  run CODE
//	netlua - [ARGS...]        run the script read from standard input
//	netlua doc [MODULE[.NAME]] the API reference
//	netlua doc --stubs DIR    LuaLS type stubs, for completion in editors
//	netlua test [PATH...]     run the *_test.lua protocol tests
//	netlua                    a prompt, on a terminal
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"

	"github.com/netlua/netlua/cmd/netlua/internal/apidoc"
	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/cmd/netlua/internal/modules"
	"github.com/netlua/netlua/cmd/netlua/internal/repl"
	"github.com/netlua/netlua/cmd/netlua/internal/run"
	"github.com/netlua/netlua/cmd/netlua/internal/testrun"
	"github.com/netlua/netlua/luabind"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

const usage = `usage: netlua [options] SCRIPT [ARGS...]
       netlua -e CODE [ARGS...]
       netlua - [ARGS...]          (script from standard input)
       netlua doc [MODULE[.NAME]]  (the API reference)
       netlua doc --stubs DIR      (LuaLS stubs for editor completion)
       netlua test [PATH...]       (run *_test.lua tests; netlua test -h)
       netlua                      (a prompt, on a terminal)

options:
  -e CODE        run CODE instead of a script file
  -h, --help     show this help
  -v, --version  show the version

Environment: NETLUA_MEMORY=SIZE (e.g. 2GiB, or off) sets the memory ceiling of
the Lua state, past which a script gets "not enough memory" (default: half the
machine's memory, at most 1GiB).

Exit status: 0 ok, 1 script error, 2 usage error, 130 after SIGINT, 143 after SIGTERM,
129 after SIGHUP, 141 when standard output is a pipe its reader closed (| head),
or the code given to os.exit.
Most modules need root or capabilities: sudo netlua ..., or once
sudo setcap cap_net_raw,cap_net_admin,cap_sys_admin+ep ./netlua
`

func main() {
	// No Go stack trace may reach a user, even from a bug netlua did not catch.
	debug.SetTraceback("none")
	os.Exit(dispatch(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// dispatch is the whole command: it hands args to the subcommand they
// name, and returns the exit status.
func dispatch(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "doc" {
		return apidoc.Main(args[1:], modules.All(), stdout, stderr)
	}
	if err := luabind.CheckMemorySetting(); err != nil {
		fmt.Fprintf(stderr, "netlua: %v\n", err)
		return cli.ExitUsage
	}
	if len(args) > 0 && args[0] == "test" {
		return testrun.Main(args[1:], modules.All(), stdout, stderr)
	}
	inv, err := run.ParseArgs(args)
	var missing *run.MissingScript
	switch {
	case errors.As(err, &missing):
		fmt.Fprintf(stderr, "netlua: %v\n", err)
		return cli.ExitUsage
	case err != nil:
		fmt.Fprintf(stderr, "netlua: %v\n\n%s", err, usage)
		return cli.ExitUsage
	}
	switch {
	case inv.Help:
		fmt.Fprint(stdout, usage)
		return cli.ExitOK
	case inv.Version:
		fmt.Fprintf(stdout, "netlua %s\n", version)
		return cli.ExitOK
	case inv.REPL:
		return repl.Main(version, modules.All(), stdin, stdout, stderr)
	}
	return run.Script(inv, modules.All(), stdin, stdout, stderr)
}
