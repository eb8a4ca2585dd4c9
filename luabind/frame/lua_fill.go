package frame

import lua "github.com/yuin/gopher-lua"

// Filler is Fill from src as the prepare hook of a sender: a function
// that fills a list of layers in place before they are built.
func Filler(src AddrSource) func([]*Layer) error {
	return func(layers []*Layer) error { return Fill(layers, src) }
}

// BuildFilled builds argument n, which is what frame.build takes (a list
// of layers and strings, a layer, a packet), after fill has filled its
// layers: the way a socket's send builds a frame given as layers. The
// bytes are the frame state's own, valid until the next build.
func BuildFilled(L *lua.LState, n int, fill func([]*Layer) error) ([]byte, error) {
	st := stateOf(L)
	layers := st.layerList(L, n, buildList(L, n))
	defer clear(layers)
	if err := fill(layers); err != nil {
		return nil, err
	}
	return st.builder.Build(layers), nil
}

// IsFrame reports whether v is a frame BuildFilled takes rather than bytes:
// a table or a layer or packet userdata.
func IsFrame(v lua.LValue) bool {
	switch v.(type) {
	case *lua.LTable, *lua.LUserData:
		return true
	}
	return false
}
