package linking

import (
	"math"
	"slices"
	"sort"
	"strings"
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
	tf    map[string]float64     // term → field-weighted term frequency
	kind  map[string]uint8       // term → kindWord, kindName, kindTitle, kindTag
	title []string               // the title's content keys, in order
	forms map[string][]formCount // term → up to 8 of its surface forms, as written
	tags  map[string]string      // tag term → the tag as given
}

// formCount is a surface form of a term and how often it occurs.
type formCount struct {
	form string
	n    int
}

// surface is the display form of key: the tag as given, or its most
// frequent surface form (see bestForm); "" for a pair of words.
func (a *analysis) surface(key string) string {
	if t, ok := a.tags[key]; ok {
		return t
	}
	return bestForm(a.forms[key])
}

// formsOf lists up to three surface forms of key, most frequent first.
func (a *analysis) formsOf(key string) []string {
	if t, ok := a.tags[key]; ok {
		return []string{t}
	}
	fs := slices.Clone(a.forms[key])
	sort.Slice(fs, func(i, j int) bool {
		if fs[i].n != fs[j].n {
			return fs[i].n > fs[j].n
		}
		return fs[i].form < fs[j].form
	})
	out := make([]string, 0, min(len(fs), 3))
	for _, f := range fs[:min(len(fs), 3)] {
		out = append(out, f.form)
	}
	return out
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

// analyze extracts the terms of d: stemmed words without stop words,
// multi-word names ("Doha Agreement"), phrases of consecutive words of the
// title, runs of Han characters as bigrams, and tags.
func analyze(d Doc) *analysis {
	a := &analysis{
		tf:    make(map[string]float64),
		kind:  make(map[string]uint8),
		forms: make(map[string][]formCount),
		tags:  make(map[string]string),
	}
	fields := []field{{d.Title, titleBoost}}
	for _, h := range d.Headings {
		fields = append(fields, field{h, headingBoost})
	}
	fields = append(fields, field{d.Text, 1})

	addForm := func(key, form string) {
		fs := a.forms[key]
		for i := range fs {
			if fs[i].form == form {
				fs[i].n++
				return
			}
		}
		if len(fs) < 8 {
			a.forms[key] = append(fs, formCount{form, 1})
		}
	}

	phrases := map[string]uint8{} // multi-token keys to count everywhere
	toks := make([][]tok, len(fields))
	for fi, f := range fields {
		ts := tokenize(f.text, nil)
		toks[fi] = ts
		for _, t := range ts {
			if t.stop {
				continue
			}
			a.tf[t.key] += f.boost
			addForm(t.key, f.text[t.start:t.end])
		}
		if !mostlyUpper(f.text) {
			for _, p := range findNames(ts) {
				phrases[p] = kindName
			}
		}
		if fi == 0 {
			for _, t := range ts {
				if !t.stop {
					a.title = append(a.title, t.key)
				}
			}
			for i := 1; i < len(ts); i++ {
				if !ts[i].stop && !ts[i-1].stop && !ts[i].brk && !ts[i].han && !ts[i-1].han {
					k := ts[i-1].key + " " + ts[i].key
					if _, ok := phrases[k]; !ok {
						phrases[k] = kindTitlePhrase
					}
				}
			}
		}
	}
	// Count every phrase wherever it occurs, whatever its case, and
	// pair adjacent Han characters.
	for fi, f := range fields {
		ts := toks[fi]
		for i := range ts {
			if ts[i].han {
				if i+1 < len(ts) && ts[i+1].han && !ts[i+1].brk && !ts[i+1].chunk {
					k := ts[i].key + " " + ts[i+1].key
					a.tf[k] += f.boost
					a.kind[k] = kindWord
					addForm(k, f.text[ts[i].start:ts[i+1].end])
				}
				continue
			}
			if i+1 < len(ts) && !ts[i].stop && !ts[i+1].stop && !ts[i+1].brk && !ts[i+1].han {
				k := ts[i].key + " " + ts[i+1].key
				if _, ok := phrases[k]; !ok {
					a.tf[bigramPrefix+k] += f.boost
					a.kind[bigramPrefix+k] = kindBigram
				}
			}
			if len(phrases) == 0 {
				continue
			}
			key := ts[i].key
			for n := 2; n <= 2*maxNameWords && i+n <= len(ts); n++ {
				if ts[i+n-1].brk || ts[i+n-1].han {
					break
				}
				key += " " + ts[i+n-1].key
				if kind, ok := phrases[key]; ok {
					a.tf[key] += f.boost
					a.kind[key] = kind
					addForm(key, f.text[ts[i].start:ts[i+n-1].end])
				}
			}
		}
	}
	for _, tag := range d.Tags {
		k := tagKey(tag)
		if k == "" {
			continue
		}
		a.tf[tagPrefix+k] += tagBoost
		a.kind[tagPrefix+k] = kindTag
		a.tags[tagPrefix+k] = strings.TrimSpace(tag)
	}
	// A pair of words is a term of its own only when the article repeats
	// it: a repeated pair is a phrase ("tender offer", "police post"),
	// the others are chance neighbours that would swell the vocabulary.
	for k, tf := range a.tf {
		if a.kind[k] == kindBigram && tf < 2 {
			delete(a.tf, k)
			delete(a.kind, k)
		}
	}
	return a
}

// tagKey is the normalised form of a tag name.
func tagKey(tag string) string {
	ts := tokenize(tag, nil)
	keys := make([]string, len(ts))
	for i, t := range ts {
		keys[i] = t.key
	}
	return strings.Join(keys, " ")
}

// findNames returns the keys of the runs of two or more capitalised words
// in ts ("Doha Agreement", "Tehrik-e-Taliban Pakistan"): a run stops at
// punctuation, at a lower-case word and at a stop word, except for the
// parts of a hyphenated word ("e" in "Tehrik-e-Taliban").
func findNames(ts []tok) []string {
	var out []string
	flush := func(run []tok) {
		// Leading and trailing stop tokens never belong to a name.
		for len(run) > 0 && run[0].stop {
			run = run[1:]
		}
		for len(run) > 0 && run[len(run)-1].stop {
			run = run[:len(run)-1]
		}
		words := 0
		for _, t := range run {
			if t.chunk || t.brk {
				words++
			}
		}
		if words < 2 || words > maxNameWords {
			return
		}
		keys := make([]string, len(run))
		for i, t := range run {
			keys[i] = t.key
		}
		out = append(out, strings.Join(keys, " "))
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
				flush(ts[start:i])
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
			flush(ts[start:i])
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
