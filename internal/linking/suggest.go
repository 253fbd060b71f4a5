package linking

import (
	"bytes"
	"cmp"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/yuin/goldmark/ast"
)

// Suggestion is a place in an article's text where a link to another
// article would fit: the phrase, where it stands, and the target.
type Suggestion struct {
	// ID names the suggestion by its source, target, phrase and which
	// occurrence of the phrase it is: applying others leaves it be.
	ID string `json:"id"`
	// SourceID and SourceSlug name the article the link would go in.
	SourceID   int64  `json:"-"`
	SourceSlug string `json:"source"`
	Phrase     string `json:"phrase"`    // exactly as written in the text
	Paragraph  int    `json:"paragraph"` // 1 for the body's first paragraph
	// Start and End are byte offsets of the phrase in the Markdown body.
	Start  int     `json:"start"`
	End    int     `json:"end"`
	Target Match   `json:"target"`
	Score  float64 `json:"score"`
	Reason string  `json:"reason"`
}

// SuggestOptions tune suggestions.
type SuggestOptions struct {
	// PerParagraph is how many links one paragraph may get (default 1).
	PerParagraph int
	// Candidates is how many of the most related articles may be
	// targets (default 10): a link goes to an article that is among the
	// source's most related, or that its author requested.
	Candidates int
	// Max is how many suggestions to return at most (default 10).
	Max int
	// MinScore is the score below which nothing is suggested (default
	// DefaultMinSuggestScore).
	MinScore float64
}

// DefaultMinSuggestScore is the least score of a suggestion. A score is
// the target's relatedness (relative to the source's best related
// article, 0 to 1; 1.5 for a link the author requested) times the
// anchor's rarity in the archive (its idf relative to a phrase of one
// article), its weight among the target's phrases (from 0.5 to 1), 0.6
// for a phrase named once past the source's second paragraph, and a
// bonus for longer phrases (up to 1.5). A suggestion under it links an
// article the source is only loosely about, or on a phrase half the
// archive uses.
const DefaultMinSuggestScore = 0.3

func (o SuggestOptions) withDefaults() SuggestOptions {
	if o.PerParagraph <= 0 {
		o.PerParagraph = 1
	}
	if o.Candidates <= 0 {
		o.Candidates = 10
	}
	if o.Max <= 0 {
		o.Max = 10
	}
	if o.MinScore <= 0 {
		o.MinScore = DefaultMinSuggestScore
	}
	return o
}

// span is a run of plain text in the Markdown source that a link may
// wrap: not in a heading, a quote, code, or an existing link.
type span struct {
	paragraph  int
	start, end int // in the source
}

// linkableSpans lists the body's plain text runs, paragraph by paragraph,
// and the articles it already links to (by path).
func linkableSpans(doc *render.Document) (spans []span, linked map[string]bool) {
	linked = map[string]bool{}
	paragraph := 0
	var walk func(n ast.Node, inPara bool)
	walk = func(n ast.Node, inPara bool) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Heading, *ast.Blockquote, *ast.FencedCodeBlock, *ast.CodeBlock, *ast.HTMLBlock, *ast.CodeSpan, *ast.RawHTML, *ast.Image, *ast.AutoLink:
				continue
			case *ast.Link:
				linked[strings.TrimSuffix(string(c.Destination), "/")+"/"] = true
				continue
			case *ast.Paragraph:
				paragraph++
				walk(c, true)
				continue
			case *ast.Text:
				if inPara {
					seg := c.Segment
					spans = append(spans, span{paragraph: paragraph, start: seg.Start, end: seg.Stop})
				}
				continue
			}
			walk(c, inPara)
		}
	}
	walk(doc.Root, false)
	return spans, linked
}

// occurrence is a key phrase of a target found in the source text.
type occurrence struct {
	span       span
	start, end int
	target     *Match
	phrase     *Phrase
	score      float64
}

