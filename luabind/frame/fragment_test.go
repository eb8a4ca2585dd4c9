package frame

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"
)

// fragVectors are the cases of testdata/scapy_frag.json, made by
// testdata/gen_frag.py with Scapy's fragment, defragment, fragment6 and
// defragment6.
type fragVectors struct {
	Fragment []struct {
		Name     string   `json:"name"`
		Ether    bool     `json:"ether"`
		FragSize int      `json:"fragsize"`
		Hex      string   `json:"hex"`
		Frags    []string `json:"frags"`
	} `json:"fragment"`
	Defragment []struct {
		Name  string   `json:"name"`
		Ether bool     `json:"ether"`
		In    []string `json:"in"`
		Out   []string `json:"out"`
	} `json:"defragment"`
	Fragment6 []struct {
		Name     string   `json:"name"`
		Ether    bool     `json:"ether"`
		FragSize int      `json:"fragsize"`
		Hex      string   `json:"hex"`
		ID       uint32   `json:"id"`
		TooSmall bool     `json:"too_small"`
		Frags    []string `json:"frags"`
	} `json:"fragment6"`
	Defragment6 []struct {
		Name  string   `json:"name"`
		Ether bool     `json:"ether"`
		In    []string `json:"in"`
		Out   *string  `json:"out"`
	} `json:"defragment6"`
}

func loadFragVectors(tb testing.TB) fragVectors {
	tb.Helper()
	data, err := os.ReadFile("testdata/scapy_frag.json")
	if err != nil {
		tb.Fatal(err)
	}
	var v fragVectors
	if err := json.Unmarshal(data, &v); err != nil {
		tb.Fatal(err)
	}
	return v
}

func unhexAll(tb testing.TB, hs []string) [][]byte {
	tb.Helper()
	out := make([][]byte, len(hs))
	for i, h := range hs {
		b, err := hex.DecodeString(h)
		if err != nil {
			tb.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// sameFrames compares frames with Scapy's, one by one, in hex.
func sameFrames(t *testing.T, got [][]byte, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%d frames, Scapy has %d", len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if g := hex.EncodeToString(got[i]); g != want[i] {
			t.Errorf("frame %d:\n got %s\nwant %s", i, g, want[i])
		}
	}
}

func TestFragmentScapy(t *testing.T) {
	vs := loadFragVectors(t)
	if len(vs.Fragment) < 25 {
		t.Fatalf("%d fragment vectors, want at least 25", len(vs.Fragment))
	}
	for _, v := range vs.Fragment {
		t.Run(v.Name, func(t *testing.T) {
			in := unhexAll(t, []string{v.Hex})[0]
			got, err := Fragment(in, v.FragSize, v.Ether)
			if err != nil {
				t.Fatal(err)
			}
			sameFrames(t, got, v.Frags)
		})
	}
}

func TestDefragmentScapy(t *testing.T) {
	vs := loadFragVectors(t)
	if len(vs.Defragment) < 25 {
		t.Fatalf("%d defragment vectors, want at least 25", len(vs.Defragment))
	}
	for _, v := range vs.Defragment {
		t.Run(v.Name, func(t *testing.T) {
			sameFrames(t, Defragment(unhexAll(t, v.In), v.Ether), v.Out)
		})
	}
}

// TestFragmentErrors checks what Scapy cannot do either: a fragment size
// under 8 (Scapy divides by zero) and a frame without IPv4.
func TestFragmentErrors(t *testing.T) {
	vs := loadFragVectors(t)
	in := unhexAll(t, []string{vs.Fragment[0].Hex})[0]
	if _, err := Fragment(in, 7, true); err == nil {
		t.Error("fragsize 7: no error")
	}
	if _, err := Fragment(in[:20], 8, true); err == nil {
		t.Error("a frame cut inside the IPv4 header: no error")
	}
}

// FuzzDefragment feeds Defragment lists of frames cut from one input, and
// checks it never panics and never returns more frames than it got.
func FuzzDefragment(f *testing.F) {
	for _, v := range loadFragVectors(f).Defragment {
		f.Add(joinFrames(unhexAll(f, v.In)), v.Ether)
	}
	f.Fuzz(func(t *testing.T, data []byte, ether bool) {
		frames := splitFrames(data)
		if out := Defragment(frames, ether); len(out) > len(frames) {
			t.Fatalf("%d frames out of %d", len(out), len(frames))
		}
	})
}

func TestFragment6Scapy(t *testing.T) {
	vs := loadFragVectors(t)
	if len(vs.Fragment6) < 25 {
		t.Fatalf("%d fragment6 vectors, want at least 25", len(vs.Fragment6))
	}
	for _, v := range vs.Fragment6 {
		t.Run(v.Name, func(t *testing.T) {
			in := unhexAll(t, []string{v.Hex})[0]
			got, err := Fragment6(in, v.FragSize, v.Ether, v.ID)
			if v.TooSmall {
				if err == nil {
					t.Fatalf("fragsize %d leaves no room for data: no error", v.FragSize)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			sameFrames(t, got, v.Frags)
		})
	}
}

func TestDefragment6Scapy(t *testing.T) {
	vs := loadFragVectors(t)
	if len(vs.Defragment6) < 25 {
		t.Fatalf("%d defragment6 vectors, want at least 25", len(vs.Defragment6))
	}
	for _, v := range vs.Defragment6 {
		t.Run(v.Name, func(t *testing.T) {
			got, ok := Defragment6(unhexAll(t, v.In), v.Ether)
			if v.Out == nil {
				if ok {
					t.Fatalf("reassembled %x, Scapy has nothing", got)
				}
				return
			}
			sameFrames(t, [][]byte{got}, []string{*v.Out})
		})
	}
}

// FuzzDefragment6 checks Defragment6 never panics on lists of frames cut
// from one input.
func FuzzDefragment6(f *testing.F) {
	for _, v := range loadFragVectors(f).Defragment6 {
		f.Add(joinFrames(unhexAll(f, v.In)), v.Ether)
	}
	f.Fuzz(func(t *testing.T, data []byte, ether bool) {
		frames := splitFrames(data)
		if got, ok := Defragment6(frames, ether); ok != (got != nil) {
			t.Fatalf("ok %v with %d bytes", ok, len(got))
		}
	})
}

// joinFrames writes frames as one fuzz input: each after its length in
// two bytes. splitFrames reads them back, from any bytes.
func joinFrames(frames [][]byte) []byte {
	var data []byte
	for _, b := range frames {
		data = append(data, byte(len(b)>>8), byte(len(b)))
		data = append(data, b...)
	}
	return data
}

func splitFrames(data []byte) [][]byte {
	var frames [][]byte
	for len(data) >= 2 {
		n := min(int(data[0])<<8|int(data[1]), len(data)-2)
		frames = append(frames, data[2:2+n])
		data = data[2+n:]
	}
	return frames
}
