package linking

import (
	"math"
	"sort"
	"strings"
	"unicode"
)

// Field weights: a word in the title says more about what an article is
// about than one in the body, a heading sits between. A tag counts as a
// title word.
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
	tf      map[string]float64 // term → field-weighted term frequency
	surface map[string]string  // term → its most frequent surface form
	kind    map[string]uint8   // term → kindWord, kindName, kindTitle, kindTag
	title   []string           // the title's content keys, in order
	forms   map[string]map[string]int
}

// formsOf lists up to three surface forms of key, most frequent first.
func (a *analysis) formsOf(key string) []string {
	if strings.HasPrefix(key, tagPrefix) {
		return []string{a.surface[key]}
	}
	m := a.forms[key]
	out := make([]string, 0, len(m))
	for f := range m {
		out = append(out, f)
	}
	sort.Slice(out, func(i, j int) bool {
		if m[out[i]] != m[out[j]] {
			return m[out[i]] > m[out[j]]
		}
		return out[i] < out[j]
	})
	return out[:min(len(out), 3)]
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
		tf:      make(map[string]float64),
		surface: make(map[string]string),
		kind:    make(map[string]uint8),
	}
	fields := []field{{d.Title, xTitle}}
	for _, h := range d.Headings {
		fields = append(fields, field{h, headingBoost})
	}
	fields = append(fields, field{d.Text, 1})

	forms := map[string]map[string]int{}
	addForm := func(key, form string) {
		m := forms[key]
		if m == nil {
			m = map[string]int{}
			forms[key] = m
		}
		if len(m) < 8 {
			m[form]++
		} else if _, ok := m[form]; ok {
			m[form]++
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
			if xBigram > 0 && i+1 < len(ts) && !ts[i].stop && !ts[i+1].stop && !ts[i+1].brk && !ts[i+1].han {
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
		a.surface[tagPrefix+k] = strings.TrimSpace(tag)
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
	for k, m := range forms {
		a.surface[k] = bestForm(m)
	}
	a.forms = forms
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
func bestForm(m map[string]int) string {
	best, bestN := "", -1
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		n := m[k] * 2
		if len(k) > 3 && mostlyUpper(k) {
			n--
		}
		if n > bestN {
			best, bestN = k, n
		}
	}
	if len(best) > 3 && mostlyUpper(best) {
		best = strings.ToLower(best)
	}
	return best
}

// tfWeight is the sublinear term-frequency factor.
func tfWeight(tf float64) float64 { return 1 + math.Log(tf) }
