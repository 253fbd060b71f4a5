// Package text imports an article saved as plain text, typically the text of
// a published web page copied out of a browser, and turns it into an
// article whose body is Markdown.
//
// Parse applies these rules, in this order:
//
//   - Line endings (\r\n, \r) become \n, a UTF-8 byte order mark is dropped
//     and every line is trimmed of surrounding white space (indentation means
//     nothing in copied text, and in Markdown it would make code blocks).
//   - The first non-empty line is the title. Lines right under it holding
//     only a number, such as "0" or "1,234", are the page's view and comment
//     counters and are dropped.
//   - A closing comment form is dropped: a last "Leave a Reply" or "Leave a
//     Comment" line (possibly followed by "Cancel reply") when everything
//     after it is WordPress form text: "Your email address will not be
//     published.", "Required fields are marked *", "Comment *", "Name *",
//     "Email *", "Website", "Save my name, email, and website in this
//     browser for the next time I comment.", "Post Comment", "Δ".
//   - The remaining text is cut into blocks at blank lines.
//   - The first block starting with a "Meta Description:" label (in any
//     case) gives the description: the text after the colon, or else the
//     rest of the block, or else the next block. Label and description leave
//     the body.
//   - A last block starting with a line such as "Suggested Internal Linking
//     for SEO", "Suggested Internal Links", "Related Articles", "Related
//     Reading", "Suggested Reading" or "Further Reading" (in any case, with
//     or without a colon), followed up to the end only by list items or
//     lines of at most 150 characters, gives the requested links, in order:
//     each line without its bullet or number, without a label such as
//     "Related Article:" or "Read also:", with a Markdown link reduced to its
//     text and surrounding quotes removed. The block leaves the body.
//   - A one-line block after two or more blank lines is a section heading
//     (H2), unless it is a bullet item, is longer than 150 characters, ends
//     with a period or an ellipsis, has no letter, or is the last block.
//   - A one-line block after one blank line (or first in the body) is a
//     sub-heading (H3) when it is not a bullet item, has a letter, has at
//     most 80 characters and 12 words, does not end with sentence punctuation
//     (. ! ? … , ; : – —, looking past closing quotes and brackets, so that
//     “Patience Has Run Out” is a heading) and the next block is not a
//     heading. An H3 before the first H2 is emitted as an H2, so that
//     heading levels are never skipped.
//   - Lines starting with a bullet (•, ·, ‣, ◦, ▪, ●, -, *, + or – and a
//     space) are items of a bulleted list; lines like "1. text" or
//     "1) text" that are not headings are items of a numbered list keeping
//     their numbers, except a lone one among lines of other text, which is
//     a sentence starting with a number. Adjacent lists of the same kind
//     are merged.
//   - Everything else is a paragraph; its lines are kept as soft line
//     breaks.
//   - Nothing is converted: typographic quotes, apostrophes and dashes stay
//     as written. Markdown punctuation in the text is backslash-escaped so
//     that the body renders as the original text: always \ ` * _ [ ] < > ~ |
//     and an & that starts an HTML entity; at the start of a line also
//     # + - = : and the period or parenthesis of a "1." or "1)" marker.
//
// If no body text remains, Parse fails.
package text

import (
	"errors"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/article"
)

// Errors returned by Parse. Their messages are meant for the user.
var (
	ErrEmpty  = errors.New("file is empty")
	ErrNoBody = errors.New("file has a title but no body text")
)

// Limits of the heading rules.
const (
	maxH2Len      = 150 // characters
	maxH3Len      = 80  // characters
	maxH3Words    = 12
	maxLinkLength = 150 // characters of a line in a requested-links block
)

// Parse reads a plain-text article (text taken off a published web page) and
// returns it as an article whose Body is Markdown. Only Title, Description,
// Body and RequestedLinks are set. The content must be valid UTF-8. Parse
// returns ErrEmpty for a file with no text and ErrNoBody for a file with
// nothing but a title (and perhaps a description and links).
func Parse(content []byte) (*article.Article, error) {
	lines := splitLines(content)
	start := 0
	for start < len(lines) && lines[start] == "" {
		start++
	}
	if start == len(lines) {
		return nil, ErrEmpty
	}
	a := &article.Article{Title: lines[start]}

	rest := dropComments(dropCounters(lines[start+1:]))
	blocks := splitBlocks(rest)
	a.Description, blocks = takeDescription(blocks)
	a.RequestedLinks, blocks = takeRequestedLinks(blocks)
	if len(blocks) == 0 {
		return nil, ErrNoBody
	}
	a.Body = markdown(blocks)
	return a, nil
}

