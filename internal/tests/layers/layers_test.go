// Package layers guards the shape of the code: workflows live once, in
// the newsroom service, and the adapters (handlers, commands, importers)
// reach the store's article writes, comment moderation and settings
// only through it.
package layers

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"
)

// articleWrites are the store methods that change articles. Calling one
// outside the newsroom service skips its rules: word counts, validation,
// slug stability, the sanitising policy, revision notes and the audit log.
var articleWrites = map[string]bool{
	"CreateArticle": true,
	"UpdateArticle": true,
	"SaveArticles":  true,
	"DeleteArticle": true,
}

// commentWrites are the store methods that moderate readers' comments.
// Calling one outside the newsroom service skips who may moderate, the
// spam classifier's tokens and the audit log. CreateComment is not among
// them: readers post comments through the public form, a workflow of its
// own (web/public), and the newsroom's replies go through the service.
var commentWrites = map[string]bool{
	"ModerateComments":  true,
	"ModerateComment":   true,
	"DeleteComment":     true,
	"PurgeCommenter":    true,
	"SetCommentsClosed": true,
}

// settingsWrites are the store methods that change the site's settings.
// Calling one outside the newsroom service skips the one set of limits
// the admin and the command line share, and the audit log.
var settingsWrites = map[string]bool{
	"SaveSiteSettings":    true,
	"SaveCommentSettings": true,
	"SaveMenu":            true,
}

// sectionWrites are the store methods that change the sections and the
// front page's pins. Calling
// one outside the newsroom service skips who may arrange the site, the
// slugs the site's own addresses keep, and the audit log.
var sectionWrites = map[string]bool{
	"CreateSection": true,
	"UpdateSection": true,
	"OrderSections": true,
	"DeleteSection": true,
	"SetPins":       true,
}

// mayWrite are the directories whose code may call them: the service, and
// the store that implements them (with its conformance suite).
var mayWrite = []string{"internal/newsroom", "internal/store"}

func TestOnlyTheNewsroomWrites(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	fset := token.NewFileSet()
	checked := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			switch d.Name() {
			case ".git", "node_modules", "testdata":
				return filepath.SkipDir
			}
			for _, dir := range mayWrite {
				if rel == dir {
					return filepath.SkipDir
				}
			}
			return nil
		}
		// Tests set up their fixtures however they like.
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			switch {
			case !ok:
			case articleWrites[sel.Sel.Name]:
				t.Errorf("%s: calls %s directly; save, publish and delete articles through the newsroom service (internal/newsroom)",
					fset.Position(call.Pos()), sel.Sel.Name)
			case commentWrites[sel.Sel.Name]:
				t.Errorf("%s: calls %s directly; moderate comments through the newsroom service (internal/newsroom)",
					fset.Position(call.Pos()), sel.Sel.Name)
			case settingsWrites[sel.Sel.Name]:
				t.Errorf("%s: calls %s directly; change settings through the newsroom service (internal/newsroom)",
					fset.Position(call.Pos()), sel.Sel.Name)
			case sectionWrites[sel.Sel.Name]:
				t.Errorf("%s: calls %s directly; change sections through the newsroom service (internal/newsroom)",
					fset.Position(call.Pos()), sel.Sel.Name)
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 50 {
		t.Fatalf("checked only %d files: is the walk rooted at the repository?", checked)
	}
}
