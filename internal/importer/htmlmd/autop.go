package htmlmd

import (
	"regexp"
	"strconv"
	"strings"
)

// wpautop makes the paragraphs and line breaks of a classic WordPress
// post as WordPress does when it shows one: a blank line ends a
// paragraph, a single newline is a <br>, and block-level HTML is left
// outside paragraphs. It is a port of the paragraph splitting of
// WordPress's wpautop (wp-includes/formatting.php), without its special
// cases for <option>, <object> and <svg>, which the converter has no use
// for. No Go library does this.
func wpautop(text string) string {
	if strings.TrimSpace(text) == "" {
		return ""
	}
	text += "\n"

	// Code keeps its newlines: set it aside.
	var pres []string
	text = autopPre.ReplaceAllStringFunc(text, func(pre string) string {
		pres = append(pres, pre)
		return "<pre wp-pre-tag-" + strconv.Itoa(len(pres)-1) + "></pre>"
	})

	text = autopDoubleBr.ReplaceAllString(text, "\n\n")
	text = autopBlockOpen.ReplaceAllString(text, "\n\n$1")
	text = autopBlockClose.ReplaceAllString(text, "$1\n\n")
	text = autopHr.ReplaceAllString(text, "$1\n\n")
	// A newline inside a tag (between attributes) is no line break.
	text = autopTag.ReplaceAllStringFunc(text, func(tag string) string { return strings.ReplaceAll(tag, "\n", " ") })
	text = autopManyNewlines.ReplaceAllString(text, "\n\n")

	var b strings.Builder
	for _, p := range autopParagraphBreak.Split(text, -1) {
		if strings.TrimSpace(p) == "" {
			continue
		}
		b.WriteString("<p>" + strings.Trim(p, "\n") + "</p>\n")
	}
	text = b.String()

	text = autopEmptyP.ReplaceAllString(text, "")
	text = autopUnclosedP.ReplaceAllString(text, "<p>$1</p></$2>")
	text = autopWrappedBlock.ReplaceAllString(text, "$1")
	text = autopWrappedLi.ReplaceAllString(text, "$1")
	text = autopPBlockquote.ReplaceAllString(text, "<blockquote$1><p>")
	text = strings.ReplaceAll(text, "</blockquote></p>", "</p></blockquote>")
	text = autopPBeforeBlock.ReplaceAllString(text, "$1")
	text = autopPAfterBlock.ReplaceAllString(text, "$1")

	text = strings.NewReplacer("<br>", "<br />", "<br/>", "<br />").Replace(text)
	// Go's regexp has no look-behind: a newline already after a <br />
	// is matched with it and left alone.
	text = autopNewline.ReplaceAllStringFunc(text, func(m string) string {
		if strings.HasPrefix(m, "<br />") {
			return m
		}
		return "<br />\n"
	})
	text = autopBrAfterBlock.ReplaceAllString(text, "$1")
	text = autopBrBeforeBlock.ReplaceAllString(text, "$1")
	if strings.HasSuffix(text, "\n</p>\n") {
		text = strings.TrimSuffix(text, "\n</p>\n") + "</p>\n"
	}

	for i, pre := range pres {
		text = strings.Replace(text, "<pre wp-pre-tag-"+strconv.Itoa(i)+"></pre>", pre, 1)
	}
	return text
}

// autopBlocks are the tags wpautop keeps out of paragraphs.
const autopBlocks = `(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)`

var (
	autopPre            = regexp.MustCompile(`(?is)<pre\b.*?</pre>`)
	autopDoubleBr       = regexp.MustCompile(`(?i)<br\s*/?>\s*<br\s*/?>`)
	autopBlockOpen      = regexp.MustCompile(`(?i)(<` + autopBlocks + `[\s/>])`)
	autopBlockClose     = regexp.MustCompile(`(?i)(</` + autopBlocks + `>)`)
	autopHr             = regexp.MustCompile(`(?i)(<hr\s*?/?>)`)
	autopTag            = regexp.MustCompile(`<[^<>]*>`)
	autopManyNewlines   = regexp.MustCompile(`\n\n+`)
	autopParagraphBreak = regexp.MustCompile(`\n\s*\n`)
	autopEmptyP         = regexp.MustCompile(`<p>\s*</p>`)
	autopUnclosedP      = regexp.MustCompile(`<p>([^<]+)</(div|address|form)>`)
	autopWrappedBlock   = regexp.MustCompile(`(?i)<p>\s*(</?` + autopBlocks + `[^>]*>)\s*</p>`)
	autopWrappedLi      = regexp.MustCompile(`<p>(<li.+?)</p>`)
	autopPBlockquote    = regexp.MustCompile(`(?i)<p><blockquote([^>]*)>`)
	autopPBeforeBlock   = regexp.MustCompile(`(?i)<p>\s*(</?` + autopBlocks + `[^>]*>)`)
	autopPAfterBlock    = regexp.MustCompile(`(?i)(</?` + autopBlocks + `[^>]*>)\s*</p>`)
	autopNewline        = regexp.MustCompile(`(?:<br />)?\s*\n`)
	autopBrAfterBlock   = regexp.MustCompile(`(?i)(</?` + autopBlocks + `[^>]*>)\s*<br />`)
	autopBrBeforeBlock  = regexp.MustCompile(`(?i)<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)`)
)

// embedLine is a line holding only a URL, which WordPress embeds when it
// knows the site (autoembed, run before wpautop).
var embedLine = regexp.MustCompile(`(?m)^[ \t]*(https?://[^\s<>"]+)[ \t]*$`)

// markEmbedLines marks each line of a classic post that holds only the
// URL of a video or a post on X, as WordPress would embed it; other URLs
// stay text.
func markEmbedLines(text string) string {
	return embedLine.ReplaceAllStringFunc(text, func(line string) string {
		u := strings.TrimSpace(line)
		if embedOf(u).provider == "" {
			return line
		}
		return "\n" + embedMarker(u) + "\n"
	})
}
