package main

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// repl reads statements from a terminal and runs them in one runtime. An
// expression's values are printed; an incomplete statement continues on
// the next line. History and completion come with the full REPL.
func repl(stdin io.Reader, stdout, stderr io.Writer) int {
	rt := luabind.New()
	rt.Stdout, rt.Stderr = stdout, stderr
	defer rt.Close()
	fmt.Fprintf(stdout, "netlua %s — Lua 5.1; netlua doc for the API, ^D to leave\n", version)
	in := bufio.NewScanner(stdin)
	var pending string
	for {
		if pending == "" {
			fmt.Fprint(stdout, "> ")
		} else {
			fmt.Fprint(stdout, ">> ")
		}
		if !in.Scan() {
			fmt.Fprintln(stdout)
			return exitOK
		}
		line := pending + in.Text()
		line = strings.TrimPrefix(line, "=")
		chunk, err := rt.Load(strings.NewReader("return "+line), "stdin")
		if err != nil {
			chunk, err = rt.Load(strings.NewReader(line), "stdin")
		}
		if err != nil && strings.Contains(err.Error(), "at end of file") {
			pending = line + "\n"
			continue
		}
		pending = ""
		if err != nil {
			fmt.Fprintln(stderr, err)
			continue
		}
		evalPrint(rt, chunk, stdout, stderr)
	}
}

// evalPrint calls chunk and prints what it returns.
func evalPrint(rt *luabind.Runtime, chunk *lua.LFunction, stdout, stderr io.Writer) {
	L := rt.L
	top := L.GetTop()
	L.Push(chunk)
	if err := L.PCall(0, lua.MultRet, nil); err != nil {
		fmt.Fprintln(stderr, luabind.Report(err))
		return
	}
	var vals []string
	for i := top + 1; i <= L.GetTop(); i++ {
		vals = append(vals, L.ToStringMeta(L.Get(i)).String())
	}
	L.SetTop(top)
	if len(vals) > 0 {
		fmt.Fprintln(stdout, strings.Join(vals, "\t"))
	}
}
