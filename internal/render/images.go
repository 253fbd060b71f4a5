package render

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/util"
)

// kindPhoto is a library image put in a document by HTMLWith: a figure
// where it stood alone in a paragraph, a picture within text.
var kindPhoto = ast.NewNodeKind("Photo")

type photo struct {
	ast.BaseInline
	html string
}

func (n *photo) Kind() ast.NodeKind { return kindPhoto }

func (n *photo) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

type photoBlock struct {
	ast.BaseBlock
	html string
}

func (n *photoBlock) Kind() ast.NodeKind { return kindPhotoBlock }

func (n *photoBlock) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }

var kindPhotoBlock = ast.NewNodeKind("PhotoBlock")

// photoRenderer writes the HTML made for a photo as it is.
type photoRenderer struct{}

func (photoRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	write := func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			switch n := n.(type) {
			case *photo:
				w.WriteString(n.html)
			case *photoBlock:
				w.WriteString(n.html)
				w.WriteByte('\n')
			}
		}
		return ast.WalkSkipChildren, nil
	}
	reg.Register(kindPhoto, write)
	reg.Register(kindPhotoBlock, write)
}

var photoRenderers = util.Prioritized(photoRenderer{}, 100)

// HTMLWith renders like HTML, showing the library images the body names
// (![alt](media:ID)) from images: as a figure with caption and credit
// where one stands alone in a paragraph, as a picture within text. An
// image missing from images (deleted, or never in the library) is left
// out. When lead is set the first of them is the page's lead image (see
// Picture); it is unset when the page shows a featured image above.
func (r *Renderer) HTMLWith(d *Document, images Images, lead bool) ([]byte, error) {
	var found []*ast.Image
	err := ast.Walk(d.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := n.(*ast.Image); ok && entering && bytes.HasPrefix(img.Destination, []byte(MediaRef)) {
			found = append(found, img)
		}
		return ast.WalkContinue, nil
	})
	if err != nil {
		return nil, err
	}
	for _, img := range found {
		id, _ := strconv.ParseInt(string(img.Destination[len(MediaRef):]), 10, 64)
		it := images[id]
		parent := img.Parent()
		alone := parent.Kind() == ast.KindParagraph && parent.ChildCount() == 1
		var html string
		if it != nil {
			if alone {
				html = Figure(it, altText(img, d.Source), lead)
			} else {
				html = Picture(it, altText(img, d.Source), lead)
			}
			lead = false
		}
		switch {
		case html == "" && alone:
			parent.Parent().RemoveChild(parent.Parent(), parent)
		case html == "":
			parent.RemoveChild(parent, img)
		case alone:
			parent.Parent().ReplaceChild(parent.Parent(), parent, &photoBlock{html: html})
		default:
			parent.ReplaceChild(parent, img, &photo{html: html})
		}
	}
	return r.HTML(d)
}

// altText is the text of an image's description, as written.
func altText(img *ast.Image, source []byte) string {
	var b strings.Builder
	_ = ast.Walk(img, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if t, ok := n.(*ast.Text); ok && entering {
			b.Write(t.Segment.Value(source))
		}
		return ast.WalkContinue, nil
	})
	return b.String()
}
