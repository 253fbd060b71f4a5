package htmlmd

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

const (
	// rawTag is an element whose "html" attribute goes into the Markdown
	// as it is, as an HTML block.
	rawTag = "dateline-raw"
	// keepAsHTML marks an element (a table) written into the Markdown as
	// HTML rather than converted.
	keepAsHTML = "data-dateline-keep"
	// embedAttr marks where a shortcode or a line of a classic post
	// embeds a URL.
	embedAttr = "data-dateline-embed"
	// attachmentAttr carries a [caption]'s attachment ID to its image.
	attachmentAttr = "data-dateline-attachment"
)

func embedMarker(u string) string {
	return `<figure ` + embedAttr + `="` + escapeAttr(u) + `"></figure>`
}

// renderRaw writes a rawTag's HTML, or an element marked keepAsHTML, as a
// Markdown HTML block. A blank line would end the block, so none is left
// inside.
func renderRaw(_ converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	var raw string
	if n.Data == rawTag {
		raw = attr(n, "html")
	} else {
		removeAttr(n, keepAsHTML)
		var buf bytes.Buffer
		if err := html.Render(&buf, n); err != nil {
			return converter.RenderTryNext
		}
		raw = buf.String()
	}
	w.WriteString("\n\n")
	w.WriteString(blankLines.ReplaceAllString(strings.TrimSpace(raw), "\n"))
	w.WriteString("\n\n")
	return converter.RenderSuccess
}

var blankLines = regexp.MustCompile(`\n[ \t]*(?:\n[ \t]*)+`)

func renderKeptTable(ctx converter.Context, w converter.Writer, n *html.Node) converter.RenderStatus {
	if !hasAttr(n, keepAsHTML) {
		return converter.RenderTryNext
	}
	return renderRaw(ctx, w, n)
}

// document is a parsed body being made ready for the converter.
type document struct {
	root   *html.Node
	report *report
	site   string
	// captions and ids are what the markup says of an image beyond its
	// attributes: the caption around it, its attachment ID.
	captions map[*html.Node]string
	ids      map[*html.Node]int64
}

func (d *document) transform() {
	d.blocks()
	for _, n := range elements(d.root) {
		if d.attached(n) {
			d.element(n)
		}
	}
	d.demoteHeadings()
}

// blockComment is a Gutenberg block delimiter: <!-- wp:name {attrs} -->,
// <!-- /wp:name --> or the self-closing <!-- wp:name /-->.
var blockComment = regexp.MustCompile(`(?s)^\s*(/)?wp:([a-z][a-z0-9_-]*(?:/[a-z][a-z0-9_-]*)?)\s*(\{.*\})?\s*(/)?\s*$`)

// blocks removes the block comments, using what their attributes say
// that the HTML does not: the URL of an embed, the attachment ID of an
// image.
func (d *document) blocks() {
	var comments []*html.Node
	walk(d.root, func(n *html.Node) {
		if n.Type == html.CommentNode {
			comments = append(comments, n)
		}
	})
	for _, c := range comments {
		if c.Parent == nil {
			continue
		}
		m := blockComment.FindStringSubmatch(c.Data)
		switch {
		case m == nil:
			d.plainComment(c)
			continue
		case m[1] != "":
			remove(c)
			continue
		}
		name := strings.TrimPrefix(m[2], "core/")
		var attrs map[string]any
		_ = json.Unmarshal([]byte(m[3]), &attrs)
		if m[4] != "" {
			switch name {
			case "more", "nextpage":
				d.plainComment(&html.Node{Data: name})
			case "paragraph", "html", "shortcode", "spacer":
				// Empty, and showing nothing.
			default:
				d.report.add("wp:" + name + " block (WordPress made it when showing the page; no Dateline equivalent, dropped)")
			}
			remove(c)
			continue
		}
		content, end := blockContent(c, m[2])
		d.block(name, attrs, c, content)
		remove(c)
		if end != nil {
			remove(end)
		}
	}
}

// plainComment reports the comments WordPress acts on; the others are
// notes for the editor, which readers never saw.
func (d *document) plainComment(c *html.Node) {
	switch data := strings.TrimSpace(c.Data); {
	case strings.HasPrefix(data, "more"):
		d.report.add("<!--more--> teaser break (dropped; Dateline shows the summary in listings)")
	case data == "nextpage":
		d.report.add("<!--nextpage--> page break (dropped; the pages are one article)")
	}
	remove(c)
}

