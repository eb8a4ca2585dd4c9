package parse_test

import (
	"bytes"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	lua "github.com/yuin/gopher-lua"
	"github.com/yuin/gopher-lua/ast"
	"github.com/yuin/gopher-lua/parse"
)

// corpus lists the Lua files of the equivalence tests: upstream's test
// scripts, and every .lua file under the directories in PARSE_CORPUS
// (colon-separated), e.g. an embedding program's own scripts.
func corpus(t testing.TB) []string {
	dirs := []string{"../_glua-tests", "../_lua5.1-tests"}
	if extra := os.Getenv("PARSE_CORPUS"); extra != "" {
		dirs = append(dirs, filepath.SplitList(extra)...)
	}
	var files []string
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".lua") {
				files = append(files, path)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}

// readChunk reads a file as lua.c does: a first line starting with # is
// dropped, its newline kept.
func readChunk(t testing.TB, path string) []byte {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.HasPrefix(src, []byte("#")) {
		src = src[bytes.IndexByte(src, '\n'):]
	}
	return src
}

// TestSameCodeAsGoyacc checks that every valid file of the corpus compiles
// to the same function prototypes (instructions, constants, line and
// debug information) from Parse as from upstream's goyacc parser.
func TestSameCodeAsGoyacc(t *testing.T) {
	n := 0
	for _, path := range corpus(t) {
		src := readChunk(t, path)
		old, err := parse.ParseYacc(bytes.NewReader(src), path)
		if err != nil {
			continue // upstream's parser rejects it: nothing to compare
		}
		n++
		chunk, err := parse.Parse(bytes.NewReader(src), path)
		if err != nil {
			t.Errorf("%s: goyacc parses it, Parse says %v", path, err)
			continue
		}
		// Numerals as Lua reads them on both sides: the goyacc lexer made
		// "10e500" NaN, and the compiler folds NaN and infinity differently.
		normalizeNumbers(old)
		normalizeNumbers(chunk)
		want, werr := lua.Compile(old, path)
		got, gerr := lua.Compile(chunk, path)
		if werr != nil || gerr != nil {
			if (werr == nil) != (gerr == nil) {
				t.Errorf("%s: compile errors differ: goyacc's tree %v, Parse's %v", path, werr, gerr)
			}
			continue
		}
		if !sameProto(want, got) {
			t.Errorf("%s: compiled code differs\ngoyacc:\n%s\nParse:\n%s", path, want, got)
		}
	}
	t.Logf("%d files compared", n)
	if n == 0 {
		t.Fatal("no file compared")
	}
}

// sameProto compares two prototypes field by field, NaN constants equal.
func sameProto(a, b *lua.FunctionProto) bool {
	if len(a.Constants) != len(b.Constants) || len(a.FunctionPrototypes) != len(b.FunctionPrototypes) {
		return false
	}
	for i, c := range a.Constants {
		x, xok := c.(lua.LNumber)
		y, yok := b.Constants[i].(lua.LNumber)
		if xok && yok && math.IsNaN(float64(x)) && math.IsNaN(float64(y)) {
			continue
		}
		if c != b.Constants[i] {
			return false
		}
	}
	for i, p := range a.FunctionPrototypes {
		if !sameProto(p, b.FunctionPrototypes[i]) {
			return false
		}
	}
	ca, cb := *a, *b
	ca.Constants, cb.Constants = nil, nil
	ca.FunctionPrototypes, cb.FunctionPrototypes = nil, nil
	return reflect.DeepEqual(ca, cb)
}

// TestSameTreeAsGoyacc checks that Parse builds the tree the goyacc parser
// builds, node for node and line for line, but for numerals, which Parse
// keeps as written where the goyacc lexer dropped a leading zero.
func TestSameTreeAsGoyacc(t *testing.T) {
	for _, path := range corpus(t) {
		src := readChunk(t, path)
		old, err := parse.ParseYacc(bytes.NewReader(src), path)
		if err != nil {
			continue
		}
		chunk, err := parse.Parse(bytes.NewReader(src), path)
		if err != nil {
			continue // reported by TestSameCodeAsGoyacc
		}
		normalizeNumbers(old)
		normalizeNumbers(chunk)
		if d := diffTree(reflect.ValueOf(old), reflect.ValueOf(chunk), "chunk"); d != "" {
			t.Errorf("%s: trees differ at %s", path, d)
		}
	}
}

// normalizeNumbers rewrites every numeral in the tree to its value, as
// Lua reads it ("012" is 12, "1e500" infinity).
func normalizeNumbers(node interface{}) {
	walk(reflect.ValueOf(node), func(v reflect.Value) {
		n, ok := v.Interface().(*ast.NumberExpr)
		if !ok {
			return
		}
		var f float64
		if h, ok := strings.CutPrefix(strings.ToLower(n.Value), "0x"); ok {
			u, _ := strconv.ParseUint(h, 16, 64)
			f = float64(u)
		} else {
			f, _ = strconv.ParseFloat(n.Value, 64)
		}
		n.Value = strconv.FormatFloat(f, 'g', -1, 64)
	})
}

// diffTree returns where two trees first differ, or "".
func diffTree(a, b reflect.Value, path string) string {
	if a.Kind() != b.Kind() || a.Type() != b.Type() {
		return fmt.Sprintf("%s: %v vs %v", path, a.Type(), b.Type())
	}
	switch a.Kind() {
	case reflect.Ptr, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				return path + ": nil vs not nil"
			}
			return ""
		}
		if ph, ok := a.Interface().(ast.PositionHolder); ok {
			pb := b.Interface().(ast.PositionHolder)
			if ph.Line() != pb.Line() || ph.LastLine() != pb.LastLine() {
				return fmt.Sprintf("%s: lines %d-%d vs %d-%d", path, ph.Line(), ph.LastLine(), pb.Line(), pb.LastLine())
			}
		}
		return diffTree(a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.Len() != b.Len() || a.IsNil() != b.IsNil() {
			return fmt.Sprintf("%s: len %d (nil %v) vs %d (nil %v)", path, a.Len(), a.IsNil(), b.Len(), b.IsNil())
		}
		for i := 0; i < a.Len(); i++ {
			if d := diffTree(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i)); d != "" {
				return d
			}
		}
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if f := a.Type().Field(i); f.IsExported() {
				if d := diffTree(a.Field(i), b.Field(i), path+"."+f.Name); d != "" {
					return d
				}
			}
		}
	default:
		if a.Interface() != b.Interface() {
			return fmt.Sprintf("%s: %v vs %v", path, a.Interface(), b.Interface())
		}
	}
	return ""
}

func walk(v reflect.Value, visit func(reflect.Value)) {
	switch v.Kind() {
	case reflect.Ptr:
		if v.IsNil() {
			return
		}
		visit(v)
		walk(v.Elem(), visit)
	case reflect.Interface:
		if !v.IsNil() {
			walk(v.Elem(), visit)
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			walk(v.Index(i), visit)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				walk(v.Field(i), visit)
			}
		}
	}
}
