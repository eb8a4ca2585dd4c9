package parse_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// BenchmarkParse parses the corpus (see corpus) with Parse and with
// upstream's goyacc parser.
func BenchmarkParse(b *testing.B) {
	var srcs [][]byte
	size := 0
	for _, path := range corpus(b) {
		src := readChunk(b, path)
		if _, err := parse.ParseYacc(bytes.NewReader(src), path); err == nil {
			srcs = append(srcs, src)
			size += len(src)
		}
	}
	for _, p := range []struct {
		name  string
		parse func(io.Reader, string) ([]ast.Stmt, error)
	}{{"descent", parse.Parse}, {"goyacc", parse.ParseYacc}} {
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(int64(size))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				for _, src := range srcs {
					if _, err := p.parse(bytes.NewReader(src), "bench"); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}
