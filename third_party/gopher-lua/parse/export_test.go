package parse

// ParseYacc is upstream's goyacc parser, for the tests that compare it
// with Parse.
var ParseYacc = parseYacc

// TokenStarts returns where src's tokens start, the end of the chunk
// last, up to the first lexical error.
func TokenStarts(src []byte) (starts []int) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(*Error); !ok {
				panic(r)
			}
		}
	}()
	lx := newLexer(src, "")
	for {
		t := lx.lex()
		starts = append(starts, t.offset)
		if t.kind == tokEOS {
			return starts
		}
	}
}
