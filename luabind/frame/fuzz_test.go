package frame

import (
	"bytes"
	"encoding/hex"
	"math/rand/v2"
	"testing"
)

// fuzzRegistry is the built-in protocols plus defined ones, bound above
// UDP and above themselves, so that fuzzing reaches the custom codec.
func fuzzRegistry(tb testing.TB) *Registry {
	tb.Helper()
	r := NewRegistry()
	bits, err := r.Define("bits", []FieldSpec{
		{Name: "a", Bits: 3, BitField: true}, {Name: "b", Bits: 13, BitField: true},
		{Name: "len", Bits: 16, Length: true}, {Name: "addr", Bits: 128, Kind: IPv6Addr},
	})
	if err != nil {
		tb.Fatal(err)
	}
	if err := r.Bind(UDP, "dport", 9999, bits); err != nil {
		tb.Fatal(err)
	}
	if err := r.Bind(bits, "a", 7, bits); err != nil {
		tb.Fatal(err)
	}
	return r
}

// checkParse parses data from each protocol: parse must not panic, its
// payload and padding must end the data, and a frame decoded without error
// must build back to the same bytes, since a parsed layer has every field
// given.
func checkParse(t *testing.T, r *Registry, data []byte) {
	t.Helper()
	b := Builder{Registry: r}
	for _, name := range r.Names() {
		p := new(Packet)
		r.Parse(p, data, r.Proto(name))
		tail := append(append([]byte(nil), p.Payload...), p.Padding...)
		if !bytes.HasSuffix(data, tail) {
			t.Fatalf("%s: payload and padding are not the end of %x", name, data)
		}
		if p.Err != nil {
			continue
		}
		layers := []*Layer{}
		for i := range p.Layers {
			layers = append(layers, &p.Layers[i])
		}
		layers = append(layers, Raw(p.Payload), Raw(p.Padding))
		if got := b.Build(layers); !bytes.Equal(got, data) && !lldpPadded(p, data, got) {
			t.Fatalf("%s: parsed %x\nbuilt back %x (layers %s)", name, data, got, layerNames(p))
		}
	}
}

func FuzzParse(f *testing.F) { fuzzVectors(f, vectorFiles...) }

// fuzzVectors fuzzes the parser with checkParse, seeded with the frames of
// the files of vectors.
func fuzzVectors(f *testing.F, files ...string) {
	var frames []string
	for _, file := range files {
		for _, v := range readVectors(f, file) {
			frames = append(frames, v.Hex)
		}
	}
	fuzzFrames(f, frames)
}

// fuzzFrames fuzzes the parser with checkParse, seeded with frames in hex.
func fuzzFrames(f *testing.F, frames []string) {
	for _, h := range frames {
		data, err := hex.DecodeString(h)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	r := fuzzRegistry(f)
	f.Fuzz(func(t *testing.T, data []byte) { checkParse(t, r, data) })
}

// TestParseRandomAndTruncated is the fuzz test's check on frames made up
// here: every Scapy vector cut at every length, with bytes flipped, and
// thousands of random byte strings.
func TestParseRandomAndTruncated(t *testing.T) {
	r := fuzzRegistry(t)
	rng := rand.New(rand.NewPCG(4, 2026))
	var frames [][]byte
	for _, v := range loadVectors(t) {
		data, _ := hex.DecodeString(v.Hex)
		for n := range len(data) + 1 {
			frames = append(frames, data[:n])
		}
		for range 4 {
			flipped := append([]byte(nil), data...)
			flipped[rng.IntN(len(flipped))] ^= byte(1 + rng.IntN(255))
			frames = append(frames, flipped)
		}
	}
	for range 3000 {
		data := make([]byte, rng.IntN(120))
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		frames = append(frames, data)
	}
	for _, data := range frames {
		checkParse(t, r, data)
	}
}
