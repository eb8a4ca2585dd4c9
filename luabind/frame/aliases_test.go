package frame

import (
	"strings"
	"testing"
)

// TestAliasesLua gives and reads vlan's and icmp6's fields by Scapy's
// names (Dot1Q's prio, id, vlan; ICMPv6's cksum): each must set and read
// the very field netlua names otherwise.
func TestAliasesLua(t *testing.T) {
	runLua(t, `
local scapy = f.build{f.ether{}, f.vlan{prio = 5, id = 1, vlan = 42}, f.ipv6{}, f.icmp6{cksum = 0x1234}}
local netlua = f.build{f.ether{}, f.vlan{pcp = 5, dei = 1, vid = 42}, f.ipv6{}, f.icmp6{chksum = 0x1234}}
eq(hex(scapy), hex(netlua), "built with Scapy's names")
local p = f.parse(scapy)
eq(p.vlan.prio, 5, "vlan.prio"); eq(p.vlan.id, 1, "vlan.id"); eq(p.vlan.vlan, 42, "vlan.vlan")
eq(p.icmp6.cksum, 0x1234, "icmp6.cksum"); eq(p.icmp6.cksum, p.icmp6.chksum, "cksum is chksum")
p.vlan.prio = 3
eq(p.vlan.pcp, 3, "pcp set through prio")
local l = f.vlan{}; l.vlan = 7; eq(l.vid, 7, "vid set through vlan")
`)
}

// TestAliasesDoc checks that the constructors' docs name the aliases.
func TestAliasesDoc(t *testing.T) {
	for _, c := range []struct {
		p    *Proto
		want string
	}{
		{VLAN, "prio for pcp, id for dei, vlan for vid"},
		{ICMPv6, "cksum for chksum"},
	} {
		if doc := constructorFunc(c.p).Doc; !strings.Contains(doc, c.want) {
			t.Errorf("%s doc %q lacks %q", c.p.Name, doc, c.want)
		}
	}
}

// TestAliasClash checks that an alias may not be another field's name.
func TestAliasClash(t *testing.T) {
	p := &Proto{Name: "x", Fields: []Field{
		{Name: "a", Bits: 8}, {Name: "b", Bits: 8, Aliases: []string{"a"}},
	}}
	if err := p.layout(); err == nil || !strings.Contains(err.Error(), "alias 'a'") {
		t.Errorf("layout: %v, want an error about alias 'a'", err)
	}
}

// TestAliasesLayerTable reads and writes a constructed layer (a table)
// by either name, and refuses a field given by both.
func TestAliasesLayerTable(t *testing.T) {
	runLua(t, `
local m = f.vlan{prio = 5}
eq(m.pcp, 5, "pcp given as prio"); eq(m.prio, 5, "prio given as prio")
m.vlan = 8
eq(m.vid, 8, "vid set as vlan"); eq(m.vlan, 8, "vlan set as vlan")
local c = f.icmp6{cksum = 7}
eq(c.chksum, 7, "chksum given as cksum")
`)
	if msg := luaError(t, `f.vlan{pcp = 1, prio = 2}`); !strings.Contains(msg, "given twice") {
		t.Errorf("error %q, want one about a field given twice", msg)
	}
}