// splitLines normalises line endings, drops a byte order mark and trims the
// white space around every line.
func splitLines(content []byte) []string {
	s := strings.TrimPrefix(string(content), "\uFEFF")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimFunc(l, isSpace)
	}
	return lines
}

// isSpace reports whether r is white space, counting the invisible
// characters that web pages leave in copied text.
func isSpace(r rune) bool {
	switch r {
	case '\u200B', '\u2060', '\uFEFF':
		return true
	}
	return unicode.IsSpace(r)
}

var counterRE = regexp.MustCompile(`^[0-9]+(?:[,.'’\x{00A0}\x{202F} ][0-9]+)*$`)

// dropCounters drops the lone numbers at the start of lines (those right
// under the title), keeping the blank lines after the last of them.
func dropCounters(lines []string) []string {
	from := 0
	for i, l := range lines {
		if l == "" {
			continue
		}
		if !counterRE.MatchString(l) {
			break
		}
		from = i + 1
	}
	return lines[from:]
}

// commentFormPhrases are the pieces of text of a WordPress comment form.
var commentFormPhrases = []string{
	"your email address will not be published",
	"required fields are marked",
	"save my name, email, and website in this browser for the next time i comment",
	"notify me of follow-up comments by email",
	"notify me of new posts by email",
	"post comment",
	"cancel reply",
	"comment",
	"name",
	"email",
	"website",
	"Δ",
}

// dropComments cuts lines at a last "Leave a Reply" line when only comment
// form text follows it.
func dropComments(lines []string) []string {
	for i := len(lines) - 1; i >= 0; i-- {
		l := lines[i]
		if l == "" || isCommentForm(l) {
			continue
		}
		for _, p := range []string{"leave a reply", "leave a comment"} {
			if rest, ok := cutPrefixFold(l, p); ok && isCommentForm(rest) {
				return lines[:i]
			}
		}
		break
	}
	return lines
}

// isCommentForm reports whether s is made only of comment form phrases.
func isCommentForm(s string) bool {
	for {
		s = strings.TrimLeft(s, " \t.*:")
		if s == "" {
			return true
		}
		found := false
		for _, p := range commentFormPhrases {
			if rest, ok := cutPrefixFold(s, p); ok {
				s, found = rest, true
				break
			}
		}
		if !found {
			return false
		}
	}
}

// cutPrefixFold is strings.CutPrefix ignoring case.
func cutPrefixFold(s, prefix string) (string, bool) {
	if len(s) < len(prefix) || !strings.EqualFold(s[:len(prefix)], prefix) {
		return s, false
	}
	return s[len(prefix):], true
}

// A block is a run of non-empty lines.
type block struct {
	lines  []string
	blanks int // blank lines before the block
}

func splitBlocks(lines []string) []block {
	var blocks []block
	blanks := 0
	for i := 0; i < len(lines); {
		if lines[i] == "" {
			blanks++
			i++
			continue
		}
		j := i
		for j < len(lines) && lines[j] != "" {
			j++
		}
		blocks = append(blocks, block{lines: lines[i:j], blanks: blanks})
		blanks = 0
		i = j
	}
	return blocks
}

var metaRE = regexp.MustCompile(`(?i)^meta[ -]?description\s*(?:[:：]\s*(.*)|$)`)

// takeDescription finds the meta description and removes it from blocks.
func takeDescription(blocks []block) (string, []block) {
	for i, b := range blocks {
		m := metaRE.FindStringSubmatch(b.lines[0])
		if m == nil {
			continue
		}
		var desc []string
		if m[1] != "" {
			desc = append(desc, m[1])
		}
		desc = append(desc, b.lines[1:]...)
		end := i + 1
		if len(desc) == 0 && end < len(blocks) {
			desc = blocks[end].lines
			end++
		}
		return strings.Join(desc, " "), append(blocks[:i:i], blocks[end:]...)
	}
	return "", blocks
}

