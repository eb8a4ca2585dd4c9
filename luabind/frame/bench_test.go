package frame

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/netlua/netlua/luabind"
	"github.com/netlua/netlua/luabind/testlab"
)

// benchLayers is the frame of the benchmarks: Ether/IPv4/UDP with a
// 16-byte payload, as Scapy's raw(Ether()/IP()/UDP()/Raw(b'x'*16)).
func benchLayers(b *testing.B) []*Layer {
	return []*Layer{
		mustLayer(b, Ether, "src", "02:00:00:00:00:01", "dst", "52:54:00:cf:ab:76"),
		mustLayer(b, IPv4, "src", "198.18.0.1", "dst", "198.18.0.2"),
		mustLayer(b, UDP, "sport", 4000, "dport", 5000),
		Raw(bytes.Repeat([]byte("x"), 16)),
	}
}

func BenchmarkBuild(b *testing.B) {
	layers := benchLayers(b)
	var bld Builder
	b.ReportAllocs()
	for b.Loop() {
		bld.Build(layers)
	}
}

func BenchmarkParse(b *testing.B) {
	data := Build(benchLayers(b)...)
	var p Packet
	b.ReportAllocs()
	for b.Loop() {
		builtin.Parse(&p, data, Ether)
	}
	if p.Err != nil || len(p.Layers) != 3 {
		b.Fatalf("parsed %d layers, error %v", len(p.Layers), p.Err)
	}
}

// BenchmarkLuaBuildParse runs scripts/bench/frame.lua for b.N frames:
// each is built, parsed and a field read, from Lua. The goal is 4 µs or
// less (Scapy takes 100 to 180 µs).
func BenchmarkLuaBuildParse(b *testing.B) {
	benchScript(b, "")
}

// BenchmarkLuaTablesOnly runs the same script with a frame module whose
// functions do nothing: the time gopher-lua takes to make the tables and
// calls the loop writes, whatever frame does.
func BenchmarkLuaTablesOnly(b *testing.B) {
	benchScript(b, `
local none = function(x) return x end
local packet = { udp = { dport = 5000 } }
package.loaded.frame = { ether = none, ipv4 = none, udp = none, build = none, parse = function() return packet end }
`)
}

// benchScript runs scripts/bench/frame.lua for b.N frames after prelude.
// Its warm-up adds 1,000 frames at most: under 1% of the runs that give
// the figure.
func benchScript(b *testing.B, prelude string) {
	rt := luabind.New(luaModules()...)
	defer rt.Close()
	rt.Stdout = io.Discard
	code := fmt.Sprintf("%s\narg = { [0] = 'frame.lua', '%d' }\n%s", prelude, b.N, benchScriptCode(b))
	chunk, err := rt.L.LoadString(code)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	if err := rt.Call(chunk); err != nil {
		b.Fatal(err)
	}
}

// benchScriptCode is the text of scripts/bench/frame.lua.
func benchScriptCode(tb testing.TB) string {
	tb.Helper()
	code, err := os.ReadFile(filepath.Join(testlab.Root(), "scripts", "bench", "frame.lua"))
	if err != nil {
		tb.Fatal(err)
	}
	return string(code)
}
