package linking

import (
	"math"
	"slices"
	"strings"
	"sync"
	"unicode"
)

// Field weights: a heading says more about what an article is about than
// the body; a title word weighs like a body word, because titles repeat
// the body; a tag counts double.
const (
	titleBoost   = 1.0
	headingBoost = 1.5
	tagBoost     = 2.0
)

// Phrase limits: names are runs of 2 to maxNameWords capitalised words.
const maxNameWords = 4

// tagPrefix keeps tags apart from words in the term space: a shared tag
// is its own signal.
const tagPrefix = "#"

// analysis is what an article contributes to the index, computed without
// the index lock.
type analysis struct {
	terms []aterm
	title []int32 // the title's content terms, in order, as indexes of terms
	z     *analyzer
}

// release returns the analysis's memory for reuse: a must not be used
// after. Building an index analyses every article, and reusing the maps
// and slices of the last one keeps the garbage collector out of the way.
func (a *analysis) release() { analyzers.Put(a.z) }

var analyzers = sync.Pool{New: func() any {
	return &analyzer{
		num:     make(map[string]int32),
		phrases: make(map[phraseKey]phraseInfo),
		pairs:   make(map[uint64]float64),
		han:     make(map[uint64]int32),
		tags:    make(map[string]int32),
	}
}}

// aterm is one distinct term of an article.
type aterm struct {
	key   string
	tf    float64 // field-weighted term frequency
	kind  uint8
	forms []formCount // up to 8 surface forms, as written
	tag   string      // for a tag: the tag as given
}

// formCount is a surface form of a term and how often it occurs.
type formCount struct {
	form string
	n    int
}

// surface is the display form of t: the tag as given, or its most
// frequent surface form (see bestForm); "" for a pair of words.
func (t *aterm) surface() string {
	if t.kind == kindTag {
		return t.tag
	}
	return bestForm(t.forms)
}

func (t *aterm) addForm(form string) {
	for i := range t.forms {
		if t.forms[i].form == form {
			t.forms[i].n++
			return
		}
	}
	if len(t.forms) < 8 {
		t.forms = append(t.forms, formCount{form, 1})
	}
}

const (
	kindWord uint8 = iota
	kindName
	kindTitlePhrase
	kindTag
	kindBigram
)

const bigramPrefix = "~"

type field struct {
	text  string
	boost float64
}

// maxPhraseTokens is the longest phrase in tokens: a name of maxNameWords
// words, some of them hyphenated.
const maxPhraseTokens = 2 * maxNameWords

// phraseKey is a phrase as the local word numbers of its tokens, zero
// after the last.
type phraseKey [maxPhraseTokens]int32

// analyzer holds the state of one analysis. Token keys are numbered as
// they are first seen (from 1), so that word pairs and phrases are found
// by number, without building a string for every candidate.
type analyzer struct {
	a       analysis
	num     map[string]int32 // token key → local number
	keys    []string         // local number → token key (index 0 unused)
	term    []int32          // local number → index in a.terms of the word, -1 if none
	starts  []bool           // local number → some phrase starts with this token
	phrases map[phraseKey]phraseInfo
	pairs   map[uint64]float64 // adjacent word pairs (by local numbers) → tf
	order   []uint64           // the pairs, as first seen
	han     map[uint64]int32   // adjacent Han characters → index in a.terms
	tags    map[string]int32   // tag key → index in a.terms
	toks    [][]tok            // by field
	nums    [][]int32          // by field: the tokens' local numbers
	fields  []field
}

// reset readies z for a new analysis, keeping its memory.
func (z *analyzer) reset() {
	clear(z.num)
	clear(z.phrases)
	clear(z.pairs)
	clear(z.han)
	clear(z.tags)
	z.keys = append(z.keys[:0], "")
	z.term = append(z.term[:0], -1)
	z.starts = append(z.starts[:0], false)
	z.order = z.order[:0]
	z.fields = z.fields[:0]
	z.a = analysis{terms: z.a.terms[:0], title: z.a.title[:0], z: z}
}

type phraseInfo struct {
	kind uint8
	term int32 // index in a.terms once counted, else -1
}

func (z *analyzer) number(key string) int32 {
	if n, ok := z.num[key]; ok {
		return n
	}
	n := int32(len(z.keys))
	z.num[key] = n
	z.keys = append(z.keys, key)
	z.term = append(z.term, -1)
	z.starts = append(z.starts, false)
	return n
}