var (
	linksHeadingRE = regexp.MustCompile(`(?i)^(?:` +
		`(?:suggested|recommended)(?: internal)? (?:linking|links|reading|articles)(?: for seo)?` +
		`|internal link(?:s|ing)(?: suggestions)?(?: for seo)?` +
		`|(?:related|further) (?:articles|reading|posts|stories|links)` +
		`)\s*:?$`)
	linkLabelRE = regexp.MustCompile(`(?i)^(?:` +
		`(?:(?:related|suggested|recommended|internal|further)\s+)?(?:article|post|story|link|reading)s?` +
		`|(?:read|see)\s+(?:also|more)|also\s+read` +
		`)\s*:\s*`)
	markdownLinkRE = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
)

// takeRequestedLinks finds a closing block of suggested links and removes
// it from blocks.
func takeRequestedLinks(blocks []block) ([]string, []block) {
	k := -1
	for i, b := range blocks {
		if linksHeadingRE.MatchString(b.lines[0]) {
			k = i
		}
	}
	if k < 0 {
		return nil, blocks
	}
	var items []string
	for i := k; i < len(blocks); i++ {
		lines := blocks[i].lines
		if i == k {
			lines = lines[1:]
		}
		for _, l := range lines {
			_, bullet := bulletItem(l)
			_, _, numbered := orderedItem(l)
			if !bullet && !numbered && utf8.RuneCountInString(l) > maxLinkLength {
				return nil, blocks
			}
			items = append(items, l)
		}
	}
	var links []string
	for _, item := range items {
		if l := cleanLink(item); l != "" {
			links = append(links, l)
		}
	}
	return links, blocks[:k]
}

// cleanLink reduces a line of a suggested-links block to the linked title.
func cleanLink(s string) string {
	if item, ok := bulletItem(s); ok {
		s = item
	} else if _, item, ok := orderedItem(s); ok {
		s = item
	}
	s = linkLabelRE.ReplaceAllString(s, "")
	s = markdownLinkRE.ReplaceAllString(s, "$1")
	s = strings.TrimFunc(s, isSpace)
	for {
		first, n := utf8.DecodeRuneInString(s)
		last, m := utf8.DecodeLastRuneInString(s)
		if len(s) < n+m || !isQuote(first) || !isQuote(last) {
			return s
		}
		s = strings.TrimFunc(s[n:len(s)-m], isSpace)
	}
}

func isQuote(r rune) bool {
	return strings.ContainsRune(`"'“”‘’«»„‚`, r)
}

// orderedItem reports whether line is a numbered list item like "1. text"
// or "1) text", returning its number and text.
func orderedItem(line string) (num, text string, ok bool) {
	n := 0
	for n < len(line) && n < 10 && '0' <= line[n] && line[n] <= '9' {
		n++
	}
	if n == 0 || n > 9 || n+1 >= len(line) || (line[n] != '.' && line[n] != ')') {
		return "", "", false
	}
	r, _ := utf8.DecodeRuneInString(line[n+1:])
	if !isSpace(r) {
		return "", "", false
	}
	text = strings.TrimFunc(line[n+1:], isSpace)
	return line[:n], text, text != ""
}

// bulletItem reports whether line is a bullet item, returning its text.
func bulletItem(line string) (string, bool) {
	r, n := utf8.DecodeRuneInString(line)
	if !strings.ContainsRune("•·‣◦▪●-*+–", r) {
		return "", false
	}
	next, _ := utf8.DecodeRuneInString(line[n:])
	if !isSpace(next) {
		return "", false
	}
	text := strings.TrimFunc(line[n:], isSpace)
	return text, text != ""
}

type kind int

const (
	paragraph kind = iota
	h2
	h3
)

// classify decides which blocks are headings. It works backwards because
// whether a block is a sub-heading depends on the block after it.
func classify(blocks []block) []kind {
	kinds := make([]kind, len(blocks))
	for i := len(blocks) - 1; i >= 0; i-- {
		b := blocks[i]
		if len(b.lines) != 1 || i == len(blocks)-1 {
			continue
		}
		line := b.lines[0]
		if _, ok := bulletItem(line); ok {
			continue
		}
		if !strings.ContainsFunc(line, unicode.IsLetter) {
			continue
		}
		chars := utf8.RuneCountInString(line)
		switch {
		case b.blanks >= 2:
			if chars <= maxH2Len && !endsSentence(line, ".…") {
				kinds[i] = h2
			}
		case b.blanks == 1 || i == 0:
			if chars <= maxH3Len && len(strings.Fields(line)) <= maxH3Words &&
				!endsSentence(line, ".!?…,;:–—") && kinds[i+1] == paragraph {
				kinds[i] = h3
			}
		}
	}
	return kinds
}

