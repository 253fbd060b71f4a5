// Package headings gives every heading of a document a stable, unique
// anchor id derived from its text as a reader sees it, so that the public
// page, its table of contents and the outline of `article show --json`
// agree.
package headings

import (
	"strconv"
	"strings"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Reserved are the ids that the page around an article uses; a heading
// whose text would give one of them gets a numbered id instead, so that
// ids stay unique on the page.
var Reserved = []string{"content", "comments", "respond", "toc-heading", "related-heading", "comments-heading"}

// New returns the extension that sets the id attribute of every heading.
func New() goldmark.Extender { return extender{} }

type extender struct{}

func (extender) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(transformer{}, 100)))
}

type transformer struct{}

// Transform gives each heading the slug of its text, with "-2", "-3"...
// appended to repeats, in document order.
func (transformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	used := make(map[string]bool, len(Reserved))
	for _, id := range Reserved {
		used[id] = true
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		base := article.Slugify(PlainText(h, src))
		if base == "untitled" {
			base = "section"
		}
		id := base
		for i := 2; used[id]; i++ {
			id = base + "-" + strconv.Itoa(i)
		}
		used[id] = true
		h.SetAttributeString("id", []byte(id))
		return ast.WalkSkipChildren, nil
	})
}

// PlainText returns the text of n's inline content as a reader sees it:
// without Markdown syntax or link targets, with escapes resolved and
// typographic characters exactly as written.
func PlainText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if s, ok := t.(*ast.Text); ok {
					b.Write(s.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.Text:
			b.Write(util.UnescapePunctuations(c.Segment.Value(src)))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.TrimSpace(b.String())
}
