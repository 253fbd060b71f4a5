package ghost

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"html"
	"sort"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"
)

// Ghost's editor keeps a post as a document (Lexical since Ghost 5,
// Mobiledoc before) made of rich text and "cards": an image, a gallery,
// an embed, a block of Markdown or HTML. The functions here write that
// document as plain HTML, which the importer converts to Markdown as it
// does any HTML; a card with no plain HTML form is named in the notes.

// lexicalNode is a node of a Lexical document. Its other fields are a
// card's payload, read by card.
type lexicalNode struct {
	Type     string            `json:"type"`
	Children []json.RawMessage `json:"children"`
	Text     string            `json:"text"`
	Format   json.RawMessage   `json:"format"` // a bit set on text, an alignment string on blocks
	Tag      string            `json:"tag"`
	ListType string            `json:"listType"`
	URL      string            `json:"url"`
}

// Bits of a Lexical text node's format.
const (
	lexBold = 1 << iota
	lexItalic
	lexStrike
	lexUnderline
	lexCode
	lexSubscript
	lexSuperscript
)

// lexicalHTML writes a Lexical document as HTML.
func lexicalHTML(doc string) (string, []string, error) {
	var d struct {
		Root json.RawMessage `json:"root"`
	}
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return "", nil, err
	}
	if d.Root == nil {
		return "", nil, fmt.Errorf("it has no root node")
	}
	w := &docWriter{}
	if err := w.lexical(d.Root); err != nil {
		return "", nil, err
	}
	return w.b.String(), w.notes, nil
}

// docWriter writes a document's HTML and notes what it could not.
type docWriter struct {
	b     strings.Builder
	notes []string
}

func (w *docWriter) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	for _, have := range w.notes {
		if have == n {
			return
		}
	}
	w.notes = append(w.notes, n)
}

func (w *docWriter) lexical(raw json.RawMessage) error {
	var n lexicalNode
	if err := json.Unmarshal(raw, &n); err != nil {
		return err
	}
	children := func() error {
		for _, c := range n.Children {
			if err := w.lexical(c); err != nil {
				return err
			}
		}
		return nil
	}
	wrap := func(tag string) error {
		w.b.WriteString("<" + tag + ">")
		if err := children(); err != nil {
			return err
		}
		w.b.WriteString("</" + tag + ">\n")
		return nil
	}
	switch n.Type {
	case "root":
		return children()
	case "paragraph":
		return wrap("p")
	case "heading", "extended-heading":
		tag := n.Tag
		if len(tag) != 2 || tag[0] != 'h' || tag[1] < '1' || tag[1] > '6' {
			tag = "h2"
		}
		return wrap(tag)
	case "quote", "aside", "extended-quote":
		return wrap("blockquote")
	case "list":
		tag := "ul"
		if n.ListType == "number" || n.Tag == "ol" {
			tag = "ol"
		}
		if n.ListType == "check" {
			w.note("a checklist became a plain list")
		}
		return wrap(tag)
	case "listitem":
		return wrap("li")
	case "text", "extended-text":
		var bits int
		_ = json.Unmarshal(n.Format, &bits)
		open, closing := textFormat(bits)
		w.b.WriteString(open + html.EscapeString(n.Text) + closing)
		return nil
	case "linebreak":
		w.b.WriteString("<br>")
		return nil
	case "tab":
		w.b.WriteString(" ")
		return nil
	case "link", "autolink":
		w.b.WriteString(`<a href="` + html.EscapeString(n.URL) + `">`)
		if err := children(); err != nil {
			return err
		}
		w.b.WriteString("</a>")
		return nil
	}
	var payload map[string]any
	if err := json.Unmarshal(raw, &payload); err != nil {
		return err
	}
	w.card(n.Type, payload)
	return nil
}

// textFormat is the markup of a Lexical text node's format bits.
func textFormat(bits int) (open, closing string) {
	var tags []string
	for _, f := range []struct {
		bit int
		tag string
	}{{lexBold, "strong"}, {lexItalic, "em"}, {lexStrike, "s"}, {lexCode, "code"}, {lexSubscript, "sub"}, {lexSuperscript, "sup"}} {
		if bits&f.bit != 0 {
			tags = append(tags, f.tag)
		}
	}
	for i := range tags {
		open += "<" + tags[i] + ">"
		closing += "</" + tags[len(tags)-1-i] + ">"
	}
	return open, closing
}

