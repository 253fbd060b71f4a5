package newsroom

import (
	"strings"

	"github.com/datelinehq/dateline/internal/render"
	"github.com/yuin/goldmark/ast"
)

// SanitizeRawHTML passes each piece of raw HTML in a Markdown body (HTML
// blocks and inline tags) through the renderer's own sanitising policy,
// so that what is stored is what readers would be shown, and leaves the
// Markdown around it as written.
func SanitizeRawHTML(r *render.Renderer, body string) string {
	src := []byte(body)
	doc := r.Parse(src)
	type edit struct {
		start, end int
		text       string
	}
	var edits []edit
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.HTMLBlock:
			lines := n.Lines()
			if lines.Len() == 0 {
				return ast.WalkSkipChildren, nil
			}
			start, end := lines.At(0).Start, lines.At(lines.Len()-1).Stop
			if n.HasClosure() {
				end = n.ClosureLine.Stop
			}
			edits = append(edits, edit{start, end, sanitizeHTMLPiece(r, string(src[start:end]))})
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			segs := n.Segments
			if segs.Len() == 0 {
				return ast.WalkSkipChildren, nil
			}
			start, end := segs.At(0).Start, segs.At(segs.Len()-1).Stop
			edits = append(edits, edit{start, end, sanitizeHTMLPiece(r, string(src[start:end]))})
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if len(edits) == 0 {
		return body
	}
	var b strings.Builder
	last := 0
	for _, e := range edits {
		if e.start < last {
			continue // nested in a piece already replaced
		}
		b.Write(src[last:e.start])
		b.WriteString(e.text)
		last = e.end
	}
	b.Write(src[last:])
	return b.String()
}

// sanitizeHTMLPiece sanitises one piece of raw HTML with the renderer's
// policy: on its own it parses as an HTML block, which the renderer
// passes through the policy. A piece that does not (a tag spread over
// lines) is dropped rather than kept unchecked.
func sanitizeHTMLPiece(r *render.Renderer, piece string) string {
	doc := r.Parse([]byte(piece))
	only := doc.Root.FirstChild()
	if only == nil || only.NextSibling() != nil || only.Kind() != ast.KindHTMLBlock {
		return ""
	}
	out, err := r.HTML(doc)
	if err != nil {
		return ""
	}
	clean := strings.TrimRight(string(out), "\n")
	if strings.HasSuffix(piece, "\n") {
		clean += "\n"
	}
	return clean
}
