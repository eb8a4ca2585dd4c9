package frame

// Shared lists.
//
// A layer keeps its byte strings in one slice, Layer.data, so that parse
// is a slice of the frame. DNS has four lists, its sections qd, an, ns
// and ar, and a name in one may point into another (compression): they
// share the layer's data, the message after its header, as it was on the
// wire. Each such field has one slot of Layer.num that says where its
// part of the data starts and ends and how many items it holds, so that
// decoding waits until a script reads a section, and a parsed layer
// builds back to the very bytes it came from. Setting a section makes a
// new data of the four parts in their order; no layer ever changes data
// in place, since parsed layers and their copies share it.

// A sharedCodec is the ListCodec of a shared list: its items are read
// from all the layer's data, where names point, from its part's start.
type sharedCodec interface {
	ListCodec
	// DecodeShared reads n items from data[start:].
	DecodeShared(data []byte, start, n int) []Item
}

// A shared part is packed in its slot: start and end in the data, 24
// bits each, and the number of items, 16 bits.
const (
	sharedEndShift, sharedCountShift = 24, 48
	sharedMaxData                    = 1<<24 - 1
	sharedMask                       = 1<<24 - 1
)

// packShared packs a part of the data and its number of items.
func packShared(start, end, n int) uint64 {
	return uint64(start) | uint64(end)<<sharedEndShift | uint64(n)<<sharedCountShift
}

// sharedPart returns where shared list f's part of l.data starts and
// ends, and how many items it holds.
func (l *Layer) sharedPart(f *Field) (start, end, n int) {
	v := l.num[f.slot]
	start, end, n = int(v&sharedMask), int(v>>sharedEndShift&sharedMask), int(v>>sharedCountShift)
	end = min(end, len(l.data))
	return min(start, end), end, n
}

// sharedEnd is where the last of l's shared parts ends: the bytes a
// parsed layer writes back.
func (l *Layer) sharedEnd() int {
	end := 0
	for i := range l.Proto.Fields {
		if f := &l.Proto.Fields[i]; f.Shared {
			_, e, _ := l.sharedPart(f)
			end = max(end, e)
		}
	}
	return end
}

// setShared sets shared list f to b, which holds n items: l gets a new
// data of the parts in their order, b in f's place.
func (l *Layer) setShared(f *Field, b []byte, n int) {
	var parts [4][]byte
	var counts [4]int
	fields := make([]*Field, 0, len(parts))
	for i := range l.Proto.Fields {
		g := &l.Proto.Fields[i]
		if !g.Shared {
			continue
		}
		k := len(fields)
		fields = append(fields, g)
		if g == f {
			parts[k], counts[k] = b, n
			continue
		}
		start, end, c := l.sharedPart(g)
		parts[k], counts[k] = l.data[start:end], c
	}
	size := 0
	for _, p := range parts {
		size += len(p)
	}
	data := make([]byte, 0, size)
	for k, g := range fields {
		start := len(data)
		data = append(data, parts[k]...)
		l.num[g.slot] = packShared(start, len(data), counts[k])
	}
	l.data = data
}

// sharedItems returns the items of shared list f.
func (l *Layer) sharedItems(f *Field) []Item {
	start, _, n := l.sharedPart(f)
	return f.List.(sharedCodec).DecodeShared(l.data, start, n)
}