// add counts one occurrence of a term made on first sight by key().
func (z *analyzer) add(idx *int32, key func() string, kind uint8, boost float64) *aterm {
	if *idx < 0 {
		*idx = z.newTerm(key(), kind)
	}
	t := &z.a.terms[*idx]
	t.tf += boost
	return t
}

// newTerm adds a term to the analysis, reusing the memory of the forms
// of a term of an earlier analysis.
func (z *analyzer) newTerm(key string, kind uint8) int32 {
	n := len(z.a.terms)
	if n < cap(z.a.terms) {
		z.a.terms = z.a.terms[:n+1]
		t := &z.a.terms[n]
		*t = aterm{key: key, kind: kind, forms: t.forms[:0]}
	} else {
		z.a.terms = append(z.a.terms, aterm{key: key, kind: kind})
	}
	return int32(n)
}

func (z *analyzer) join(ns []int32) string {
	var b strings.Builder
	for i, n := range ns {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(z.keys[n])
	}
	return b.String()
}

func (z *analyzer) addPhrase(ns []int32, kind uint8, override bool) {
	if len(ns) < 2 || len(ns) > maxPhraseTokens {
		return
	}
	var k phraseKey
	copy(k[:], ns)
	if p, ok := z.phrases[k]; ok {
		if override {
			p.kind = kind
			z.phrases[k] = p
		}
		return
	}
	z.phrases[k] = phraseInfo{kind: kind, term: -1}
	z.starts[ns[0]] = true
}

// analyze extracts the terms of d: stemmed words without stop words,
// multi-word names ("Doha Agreement"), phrases of consecutive words of the
// title, runs of Han characters as bigrams, and tags.
// The caller releases the analysis when done with it.
func analyze(d Doc) *analysis {
	z := analyzers.Get().(*analyzer)
	z.reset()
	a := &z.a
	fields := append(z.fields, field{d.Title, titleBoost})
	for _, h := range d.Headings {
		fields = append(fields, field{h, headingBoost})
	}
	fields = append(fields, field{d.Text, 1})
	z.fields = fields

	for len(z.toks) < len(fields) {
		z.toks = append(z.toks, nil)
		z.nums = append(z.nums, nil)
	}
	toks, nums := z.toks, z.nums
	for fi, f := range fields {
		ts := tokenize(f.text, toks[fi][:0])
		toks[fi] = ts
		ns := slices.Grow(nums[fi][:0], len(ts))[:len(ts)]
		nums[fi] = ns
		for i, t := range ts {
			n := z.number(t.key)
			ns[i] = n
			if t.stop {
				continue
			}
			z.add(&z.term[n], func() string { return t.key }, kindWord, f.boost).addForm(f.text[t.start:t.end])
		}
		if !mostlyUpper(f.text) {
			for _, r := range findNames(ts) {
				z.addPhrase(ns[r[0]:r[1]], kindName, true)
			}
		}
		if fi == 0 {
			for i, t := range ts {
				if !t.stop {
					a.title = append(a.title, z.term[ns[i]])
				}
			}
			for i := 1; i < len(ts); i++ {
				if !ts[i].stop && !ts[i-1].stop && !ts[i].brk && !ts[i].han && !ts[i-1].han {
					z.addPhrase(ns[i-1:i+1], kindTitlePhrase, false)
				}
			}
		}
	}
	// Count every phrase wherever it occurs, whatever its case, and
	// pair adjacent Han characters.
	for fi, f := range fields {
		ts, ns := toks[fi], nums[fi]
		for i := range ts {
			if ts[i].han {
				if i+1 < len(ts) && ts[i+1].han && !ts[i+1].brk && !ts[i+1].chunk {
					pk := uint64(ns[i])<<32 | uint64(ns[i+1])
					idx, ok := z.han[pk]
					if !ok {
						idx = -1
					}
					z.add(&idx, func() string { return ts[i].key + " " + ts[i+1].key }, kindWord, f.boost).addForm(f.text[ts[i].start:ts[i+1].end])
					z.han[pk] = idx
				}
				continue
			}
			if i+1 < len(ts) && !ts[i].stop && !ts[i+1].stop && !ts[i+1].brk && !ts[i+1].han {
				if _, ok := z.phrases[phraseKey{ns[i], ns[i+1]}]; !ok {
					pk := uint64(ns[i])<<32 | uint64(ns[i+1])
					if _, seen := z.pairs[pk]; !seen {
						z.order = append(z.order, pk)
					}
					z.pairs[pk] += f.boost
				}
			}
			if !z.starts[ns[i]] {
				continue
			}
			k := phraseKey{ns[i]}
			for n := 2; n <= maxPhraseTokens && i+n <= len(ts); n++ {
				if ts[i+n-1].brk || ts[i+n-1].han {
					break
				}
				k[n-1] = ns[i+n-1]
				p, ok := z.phrases[k]
				if !ok {
					continue
				}
				z.add(&p.term, func() string { return z.join(ns[i : i+n]) }, p.kind, f.boost).addForm(f.text[ts[i].start:ts[i+n-1].end])
				z.phrases[k] = p
			}
		}
	}
	// A pair of words is a term of its own only when the article repeats
	// it: a repeated pair is a phrase ("tender offer", "police post"),
	// the others are chance neighbours that would swell the vocabulary.
	for _, pk := range z.order {
		if tf := z.pairs[pk]; tf >= 2 {
			i := z.newTerm(bigramPrefix+z.keys[pk>>32]+" "+z.keys[uint32(pk)], kindBigram)
			a.terms[i].tf = tf
		}
	}
	for _, tag := range d.Tags {
		k := keyOf(tag)
		if k == "" {
			continue
		}
		idx, ok := z.tags[k]
		if !ok {
			idx = -1
		}
		t := z.add(&idx, func() string { return tagPrefix + k }, kindTag, tagBoost)
		t.tag = strings.TrimSpace(tag)
		z.tags[k] = idx
	}
	return a
}