// endsSentence reports whether line ends with one of the runes in punct,
// looking past closing quotes and brackets.
func endsSentence(line, punct string) bool {
	line = strings.TrimRight(line, `”"’')]»›`)
	r, _ := utf8.DecodeLastRuneInString(line)
	return strings.ContainsRune(punct, r)
}

// A chunk is one Markdown block of the output.
type chunk struct {
	kind string // "p", "h", "ul" or "ol"
	text string
}

// markdown writes blocks as Markdown.
func markdown(blocks []block) string {
	var chunks []chunk
	add := func(c chunk) {
		if n := len(chunks); n > 0 && (c.kind == "ul" || c.kind == "ol") && chunks[n-1].kind == c.kind {
			chunks[n-1].text += "\n" + c.text
			return
		}
		chunks = append(chunks, c)
	}
	seenH2 := false
	for i, k := range classify(blocks) {
		b := blocks[i]
		switch {
		case k == h2 || (k == h3 && !seenH2):
			seenH2 = true
			add(chunk{"h", "## " + escapeHeading(b.lines[0])})
		case k == h3:
			add(chunk{"h", "### " + escapeHeading(b.lines[0])})
		default:
			for _, c := range runs(b.lines) {
				add(c)
			}
		}
	}
	var sb strings.Builder
	for i, c := range chunks {
		if i > 0 {
			sb.WriteString("\n\n")
		}
		sb.WriteString(c.text)
	}
	sb.WriteString("\n")
	return sb.String()
}

// runs splits the lines of a paragraph block into paragraphs and lists.
func runs(lines []string) []chunk {
	kinds := make([]string, len(lines))
	items := make([]string, len(lines))
	for i, l := range lines {
		if item, ok := bulletItem(l); ok {
			kinds[i], items[i] = "ul", "- "+escapeLine(item)
		} else if num, item, ok := orderedItem(l); ok {
			kinds[i], items[i] = "ol", num+". "+escapeLine(item)
		} else {
			kinds[i], items[i] = "p", escapeLine(l)
		}
	}
	// A lone numbered line among other text is a sentence that happens to
	// start with a number, as in "1986. That was the year".
	for i := range lines {
		if kinds[i] == "ol" && len(lines) > 1 &&
			(i == 0 || kinds[i-1] != "ol") && (i == len(lines)-1 || kinds[i+1] != "ol") {
			kinds[i], items[i] = "p", escapeLine(lines[i])
		}
	}
	var out []chunk
	for i, k := range kinds {
		if n := len(out); n > 0 && out[n-1].kind == k {
			out[n-1].text += "\n" + items[i]
			continue
		}
		out = append(out, chunk{k, items[i]})
	}
	return out
}

// escapeLine escapes a line of text for use at the start of a Markdown line.
func escapeLine(s string) string {
	if s == "" {
		return s
	}
	if strings.IndexByte("#+-=:", s[0]) >= 0 {
		return `\` + escapeInline(s, "")
	}
	if num, _, ok := orderedItem(s); ok {
		return num + `\` + escapeInline(s[len(num):], "")
	}
	return escapeInline(s, "")
}

// escapeHeading escapes the text of an ATX heading.
func escapeHeading(s string) string {
	return escapeInline(s, "#")
}

var entityRE = regexp.MustCompile(`^&(?:[A-Za-z][A-Za-z0-9]{0,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});`)

// escapeInline backslash-escapes the characters that could start inline
// Markdown, and those in extra.
func escapeInline(s, extra string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case strings.IndexByte("\\`*_[]<>~|", c) >= 0 || strings.IndexByte(extra, c) >= 0:
			sb.WriteByte('\\')
		case c == '&' && entityRE.MatchString(s[i:]):
			sb.WriteByte('\\')
		}
		sb.WriteByte(c)
	}
	return sb.String()
}
