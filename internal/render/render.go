// Package render turns an article's Markdown into what readers and tools
// see. It owns the one configured goldmark instance; parsing and rendering
// are separate steps so that other packages can walk the document (for its
// outline, its words, its links) without rendering it.
package render

import (
	"unicode"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render/headings"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Renderer holds the configured Markdown pipeline. It is safe for
// concurrent use.
type Renderer struct {
	md goldmark.Markdown
}

// New builds the renderer. Raw HTML is left off; the typographer is off too
// so that authors' quotes and dashes stay exactly as they wrote them.
func New() *Renderer {
	return &Renderer{md: goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.Footnote, headings.New()),
	)}
}

// Document is a parsed Markdown body.
type Document struct {
	Source []byte
	Root   ast.Node
}

// Parse parses src. Heading ids are assigned here, so every walk of the
// document sees the same ids.
func (r *Renderer) Parse(src []byte) *Document {
	root := r.md.Parser().Parse(text.NewReader(src))
	return &Document{Source: src, Root: root}
}

// Outline lists the document's H2 and H3 headings in order, with their
// text as written and their anchor ids.
func (d *Document) Outline() []article.Heading {
	var out []article.Heading
	_ = ast.Walk(d.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		h, ok := n.(*ast.Heading)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		if h.Level == 2 || h.Level == 3 {
			id, _ := h.AttributeString("id")
			idBytes, _ := id.([]byte)
			out = append(out, article.Heading{Level: h.Level, Text: headings.PlainText(h, d.Source), ID: string(idBytes)})
		}
		return ast.WalkSkipChildren, nil
	})
	return out
}

// WordCount counts the words a reader reads: the text of every block,
// without Markdown syntax, link targets or code.
func (d *Document) WordCount() int {
	words := 0
	inWord := false
	_ = ast.Walk(d.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				inWord = false
			}
			return ast.WalkContinue, nil
		}
		var seg []byte
		switch n := n.(type) {
		case *ast.Text:
			seg = util.UnescapePunctuations(n.Segment.Value(d.Source))
			defer func() {
				if n.SoftLineBreak() || n.HardLineBreak() {
					inWord = false
				}
			}()
		case *ast.String:
			seg = n.Value
		case *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			// Inline code reads as a word or two; count its text.
			return ast.WalkContinue, nil
		default:
			return ast.WalkContinue, nil
		}
		for _, r := range string(seg) {
			letter := unicode.IsLetter(r) || unicode.IsDigit(r)
			if letter && !inWord {
				words++
			}
			if !letter && !isWordJoiner(r) {
				inWord = false
			} else if letter {
				inWord = true
			}
		}
		return ast.WalkContinue, nil
	})
	return words
}

// isWordJoiner reports whether r may stand inside a word without ending it,
// as in "don’t", "Pakistan’s" or "cross-border".
func isWordJoiner(r rune) bool {
	switch r {
	case '\'', '’', '-', '‐', '.', ',':
		return true
	}
	return false
}
