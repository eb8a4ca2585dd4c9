package frame

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// fuzzedFrame is Ether / IPv4 / TCP / payload, fuzzed with seed, with a
// few fields given: frag 0 keeps TCP decodable, so its checksum is checked.
func fuzzedFrame(t *testing.T, seed uint64) []*Layer {
	t.Helper()
	ip, tcp := NewLayer(IPv4), NewLayer(TCP)
	for _, err := range []error{ip.Set("dst", "198.18.0.2"), ip.Set("frag", 0), tcp.Set("dport", 80)} {
		if err != nil {
			t.Fatal(err)
		}
	}
	r := rand.New(rand.NewPCG(seed, seed))
	return []*Layer{Fuzz(NewLayer(Ether), r), Fuzz(ip, r), Fuzz(tcp, r), Raw([]byte("abc"))}
}

// fuzzBuilds builds layers n times and returns copies of the frames.
func fuzzBuilds(layers []*Layer, n int) [][]byte {
	var b Builder
	frames := make([][]byte, n)
	for i := range frames {
		frames[i] = bytes.Clone(b.Build(layers))
	}
	return frames
}

func TestFuzzGivenStayAutoComputed(t *testing.T) {
	values := map[string]map[string]bool{} // layer.field: the values seen
	for _, data := range fuzzBuilds(fuzzedFrame(t, 1), 200) {
		p := Parse(data)
		if p.Err != nil || len(p.Layers) != 3 || string(p.Payload) != "abc" {
			t.Fatalf("%x parses as %v, payload %q, error %v", data, p.Layers, p.Payload, p.Err)
		}
		ip, tcp := p.Layer("ipv4"), p.Layer("tcp")
		if ip.Text(ipDst) != "198.18.0.2" || ip.Uint(ipFrag) != 0 || tcp.Uint(tcpDport) != 80 {
			t.Fatalf("given fields changed: %v / %v", ip, tcp)
		}
		// Rebuilt with its auto fields cleared, the frame is the same:
		// the fuzzed one computed its lengths and checksums.
		var again []*Layer
		for i := range p.Layers {
			l := &p.Layers[i]
			for j := range l.Proto.Fields {
				if key := l.Proto.Name + "." + l.Proto.Fields[j].Name; l.Proto.Fields[j].Auto {
					l.Clear(j)
				} else if values[key] == nil {
					values[key] = map[string]bool{l.Text(j): true}
				} else {
					values[key][l.Text(j)] = true
				}
			}
			again = append(again, l)
		}
		if rebuilt := Build(append(again, Raw(p.Payload))...); !bytes.Equal(rebuilt, data) {
			t.Fatalf("auto fields not computed:\nfuzzed  %x\nrebuilt %x", data, rebuilt)
		}
	}
	// Given, bound by the layer above, or empty byte strings: one value.
	fixed := map[string]bool{"ether.type": true, "ipv4.dst": true, "ipv4.frag": true, "ipv4.proto": true,
		"ipv4.options": true, "tcp.dport": true, "tcp.options": true}
	for key, seen := range values {
		if fixed[key] != (len(seen) == 1) {
			t.Errorf("%s took %d values over 200 builds", key, len(seen))
		}
	}
}

func TestFuzzSeed(t *testing.T) {
	a, b, c := fuzzBuilds(fuzzedFrame(t, 7), 200), fuzzBuilds(fuzzedFrame(t, 7), 200), fuzzBuilds(fuzzedFrame(t, 8), 200)
	for i := range a {
		if !bytes.Equal(a[i], b[i]) {
			t.Fatalf("seed 7, build %d: %x, then %x", i, a[i], b[i])
		}
		if bytes.Equal(a[i], c[i]) {
			t.Fatalf("seeds 7 and 8, build %d: both %x", i, a[i])
		}
	}
	if bytes.Equal(a[0], a[1]) {
		t.Fatalf("two builds of a fuzzed frame are the same: %x", a[0])
	}
}

// TestFuzzLeavesUnfuzzed checks that building a fuzzed layer changes
// neither it nor the layers not fuzzed beside it.
func TestFuzzLeavesUnfuzzed(t *testing.T) {
	layers := fuzzedFrame(t, 3)
	layers[0] = NewLayer(Ether)
	want := Build(NewLayer(Ether), NewLayer(IPv4), NewLayer(TCP))[:14]
	before := layers[1].String()
	for _, data := range fuzzBuilds(layers, 50) {
		if !bytes.Equal(data[:14], want) {
			t.Fatalf("ether not fuzzed changed: %x, want %x", data[:14], want)
		}
	}
	if layers[1].String() != before || layers[1].Uint(ipTTL) != IPv4.defaults.Uint(ipTTL) {
		t.Fatalf("building changed the fuzzed layer: %v, was %v", layers[1], before)
	}
}

func TestLuaFuzz(t *testing.T) {
	runLua(t, `
local layers = f.fuzz({ f.ether{}, f.ipv4{ dst = "198.18.0.2", frag = 0 }, f.udp{ dport = 4000 }, "xyz" }, { seed = 5 })
eq(#layers, 4, "#layers")
local same = f.fuzz({ f.ether{}, f.ipv4{ dst = "198.18.0.2", frag = 0 }, f.udp{ dport = 4000 }, "xyz" }, { seed = 5 })
local other = f.fuzz({ f.ether{}, f.ipv4{ dst = "198.18.0.2", frag = 0 }, f.udp{ dport = 4000 }, "xyz" }, { seed = 6 })
local ttls, sports = {}, {}
local nttl, nsport = 0, 0
for i = 1, 200 do
  local b = f.build(layers)
  eq(f.build(same), b, "same seed, build " .. i)
  if f.build(other) == b then error("seeds 5 and 6 gave the same frame " .. hex(b)) end
  local p = f.parse(b)
  eq(p.error, nil, "error"); eq(p.payload, "xyz", "payload")
  eq(p.ipv4.dst, "198.18.0.2", "given dst"); eq(p.ipv4.frag, 0, "given frag"); eq(p.udp.dport, 4000, "given dport")
  eq(p.ipv4.len, #b - 14, "ipv4.len"); eq(p.udp.len, 11, "udp.len")
  -- rebuilt with the checksums computed, the frame is the same
  local ip, udp = p.ipv4, p.udp
  ip.chksum, udp.chksum = nil, nil
  eq(hex(f.build{p.ether, f.ipv4(ip), f.udp(udp), p.payload}), hex(b), "checksums")
  if not ttls[p.ipv4.ttl] then ttls[p.ipv4.ttl] = true; nttl = nttl + 1 end
  if not sports[p.udp.sport] then sports[p.udp.sport] = true; nsport = nsport + 1 end
end
if nttl < 2 or nsport < 2 then error("ttl took " .. nttl .. " values, sport " .. nsport) end
local one = f.fuzz(f.udp{ dport = 4000 }, { seed = 1 })
eq(f.parse(f.build{ one }, { first = "udp" }).udp.dport, 4000, "a layer alone")
`)
}

// TestFuzzBuildAllocates checks that a Builder draws fuzzed values
// without allocating, once its buffers have grown.
func TestFuzzBuildAllocates(t *testing.T) {
	layers := fuzzedFrame(t, 2)
	var b Builder
	b.Build(layers)
	if n := testing.AllocsPerRun(100, func() { b.Build(layers) }); n != 0 {
		t.Fatalf("%v allocations per build", n)
	}
}
