// Package htmlmd turns the HTML bodies of posts moved in from WordPress or
// Ghost into Dateline Markdown.
//
// The Markdown itself is written by html-to-markdown, a maintained
// converter; this package does what that converter cannot know about:
// WordPress's classic editor leaves paragraphs as blank lines for wpautop
// to make at display time, Gutenberg keeps its blocks in HTML comments,
// shortcodes are plain text until WordPress runs them, and embeds must
// become the few players Dateline's sanitizer lets through (see
// render.policy). Whatever has no Dateline form is reported in
// Result.NotConverted, so that an import never loses content silently.
package htmlmd

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/strikethrough"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/table"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Options says where a body comes from.
type Options struct {
	// SiteURL is the old site's address (https://example.com). Relative
	// links and image addresses are made absolute against it; without it
	// they are left as written.
	SiteURL string
	// NoAutoParagraphs says that the body's newlines mean nothing, as in
	// Ghost's HTML. WordPress's classic editor stores paragraphs as blank
	// lines and line breaks as single newlines, which WordPress turns into
	// <p> and <br> when it shows a post (wpautop); Convert does the same
	// for a body without Gutenberg blocks unless this is set.
	NoAutoParagraphs bool
}

// Result is a body converted to Markdown.
type Result struct {
	Markdown string
	// Images are the images the body shows, in order, each as
	// ![alt](src) alone in its paragraph of Markdown, so that the importer
	// can put each in the media library and name it ![alt](media:ID).
	Images []Image
	// NotConverted names each construct that has no Dateline form, one
	// line each, and what became of it (dropped, kept as text, kept as a
	// link, kept as HTML). A line that repeats is given once with a count.
	NotConverted []string
}

// Image is an image the body shows.
type Image struct {
	Src string
	Alt string
	// Caption is the image's caption as plain text. Dateline's Markdown
	// has no caption syntax: a library image shows its item's caption, so
	// the importer gives this to the item it makes.
	Caption string
	// AttachmentID is the image's WordPress attachment (post) ID where
	// the markup gives it (a wp-image-N class, a block's "id", a
	// [caption id="attachment_N"]), else 0.
	AttachmentID int64
}

// markdownConverter is built once; html-to-markdown's Converter is safe
// for concurrent use.
var markdownConverter = newConverter()

func newConverter() *converter.Converter {
	conv := converter.NewConverter(converter.WithPlugins(
		base.NewBasePlugin(),
		commonmark.NewCommonmarkPlugin(commonmark.WithBulletListMarker("-")),
		strikethrough.NewStrikethroughPlugin(),
		// A cell's line breaks are written as <br>, which GFM tables allow.
		table.NewTablePlugin(table.WithNewlineBehavior(table.NewlineBehaviorPreserve)),
	))
	// rawTag carries HTML that goes into the Markdown as it is: the
	// embeds and tables that Markdown cannot write (see rawBlock).
	conv.Register.RendererFor(rawTag, converter.TagTypeBlock, renderRaw, converter.PriorityEarly)
	conv.Register.Renderer(renderKeptTable, converter.PriorityEarly)
	return conv
}

// Convert turns a post's HTML into Dateline Markdown. It runs what
// WordPress runs when it shows a post (block comments, shortcodes,
// wpautop for classic posts), turns YouTube and Vimeo embeds into players
// Dateline's sanitizer allows, posts on X into quotes linking to them,
// and H1 headings, of which the page has one, into H2 (moving the lower
// levels down with them). Invalid UTF-8 is replaced, and reported.
// Convert fails only if the converter does.
func Convert(body string, opts Options) (Result, error) {
	r := &report{}
	if !utf8.ValidString(body) {
		body = strings.ToValidUTF8(body, "\uFFFD")
		r.add("invalid UTF-8 (replaced with U+FFFD)")
	}
	body = strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\r", "\n")
	hasBlocks := strings.Contains(body, "<!-- wp:")

	body = expandShortcodes(body, r)
	if !hasBlocks && !opts.NoAutoParagraphs {
		body = wpautop(markEmbedLines(body))
	}

	root := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(body), root)
	if err != nil {
		return Result{}, fmt.Errorf("convert html: parse: %w", err)
	}
	for _, n := range nodes {
		root.AppendChild(n)
	}

	d := &document{root: root, report: r, site: opts.SiteURL, captions: map[*html.Node]string{}, ids: map[*html.Node]int64{}}
	d.transform()
	images := d.images()

	var convertOpts []converter.ConvertOptionFunc
	if opts.SiteURL != "" {
		convertOpts = append(convertOpts, converter.WithDomain(opts.SiteURL))
	}
	md, err := markdownConverter.ConvertNode(root, convertOpts...)
	if err != nil {
		return Result{}, fmt.Errorf("convert html: %w", err)
	}
	out := strings.TrimSpace(tightenNestedLists(string(md)))
	if out != "" {
		out += "\n"
	}
	return Result{Markdown: out, Images: images, NotConverted: r.lines()}, nil
}

// report gathers the NotConverted lines in the order first seen.
type report struct {
	order []string
	count map[string]int
}

func (r *report) add(line string) {
	if r.count == nil {
		r.count = map[string]int{}
	}
	if r.count[line] == 0 {
		r.order = append(r.order, line)
	}
	r.count[line]++
}

func (r *report) lines() []string {
	var out []string
	for _, line := range r.order {
		if n := r.count[line]; n > 1 {
			line += " ×" + strconv.Itoa(n)
		}
		out = append(out, line)
	}
	return out
}

// nestedListGap is the line of spaces html-to-markdown writes between a
// list item's text and the list nested in it. Markdown takes it for a
// blank line, which makes the whole list loose (each item a paragraph).
var nestedListGap = regexp.MustCompile(`^[ \t]+$`)

var nestedListItem = regexp.MustCompile(`^[ \t]+(?:[-*+]|[0-9]+[.)])[ \t]`)

// tightenNestedLists removes those lines, outside code blocks.
func tightenNestedLists(md string) string {
	lines := strings.Split(md, "\n")
	out := make([]string, 0, len(lines))
	fence := ""
	for i, line := range lines {
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case fence == "" && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")):
			fence = trimmed[:3]
		case fence != "" && strings.HasPrefix(trimmed, fence):
			fence = ""
		case fence == "" && i > 0 && i+1 < len(lines) && nestedListGap.MatchString(line) &&
			strings.TrimSpace(lines[i-1]) != "" && nestedListItem.MatchString(lines[i+1]):
			continue
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}