// Suggest proposes links from article a to the articles it is most related
// to and to those its author requested, each anchored on a phrase the
// target is about (see Phrase.About): never to a itself, never in a
// heading, a quote (a block quote or words in quotation marks) or an
// existing link, never on part of a longer name ("British Jews" in "Board
// of Deputies of British Jews"), never to an article it already links
// to, each target and each phrase once, at most PerParagraph per
// paragraph, and none scoring under MinScore; a phrase common in the
// archive scores low.
func Suggest(ix *Index, r *render.Renderer, a *article.Article, opts SuggestOptions) []Suggestion {
	opts = opts.withDefaults()
	src, found := places(ix, r, a, opts)
	perParagraph := map[int]int{}
	usedTarget := map[int64]bool{}
	usedPhrase := map[string]bool{}
	var taken [][2]int
	var out []Suggestion
	for _, o := range found {
		if o.score < opts.MinScore {
			break // found is sorted by score
		}
		if usedTarget[o.target.ID] || usedPhrase[o.phrase.Key] || perParagraph[o.span.paragraph] >= opts.PerParagraph || overlaps(taken, o.start, o.end) {
			continue
		}
		usedTarget[o.target.ID] = true
		usedPhrase[o.phrase.Key] = true
		perParagraph[o.span.paragraph]++
		taken = append(taken, [2]int{o.start, o.end})
		out = append(out, suggestion(a, o, src))
		if len(out) >= opts.Max {
			break
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// Lookup finds the suggestions with the given IDs among every place
// Suggest weighs in article a as it stands, not only those it picks, so
// that suggestions listed together can be applied one after another:
// applying one changes which others Suggest would pick, not their IDs.
// missing lists the IDs that match none.
func Lookup(ix *Index, r *render.Renderer, a *article.Article, opts SuggestOptions, ids []string) (found []Suggestion, missing []string) {
	wanted := map[string]bool{}
	for _, id := range ids {
		wanted[id] = true
	}
	src, all := places(ix, r, a, opts.withDefaults())
	byID := map[string]Suggestion{}
	for _, o := range all {
		id := placeID(a, o, src)
		if _, dup := byID[id]; wanted[id] && !dup { // the best-scored of one place
			byID[id] = suggestion(a, o, src)
		}
	}
	for _, id := range ids {
		if s, ok := byID[id]; ok {
			found = append(found, s)
		} else {
			missing = append(missing, id)
		}
	}
	return found, missing
}

// places lists where in article a a link to one of its candidate targets
// could go, best first, with a's body.
func places(ix *Index, r *render.Renderer, a *article.Article, opts SuggestOptions) ([]byte, []occurrence) {
	src := []byte(a.Body)
	doc := r.Parse(src)
	spans, linked := linkableSpans(doc)

	candidates := map[int64]Match{}
	var order []int64
	addCandidate := func(m Match, boost float64) {
		if m.ID == a.ID || linked[urls.Article(m.Slug)] {
			return
		}
		if old, ok := candidates[m.ID]; ok && old.Score >= m.Score*boost {
			return
		} else if !ok {
			order = append(order, m.ID)
		}
		m.Score *= boost
		candidates[m.ID] = m
	}
	var top float64
	// Ranked against the text as it is now, so that a draft, or an edit
	// not yet indexed, gets suggestions for what it says.
	for i, m := range ix.RelatedToDoc(docFromParsed(a, doc), opts.Candidates) {
		if i == 0 {
			top = m.Score
		}
		if top > 0 {
			m.Score /= top // relative to the best match, so scores read alike across articles
		}
		addCandidate(m, 1)
	}
	for _, title := range a.RequestedLinks {
		if m, ok := ix.ResolveTitle(title); ok {
			m.Score = 1
			m.Reason = "requested by the author"
			m.requested = true
			addCandidate(m, 1.5) // the author asked for it
		}
	}

	text := newTextIndex(src, spans)
	n := ix.Len()
	phrases := map[int64][]Phrase{}
	holders, titleHolders := map[string]int{}, map[string]int{}
	for _, id := range order {
		phrases[id] = anchors(ix.KeyPhrases(id, 20))
		for _, p := range phrases[id] {
			holders[p.Key]++
			if p.InTitle {
				titleHolders[p.Key]++
			}
		}
	}
	// What the source's own title names is a subject it shares with its
	// targets, not one of them, unless a target's title is about it.
	sourceTitle := " " + keyOf(a.Title) + " "
	var found []occurrence
	for _, id := range order {
		target := candidates[id]
		// A phrase that several of the targets are about ("St Anne's
		// Hospital" for three hospital stories) names a subject, not
		// one story: no link is anchored on it. The one target whose
		// title has it keeps it.
		var own []Phrase
		for _, p := range phrases[id] {
			unique := holders[p.Key] == 1 || p.InTitle && titleHolders[p.Key] == 1
			if unique && (p.InTitle || !strings.Contains(sourceTitle, " "+p.Key+" ")) {
				own = append(own, p)
			}
		}
		found = text.find(found, &target, own, n)
	}
	slices.SortStableFunc(found, func(x, y occurrence) int {
		if c := cmp.Compare(y.score, x.score); c != 0 {
			return c
		}
		return cmp.Compare(x.start, y.start)
	})
	return src, found
}

// anchors are the phrases of a target a link to it may be anchored on:
// those that say what it is about (Phrase.About).
func anchors(phrases []Phrase) []Phrase {
	out := phrases[:0]
	for _, p := range phrases {
		if p.About {
			out = append(out, p)
		}
	}
	return out
}

// textIndex is the linkable text of an article, tokenized once, with
// where each token key occurs and which stretches stand in quotation
// marks.
type textIndex struct {
	text   string // the source
	spans  []span
	tokens [][]tok
	at     map[string][][2]int32 // token key → (span, token) positions
	quoted [][2]int              // byte ranges of the source in quotation marks
}

func newTextIndex(src []byte, spans []span) *textIndex {
	t := &textIndex{text: string(src), spans: spans, tokens: make([][]tok, len(spans)), at: map[string][][2]int32{}, quoted: quotedRanges(src)}
	for si, sp := range spans {
		toks := tokenize(string(src[sp.start:sp.end]), nil)
		t.tokens[si] = toks
		for ti, tok := range toks {
			t.at[tok.key] = append(t.at[tok.key], [2]int32{int32(si), int32(ti)})
		}
	}
	return t
}

// quotedRanges finds the stretches of src between quotation marks (“…”,
// "…"), each within one paragraph: a link inside a quote would put words
// in the speaker's mouth that were not theirs.
func quotedRanges(src []byte) [][2]int {
	var out [][2]int
	open := -1
	s := string(src)
	for i, r := range s {
		switch {
		case r == '\n' && i+1 < len(s) && s[i+1] == '\n':
			open = -1 // a quote never runs past its paragraph
		case r == '“' || (r == '"' && open < 0):
			open = i
		case (r == '”' || r == '"') && open >= 0:
			out = append(out, [2]int{open, i})
			open = -1
		}
	}
	return out
}

func (t *textIndex) inQuote(start, end int) bool {
	for _, q := range t.quoted {
		if start > q[0] && end <= q[1] {
			return true
		}
	}
	return false
}

// connectors join the capitalised words of one name: "Board of Deputies
// of British Jews", "Bank of England", "Ibn al-Haytham".
var connectors = map[string]bool{"of": true, "for": true, "de": true, "du": true, "del": true, "der": true, "la": true, "al": true, "bin": true, "van": true, "von": true}

// partOfLongerName reports whether the tokens toks[i:j] are part of a
// longer name in the text: a capitalised word (or a connector and one)
// right before or after them, in the same sentence.
func partOfLongerName(toks []tok, i, j int) bool {
	capWord := func(k int) bool { return k >= 0 && k < len(toks) && toks[k].cap && !toks[k].stop }
	// Before: "Deputies of British Jews", "Minister Khawaja Asif".
	if i > 0 && !toks[i].brk {
		if capWord(i-1) && (toks[i].chunk || toks[i-1].cap) {
			return true
		}
		if connectors[toks[i-1].key] && !toks[i-1].brk && capWord(i-2) {
			return true
		}
	}
	// After: "British Jews Association", "Bank of England" for "Bank".
	if j < len(toks) && !toks[j].brk {
		if capWord(j) {
			return true
		}
		if connectors[toks[j].key] && j+1 < len(toks) && !toks[j+1].brk && capWord(j+1) {
			return true
		}
	}
	return false
}

// find appends to found the first occurrence in each span of each of the
// target's anchor phrases that makes a good anchor, scored (see
// DefaultMinSuggestScore), and widened to the words around it that the
// target's title has too ("line extension" to "tram line extension"); n
// is the number of articles indexed.
func (t *textIndex) find(found []occurrence, target *Match, phrases []Phrase, n int) []occurrence {
	title := " " + keyOf(target.Title) + " "
	inTitle := func(toks []tok, i, j int) bool {
		keys := make([]string, 0, j-i)
		for _, tk := range toks[i:j] {
			keys = append(keys, tk.key)
		}
		return strings.Contains(title, " "+strings.Join(keys, " ")+" ")
	}
	var top float64
	for _, p := range phrases {
		top = max(top, p.Weight)
	}
	for pi := range phrases {
		ph := &phrases[pi]
		keys := strings.Fields(ph.Key)
		// A lone common word ("economy") anchors a link to any article
		// that mentions it; one word must be a name or an acronym.
		if len(keys) == 0 || len(keys) == 1 && ph.Kind != "name" && !acronym(ph.Text) {
			continue
		}
		// The target's heavier phrases say more of what it is about.
		share := 1.0
		if top > 0 {
			share = 0.5 + 0.5*ph.Weight/top
		}
		// A phrase many articles hold ("general election") says little
		// of this one.
		rarity := 1.0
		if n > 1 {
			rarity = idf(int32(max(ph.Articles, 1)), n) / idf(1, n)
		}
		// A phrase the source names once, past its opening, is mentioned
		// in passing.
		mentions, first := 0, -1
		for _, pos := range t.at[keys[0]] {
			toks := t.tokens[pos[0]]
			if int(pos[1])+len(keys) <= len(toks) && matchTokens(toks, int(pos[1]), keys) {
				mentions++
				if first < 0 {
					first = t.spans[pos[0]].paragraph
				}
			}
		}
		prominence := 1.0
		if mentions == 1 && first > 2 && !target.requested {
			prominence = 0.6
		}
		lastSpan := int32(-1)
		for _, pos := range t.at[keys[0]] {
			si, ti := pos[0], int(pos[1])
			toks := t.tokens[si]
			if si == lastSpan || ti+len(keys) > len(toks) || !matchTokens(toks, ti, keys) {
				continue
			}
			i, j := ti, ti+len(keys)
			for i > 0 && !toks[i].brk && inTitle(toks, i-1, j) {
				i--
			}
			for j < len(toks) && !toks[j].brk && inTitle(toks, i, j+1) {
				j++
			}
			for i < j && toks[i].stop {
				i++
			}
			for j > i && toks[j-1].stop {
				j--
			}
			sp := t.spans[si]
			start, end := sp.start+toks[i].start, sp.start+toks[j-1].end
			if partOfLongerName(toks, i, j) || t.inQuote(start, end) {
				continue
			}
			// Two title words match as written, not only by their stems:
			// "council's planning" is not the "council plan" of a title.
			if ph.Kind == "title" && !sameWords(t.text[sp.start+toks[ti].start:sp.start+toks[ti+len(keys)-1].end], ph.Text) {
				continue
			}
			lastSpan = si // the first good occurrence in a run of text is enough
			// Longer names make better anchors than single words.
			score := target.Score * rarity * prominence * share * min(1+0.25*float64(j-i-1), 1.5)
			found = append(found, occurrence{span: sp, start: start, end: end, target: target, phrase: ph, score: score})
		}
	}
	return found
}

// suggestion is the suggestion made of occurrence o in article a, whose
// body is src.
func suggestion(a *article.Article, o occurrence, src []byte) Suggestion {
	phrase := string(src[o.start:o.end])
	reason := fmt.Sprintf("%q is what %q is about", phrase, o.target.Title)
	if o.target.Reason != "" {
		reason += "; " + o.target.Reason
	}
	return Suggestion{
		ID:         placeID(a, o, src),
		SourceID:   a.ID,
		SourceSlug: a.Slug,
		Phrase:     phrase,
		Paragraph:  o.span.paragraph,
		Start:      o.start,
		End:        o.end,
		Target:     *o.target,
		Score:      o.score,
		Reason:     reason,
	}
}

func matchTokens(tokens []tok, i int, keys []string) bool {
	for k, key := range keys {
		if tokens[i+k].key != key {
			return false
		}
	}
	return true
}

func overlaps(taken [][2]int, start, end int) bool {
	for _, t := range taken {
		if start < t[1] && t[0] < end {
			return true
		}
	}
	return false
}

// placeID names the suggestion of occurrence o in article a, whose body
// is src, by what it is: the link from a to the target on the nth
// occurrence of the phrase in the body, so that links applied elsewhere
// in the text, which move its offsets, leave its ID be.
func placeID(a *article.Article, o occurrence, src []byte) string {
	phrase := src[o.start:o.end]
	nth := bytes.Count(src[:o.start], phrase)
	sum := sha1.Sum([]byte(fmt.Sprintf("%d|%d|%d|%s", a.ID, o.target.ID, nth, phrase)))
	return hex.EncodeToString(sum[:4])
}

// Inbound proposes links to article target from the articles most related
// to it: for each, the phrase of its text that would best carry the link,
// under the rules of Suggest. load returns a whole article by ID.
func Inbound(ix *Index, r *render.Renderer, target int64, load func(id int64) (*article.Article, error), opts SuggestOptions) ([]Suggestion, error) {
	opts = opts.withDefaults()
	phrases := anchors(ix.KeyPhrases(target, 20))
	n := ix.Len()
	info, ok := ix.Doc(target)
	if !ok || len(phrases) == 0 {
		return nil, nil
	}
	var out []Suggestion
	var top float64
	// No floor: a suggestion needs the target's phrase in the text as
	// well, and an editor to accept it, as in Suggest.
	related := ix.Related(target, opts.Candidates, 0)
	ix.Explain(target, related)
	for i, m := range related {
		if i == 0 {
			top = m.Score
		}
		src, err := load(m.ID)
		if err != nil {
			return nil, err
		}
		body := []byte(src.Body)
		spans, linked := linkableSpans(r.Parse(body))
		if linked[urls.Article(info.Slug)] {
			continue
		}
		to := Match{ID: info.ID, Slug: info.Slug, Title: info.Title, Score: 1, Reason: m.Reason}
		if top > 0 {
			to.Score = m.Score / top
		}
		found := newTextIndex(body, spans).find(nil, &to, phrases, n)
		if len(found) == 0 {
			continue
		}
		best := found[0]
		for _, o := range found[1:] {
			if o.score > best.score || o.score == best.score && o.start < best.start {
				best = o
			}
		}
		if best.score < opts.MinScore {
			continue
		}
		out = append(out, suggestion(src, best, body))
		if len(out) >= opts.Max {
			break
		}
	}
	return out, nil
}

// Apply writes the chosen suggestions into the article's Markdown as links
// and returns the new body. A suggestion whose phrase is no longer where
// it was (the text changed since) is refused.
func Apply(body string, chosen []Suggestion) (string, error) {
	sorted := append([]Suggestion(nil), chosen...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Start > sorted[j].Start })
	out := body
	last := len(body) + 1
	for _, s := range sorted {
		if s.Start < 0 || s.End > len(out) || s.Start >= s.End || out[s.Start:s.End] != s.Phrase {
			return "", fmt.Errorf("suggestion %s no longer matches the text (the article changed since); ask for suggestions again", s.ID)
		}
		if s.End > last {
			return "", fmt.Errorf("suggestions %s overlaps another", s.ID)
		}
		last = s.Start
		out = out[:s.Start] + "[" + s.Phrase + "](" + urls.Article(s.Target.Slug) + ")" + out[s.End:]
	}
	return out, nil
}

// sameWords reports whether two phrases are the same words, whatever
// their case, possessives and plural s.
func sameWords(a, b string) bool {
	norm := func(s string) []string {
		words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '’' })
		for i, w := range words {
			w = strings.TrimSuffix(strings.TrimSuffix(w, "'s"), "’s")
			words[i] = strings.TrimSuffix(w, "s")
		}
		return words
	}
	return slices.Equal(norm(a), norm(b))
}

// acronym reports whether a one-word phrase is written in capitals ("TTP",
// "NATO"): a name, whatever the tokenizer made of it.
func acronym(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}
