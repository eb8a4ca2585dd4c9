package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/netlua/netlua/luabind"
)

const docUsage = "usage: netlua doc [MODULE[.NAME]]\n       netlua doc --stubs DIR  (LuaLS type stubs for editors)"

// doc prints the API reference from the module registry: all modules, one
// module, or one function, type or method. With --stubs it writes the
// editor stubs instead.
func doc(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 && args[0] == "--stubs" {
		return docStubs(args[1:], stdout, stderr)
	}
	switch {
	case len(args) == 1 && strings.HasPrefix(args[0], "-"):
		return docUsageError(stderr, "unknown option "+args[0])
	case len(args) > 1:
		return docUsageError(stderr, "one name at a time, got "+strings.Join(args, " "))
	}
	mods := luabind.NewSet(modules()...)
	if len(args) == 0 {
		w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
		for _, m := range mods.Modules() {
			fmt.Fprintf(w, "%s\t%s\n", m.Name, m.Doc)
		}
		w.Flush()
		fmt.Fprintln(stdout, "\nnetlua doc MODULE for its functions; netlua doc MODULE.NAME for one.")
		return exitOK
	}
	modName, name, _ := strings.Cut(args[0], ".")
	m, ok := mods.Lookup(modName)
	if !ok {
		fmt.Fprintf(stderr, "netlua doc: no module '%s' (have: %s)\n", modName, moduleNames(mods))
		return exitUsage
	}
	if name == "" {
		writeModule(stdout, m)
		return exitOK
	}
	if !writeName(stdout, m, name) {
		fmt.Fprintf(stderr, "netlua doc: module %s has no %q; see netlua doc %s\n", m.Name, name, m.Name)
		return exitUsage
	}
	return exitOK
}

// docStubs writes the LuaLS stubs into the directory args names.
func docStubs(args []string, stdout, stderr io.Writer) int {
	if len(args) != 1 || args[0] == "" {
		return docUsageError(stderr, "--stubs needs one directory")
	}
	paths, err := writeStubs(args[0])
	if err != nil {
		fmt.Fprintf(stderr, "netlua doc --stubs: %v\n", err)
		return exitError
	}
	fmt.Fprintf(stdout, "wrote %d stub files to %s; point LuaLS at it (Lua.workspace.library)\n", len(paths), args[0])
	return exitOK
}

// docUsageError reports a mistake in the arguments of netlua doc.
func docUsageError(stderr io.Writer, why string) int {
	fmt.Fprintf(stderr, "netlua doc: %s\n\n%s\n", why, docUsage)
	return exitUsage
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
