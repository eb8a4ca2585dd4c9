package testrun

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/netlua/netlua/cmd/netlua/internal/run"
)

// testFiles lists the test files under paths, in the order given and, in
// a directory, in lexical order. A file named is taken whatever its name;
// a directory is searched for *_test.lua files, as go test does it:
// below it, directories named testdata or starting with . or _ are
// skipped (fixtures live there).
func testFiles(paths []string) ([]string, error) {
	var files []string
	seen := map[string]bool{}
	add := func(path string) {
		if clean := filepath.Clean(path); !seen[clean] {
			seen[clean] = true
			files = append(files, path)
		}
	}
	for _, root := range paths {
		st, err := os.Stat(root)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", root, run.UnwrapPath(err))
		}
		if !st.IsDir() {
			add(root)
			continue
		}
		err = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			switch {
			case err != nil:
				return fmt.Errorf("%s: %w", path, run.UnwrapPath(err))
			case d.IsDir() && path != root && skippedDir(d.Name()):
				return filepath.SkipDir
			case !d.IsDir() && strings.HasSuffix(d.Name(), "_test.lua"):
				add(path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return files, nil
}

// skippedDir reports whether a directory below a searched one is left out.
func skippedDir(name string) bool {
	return name == "testdata" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")
}
