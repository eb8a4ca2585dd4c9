package pcap

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/netlua/netlua/luabind/testlab"
)

// f.parse(bytes, {linktype = info.linktype}) decodes the records of every
// link type frame knows as Scapy's rdpcap does. The captures and the layers
// Scapy read from them are made by ../frame/testdata/gen_link.py.
func TestParseByLinkType(t *testing.T) {
	data, err := os.ReadFile("testdata/link_layers.json")
	if err != nil {
		t.Fatal(err)
	}
	var want map[string][][]string
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	for file, records := range want {
		t.Run(file, func(t *testing.T) {
			out := testlab.MustLua(t, globals("FILE", filepath.Join("testdata", file))+`
				local pcap, f = require "pcap", require "frame"
				for bytes, info in pcap.read(FILE) do
					local p, names = f.parse(bytes, { linktype = info.linktype }), {}
					for _, l in ipairs(p.layers) do names[#names + 1] = l.name end
					print(table.concat(names, ","), p.error)
				end
			`, luaModules()...)
			var lines []string
			for _, layers := range records {
				lines = append(lines, strings.Join(layers, ",")+"\tnil")
			}
			if w := strings.Join(lines, "\n") + "\n"; out != w {
				t.Errorf("got\n%s\nwant\n%s", out, w)
			}
		})
	}
}
