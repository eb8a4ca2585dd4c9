package frame

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
)

// A vector is a frame Scapy built, with the layers that describe it and
// the fields Scapy reads back from its bytes.
type vector struct {
	Name   string           `json:"name"`
	Layers []map[string]any `json:"layers"`
	Hex    string           `json:"hex"`
	Fields map[string]any   `json:"fields"`
}

// vectorFiles are the Scapy vectors: frames.json is copied, unedited,
// from the project's shared vectors; scapy_extra.json is made by
// testdata/gen_extra.py.
var vectorFiles = []string{"testdata/frames.json", "testdata/scapy_extra.json"}

func loadVectors(tb testing.TB) []vector {
	tb.Helper()
	var all []vector
	for _, name := range vectorFiles {
		all = append(all, readVectors(tb, name)...)
	}
	return all
}

// readVectors reads one file of vectors, naming each after the file.
func readVectors(tb testing.TB, name string) []vector {
	tb.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		tb.Fatal(err)
	}
	var vs []vector
	if err := json.Unmarshal(data, &vs); err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	for i := range vs {
		vs[i].Name = name + ": " + vs[i].Name
	}
	return vs
}

func TestVectorsBuild(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			layers, err := vectorLayers(v.Layers)
			if err != nil {
				t.Fatal(err)
			}
			got := hex.EncodeToString(Build(layers...))
			if got != v.Hex {
				t.Errorf("build:\n got %s\nwant %s", got, v.Hex)
			}
		})
	}
}

func TestVectorsParse(t *testing.T) {
	for _, v := range loadVectors(t) {
		t.Run(v.Name, func(t *testing.T) {
			data, err := hex.DecodeString(v.Hex)
			if err != nil {
				t.Fatal(err)
			}
			first := Ether
			if len(v.Layers) > 0 {
				first = builtin.Proto(fmt.Sprint(v.Layers[0]["layer"]))
			}
			p := new(Packet)
			builtin.Parse(p, data, first)
			for name, want := range v.Fields {
				checkVectorField(t, p, name, want)
			}
		})
	}
}

// checkVectorField compares what parse read with one entry of a vector's
// fields: a layer's fields, or the payload's hex.
func checkVectorField(t *testing.T, p *Packet, name string, want any) {
	t.Helper()
	switch name {
	case "payload_hex", "padding_hex":
		got := p.Payload
		if name == "padding_hex" {
			got = p.Padding
		}
		if h := hex.EncodeToString(got); h != want {
			t.Errorf("%s: got %s, want %s", name, h, want)
		}
		return
	}
	// A repeated layer (QinQ) may list one table per occurrence.
	wants, ok := want.([]any)
	if !ok {
		wants = []any{want}
	}
	var found []*Layer
	for i := range p.Layers {
		if p.Layers[i].Proto.Name == name {
			found = append(found, &p.Layers[i])
		}
	}
	if len(found) < len(wants) {
		t.Fatalf("parse: %d %s layers, want %d (error: %v)", len(found), name, len(wants), p.Err)
	}
	for n, w := range wants {
		for key, value := range w.(map[string]any) {
			checkLayerField(t, found[n], key, value)
		}
	}
}

// checkLayerField compares field key of the parsed layer with the value
// Scapy read, both set on a fresh layer so that equal values in different
// spellings ("MF+DF", "DF+MF"; "2001:db8::1", "2001:0db8::1") compare equal.
func checkLayerField(t *testing.T, got *Layer, key string, value any) {
	t.Helper()
	want := NewLayer(got.Proto)
	name, err := setVectorField(want, key, value)
	if err != nil {
		t.Errorf("%s.%s: %v", got.Proto.Name, key, err)
		return
	}
	i, _ := got.Proto.Field(name)
	f := &got.Proto.Fields[i]
	same := bytes.Equal(got.Bytes(i), want.Bytes(i))
	if !f.Kind.bytes() {
		same = got.num[f.slot] == want.num[f.slot] && (f.Kind.slots() < 2 || got.num[f.slot+1] == want.num[f.slot+1])
	}
	if !same {
		t.Errorf("%s.%s: got %s, want %v", got.Proto.Name, name, showValue(got, i), value)
	}
}

// vectorLayers makes the layers a vector lists: {"layer": "ipv4", ...},
// and {"layer": "payload", "hex": ...} for raw bytes.
func vectorLayers(specs []map[string]any) ([]*Layer, error) {
	var layers []*Layer
	for _, spec := range specs {
		name := fmt.Sprint(spec["layer"])
		if name == "payload" || name == "raw" {
			data, err := hex.DecodeString(fmt.Sprint(spec["hex"]))
			if err != nil {
				return nil, err
			}
			layers = append(layers, Raw(data))
			continue
		}
		p := builtin.Proto(name)
		if p == nil {
			return nil, fmt.Errorf("unknown layer %q", name)
		}
		l := NewLayer(p)
		for key, value := range spec {
			if key == "layer" {
				continue
			}
			if _, err := setVectorField(l, key, value); err != nil {
				return nil, fmt.Errorf("%s.%s: %w", name, key, err)
			}
		}
		layers = append(layers, l)
	}
	return layers, nil
}

// setVectorField sets a field from JSON. Byte strings are hex, under the
// field's name or its name with "_hex"; a list field may also be a list
// of items (see jsonItems). It returns the field's name.
func setVectorField(l *Layer, key string, value any) (string, error) {
	name := strings.TrimSuffix(key, "_hex") // Scapy's names are aliases (Field.Aliases)
	i, ok := l.Proto.Field(name)
	if !ok {
		return name, &UnknownFieldError{Proto: l.Proto, Name: name}
	}
	if list, ok := value.([]any); ok && l.Proto.Fields[i].Kind == List {
		items, err := jsonItems(list)
		if err != nil {
			return name, err
		}
		return name, l.SetItems(i, items)
	}
	if l.Proto.Fields[i].Kind.bytes() {
		data, err := vectorBytes(value)
		if err != nil {
			return name, err
		}
		return name, l.SetBytes(i, data)
	}
	return name, l.Set(name, value)
}

func vectorBytes(value any) ([]byte, error) {
	switch v := value.(type) {
	case string:
		return hex.DecodeString(v)
	case nil:
		return nil, nil
	}
	return nil, fmt.Errorf("bytes as hex expected, got %T", value)
}

// checkVectorsBuild builds the layers of each vector in file and compares
// the bytes with Scapy's.
func checkVectorsBuild(t *testing.T, file string) { checkBuild(t, readVectors(t, file)) }

// checkBuild builds the layers of each vector and compares the bytes with
// Scapy's.
func checkBuild(t *testing.T, vs []vector) {
	for _, v := range vs {
		t.Run(v.Name, func(t *testing.T) {
			layers, err := vectorLayers(v.Layers)
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(Build(layers...)); got != v.Hex {
				t.Errorf("build:\n got %s\nwant %s", got, v.Hex)
			}
		})
	}
}