// card writes one of Ghost's cards, by its name and payload (the same
// for Lexical and Mobiledoc).
func (w *docWriter) card(name string, p map[string]any) {
	str := func(k string) string { s, _ := p[k].(string); return s }
	switch name {
	case "horizontalrule", "hr":
		w.b.WriteString("<hr>\n")
	case "image":
		w.figure(str("src"), str("alt"), str("caption"), str("href"))
	case "gallery":
		images, _ := p["images"].([]any)
		for _, im := range images {
			m, _ := im.(map[string]any)
			src, _ := m["src"].(string)
			alt, _ := m["alt"].(string)
			caption, _ := m["caption"].(string)
			w.figure(src, alt, caption, "")
		}
		if c := str("caption"); c != "" {
			w.b.WriteString("<p>" + c + "</p>\n")
		}
		w.note("a gallery became its images one after another")
	case "codeblock", "code":
		lang := str("language")
		class := ""
		if lang != "" {
			class = ` class="language-` + html.EscapeString(lang) + `"`
		}
		w.b.WriteString("<pre><code" + class + ">" + html.EscapeString(str("code")) + "</code></pre>\n")
	case "html":
		w.b.WriteString(str("html") + "\n")
	case "markdown", "card-markdown":
		w.b.WriteString(markdownHTML(str("markdown")))
	case "embed":
		if h := str("html"); h != "" {
			w.b.WriteString("<figure>" + h)
			if c := str("caption"); c != "" {
				w.b.WriteString("<figcaption>" + c + "</figcaption>")
			}
			w.b.WriteString("</figure>\n")
		} else if u := str("url"); u != "" {
			w.b.WriteString(`<p><a href="` + html.EscapeString(u) + `">` + html.EscapeString(u) + "</a></p>\n")
		}
	case "bookmark":
		u := str("url")
		title := u
		if md, ok := p["metadata"].(map[string]any); ok {
			if t, _ := md["title"].(string); t != "" {
				title = t
			}
		}
		w.b.WriteString(`<p><a href="` + html.EscapeString(u) + `">` + html.EscapeString(title) + "</a></p>\n")
	case "callout":
		w.b.WriteString("<blockquote><p>" + strings.TrimSpace(str("calloutEmoji")+" "+str("calloutText")) + "</p></blockquote>\n")
	case "toggle":
		w.b.WriteString("<h3>" + str("heading") + "</h3>\n" + str("content") + "\n")
	case "button":
		if u := str("buttonUrl"); u != "" {
			w.b.WriteString(`<p><a href="` + html.EscapeString(u) + `">` + html.EscapeString(cmp.Or(str("buttonText"), u)) + "</a></p>\n")
		}
	case "paywall":
		w.note("the members-only divider was dropped: the whole text is public once published")
	case "":
		w.note("a node with no type was dropped")
	default:
		w.note("a Ghost %q card has no equivalent in Dateline and was dropped", name)
	}
}

// figure writes an image with its caption (Ghost's captions are HTML).
func (w *docWriter) figure(src, alt, caption, href string) {
	if src == "" {
		return
	}
	img := `<img src="` + html.EscapeString(src) + `" alt="` + html.EscapeString(alt) + `">`
	if href != "" {
		img = `<a href="` + html.EscapeString(href) + `">` + img + "</a>"
	}
	if caption == "" {
		w.b.WriteString("<p>" + img + "</p>\n")
		return
	}
	w.b.WriteString("<figure>" + img + "<figcaption>" + caption + "</figcaption></figure>\n")
}

// markdownHTML renders a Markdown card as Ghost does (CommonMark with
// tables and strikethrough; HTML inside is kept, as the importer's
// conversion and Dateline's renderer judge it).
func markdownHTML(md string) string {
	var b bytes.Buffer
	gm := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe()))
	if err := gm.Convert([]byte(md), &b); err != nil {
		return "<pre>" + html.EscapeString(md) + "</pre>\n"
	}
	return b.String()
}

// mobiledoc is a Mobiledoc document (version 0.3).
type mobiledoc struct {
	Version  string            `json:"version"`
	Atoms    []json.RawMessage `json:"atoms"`
	Cards    []json.RawMessage `json:"cards"`
	Markups  []json.RawMessage `json:"markups"`
	Sections []json.RawMessage `json:"sections"`
}

// Mobiledoc section types.
const (
	mdMarkupSection = 1
	mdImageSection  = 2
	mdListSection   = 3
	mdCardSection   = 10
)

