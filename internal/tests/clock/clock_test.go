// Package clock checks that the code below the command line takes the
// time from the clock it is given. Two clocks (the handlers' and the
// store's) once made the test suite fail from a day on (issue 11).
package clock

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// wallClockFree are the trees whose code must not call time.Now: they
// get a clock from the composition root (internal/cli) instead.
var wallClockFree = []string{"../../newsroom", "../../store", "../../web", "../../importer", "../../article", "../../comment", "../../user", "../../seo", "../../render"}

// measuring counts, by file, the calls that read the wall clock only to
// measure how long something took, never to date anything.
var measuring = map[string]int{
	"../../web/web.go": 1, // the request log's duration
}

func TestNoWallClockBelowTheCommandLine(t *testing.T) {
	for _, root := range wallClockFree {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			fset := token.NewFileSet()
			file, err := parser.ParseFile(fset, path, nil, 0)
			if err != nil {
				return err
			}
			var calls []token.Position
			ast.Inspect(file, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok || sel.Sel.Name != "Now" {
					return true
				}
				if pkg, ok := sel.X.(*ast.Ident); ok && pkg.Name == "time" {
					calls = append(calls, fset.Position(sel.Pos()))
				}
				return true
			})
			if len(calls) > measuring[filepath.ToSlash(path)] {
				t.Errorf("%s: time.Now at %v: take the time from the clock the caller gives", path, calls)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
