package seo

import (
	"html"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/render/headings"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"
)

// TextStats are the measurements behind the readability checks. Sentences
// are counted in paragraphs and list items, not in headings, tables or
// code.
type TextStats struct {
	Sentences     int
	SentenceWords int // the words of those sentences
	Syllables     int // the syllables of those words, estimated
	LongSentences int // sentences of more than LongSentence words
	// FleschReadingEase is 206.835 − 1.015 × words per sentence − 84.6 ×
	// syllables per word, kept within 0–100; 0 when there is no sentence.
	FleschReadingEase float64
}

// docFacts is what the analysis reads off a document in one walk.
type docFacts struct {
	headings       []docHeading // every heading, any level, in order
	paragraphs     []docParagraph
	sections       []docSection // the text before the first heading, and under each
	texts          []string     // the text of every paragraph, list item and heading
	firstParagraph string
	hasParagraph   bool
	links          []string // destinations
	images         []docImage
	stats          TextStats
}

type docHeading struct {
	level int
	text  string
}

type docParagraph struct {
	text  string
	words int
}

type docSection struct {
	heading string // empty for the text before the first heading
	words   int
}

type docImage struct{ src, alt string }

// Raw HTML that authors put in a body: links and images in it count too.
var (
	htmlAnchor = regexp.MustCompile(`(?is)<a\s[^>]*>`)
	htmlImage  = regexp.MustCompile(`(?is)<img\s[^>]*>`)
	htmlHref   = regexp.MustCompile(`(?is)\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
	htmlSrc    = regexp.MustCompile(`(?is)\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
	htmlAlt    = regexp.MustCompile(`(?is)\salt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))`)
)

// collectFacts reads the headings, text, links and images of doc.
func collectFacts(doc *render.Document) *docFacts {
	f := &docFacts{sections: []docSection{{}}}
	src := doc.Source
	addText := func(text string, isParagraph bool) {
		f.texts = append(f.texts, text)
		sentences := splitSentences(text)
		n := 0
		for _, s := range sentences {
			words := textWords(s)
			if len(words) == 0 {
				continue
			}
			n += len(words)
			f.stats.Sentences++
			f.stats.SentenceWords += len(words)
			if len(words) > LongSentence {
				f.stats.LongSentences++
			}
			for _, w := range words {
				f.stats.Syllables += wordSyllables(w)
			}
		}
		f.sections[len(f.sections)-1].words += n
		if isParagraph {
			f.paragraphs = append(f.paragraphs, docParagraph{text: text, words: n})
			if !f.hasParagraph {
				f.firstParagraph, f.hasParagraph = text, true
			}
		}
	}
	_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			text := headings.PlainText(n, src)
			f.headings = append(f.headings, docHeading{level: n.Level, text: text})
			f.sections = append(f.sections, docSection{heading: text})
			f.texts = append(f.texts, text)
		case *ast.Paragraph:
			addText(inlineText(n, src), true)
		case *ast.TextBlock:
			addText(inlineText(n, src), false)
		case *ast.Link:
			f.links = append(f.links, string(n.Destination))
		case *ast.AutoLink:
			if n.AutoLinkType == ast.AutoLinkURL {
				f.links = append(f.links, string(n.URL(src)))
			}
		case *ast.Image:
			f.images = append(f.images, docImage{src: string(n.Destination), alt: headings.PlainText(n, src)})
			return ast.WalkSkipChildren, nil
		case *ast.RawHTML:
			var b strings.Builder
			for i := 0; i < n.Segments.Len(); i++ {
				s := n.Segments.At(i)
				b.Write(s.Value(src))
			}
			f.rawHTML(b.String())
		case *ast.HTMLBlock:
			var b strings.Builder
			for i := 0; i < n.Lines().Len(); i++ {
				s := n.Lines().At(i)
				b.Write(s.Value(src))
			}
			if n.HasClosure() {
				b.Write(n.ClosureLine.Value(src))
			}
			f.rawHTML(b.String())
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	if f.stats.Sentences > 0 {
		f.stats.FleschReadingEase = fleschReadingEase(f.stats.SentenceWords, f.stats.Sentences, f.stats.Syllables)
	}
	return f
}

// rawHTML records the links and images of a piece of raw HTML.
func (f *docFacts) rawHTML(s string) {
	for _, tag := range htmlAnchor.FindAllString(s, -1) {
		if v, ok := htmlAttr(htmlHref, tag); ok {
			f.links = append(f.links, v)
		}
	}
	for _, tag := range htmlImage.FindAllString(s, -1) {
		src, _ := htmlAttr(htmlSrc, tag)
		alt, _ := htmlAttr(htmlAlt, tag)
		f.images = append(f.images, docImage{src: src, alt: alt})
	}
}

func htmlAttr(re *regexp.Regexp, tag string) (string, bool) {
	m := re.FindStringSubmatch(tag)
	if m == nil {
		return "", false
	}
	return html.UnescapeString(m[1] + m[2] + m[3]), true
}

// inlineText returns the text a reader reads in a block: without Markdown
// syntax, link targets, images and raw HTML, with line breaks as spaces.
func inlineText(n ast.Node, src []byte) string {
	var b strings.Builder
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch c := c.(type) {
		case *ast.Image, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.CodeSpan:
			for t := c.FirstChild(); t != nil; t = t.NextSibling() {
				if s, ok := t.(*ast.Text); ok {
					b.Write(s.Segment.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.AutoLink:
			b.Write(c.Label(src))
		case *ast.Text:
			b.Write(util.UnescapePunctuations(c.Segment.Value(src)))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		}
		return ast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}

// textWords splits text into the words a reader reads: runs of characters
// between spaces that hold a letter or digit, as render's WordCount does,
// so a lone dash is not one.
func textWords(text string) []string {
	fields := strings.Fields(text)
	words := fields[:0]
	for _, w := range fields {
		if strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) >= 0 {
			words = append(words, w)
		}
	}
	return words
}

// Sentence splitting.

// sentenceAbbreviations end with a period that does not end a sentence.
var sentenceAbbreviations = map[string]bool{
	"mr": true, "mrs": true, "ms": true, "dr": true, "prof": true, "st": true, "jr": true, "sr": true,
	"gen": true, "col": true, "lt": true, "sgt": true, "capt": true, "gov": true, "sen": true, "rep": true,
	"pres": true, "rev": true, "hon": true, "vs": true, "etc": true, "inc": true, "ltd": true, "co": true,
	"corp": true, "no": true, "fig": true, "approx": true, "jan": true, "feb": true, "mar": true,
	"apr": true, "jun": true, "jul": true, "aug": true, "sep": true, "sept": true, "oct": true,
	"nov": true, "dec": true, "mt": true, "ft": true,
}

func isClosing(r rune) bool {
	return strings.ContainsRune(`"'”’»)]}`, r)
}

func isOpening(r rune) bool {
	return strings.ContainsRune(`"'“‘«([{`, r)
}

// splitSentences cuts text into sentences: a sentence ends with ., !, ?
// or … (before any closing quotes or brackets) when the next word starts
// with a capital letter, a digit or an opening quote. A period after an
// abbreviation ("Dr.", "Oct."), an initial ("J.") or a dotted initialism
// ("U.S.") does not end one.
func splitSentences(text string) []string {
	tokens := strings.Fields(text)
	var out []string
	start := 0
	for i, tok := range tokens {
		if i+1 < len(tokens) && !(endsSentence(tok) && startsSentence(tokens[i+1])) {
			continue
		}
		out = append(out, strings.Join(tokens[start:i+1], " "))
		start = i + 1
	}
	return out
}

func endsSentence(tok string) bool {
	t := strings.TrimRightFunc(tok, isClosing)
	switch {
	case strings.HasSuffix(t, "!"), strings.HasSuffix(t, "?"), strings.HasSuffix(t, "…"), strings.HasSuffix(t, "..."):
		return true
	case !strings.HasSuffix(t, "."):
		return false
	}
	word := strings.TrimLeftFunc(strings.TrimSuffix(t, "."), isOpening)
	if strings.Contains(word, ".") || sentenceAbbreviations[strings.ToLower(word)] {
		return false // U.S., e.g., Dr.
	}
	if utf8.RuneCountInString(word) == 1 {
		r, _ := utf8.DecodeRuneInString(word)
		return !unicode.IsUpper(r) // J. Smith
	}
	return true
}

func startsSentence(tok string) bool {
	r, _ := utf8.DecodeRuneInString(tok)
	if isOpening(r) || strings.ContainsRune("“‘«¿¡", r) {
		return true
	}
	return unicode.IsUpper(r) || unicode.IsDigit(r) || unicode.Is(unicode.Lo, r)
}

// Syllables.

// fleschReadingEase is Flesch's English formula, kept within 0–100.
func fleschReadingEase(words, sentences, syllables int) float64 {
	if words == 0 || sentences == 0 {
		return 0
	}
	score := 206.835 - 1.015*float64(words)/float64(sentences) - 84.6*float64(syllables)/float64(words)
	return min(max(score, 0), 100)
}

// wordSyllables estimates the syllables of a word as written in a text:
// the parts of a hyphenated word are counted apart, a possessive 's adds
// nothing, numbers count one syllable a digit (up to four), acronyms of
// two to five capitals ("TTP") one a letter,
// and other words by the vowel groups of their spelling with English
// adjustments (see syllables).
func wordSyllables(w string) int {
	total := 0
	for _, part := range strings.FieldsFunc(w, func(r rune) bool { return r == '-' || r == '–' || r == '—' || r == '/' }) {
		part = strings.TrimRightFunc(part, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		for _, s := range []string{"'s", "’s", "'S", "’S"} {
			part = strings.TrimSuffix(part, s) // TTP’s reads as TTP
		}
		var letters strings.Builder
		digits, upper := 0, true
		for _, r := range norm.NFKD.String(part) {
			switch {
			case unicode.IsDigit(r):
				digits++
			case unicode.IsLetter(r):
				if !unicode.IsUpper(r) {
					upper = false
				}
				letters.WriteRune(unicode.ToLower(r))
			}
		}
		l := letters.String()
		switch n := utf8.RuneCountInString(l); {
		case n == 0:
			total += min(digits, 4)
		case upper && n >= 2 && n <= 5:
			total += n + min(digits, 4)
		default:
			total += syllables(l) + min(digits, 4)
		}
	}
	return max(total, 1)
}

// syllables estimates the syllables of one lowercase English word: the
// groups of vowels (y included) in its spelling, less a silent final e,
// -es or -ed and of a word before -ly, -ty, -ment, -ful, -less or -ness,
// plus one for vowel pairs usually spoken apart ("media", "video",
// "actual", "being", "society") and for a final -ism or -ea.
// It is right for most words of news prose, which is what the Flesch
// formula needs.
func syllables(w string) int {
	if len(w) <= 3 {
		return 1
	}
	vowel := func(i int) bool { return i >= 0 && i < len(w) && strings.IndexByte("aeiouy", w[i]) >= 0 }
	extra := 0
	if strings.HasSuffix(w, "ism") {
		extra++
	}
	if strings.HasSuffix(w, "ing") && len(w) > 4 && vowel(len(w)-4) {
		extra++ // be-ing, say-ing
	}
	if strings.HasSuffix(w, "ea") {
		extra++ // are-a, ide-a
	}
	n := len(w)
	switch {
	case strings.HasSuffix(w, "es") && n > 4 && !vowel(n-3) && strings.IndexByte("sxzcg", w[n-3]) < 0 &&
		!strings.HasSuffix(w, "ches") && !strings.HasSuffix(w, "shes") && !(w[n-3] == 'l' && !vowel(n-4)):
		w = w[:n-2] // times, roles; not places, boxes, tables
	case strings.HasSuffix(w, "ed") && n > 4 && !vowel(n-3) && w[n-3] != 't' && w[n-3] != 'd':
		w = w[:n-2] // seized; not wanted, agreed
	case strings.HasSuffix(w, "e") && !strings.HasSuffix(w, "ee") && !(strings.HasSuffix(w, "le") && !vowel(n-3)):
		w = w[:n-1] // there, before; not people, table
	}
	for _, suffix := range []string{"ly", "ty", "ment", "ments", "ful", "less", "ness"} {
		base, ok := strings.CutSuffix(w, suffix)
		if m := len(base); ok && m >= 4 && base[m-1] == 'e' && !vowel(m-2) && !(base[m-2] == 'l' && !vowel(m-3)) {
			w = base[:m-1] + suffix // the e of a word before a suffix is silent: large-ly, safe-ty, state-ment
			break
		}
	}
	if strings.HasPrefix(w, "y") && vowel(1) {
		w = w[1:] // year, young
	}
	count := 0
	for i := 0; i < len(w); i++ {
		if vowel(i) && !vowel(i-1) {
			count++
		}
		if i == 0 {
			continue
		}
		pair, before := w[i-1:i+1], byte(0)
		if i >= 2 {
			before = w[i-2]
		}
		switch pair {
		case "ia", "iu":
			if before != 0 && strings.IndexByte("tscxg", before) < 0 || pair == "ia" && i+1 < len(w) && w[i+1] == 't' {
				extra++ // medi-a, stadi-um, negoti-ate; not initial, asia
			}
		case "io":
			if before != 0 && strings.IndexByte("tscxg", before) < 0 && (i+1 >= len(w) || w[i+1] != 'n') {
				extra++ // radi-o, vari-ous; not nation, union
			}
		case "eo":
			if before != 'p' && (i+1 >= len(w) || w[i+1] != 'u') {
				extra++ // vide-o, ide-ology; not people, gorgeous
			}
		case "ua", "uo":
			if before != 'q' && before != 'g' {
				extra++ // actu-al; not quality, language
			}
		case "ie":
			if i+1 < len(w) && w[i+1] == 't' {
				extra++ // soci-ety, qui-et
			}
		}
	}
	return max(count+extra, 1)
}

// Keyphrase matching.

// matchWords splits s into the words a keyphrase is matched with: runs of
// letters and digits, lowercase, with accents dropped and apostrophes
// inside a word removed ("Pakistan’s" gives "pakistans"), each reduced by
// stem.
func matchWords(s string) []string {
	var words []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			words = append(words, stem(b.String()))
			b.Reset()
		}
	}
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case unicode.Is(unicode.Mn, r):
		case strings.ContainsRune("'’‘ʼ`´", r) && b.Len() > 0:
		default:
			flush()
		}
	}
	flush()
	return words
}

