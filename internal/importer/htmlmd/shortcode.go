package htmlmd

import (
	"html"
	"path"
	"regexp"
	"strings"
)

// shortcodeOpen is a shortcode's opening tag, [name attrs], [name/] or
// the escaped [[name]], which WordPress shows as [name]. WordPress runs
// only the shortcodes a site registered; an old site's plugins are gone,
// so any name is taken for one.
var shortcodeOpen = regexp.MustCompile(`\[(\[?)([A-Za-z][\w-]*)([^\[\]]*?)(/?)\](\]?)`)

// shortcodeAttr is one attribute: name="value", name='value', name=value
// or a bare value.
var shortcodeAttr = regexp.MustCompile(`([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s'"]+))|"([^"]*)"|'([^']*)'|(\S+)`)

// untouched are the parts of a body where brackets are text, not
// shortcodes: code a post shows.
var untouched = regexp.MustCompile(`(?is)<pre\b.*?</pre>|<code\b.*?</code>`)

// shortcode is one shortcode found in a body.
type shortcode struct {
	name    string
	tag     string // the opening tag as written
	attrs   map[string]string
	args    []string // bare values, in order
	content string   // between the tags of an enclosing shortcode
	closed  bool     // whether it had a closing tag
}

// enclosing are the shortcodes known to wrap content up to a [/name].
var enclosing = map[string]bool{"caption": true, "wp_caption": true, "embed": true, "code": true, "sourcecode": true, "audio": true, "video": true}

// expandShortcodes replaces the shortcodes Dateline has a form for with
// HTML, leaving unknown ones as text; every one but [caption], [embed],
// [code] and the video players is reported.
func expandShortcodes(body string, r *report) string {
	if !strings.Contains(body, "[") {
		return body
	}
	var b strings.Builder
	last := 0
	for _, loc := range untouched.FindAllStringIndex(body, -1) {
		b.WriteString(expandShortcodesIn(body[last:loc[0]], r))
		b.WriteString(body[loc[0]:loc[1]])
		last = loc[1]
	}
	b.WriteString(expandShortcodesIn(body[last:], r))
	return b.String()
}

func expandShortcodesIn(text string, r *report) string {
	var b strings.Builder
	for {
		m := shortcodeOpen.FindStringSubmatchIndex(text)
		if m == nil {
			b.WriteString(text)
			return b.String()
		}
		b.WriteString(text[:m[0]])
		tag := text[m[0]:m[1]]
		escaped := m[3] > m[2] && m[11] > m[10]
		if escaped {
			b.WriteString(tag[1 : len(tag)-1])
			text = text[m[1]:]
			continue
		}
		if m[3] > m[2] {
			// A lone "[" before the tag is text.
			b.WriteString("[")
			tag = tag[1:]
		}
		if m[11] > m[10] {
			tag = tag[:len(tag)-1]
		}
		sc := shortcode{name: strings.ToLower(text[m[4]:m[5]]), tag: tag}
		sc.attrs, sc.args = parseShortcodeAttrs(text[m[6]:m[7]])
		rest := text[m[1]:]
		if m[11] > m[10] {
			rest = "]" + rest
		}
		selfClosing := m[9] > m[8]
		if closing := "[/" + text[m[4]:m[5]] + "]"; !selfClosing {
			if i := strings.Index(strings.ToLower(rest), strings.ToLower(closing)); i >= 0 && (enclosing[sc.name] || !strings.Contains(rest[:i], "["+text[m[4]:m[5]])) {
				sc.content, sc.closed = rest[:i], true
				rest = rest[i+len(closing):]
			}
		}
		if out, ok := sc.expand(r); ok {
			b.WriteString(out)
			text = rest
			continue
		}
		// Unknown: kept as text, and its content still read for
		// shortcodes Dateline knows.
		if sc.reportable() {
			r.add(sc.tag + " shortcode (no Dateline equivalent, kept as text)")
		}
		b.WriteString(sc.tag)
		if sc.closed {
			b.WriteString(expandShortcodesIn(sc.content, r))
			b.WriteString("[/" + text[m[4]:m[5]] + "]")
		}
		text = rest
	}
}

// reportable tells a shortcode from words in brackets, such as "[sic]":
// it has attributes, content, or a name no word has.
func (sc shortcode) reportable() bool {
	return sc.closed || len(sc.attrs) > 0 || len(sc.args) > 0 || strings.ContainsAny(sc.name, "-_") || strings.HasSuffix(sc.tag, "/]")
}

