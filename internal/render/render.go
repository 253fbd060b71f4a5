// Package render turns an article's Markdown into what readers and tools
// see. It owns the one configured goldmark instance; parsing and rendering
// are separate steps so that other packages can walk the document (for its
// outline, its words, its links) without rendering it.
package render

import (
	"unicode"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render/headings"
	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
)

// Renderer holds the configured Markdown pipeline. It is safe for
// concurrent use.
type Renderer struct {
	md goldmark.Markdown
	// prose parses for the words of a body alone (see ParseProse).
	prose  goldmark.Markdown
	policy *bluemonday.Policy
}

// New builds the renderer. Raw HTML in a body is rendered and then
// sanitised (see policy); the typographer is off so that authors' quotes
// and dashes stay exactly as they wrote them.
func New() *Renderer {
	return &Renderer{
		md: goldmark.New(
			goldmark.WithExtensions(extension.GFM, extension.Footnote, headings.New()),
			// Raw HTML passes goldmark; the policy decides what of it survives.
			goldmark.WithRendererOptions(html.WithUnsafe(), renderer.WithNodeRenderers(photoRenderers)),
		),
		prose: goldmark.New(
			goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList, extension.Footnote),
		),
		policy: policy(),
	}
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

// ParseProse parses src for its words alone (its word count, the text
// the linking index reads): without GFM's autolinks, the costliest inline
// parser, which change no word a reader reads (an address is text
// either way), and without heading ids.
func (r *Renderer) ParseProse(src []byte) *Document {
	return &Document{Source: src, Root: r.prose.Parser().Parse(text.NewReader(src))}
}

// WordCount counts the words of the Markdown src; see Document.WordCount.
func (r *Renderer) WordCount(src []byte) int {
	return r.ParseProse(src).WordCount()
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

// WordCount counts the words a reader reads, as a word processor does: a
// word is a run of characters between spaces that holds a letter or digit
// ("Pakistan’s", "cross-border", "2,600", a URL), so a lone dash is not
// one. Markdown syntax, link targets and code blocks are not counted.
func (d *Document) WordCount() int {
	words := 0
	inToken, tokenHasLetter := false, false
	flush := func() {
		if inToken && tokenHasLetter {
			words++
		}
		inToken, tokenHasLetter = false, false
	}
	count := func(seg []byte) {
		for i := 0; i < len(seg); {
			r, size := rune(seg[i]), 1
			if r >= utf8.RuneSelf {
				r, size = utf8.DecodeRune(seg[i:])
			}
			i += size
			if isSpace(r) {
				flush()
				continue
			}
			inToken = true
			if !tokenHasLetter && isLetterOrDigit(r) {
				tokenHasLetter = true
			}
		}
	}
	_ = ast.Walk(d.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			if n.Type() == ast.TypeBlock {
				flush()
			}
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Text:
			count(n.Segment.Value(d.Source))
			if n.SoftLineBreak() || n.HardLineBreak() {
				flush()
			}
		case *ast.String:
			count(n.Value)
		case *ast.AutoLink:
			// A URL reads as one word, whether or not it is a link.
			inToken, tokenHasLetter = true, true
		case *ast.CodeBlock, *ast.FencedCodeBlock, *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	flush()
	return words
}

func isSpace(r rune) bool {
	if r < utf8.RuneSelf {
		return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v'
	}
	return unicode.IsSpace(r)
}

// asciiWordByte marks the ASCII letters and digits; counting is the hot
// loop of an import.
var asciiWordByte = func() (t [utf8.RuneSelf]bool) {
	for c := range utf8.RuneSelf {
		t[c] = 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
	}
	return t
}()

func isLetterOrDigit(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiWordByte[r]
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}