// blockContent is the nodes between a block's opening comment and its
// closing one, which is returned too (nil when missing).
func blockContent(open *html.Node, name string) (content []*html.Node, end *html.Node) {
	depth := 0
	for n := open.NextSibling; n != nil; n = n.NextSibling {
		if n.Type == html.CommentNode {
			if m := blockComment.FindStringSubmatch(n.Data); m != nil && m[2] == name {
				switch {
				case m[1] == "" && m[4] == "":
					depth++
				case m[1] != "" && depth == 0:
					return content, n
				case m[1] != "":
					depth--
				}
			}
		}
		content = append(content, n)
	}
	return nil, nil
}

func (d *document) block(name string, attrs map[string]any, at *html.Node, content []*html.Node) {
	switch {
	case name == "embed" || strings.HasPrefix(name, "core-embed/"):
		u, _ := attrs["url"].(string)
		if u == "" {
			return
		}
		slug, _ := attrs["providerNameSlug"].(string)
		if slug == "" {
			slug = strings.TrimPrefix(name, "core-embed/")
		}
		var caption string
		for _, n := range content {
			if fc := find(n, func(n *html.Node) bool { return n.DataAtom == atom.Figcaption }); fc != nil {
				caption = strings.TrimSpace(textOf(fc))
			}
		}
		for _, n := range content {
			remove(n)
		}
		insertBefore(at, d.embed(u, slug, caption)...)
	case name == "image":
		if id := number(attrs["id"]); id > 0 {
			for _, n := range content {
				if img := find(n, isElement(atom.Img)); img != nil {
					d.ids[img] = id
					break
				}
			}
		}
	case name == "cover":
		hasImage := false
		for _, n := range content {
			hasImage = hasImage || find(n, isElement(atom.Img)) != nil
		}
		// An older cover shows its image as a CSS background.
		if u, _ := attrs["url"].(string); !hasImage && u != "" {
			img := element(atom.Img, "src", u, "alt", "")
			if id := number(attrs["id"]); id > 0 {
				d.ids[img] = id
			}
			p := element(atom.P)
			p.AppendChild(img)
			insertBefore(at, p)
		}
		d.report.add("wp:cover block (its image and text kept one after the other; the layout is lost)")
	case name == "columns":
		d.report.add("wp:columns block (the columns kept one after the other)")
	case name == "media-text":
		d.report.add("wp:media-text block (its image and text kept one after the other)")
	}
}

// embed is the HTML for an embedded URL: a player for a video from
// YouTube or Vimeo, a quote linking to a post on X, a link for the rest
// (reported). slug names the provider as WordPress did, if it did.
// A caption shown under the embed stays under it.
func (d *document) embed(u, slug, caption string) []*html.Node {
	var nodes []*html.Node
	e := embedOf(u)
	switch e.provider {
	case "youtube", "vimeo":
		nodes = []*html.Node{raw(player(e, caption))}
	case "x":
		d.report.add("tweet kept as a link: " + e.url)
		nodes = parseFragment(tweetQuote(e, ""))
	default:
		d.report.add("embed from " + providerName(e, slug) + " (no Dateline player; kept as a link to " + u + ")")
		nodes = parseFragment(`<p><a href="` + escapeAttr(u) + `">` + escapeText(u) + `</a></p>`)
	}
	if caption != "" {
		nodes = append(nodes, parseFragment("<p>"+escapeText(caption)+"</p>")...)
	}
	return nodes
}

// dropped are elements that cannot be in an article: they run script,
// ask readers for input, or hold what only a plugin could show.
var dropped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Form: true, atom.Object: true, atom.Embed: true, atom.Applet: true,
	atom.Noscript: true, atom.Link: true, atom.Meta: true, atom.Input: true, atom.Textarea: true, atom.Select: true,
	atom.Button: true, atom.Svg: true, atom.Canvas: true, atom.Frame: true, atom.Frameset: true, atom.Math: true,
}

