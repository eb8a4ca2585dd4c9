package frame

import (
	"fmt"
	"strings"
)

// Show returns the packet as Scapy's show() prints it: a block per layer,
// each field on its own line, deeper layers indented further, then the
// payload, the padding and the error, if any.
func (p *Packet) Show() string {
	var b strings.Builder
	for i := range p.Layers {
		l := &p.Layers[i]
		showHeader(&b, l.Proto.Name)
		for f := range l.Proto.Fields {
			if !l.present(f) {
				continue
			}
			showField(&b, i, l.Proto.Fields[f].Name, showValue(l, f))
		}
	}
	level := len(p.Layers)
	for _, part := range []struct {
		name string
		data []byte
	}{{"payload", p.Payload}, {"padding", p.Padding}} {
		if len(part.data) > 0 {
			showHeader(&b, part.name)
			showField(&b, level, "load", reprBytes(part.data))
			level++
		}
	}
	if p.Err != nil {
		showHeader(&b, "error")
		showField(&b, level, "error", p.Err.Error())
	}
	return b.String()
}

func showHeader(b *strings.Builder, name string) {
	fmt.Fprintf(b, "###[ %s ]###\n", name)
}

// showField writes one field, indented as Scapy does: 2 spaces, then 3
// more for each layer above.
func showField(b *strings.Builder, level int, name, value string) {
	fmt.Fprintf(b, "%s%-10s= %s\n", strings.Repeat(" ", 2+3*level), name, value)
}

// showValue is field i as Show prints it: hex where Scapy prints hex,
// bytes as Python's repr of a string.
func showValue(l *Layer, i int) string {
	f := &l.Proto.Fields[i]
	if b, _, ok := l.rawAddr(i); ok {
		return reprBytes(b)
	}
	switch {
	case f.Kind == Bytes:
		return reprBytes(l.Bytes(i))
	case f.Hex:
		return fmt.Sprintf("0x%x", l.Uint(i))
	}
	return l.Text(i)
}

// reprBytes quotes data as Python prints bytes: 'ab\x00'.
func reprBytes(data []byte) string {
	var b strings.Builder
	b.WriteByte('\'')
	for _, c := range data {
		switch {
		case c == '\\' || c == '\'':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c >= 0x20 && c < 0x7f:
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "\\x%02x", c)
		}
	}
	b.WriteByte('\'')
	return b.String()
}

// Hexdump returns data as `tcpdump -X` prints it: the offset, 16 bytes in
// groups of two, and the printable ones as text.
func Hexdump(data []byte) string {
	var b strings.Builder
	for off := 0; off < len(data); off += 16 {
		line := data[off:min(off+16, len(data))]
		fmt.Fprintf(&b, "0x%04x:  ", off)
		width := 0
		for i, c := range line {
			if i > 0 && i%2 == 0 {
				b.WriteByte(' ')
				width++
			}
			fmt.Fprintf(&b, "%02x", c)
			width += 2
		}
		b.WriteString(strings.Repeat(" ", 39-width+2))
		for _, c := range line {
			if c < 0x20 || c >= 0x7f {
				c = '.'
			}
			b.WriteByte(c)
		}
		b.WriteByte('\n')
	}
	return b.String()
}
