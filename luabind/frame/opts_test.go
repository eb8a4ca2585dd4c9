package frame

import (
	"encoding/hex"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"testing"
)

// Vectors of TCP and IPv4 options: made by testdata/gen_opts.py with
// Scapy, in the format of the other vector files, where a layer's
// "options" is a list of items (see jsonItems) or, as "options_hex", raw
// bytes; its fields hold the options both as Scapy read them (items) and
// as they are on the wire (options_hex).
const optsVectorFile = "testdata/scapy_opts.json"

// TestOptionsVectors builds each vector's layers, options given as items
// or bytes, and compares with Scapy's bytes; then parses Scapy's bytes and
// compares every field, the options item by item with Scapy's reading.
func TestOptionsVectors(t *testing.T) {
	counts := map[string]int{}
	for _, v := range readVectors(t, optsVectorFile) {
		t.Run(v.Name, func(t *testing.T) {
			layers, err := vectorLayers(v.Layers)
			if err != nil {
				t.Fatal(err)
			}
			if got := hex.EncodeToString(Build(layers...)); got != v.Hex {
				t.Errorf("build:\n got %s\nwant %s", got, v.Hex)
			}
			data, _ := hex.DecodeString(v.Hex)
			checkVectorLists(t, Parse(data), v.Fields, func(l *Layer, want any) {
				checkItems(t, l, want)
				counts[l.Proto.Name]++
			})
		})
	}
	// The issue asks for at least 25 vectors of each.
	if counts["tcp"] < 25 || counts["ipv4"] < 25 {
		t.Errorf("options compared: %v, want 25 or more of each", counts)
	}
}

// checkVectorLists compares every field of a parsed vector with Scapy's,
// each layer's options through check.
func checkVectorLists(t *testing.T, p *Packet, fields map[string]any, check func(l *Layer, want any)) {
	t.Helper()
	for name, want := range fields {
		layer, ok := want.(map[string]any)
		if !ok {
			checkVectorField(t, p, name, want)
			continue
		}
		l := p.Layer(name)
		if l == nil {
			t.Fatalf("no %s layer (error %v)", name, p.Err)
		}
		for key, value := range layer {
			if key == "options" {
				check(l, value)
				continue
			}
			checkLayerField(t, l, key, value)
		}
	}
}

// checkItems compares the items parse reads from l's options with the
// items Scapy read.
func checkItems(t *testing.T, l *Layer, want any) {
	t.Helper()
	got, items := optionItems(t, l, want)
	if !reflect.DeepEqual(normItems(got), normItems(items)) {
		t.Errorf("%s.options:\n got %s\nwant %s (Scapy)", l.Proto.Name, itemsText(got), itemsText(items))
	}
}

// optionItems are the items parse reads from l's options, and those of
// want, Scapy's reading in JSON.
func optionItems(t *testing.T, l *Layer, want any) (got, items []Item) {
	t.Helper()
	list, _ := want.([]any)
	items, err := jsonItems(list)
	if err != nil {
		t.Fatal(err)
	}
	i, _ := l.Proto.Field("options")
	return l.Items(i), items
}

// jsonItems reads a list of items written in JSON as Lua writes them: an
// array is a table of positional values, an object a table whose keys
// "1", "2"... are positional and the others named, {"hex": "0102"} is a
// byte string, and numbers are numbers.
func jsonItems(list []any) ([]Item, error) {
	var items []Item
	for _, v := range list {
		it, err := jsonValue(v)
		if err != nil {
			return nil, err
		}
		item, ok := it.(Item)
		if !ok {
			return nil, fmt.Errorf("item %v: a table expected", v)
		}
		items = append(items, item)
	}
	return items, nil
}

func jsonValue(v any) (any, error) {
	switch v := v.(type) {
	case []any:
		var it Item
		for _, e := range v {
			x, err := jsonValue(e)
			if err != nil {
				return nil, err
			}
			it.Values = append(it.Values, x)
		}
		return it, nil
	case map[string]any:
		if h, ok := v["hex"]; ok && len(v) == 1 {
			b, err := hex.DecodeString(fmt.Sprint(h))
			return string(b), err
		}
		return jsonTable(v)
	}
	return v, nil
}

func jsonTable(m map[string]any) (Item, error) {
	var it Item
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for n := 1; ; n++ {
		v, ok := m[strconv.Itoa(n)]
		if !ok {
			break
		}
		x, err := jsonValue(v)
		if err != nil {
			return it, err
		}
		it.Values = append(it.Values, x)
	}
	for _, k := range keys {
		if _, err := strconv.Atoi(k); err == nil {
			continue
		}
		x, err := jsonValue(m[k])
		if err != nil {
			return it, err
		}
		it.set(k, x)
	}
	return it, nil
}

// normItems makes items comparable: numbers as float64, named fields in
// name order.
func normItems(items []Item) []any {
	var out []any
	for _, it := range items {
		out = append(out, normValue(it))
	}
	return out
}

func normValue(v any) any {
	switch v := v.(type) {
	case uint64:
		return float64(v)
	case int:
		return float64(v)
	case Item:
		var vals []any
		for _, x := range v.Values {
			vals = append(vals, normValue(x))
		}
		named := map[string]any{}
		for _, f := range v.Fields {
			named[f.Name] = normValue(f.Value)
		}
		return []any{vals, named}
	}
	return v
}