func parseShortcodeAttrs(s string) (map[string]string, []string) {
	// Jetpack's [youtube=URL] puts its argument right after the name.
	s = strings.TrimPrefix(strings.TrimSpace(s), "=")
	s = strings.TrimSuffix(strings.TrimSpace(s), "/")
	attrs := map[string]string{}
	var args []string
	for _, m := range shortcodeAttr.FindAllStringSubmatch(s, -1) {
		switch {
		case m[1] != "":
			attrs[strings.ToLower(m[1])] = m[2] + m[3] + m[4]
		default:
			args = append(args, m[5]+m[6]+m[7])
		}
	}
	return attrs, args
}

// expand is the HTML for a shortcode Dateline has a form for; ok is false
// for the others.
func (sc shortcode) expand(r *report) (out string, ok bool) {
	switch sc.name {
	case "caption", "wp_caption":
		return sc.caption(), true
	case "gallery":
		if ids := sc.attrs["ids"]; ids != "" {
			r.add(sc.tag + " shortcode (Dateline has no gallery; attachments " + strings.Join(splitIDs(ids), ", ") + " not placed)")
		} else {
			r.add(sc.tag + " shortcode (Dateline has no gallery; the post's attached images not placed)")
		}
		return "", true
	case "embed", "youtube", "vimeo", "tweet":
		u := strings.TrimSpace(sc.content)
		if u == "" {
			u = firstNonEmpty(sc.attrs["url"], sc.attrs["src"], strings.Join(sc.args, " "))
		}
		if sc.name == "vimeo" && vimeoID.MatchString(u) {
			u = "https://vimeo.com/" + u
		}
		return "\n\n" + embedMarker(u) + "\n\n", true
	case "audio", "video":
		src := firstNonEmpty(sc.attrs["src"], sc.attrs["mp3"], sc.attrs["m4a"], sc.attrs["ogg"], sc.attrs["wav"],
			sc.attrs["mp4"], sc.attrs["m4v"], sc.attrs["webm"], sc.attrs["ogv"], sc.attrs["flv"], strings.TrimSpace(sc.content), strings.Join(sc.args, " "))
		if src == "" {
			r.add(sc.tag + " shortcode without a file (dropped)")
			return "", true
		}
		r.add(sc.tag + " shortcode (Dateline has no " + sc.name + " player; kept as a link to " + src + ")")
		return "\n\n" + mediaLink(sc.name, src) + "\n\n", true
	case "code", "sourcecode":
		if !sc.closed {
			return "", false
		}
		lang := firstNonEmpty(sc.attrs["language"], sc.attrs["lang"], sc.attrs["brush"])
		code := strings.Trim(sc.content, "\n")
		if strings.ContainsAny(code, "<>") {
			// Written in the text editor: the code as it is, not HTML.
			code = html.EscapeString(code)
		}
		class := ""
		if lang != "" {
			class = ` class="language-` + html.EscapeString(lang) + `"`
		}
		return "\n\n<pre><code" + class + ">" + code + "</code></pre>\n\n", true
	}
	return "", false
}

// captionImage splits a [caption]'s content into its image (perhaps in a
// link) and the caption text after it.
var captionImage = regexp.MustCompile(`(?is)^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*</a>)?)(.*)$`)

// caption is a [caption] as a <figure>; the attachment ID from its id
// attribute is kept for the image (see document.figure).
func (sc shortcode) caption() string {
	img, text := sc.content, ""
	if m := captionImage.FindStringSubmatch(sc.content); m != nil {
		img, text = m[1], m[2]
	}
	if c, ok := sc.attrs["caption"]; ok {
		text = c
	}
	id := strings.TrimPrefix(sc.attrs["id"], "attachment_")
	return "\n\n<figure " + attachmentAttr + `="` + html.EscapeString(id) + `">` + img +
		"<figcaption>" + strings.TrimSpace(text) + "</figcaption></figure>\n\n"
}

// mediaLink is an audio or video file as a link to it.
func mediaLink(kind, src string) string {
	label := "Audio"
	if kind == "video" {
		label = "Video"
	}
	name := path.Base(strings.SplitN(src, "?", 2)[0])
	return `<p><a href="` + html.EscapeString(src) + `">` + label + ": " + html.EscapeString(name) + "</a></p>"
}

func splitIDs(s string) []string {
	var ids []string
	for _, id := range strings.Split(s, ",") {
		if id = strings.TrimSpace(id); id != "" {
			ids = append(ids, id)
		}
	}
	return ids
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}