func (d *document) element(n *html.Node) {
	if hasClass(n, "wp-block-gallery") || hasClass(n, "kg-gallery-card") || n.DataAtom == atom.Div && hasClass(n, "gallery") {
		d.gallery(n)
	}
	switch {
	case n.DataAtom == atom.Script && isTwitterScript(n):
		// The script that draws a post on X; the post itself is reported.
		remove(n)
	case dropped[n.DataAtom]:
		d.report.add(describe(n) + " (dropped)")
		remove(n)
	case n.DataAtom == atom.Iframe:
		d.iframe(n)
	case n.DataAtom == atom.Video || n.DataAtom == atom.Audio:
		d.media(n)
	case n.DataAtom == atom.Blockquote && (hasClass(n, "twitter-tweet") || hasClass(n, "twitter-video")):
		d.tweet(n)
	case n.DataAtom == atom.Cite && n.Parent != nil && n.Parent.DataAtom == atom.Blockquote:
		// A quote's source, written under it.
		p := element(atom.P)
		p.AppendChild(&html.Node{Type: html.TextNode, Data: "— "})
		moveChildren(n, p)
		replace(n, p)
	case n.DataAtom == atom.Figure && hasAttr(n, embedAttr):
		replace(n, d.embed(attr(n, embedAttr), "", "")...)
	case n.DataAtom == atom.Figure && hasClass(n, "wp-block-embed") && find(n, isElement(atom.Iframe)) == nil:
		d.embedFigure(n)
	case n.DataAtom == atom.Figure || n.DataAtom == atom.Div && hasClass(n, "wp-caption"):
		d.figure(n)
	case (n.DataAtom == atom.Ul || n.DataAtom == atom.Ol) && (hasClass(n, "blocks-gallery-grid") || hasClass(n, "wp-block-gallery")):
		// Each image of an older gallery block is in a list item; out of
		// the list each stands alone and shows as a figure.
		for li := n.FirstChild; li != nil; li = li.NextSibling {
			moveChildrenBefore(li, n)
		}
		remove(n)
	case n.DataAtom == atom.Pre:
		codeLanguage(n)
	case n.DataAtom == atom.Table:
		d.table(n)
	case n.DataAtom == atom.P:
		d.paragraph(n)
	case n.DataAtom == atom.Img:
		d.image(n)
	}
}

func (d *document) gallery(n *html.Node) {
	count := len(findAll(n, isElement(atom.Img)))
	kind := "gallery"
	if hasClass(n, "wp-block-gallery") {
		kind = "wp:gallery block"
	}
	d.report.add(fmt.Sprintf("%s with %d images (kept as images; Dateline has no gallery)", kind, count))
}

func isTwitterScript(n *html.Node) bool {
	src := attr(n, "src")
	return strings.Contains(src, "platform.twitter.com/") || strings.Contains(src, "platform.x.com/")
}

// describe names an element for a report: its tag, with the address it
// loads from if any.
func describe(n *html.Node) string {
	for _, a := range []string{"src", "data", "action"} {
		if v := attr(n, a); v != "" {
			return "<" + n.Data + " " + a + `="` + v + `">`
		}
	}
	return "<" + n.Data + ">"
}

func (d *document) iframe(n *html.Node) {
	src := strings.TrimSpace(attr(n, "src"))
	if src == "" {
		src = attr(n, "data-src") // lazy-loading plugins
	}
	switch e := embedOf(src); {
	case e.provider == "youtube" || e.provider == "vimeo":
		replace(n, raw(player(e, attr(n, "title"))))
	case openStreetMap(src):
		title := attr(n, "title")
		if title == "" {
			title = "Map"
		}
		replace(n, raw(`<iframe src="`+escapeAttr(src)+`" title="`+escapeAttr(title)+`" width="425" height="350" loading="lazy"></iframe>`))
	case src == "":
		d.report.add("<iframe> without an address (dropped)")
		remove(n)
	default:
		d.report.add(describe(n) + " (Dateline shows frames only from YouTube, Vimeo and OpenStreetMap; dropped)")
		remove(n)
	}
}

// media turns an <audio> or <video> into a link to its file.
func (d *document) media(n *html.Node) {
	src := attr(n, "src")
	if src == "" {
		if s := find(n, isElement(atom.Source)); s != nil {
			src = attr(s, "src")
		}
	}
	if src == "" {
		d.report.add(describe(n) + " without a file (dropped)")
		remove(n)
		return
	}
	src = d.absolute(src)
	d.report.add("<" + n.Data + "> (Dateline has no " + n.Data + " player; kept as a link to " + src + ")")
	replace(n, parseFragment(mediaLink(n.Data, src))...)
}

// tweet is a post on X as its embed code writes it: the words in a
// quote, a link to the post, and a script (removed by itself).
func (d *document) tweet(n *html.Node) {
	var post embed
	for _, a := range findAll(n, isElement(atom.A)) {
		if e := embedOf(attr(a, "href")); e.provider == "x" {
			post = e
		}
	}
	if post.provider == "" {
		return // a quote like any other
	}
	var text string
	if p := find(n, isElement(atom.P)); p != nil {
		text = strings.TrimSpace(textOf(p))
	}
	d.report.add("tweet kept as a link: " + post.url)
	replace(n, parseFragment(tweetQuote(post, text))...)
}

