package frame

import (
	"encoding/hex"
	"testing"
)

// checkListCodec is what the fuzz targets ask of a list codec on any
// bytes: decoding does not panic, and what it reads can be written back
// (a parsed list builds), twice over. Written back, the bytes need not
// read the same: Scapy's reading is lossy where lengths lie (a length of
// 0 reads as a value that eats the next option's bytes from the end).
func checkListCodec(t *testing.T, c ListCodec, data []byte) {
	t.Helper()
	for range 2 {
		items := c.Decode(data)
		_ = itemsText(items)
		written, err := c.Encode(nil, items)
		if err != nil {
			t.Fatalf("%x reads as %s, which does not write: %v", data, itemsText(items), err)
		}
		data = written
	}
}

// optionSeeds are the options of the layers of the Scapy vectors in
// file, as on the wire.
func optionSeeds(f *testing.F, file string, layers ...string) {
	for _, v := range readVectors(f, file) {
		for _, layer := range layers {
			fields, _ := v.Fields[layer].(map[string]any)
			if h, ok := fields["options_hex"].(string); ok {
				data, err := hex.DecodeString(h)
				if err != nil {
					f.Fatal(err)
				}
				f.Add(data)
			}
		}
	}
}

func FuzzTCPOptions(f *testing.F) {
	optionSeeds(f, optsVectorFile, "tcp")
	f.Fuzz(func(t *testing.T, data []byte) { checkListCodec(t, tcpOptionList, data) })
}

func FuzzIPv4Options(f *testing.F) {
	optionSeeds(f, optsVectorFile, "ipv4")
	f.Fuzz(func(t *testing.T, data []byte) { checkListCodec(t, ipOptionList, data) })
}
