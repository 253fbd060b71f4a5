package comment

import (
	"html"
	"html/template"
	"regexp"
	"strings"
)

// urlPattern finds the http and https addresses in comment text; trailing
// punctuation is left out of the link.
var urlPattern = regexp.MustCompile(`https?://[^\s<>"'` + "`" + `]+[^\s<>"'` + "`" + `.,;:!?)\]]`)

// CountLinks counts the web addresses in a comment's text.
func CountLinks(text string) int {
	return len(urlPattern.FindAllStringIndex(text, -1))
}

// HTML renders comment text as readers see it: escaped, in paragraphs
// (a blank line) with line breaks, and with web addresses linked, marked
// as user content that search engines should not follow. Nothing else a
// commenter writes becomes markup.
func HTML(text string) template.HTML {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>\n")
			}
			writeLinked(&b, line)
		}
		b.WriteString("</p>\n")
	}
	return template.HTML(b.String())
}

func writeLinked(b *strings.Builder, line string) {
	last := 0
	for _, m := range urlPattern.FindAllStringIndex(line, -1) {
		b.WriteString(html.EscapeString(line[last:m[0]]))
		u := html.EscapeString(line[m[0]:m[1]])
		b.WriteString(`<a href="` + u + `" rel="nofollow ugc noopener">` + u + `</a>`)
		last = m[1]
	}
	b.WriteString(html.EscapeString(line[last:]))
}