// stems applies stem to words.
func stems(words []string) []string {
	out := make([]string, 0, len(words))
	for _, w := range words {
		if w != "" {
			out = append(out, stem(w))
		}
	}
	return out
}

// stem folds the plural and possessive s of an English word onto its
// singular, so that "peace talks" matches "peace talk": "-ies" becomes
// "-y", and a final s goes unless the word ends in ss, us or is.
func stem(w string) string {
	switch {
	case len(w) > 4 && strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case len(w) > 3 && strings.HasSuffix(w, "s") &&
		!strings.HasSuffix(w, "ss") && !strings.HasSuffix(w, "us") && !strings.HasSuffix(w, "is"):
		return w[:len(w)-1]
	}
	return w
}

// indexWords returns the index in hay of the first run of words equal to
// key, or -1.
func indexWords(hay, key []string) int {
	if len(key) == 0 {
		return -1
	}
outer:
	for i := 0; i+len(key) <= len(hay); i++ {
		for j, k := range key {
			if hay[i+j] != k {
				continue outer
			}
		}
		return i
	}
	return -1
}

// countWords counts the runs of words equal to key in hay, without
// overlaps.
func countWords(hay, key []string) int {
	n := 0
	for {
		i := indexWords(hay, key)
		if i < 0 {
			return n
		}
		n++
		hay = hay[i+len(key):]
	}
}
