package luabind

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind/internal/netns"
)

// NetNSArg resolves v, the `netns` a script gave to the call op, to a
// namespace: nil is the current namespace (a nil *NS); a lab host or end
// (any userdata holding a netns.Holder) is its namespace; a string names
// /run/netns/NAME (or is a path such as /proc/1234/ns/net when it holds
// a '/'). Named namespaces are opened once per runtime and closed by its
// ledger: callers never close the result. Failures raise a Lua error.
func NetNSArg(L *lua.LState, op string, v lua.LValue) *netns.NS {
	switch x := v.(type) {
	case *lua.LNilType:
		return nil
	case *lua.LUserData:
		if h, ok := x.Value.(netns.Holder); ok {
			return h.NetNS()
		}
	case lua.LString:
		ns, err := openNamed(L, string(x))
		if err != nil {
			Raise(L, &OpError{Op: op, Object: "netns " + string(x), Err: err})
		}
		return ns
	}
	Errorf(L, op, "netns: %s expected, got %s", netnsWant, v.Type())
	return nil
}

// NetNSOption is NetNSArg for the option "netns" of o, with a wrong type
// reported in Lua's bad-argument form.
func NetNSOption(o Options, op string) *netns.NS {
	v := o.Value("netns")
	if !isNetNSValue(v) {
		o.Error("netns", fmt.Sprintf("expects %s, got %s", netnsWant, v.Type()))
	}
	return NetNSArg(o.L, op, v)
}

// netnsWant is what a netns value may be.
const netnsWant = "a lab host or end, or a namespace name"

// NetNSType is the type a function declares for a netns argument or
// option (see Func.Types): what NetNSArg takes.
const NetNSType = "lab.host|lab.end|string"

func isNetNSValue(v lua.LValue) bool {
	switch x := v.(type) {
	case *lua.LNilType, lua.LString:
		return true
	case *lua.LUserData:
		_, ok := x.Value.(netns.Holder)
		return ok
	}
	return false
}

// openNamed opens the namespace called name, once per runtime.
func openNamed(L *lua.LState, name string) (*netns.NS, error) {
	rt := RuntimeOf(L)
	// The key is no module's name: the runtime's own state.
	named := rt.State("netns", func() any { return map[string]*netns.NS{} }).(map[string]*netns.NS)
	if ns := named[name]; ns != nil && ns.FD() >= 0 {
		return ns, nil
	}
	path := name
	if !strings.Contains(name, "/") {
		path = filepath.Join(netns.RunDir, name)
	}
	ns, err := netns.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("no such network namespace (have: %s)", namedNamespaces())
	}
	if err != nil {
		return nil, err
	}
	named[name] = ns
	rt.Ledger.Add("netns "+name, ns.Close)
	return ns, nil
}

// namedNamespaces lists /run/netns for error messages.
func namedNamespaces() string {
	entries, _ := os.ReadDir(netns.RunDir)
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if len(names) == 0 {
		return "none; see ip netns add"
	}
	return strings.Join(names, ", ")
}