// embedFigure is an embed block saved without its comment: the URL is
// the figure's text.
func (d *document) embedFigure(n *html.Node) {
	var u, caption string
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.DataAtom == atom.Figcaption:
			caption = strings.TrimSpace(textOf(c))
		case c.Type == html.ElementNode:
			u = strings.TrimSpace(textOf(c))
		}
	}
	if !strings.HasPrefix(u, "http") {
		return
	}
	var slug string
	for _, c := range strings.Fields(attr(n, "class")) {
		if s, ok := strings.CutPrefix(c, "is-provider-"); ok {
			slug = s
		}
	}
	replace(n, d.embed(u, slug, caption)...)
}

// figure turns an image with a caption (a <figure>, a classic
// div.wp-caption) into the image alone in a paragraph, the form Dateline
// shows as a figure, and keeps the caption for the image. A figure of
// several images (a gallery) is left for its inner figures.
func (d *document) figure(n *html.Node) {
	imgs := findAll(n, isElement(atom.Img))
	if len(imgs) != 1 {
		return
	}
	img := imgs[0]
	var caption *html.Node
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom == atom.Figcaption || c.DataAtom == atom.P && hasClass(c, "wp-caption-text") {
			caption = c
		}
	}
	if find(n, func(c *html.Node) bool {
		return c.Type == html.TextNode && strings.TrimSpace(c.Data) != "" && !inside(c, caption)
	}) != nil {
		return // more than an image and its caption
	}
	if caption != nil {
		d.captions[img] = strings.Join(strings.Fields(textOf(caption)), " ")
	}
	if id, err := strconv.ParseInt(attr(n, attachmentAttr), 10, 64); err == nil && id > 0 {
		if _, ok := d.ids[img]; !ok {
			d.ids[img] = id
		}
	}
	shown := img
	if a := img.Parent; a != nil && a.DataAtom == atom.A && a != n {
		shown = a // image() decides whether the link stays
	}
	detach(shown)
	p := element(atom.P)
	p.AppendChild(shown)
	replace(n, p)
	if shown != img {
		d.image(img)
	}
}

var wpImageClass = regexp.MustCompile(`(?:^|\s)wp-image-([0-9]+)(?:\s|$)`)

// image makes an image's address absolute, notes its attachment ID, and
// takes it out of a link to its own file (WordPress's "link to media
// file"), which would stop Dateline showing it as a figure.
func (d *document) image(n *html.Node) {
	src := strings.TrimSpace(attr(n, "src"))
	if src == "" {
		src = strings.TrimSpace(attr(n, "data-src"))
	}
	if src == "" {
		d.report.add("<img> without an address (dropped)")
		remove(n)
		return
	}
	setAttr(n, "src", d.absolute(src))
	if _, ok := d.ids[n]; !ok {
		if m := wpImageClass.FindStringSubmatch(attr(n, "class")); m != nil {
			d.ids[n], _ = strconv.ParseInt(m[1], 10, 64)
		} else if id, err := strconv.ParseInt(attr(n, "data-id"), 10, 64); err == nil && id > 0 {
			d.ids[n] = id
		}
	}
	if a := n.Parent; a != nil && a.DataAtom == atom.A && onlyChild(a, n) && linksToImage(attr(a, "href")) {
		replace(a, detach(n))
	}
	// An image that starts a paragraph of text (floated beside it on the
	// old site) goes before it, alone, so Dateline shows it as a figure.
	top := n
	if top.Parent != nil && top.Parent.DataAtom == atom.A && onlyChild(top.Parent, n) {
		top = top.Parent
	}
	if p := top.Parent; p != nil && p.DataAtom == atom.P && firstContent(p) == top && !onlyContent(p, top) {
		np := element(atom.P)
		detach(top)
		np.AppendChild(top)
		insertBefore(p, np)
	}
}

// linksToImage reports whether a link around an image leads only to the
// image itself: its file or its attachment page.
func linksToImage(href string) bool {
	u, err := url.Parse(href)
	if err != nil {
		return false
	}
	p := strings.ToLower(u.Path)
	for _, ext := range []string{".jpg", ".jpeg", ".png", ".gif", ".webp", ".avif", ".svg"} {
		if strings.HasSuffix(p, ext) {
			return true
		}
	}
	return u.Query().Get("attachment_id") != "" || strings.Contains(p, "/attachment/")
}