// keyOf is the normalised form of a phrase or a tag name: its tokens'
// keys, stop words included, joined by spaces. A phrase's key occurs in
// the key of a text where the phrase occurs in the text.
func keyOf(text string) string {
	ts := tokenize(text, nil)
	keys := make([]string, len(ts))
	for i, t := range ts {
		keys[i] = t.key
	}
	return strings.Join(keys, " ")
}

// findNames returns the [start, end) token ranges of the runs of two or
// more capitalised words in ts ("Doha Agreement", "Tehrik-e-Taliban Pakistan"): a run stops at
// punctuation, at a lower-case word and at a stop word, except for the
// parts of a hyphenated word ("e" in "Tehrik-e-Taliban").
func findNames(ts []tok) [][2]int {
	var out [][2]int
	flush := func(from, to int) {
		// Leading and trailing stop tokens never belong to a name.
		for from < to && ts[from].stop {
			from++
		}
		for from < to && ts[to-1].stop {
			to--
		}
		words := 0
		for _, t := range ts[from:to] {
			if t.chunk || t.brk {
				words++
			}
		}
		if words < 2 || words > maxNameWords {
			return
		}
		out = append(out, [2]int{from, to})
	}
	start := -1
	for i := 0; i <= len(ts); i++ {
		inName := false
		if i < len(ts) && !ts[i].han {
			t := ts[i]
			newWord := t.chunk || t.brk
			switch {
			case newWord && t.cap && !t.stop:
				inName = start < 0 || !t.brk
			case !newWord && start >= 0:
				inName = true // the rest of a hyphenated word
			}
			if newWord && t.cap && !t.stop && t.brk && start >= 0 {
				flush(start, i)
				start = i
				continue
			}
		}
		if inName {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 {
			flush(start, i)
			start = -1
		}
	}
	return out
}

// mostlyUpper reports whether s is written in capitals (Reuters headlines),
// where capitals say nothing about names.
func mostlyUpper(s string) bool {
	upper, lower := 0, 0
	for _, r := range s {
		if unicode.IsUpper(r) {
			upper++
		} else if unicode.IsLower(r) {
			lower++
		}
	}
	return upper > lower
}

// bestForm picks the most frequent surface form, preferring one that is
// not in capitals throughout, then the first in byte order.
func bestForm(fs []formCount) string {
	best, bestN := "", -1
	for _, f := range fs {
		n := f.n * 2
		if len(f.form) > 3 && mostlyUpper(f.form) {
			n--
		}
		if n > bestN || n == bestN && f.form < best {
			best, bestN = f.form, n
		}
	}
	if len(best) > 3 && mostlyUpper(best) {
		best = strings.ToLower(best)
	}
	return best
}

// tfWeight is the sublinear term-frequency factor.
func tfWeight(tf float64) float64 { return 1 + math.Log(tf) }
