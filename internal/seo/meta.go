package seo

import (
	"strings"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/render/headings"
	"github.com/yuin/goldmark/ast"
)

// Bounds of a generated meta description: what search results show.
const (
	MinDescription = 120
	MaxDescription = 160
)

// Summary makes a meta description from the opening of an article's body
// for an article that has none: the text of its first paragraphs, without
// Markdown, cut at a word boundary to at most MaxDescription characters
// (and at least MinDescription when the body is that long).
func Summary(doc *render.Document) string {
	var b strings.Builder
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if utf8.RuneCountInString(b.String()) > MaxDescription {
			return ast.WalkStop, nil
		}
		switch n.(type) {
		case *ast.Paragraph:
			if t := headings.PlainText(n, doc.Source); t != "" {
				if b.Len() > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(t)
			}
			return ast.WalkSkipChildren, nil
		case *ast.Heading, *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	return Truncate(strings.Join(strings.Fields(b.String()), " "), MaxDescription)
}

// Truncate shortens s to at most max characters, cutting at a word
// boundary and marking the cut with an ellipsis; a word is never split.
func Truncate(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)
	cut := max - 1 // room for the ellipsis
	for cut > 0 && r[cut] != ' ' {
		cut--
	}
	if cut == 0 {
		return string(r[:max-1]) + "…"
	}
	return strings.TrimRight(string(r[:cut]), " ,;:—–-") + "…"
}

// FirstImage returns the address and alternative text of the body's first
// image, for social cards; empty when it has none.
func FirstImage(doc *render.Document) (src, alt string) {
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering {
			src, alt = string(img.Destination), headings.PlainText(img, doc.Source)
			return ast.WalkStop, nil
		}
		return ast.WalkContinue, nil
	})
	return src, alt
}
