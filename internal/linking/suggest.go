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
	// Candidates is how many related articles are considered (default 30).
	Candidates int
	// Max is how many suggestions to return at most (default 10).
	Max int
}

func (o SuggestOptions) withDefaults() SuggestOptions {
	if o.PerParagraph <= 0 {
		o.PerParagraph = 1
	}
	if o.Candidates <= 0 {
		o.Candidates = 30
	}
	if o.Max <= 0 {
		o.Max = 10
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
// target is about: never to a itself, never in a heading, a quote or an
// existing link, never to an article it already links to, each target
// once, and at most PerParagraph per paragraph.
func Suggest(ix *Index, r *render.Renderer, a *article.Article, opts SuggestOptions) []Suggestion {
	opts = opts.withDefaults()
	src, found := places(ix, r, a, opts)
	perParagraph := map[int]int{}
	usedTarget := map[int64]bool{}
	var taken [][2]int
	var out []Suggestion
	for _, o := range found {
		if usedTarget[o.target.ID] || perParagraph[o.span.paragraph] >= opts.PerParagraph || overlaps(taken, o.start, o.end) {
			continue
		}
		usedTarget[o.target.ID] = true
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
			addCandidate(m, 1.5) // the author asked for it
		}
	}

	text := newTextIndex(src, spans)
	var found []occurrence
	for _, id := range order {
		target := candidates[id]
		found = text.find(found, &target, ix.KeyPhrases(id, 20))
	}
	slices.SortStableFunc(found, func(x, y occurrence) int {
		if c := cmp.Compare(y.score, x.score); c != 0 {
			return c
		}
		return cmp.Compare(x.start, y.start)
	})
	return src, found
}

// textIndex is the linkable text of an article, tokenized once, with
// where each token key occurs.
type textIndex struct {
	spans  []span
	tokens [][]Token
	at     map[string][][2]int32 // token key → (span, token) positions
}

func newTextIndex(src []byte, spans []span) *textIndex {
	t := &textIndex{spans: spans, tokens: make([][]Token, len(spans)), at: map[string][][2]int32{}}
	for si, sp := range spans {
		toks := Normalize(string(src[sp.start:sp.end]))
		t.tokens[si] = toks
		for ti, tok := range toks {
			t.at[tok.Key] = append(t.at[tok.Key], [2]int32{int32(si), int32(ti)})
		}
	}
	return t
}

// find appends to found the first occurrence in each span of each of the
// target's key phrases that makes a good anchor.
func (t *textIndex) find(found []occurrence, target *Match, phrases []Phrase) []occurrence {
	for pi := range phrases {
		ph := &phrases[pi]
		keys := strings.Fields(ph.Key)
		// A lone common word ("economy") anchors a link to any article
		// that mentions it; one word must be a name.
		if len(keys) == 0 || len(keys) == 1 && ph.Kind != "name" {
			continue
		}
		lastSpan := int32(-1)
		for _, pos := range t.at[keys[0]] {
			si, ti := pos[0], int(pos[1])
			toks := t.tokens[si]
			if si == lastSpan || ti+len(keys) > len(toks) || !matchAt(toks, ti, keys) {
				continue
			}
			lastSpan = si // the first occurrence in a run of text is enough
			sp := t.spans[si]
			start, end := sp.start+toks[ti].Start, sp.start+toks[ti+len(keys)-1].End
			// Longer names make better anchors than single words.
			score := target.Score * ph.Weight * (1 + 0.5*float64(len(keys)-1))
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

func matchAt(tokens []Token, i int, keys []string) bool {
	for k, key := range keys {
		if tokens[i+k].Key != key {
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
	phrases := ix.KeyPhrases(target, 20)
	info, ok := ix.Doc(target)
	if !ok || len(phrases) == 0 {
		return nil, nil
	}
	var out []Suggestion
	var top float64
	// No floor: a suggestion needs the target's phrase in the text as
	// well, and an editor to accept it, as in Suggest.
	for i, m := range ix.Related(target, opts.Candidates, 0) {
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
		found := newTextIndex(body, spans).find(nil, &to, phrases)
		if len(found) == 0 {
			continue
		}
		best := found[0]
		for _, o := range found[1:] {
			if o.score > best.score || o.score == best.score && o.start < best.start {
				best = o
			}
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