// mobiledocHTML writes a Mobiledoc document as HTML.
func mobiledocHTML(doc string) (string, []string, error) {
	var d mobiledoc
	if err := json.Unmarshal([]byte(doc), &d); err != nil {
		return "", nil, err
	}
	if !strings.HasPrefix(d.Version, "0.3") {
		return "", nil, fmt.Errorf("version %q of Mobiledoc, not 0.3", d.Version)
	}
	markups := make([]markup, len(d.Markups))
	for i, raw := range d.Markups {
		var m []any
		if err := json.Unmarshal(raw, &m); err != nil || len(m) == 0 {
			return "", nil, fmt.Errorf("markup %d cannot be read", i)
		}
		markups[i].tag, _ = m[0].(string)
		if len(m) > 1 {
			attrs, _ := m[1].([]any)
			for j := 0; j+1 < len(attrs); j += 2 {
				k, _ := attrs[j].(string)
				v, _ := attrs[j+1].(string)
				markups[i].attrs = append(markups[i].attrs, [2]string{k, v})
			}
		}
	}
	w := &docWriter{}
	for i, raw := range d.Sections {
		var sec []json.RawMessage
		if err := json.Unmarshal(raw, &sec); err != nil || len(sec) < 2 {
			return "", nil, fmt.Errorf("section %d cannot be read", i)
		}
		var typ int
		_ = json.Unmarshal(sec[0], &typ)
		switch typ {
		case mdMarkupSection:
			var tag string
			_ = json.Unmarshal(sec[1], &tag)
			tag = strings.ToLower(tag)
			switch tag {
			case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote":
			case "aside", "pull-quote":
				tag = "blockquote"
			default:
				tag = "p"
			}
			w.b.WriteString("<" + tag + ">")
			if len(sec) > 2 {
				if err := w.markers(sec[2], markups, d); err != nil {
					return "", nil, err
				}
			}
			w.b.WriteString("</" + tag + ">\n")
		case mdListSection:
			var tag string
			_ = json.Unmarshal(sec[1], &tag)
			if tag != "ol" {
				tag = "ul"
			}
			w.b.WriteString("<" + tag + ">")
			var items []json.RawMessage
			if len(sec) > 2 {
				_ = json.Unmarshal(sec[2], &items)
			}
			for _, item := range items {
				w.b.WriteString("<li>")
				if err := w.markers(item, markups, d); err != nil {
					return "", nil, err
				}
				w.b.WriteString("</li>")
			}
			w.b.WriteString("</" + tag + ">\n")
		case mdImageSection:
			var src string
			_ = json.Unmarshal(sec[1], &src)
			w.figure(src, "", "", "")
		case mdCardSection:
			var idx int
			_ = json.Unmarshal(sec[1], &idx)
			if idx < 0 || idx >= len(d.Cards) {
				return "", nil, fmt.Errorf("section %d names card %d, which the document lacks", i, idx)
			}
			var card []json.RawMessage
			if err := json.Unmarshal(d.Cards[idx], &card); err != nil || len(card) == 0 {
				return "", nil, fmt.Errorf("card %d cannot be read", idx)
			}
			var name string
			_ = json.Unmarshal(card[0], &name)
			payload := map[string]any{}
			if len(card) > 1 {
				_ = json.Unmarshal(card[1], &payload)
			}
			w.card(name, payload)
		default:
			w.note("a Mobiledoc section of type %d was dropped", typ)
		}
	}
	return w.b.String(), w.notes, nil
}

// markup is a Mobiledoc markup: a tag with its attributes.
type markup struct {
	tag   string
	attrs [][2]string
}

var allowedMarkups = map[string]bool{"a": true, "b": true, "strong": true, "i": true, "em": true, "s": true, "u": true, "code": true, "sub": true, "sup": true}

// markers writes a Mobiledoc section's markers: text runs (and atoms)
// opening and closing markups.
func (w *docWriter) markers(raw json.RawMessage, markups []markup, d mobiledoc) error {
	var ms [][]json.RawMessage
	if err := json.Unmarshal(raw, &ms); err != nil {
		return fmt.Errorf("markers cannot be read: %v", err)
	}
	var open []string
	for _, m := range ms {
		if len(m) < 4 {
			return fmt.Errorf("a marker has %d fields, not 4", len(m))
		}
		var typ, closing int
		var opens []int
		_ = json.Unmarshal(m[0], &typ)
		_ = json.Unmarshal(m[1], &opens)
		_ = json.Unmarshal(m[2], &closing)
		for _, i := range opens {
			if i < 0 || i >= len(markups) {
				return fmt.Errorf("a marker opens markup %d, which the document lacks", i)
			}
			mk := markups[i]
			tag := strings.ToLower(mk.tag)
			if !allowedMarkups[tag] {
				tag = "span"
			}
			w.b.WriteString("<" + tag)
			sort.Slice(mk.attrs, func(a, b int) bool { return mk.attrs[a][0] < mk.attrs[b][0] })
			for _, a := range mk.attrs {
				if tag == "a" && a[0] == "href" {
					w.b.WriteString(` href="` + html.EscapeString(a[1]) + `"`)
				}
			}
			w.b.WriteString(">")
			open = append(open, tag)
		}
		switch typ {
		case 0:
			var text string
			_ = json.Unmarshal(m[3], &text)
			w.b.WriteString(html.EscapeString(text))
		case 1:
			var idx int
			_ = json.Unmarshal(m[3], &idx)
			if idx >= 0 && idx < len(d.Atoms) {
				var atom []any
				_ = json.Unmarshal(d.Atoms[idx], &atom)
				if len(atom) == 0 {
					continue
				}
				name, _ := atom[0].(string)
				text := ""
				if len(atom) > 1 {
					text, _ = atom[1].(string)
				}
				if name == "soft-return" {
					w.b.WriteString("<br>")
				} else {
					w.b.WriteString(html.EscapeString(text))
				}
			}
		}
		for ; closing > 0 && len(open) > 0; closing-- {
			w.b.WriteString("</" + open[len(open)-1] + ">")
			open = open[:len(open)-1]
		}
	}
	for len(open) > 0 {
		w.b.WriteString("</" + open[len(open)-1] + ">")
		open = open[:len(open)-1]
	}
	return nil
}