var brushClass = regexp.MustCompile(`(?:^|[\s;])(?:brush|lang)\s*:\s*([\w+-]+)`)

// codeLanguage gives a code block the language-X class the converter
// reads, from the other ways WordPress plugins name it.
func codeLanguage(pre *html.Node) {
	if strings.Contains(attr(pre, "class"), "language-") {
		return
	}
	lang := firstNonEmpty(attr(pre, "lang"), attr(pre, "data-lang"))
	if m := brushClass.FindStringSubmatch(attr(pre, "class")); m != nil {
		lang = m[1]
	}
	if code := find(pre, isElement(atom.Code)); code != nil {
		if strings.Contains(attr(code, "class"), "language-") {
			return
		}
		lang = firstNonEmpty(lang, attr(code, "lang"), attr(code, "data-lang"))
	}
	if lang != "" {
		setAttr(pre, "class", "language-"+lang)
	}
}

// table keeps as HTML a table that a GFM table cannot write: merged
// cells, a table in a cell, lists or blocks in cells. Dateline's
// sanitizer allows tables with their spans.
func (d *document) table(n *html.Node) {
	var why string
	for _, c := range findAll(n, func(c *html.Node) bool { return c.Type == html.ElementNode && c != n }) {
		switch {
		case c.DataAtom == atom.Table:
			why = "a table inside a table"
		case (c.DataAtom == atom.Td || c.DataAtom == atom.Th) && (span(c, "rowspan") || span(c, "colspan")):
			why = "merged cells"
		case c.DataAtom == atom.Ul || c.DataAtom == atom.Ol || c.DataAtom == atom.Pre || c.DataAtom == atom.Blockquote || c.DataAtom == atom.Img:
			if why == "" {
				why = "<" + c.Data + "> in a cell"
			}
		}
	}
	if why == "" {
		return
	}
	d.report.add("table with " + why + " (kept as HTML)")
	setAttr(n, keepAsHTML, "")
}

func span(cell *html.Node, name string) bool {
	v, err := strconv.Atoi(strings.TrimSpace(attr(cell, name)))
	return err == nil && v > 1
}

// paragraph embeds a paragraph that holds only the URL of a video or of
// a post on X, as WordPress does.
func (d *document) paragraph(p *html.Node) {
	var u string
	for c := p.FirstChild; c != nil; c = c.NextSibling {
		switch {
		case c.Type == html.TextNode && strings.TrimSpace(c.Data) == "":
		case c.Type == html.TextNode && u == "":
			u = strings.TrimSpace(c.Data)
		case c.DataAtom == atom.A && u == "" && strings.TrimSpace(textOf(c)) == attr(c, "href"):
			u = attr(c, "href")
		default:
			return
		}
	}
	if strings.ContainsAny(u, " \t\n") || embedOf(u).provider == "" {
		return
	}
	replace(p, d.embed(u, "", "")...)
}

// demoteHeadings moves every heading one level down when the body has an
// H1: the page's title is its H1.
func (d *document) demoteHeadings() {
	if find(d.root, isElement(atom.H1)) == nil {
		return
	}
	d.report.add("<h1> in the body (every heading moved one level down; the page's title is its H1)")
	levels := []atom.Atom{atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6}
	for _, h := range findAll(d.root, func(n *html.Node) bool { return n.Type == html.ElementNode }) {
		for i, a := range levels[:5] {
			if h.DataAtom == a {
				h.DataAtom, h.Data = levels[i+1], levels[i+1].String()
				break
			}
		}
	}
}

// images lists the images the body shows, in order.
func (d *document) images() []Image {
	var out []Image
	walk(d.root, func(n *html.Node) {
		if n.DataAtom == atom.Img {
			out = append(out, Image{Src: attr(n, "src"), Alt: attr(n, "alt"), Caption: d.captions[n], AttachmentID: d.ids[n]})
		}
	})
	return out
}

// absolute resolves a relative address against the old site's.
func (d *document) absolute(ref string) string {
	if d.site == "" {
		return ref
	}
	base, err := url.Parse(d.site)
	if err != nil {
		return ref
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ref
	}
	return base.ResolveReference(u).String()
}

func (d *document) attached(n *html.Node) bool {
	for ; n != nil; n = n.Parent {
		if n == d.root {
			return true
		}
	}
	return false
}

func number(v any) int64 {
	switch v := v.(type) {
	case float64:
		return int64(v)
	case string:
		n, _ := strconv.ParseInt(v, 10, 64)
		return n
	}
	return 0
}
