package apidoc

import (
	"strings"
	"testing"

	"github.com/netlua/netlua/cmd/netlua/internal/modules"

	lua "github.com/yuin/gopher-lua"

	"github.com/netlua/netlua/luabind"
)

// stubsByModule generates the stubs and indexes them by module name.
func stubsByModule(t *testing.T) map[string]string {
	t.Helper()
	files, err := stubFiles(modules.All())
	if err != nil {
		t.Fatal(err)
	}
	mods := luabind.NewSet(modules.All()...).Modules()
	if len(files) != len(mods) {
		t.Fatalf("%d stub files for %d modules", len(files), len(mods))
	}
	byMod := map[string]string{}
	for i, m := range mods {
		byMod[m.Name] = files[i].text
	}
	return byMod
}

// Each stub is a Lua chunk that loads and runs, and returns its module.
func TestStubsAreLua(t *testing.T) {
	for name, text := range stubsByModule(t) {
		L := lua.NewState()
		fn, err := L.Load(strings.NewReader(text), name+".lua")
		if err != nil {
			t.Errorf("%s.lua does not parse: %v\n%s", name, err, text)
			L.Close()
			continue
		}
		L.Push(fn)
		if err := L.PCall(0, 1, nil); err != nil {
			t.Errorf("%s.lua does not run: %v", name, err)
		} else if _, ok := L.Get(-1).(*lua.LTable); !ok && name != "" {
			t.Errorf("%s.lua returns %s, not its module table", name, L.Get(-1).Type())
		}
		L.Close()
	}
}

// Every registered function, global, type and method is in its module's
// stub, with its doc.
func TestStubsCoverRegistry(t *testing.T) {
	stubs := stubsByModule(t)
	for _, m := range luabind.NewSet(modules.All()...).Modules() {
		text := stubs[m.Name]
		want := []string{"---@meta " + m.Name}
		if m.Name != "" {
			want = append(want, "---@class "+m.Name+"\n", "return "+luaIdent(m.Name)+"\n")
		}
		for _, f := range m.Funcs {
			want = append(want, "---"+f.Doc+"\n", "function "+luaIdent(m.Name)+"."+f.Name+"(")
		}
		for _, f := range m.Globals {
			want = append(want, "---"+f.Doc+"\n", "\nfunction "+f.Name+"(")
		}
		for _, ty := range m.Types {
			want = append(want, "---@class "+ty.Name+"\n")
			for _, f := range ty.Methods {
				want = append(want, "---"+f.Doc+"\n", "function "+luaIdent(ty.Name)+":"+f.Name+"(")
			}
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("stub of %s lacks %q", m.Name, w)
			}
		}
	}
}

// The stubs type what the signatures say, as a user of each call expects.
func TestStubTypes(t *testing.T) {
	stubs := stubsByModule(t)
	tests := []struct{ module, want string }{
		{"packet", "---@param ifname string\n---@param opts? { proto?: string|integer, promisc?: boolean, filter?: string|integer[][], netns?: lab.host|lab.end|string }\n---@return packet.socket socket\nfunction packet.open(ifname, opts) end"},
		{"packet", "---@param timeout? number\n---@return string|nil bytes\n---@return { ifindex: integer, ifname: string, proto: integer, pkttype: string, src: string, ts: number, len: integer }|nil info\nfunction packet_socket:recv(timeout) end"},
		{"packet", "---@param expression string|integer[][]|nil\nfunction packet_socket:filter(expression) end"},
		{"packet", "---@class packet.socket.capture.opts\n---@field file string\n---@field count? integer\n"},
		{"packet", "---@return { received: integer, dropped: integer }\nfunction packet_socket:stats() end"},
		{"frame", "---@param items (frame.layer|frame.packet|string)[]\n---@return string bytes\nfunction frame.build(items) end"},
		{"frame", "---@class frame.ipv4.opts\n---@field version? integer\n"},
		{"filter", "---@field linktype? string\n"},
		{"netlink", "---@class netlink.add_route.opts\n---@field dst? string\n---@field via? string\n---@field dev? string\n---@field src? string\n---@field table? integer|string\n"},
		{"lab", "---@return lab.end a\n---@return lab.end b\nfunction lab.pair(opts) end"},
		{"loop", "---@param seconds number\n---@param fn function\n---@return loop.timer timer\nfunction loop.after(seconds, fn) end"},
		{"loop", "---@return number seconds\nfunction now() end"},
		{"netlink", "---@return netlink.link[]\nfunction netlink.links(opts) end"},
		{"netlink", "---@param name string|integer\n"},
		{"pp", "---@param ... any\nfunction pp.print(...) end"},
	}
	for _, tt := range tests {
		if _, ok := luabind.NewSet(modules.All()...).Lookup(tt.module); !ok {
			t.Errorf("module %s is not registered", tt.module)
			continue
		}
		if !strings.Contains(stubs[tt.module], tt.want) {
			t.Errorf("stub of %s lacks\n%s\n--- stub:\n%s", tt.module, tt.want, stubs[tt.module])
		}
	}
}
