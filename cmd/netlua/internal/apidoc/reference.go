package apidoc

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/netlua/netlua/cmd/netlua/internal/cli"
	"github.com/netlua/netlua/luabind"
)

const docUsage = "usage: netlua doc [MODULE[.NAME]]\n       netlua doc --stubs DIR  (LuaLS type stubs for editors)"

// Main is `netlua doc`: it prints the API reference from the module
// registry (all modules, one module, or one function, type or method), or
// with --stubs writes the editor stubs instead, and returns the exit status.
func Main(args []string, mods []*luabind.Module, stdout, stderr io.Writer) int {
	fs := cli.NewFlagSet("doc")
	var dir string
	var stubs bool
	fs.Func("stubs", "write LuaLS stubs into DIR", func(v string) error { dir, stubs = v, true; return nil })
	err := fs.Parse(args)
	var opt *cli.OptionError
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprintln(stdout, docUsage)
		return cli.ExitOK
	case errors.As(err, &opt) && opt.Unknown:
		return docUsageError(stderr, "unknown option "+opt.Arg)
	case errors.As(err, &opt): // --stubs without its directory
		return docUsageError(stderr, "--stubs needs one directory")
	case err != nil:
		return docUsageError(stderr, err.Error())
	case stubs:
		return docStubs(dir, fs.Args(), mods, stdout, stderr)
	}
	return reference(fs.Args(), mods, stdout, stderr)
}

// reference prints the reference args name: every module's summary, one
// module, or one name in a module.
func reference(args []string, linked []*luabind.Module, stdout, stderr io.Writer) int {
	if len(args) > 1 {
		return docUsageError(stderr, "one name at a time, got "+strings.Join(args, " "))
	}
	mods := luabind.NewSet(linked...)
	if len(args) == 0 {
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		for _, m := range mods.Modules() {
			fmt.Fprintf(w, "%s\t%s\n", m.Name, m.Doc)
		}
		w.Flush()
		fmt.Fprintln(stdout, "\nnetlua doc MODULE for its functions; netlua doc MODULE.NAME for one.")
		return cli.ExitOK
	}
	modName, name, _ := strings.Cut(args[0], ".")
	m, ok := mods.Lookup(modName)
	if !ok {
		fmt.Fprintf(stderr, "netlua doc: no module '%s' (have: %s)\n", modName, moduleNames(mods))
		return cli.ExitUsage
	}
	if name == "" {
		writeModule(stdout, m)
		return cli.ExitOK
	}
	if !writeName(stdout, m, name) {
		fmt.Fprintf(stderr, "netlua doc: module %s has no %q; see netlua doc %s\n", m.Name, name, m.Name)
		return cli.ExitUsage
	}
	return cli.ExitOK
}

// docStubs writes the LuaLS stubs into dir; rest are the arguments after
// it, of which there must be none.
func docStubs(dir string, rest []string, mods []*luabind.Module, stdout, stderr io.Writer) int {
	if dir == "" || len(rest) > 0 {
		return docUsageError(stderr, "--stubs needs one directory")
	}
	paths, err := writeStubs(dir, mods)
	if err != nil {
		fmt.Fprintf(stderr, "netlua doc --stubs: %v\n", err)
		return cli.ExitError
	}
	fmt.Fprintf(stdout, "wrote %d stub files to %s; point LuaLS at it (Lua.workspace.library)\n", len(paths), dir)
	return cli.ExitOK
}

// docUsageError reports a mistake in the arguments of netlua doc.
func docUsageError(stderr io.Writer, why string) int {
	fmt.Fprintf(stderr, "netlua doc: %s\n\n%s\n", why, docUsage)
	return cli.ExitUsage
}

// moduleNames lists the modules of mods: "filter, frame, ...".
func moduleNames(mods *luabind.Set) string {
	var names []string
	for _, m := range mods.Modules() {
		names = append(names, m.Name)
	}
	return strings.Join(names, ", ")
}

// writeModule prints a module's functions, globals, fields and types.
func writeModule(w io.Writer, m *luabind.Module) {
	fmt.Fprintf(w, "%s — %s\n", m.Name, m.Doc)
	if m.Name != "" {
		fmt.Fprintf(w, "\n  local %s = require %q\n", m.Name, m.Name)
	}
	writeFuncs(w, "functions", m.Name+".", m.Funcs)
	writeFuncs(w, "globals", "", m.Globals)
	writeFields(w, "fields", m.Fields)
	for _, t := range m.Types {
		fmt.Fprintf(w, "\n%s — %s\n", t.Name, t.Doc)
		writeFuncs(w, "methods", "", t.Methods)
		writeFields(w, "fields", t.Fields)
	}
}

func writeFuncs(w io.Writer, title, prefix string, fs []luabind.Func) {
	if len(fs) == 0 {
		return
	}
	fmt.Fprintf(w, "\n  %s:\n", title)
	for _, f := range fs {
		sig := f.Sig
		if strings.HasPrefix(sig, f.Name+"(") || strings.HasPrefix(sig, f.Name+"{") {
			sig = prefix + sig
		}
		fmt.Fprintf(w, "    %s\n        %s\n", sig, f.Doc)
	}
}

func writeFields(w io.Writer, title string, fs []luabind.Field) {
	if len(fs) == 0 {
		return
	}
	fmt.Fprintf(w, "\n  %s:\n", title)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, f := range fs {
		fmt.Fprintf(tw, "    %s\t%s\t%s\n", f.Name, f.Type, f.Doc)
	}
	tw.Flush()
}

// writeName prints one function, global, type or method of m.
func writeName(w io.Writer, m *luabind.Module, name string) bool {
	for _, f := range append(append([]luabind.Func{}, m.Funcs...), m.Globals...) {
		if f.Name == name {
			fmt.Fprintf(w, "%s\n    %s\n", f.Sig, f.Doc)
			return true
		}
	}
	for _, t := range m.Types {
		if t.Name == m.Name+"."+name || t.Name == name {
			fmt.Fprintf(w, "%s — %s\n", t.Name, t.Doc)
			writeFuncs(w, "methods", "", t.Methods)
			writeFields(w, "fields", t.Fields)
			return true
		}
		for _, f := range t.Methods {
			if f.Name == name {
				fmt.Fprintf(w, "%s\n    %s\n", f.Sig, f.Doc)
				return true
			}
		}
	}
	return false
}
