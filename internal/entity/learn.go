package entity

import (
	"hash/maphash"
	"slices"
	"strings"
	"sync"
)

// Vocabulary is what an archive taught the extractor: the people and
// organisations its articles name in full somewhere (after a title, with
// initials, by the word their names end with), so that an article naming
// them without those marks finds them too ("Khawaja Asif said", "the
// TTP"), and the groups named by a people ("the Afghan Taliban") and the
// single names ("Daesh") that recur across articles.
type Vocabulary struct {
	// mu lets a vocabulary that extraction reads take names as the site
	// learns them (a save that creates an entity).
	mu    sync.RWMutex
	names map[string][]learned // by the first folded word
}

type learned struct {
	words    []string // folded
	kind     Kind
	name     string
	initials string
}

// Learning's thresholds: a group or single name is learned when it is
// written, with its capitals, inside sentences of at least minArticles
// articles, and never in lower case.
const minArticles = 2

// Learner reads an archive's texts one by one (an archive need not fit
// in memory) and says what they teach. Learners that read parts of one
// archive, each on its own goroutine, are joined with Merge.
type Learner struct {
	g          *Gazetteer
	v          *Vocabulary
	candidates map[string]*candidate // by folded name
	lowered    map[string]bool       // words written in lower case somewhere
}

type candidate struct {
	kind     Kind
	name     string
	articles int
	// mentions counts where a single name is written, and locative those
	// after a word that says where ("in Kvarnholm", "near Brekke"): a
	// name written mostly so is a place the gazetteer does not know.
	mentions, locative int
}

// locatives are the words before a place's name.
var locatives = map[string]bool{"in": true, "at": true, "near": true, "from": true, "to": true, "across": true, "outside": true,
	"around": true, "into": true, "towards": true, "toward": true, "through": true, "via": true, "inside": true}

// NewLearner returns a learner that has read nothing.
func (g *Gazetteer) NewLearner() *Learner {
	return &Learner{g: g, v: NewVocabulary(), candidates: map[string]*candidate{}, lowered: map[string]bool{}}
}

// Learn reads the archive's texts and returns what they teach.
func (g *Gazetteer) Learn(texts []Text) *Vocabulary {
	l := g.NewLearner()
	for _, t := range texts {
		l.Read(t)
	}
	return l.Vocabulary()
}

// Read learns from one article's text.
func (l *Learner) Read(text Text) {
	tt := tokenizeText(text)
	// The people and organisations the rules find (places, the costly
	// part of extraction, teach nothing here).
	names := newCollector()
	l.g.collectNames(names, text, tt, nil)
	l.readTokens(text, tt, names.found())
}

// readTokens learns from a text's tokens and from what was found in it:
// the people and organisations the rules found (found may hold what a
// vocabulary found too, which it knows already, and places).
func (l *Learner) readTokens(text Text, tt textTokens, found []Found) {
	g := l.g
	seen := map[string]bool{}
	note := func(kind Kind, name string) {
		key := strings.Join(words(name), " ")
		c := l.candidates[key]
		if c == nil {
			c = &candidate{kind: kind, name: name}
			l.candidates[key] = c
		}
		if !seen[key] {
			seen[key] = true
			c.articles++
		}
	}
	for _, f := range found {
		// Named in full with the marks of its kind: learned at once (the
		// count makes it a name again and again). Initials alone teach
		// nothing: the rule that found them finds them anywhere.
		if (f.Kind == Person || f.Kind == Organisation) && f.Name != f.Initials {
			l.v.Add(f.Kind, f.Name, f.Initials)
		}
	}
	for _, field := range []struct {
		s    string
		toks []token
	}{{text.Title, tt.title}, {text.Standfirst, tt.standfirst}, {text.Body, tt.body}} {
		s, toks := field.s, field.toks
		for _, t := range toks {
			// Looked up before it is set: most words were seen before,
			// and a look-up costs less than a write.
			if !t.capital && !t.allCaps && !l.lowered[t.folded] {
				l.lowered[t.folded] = true
			}
		}
		for i := 0; i < len(toks); i++ {
			t := toks[i]
			if !t.capital || t.allCaps || t.dotted != "" {
				continue
			}
			// A people's name and the capitalized word after it,
			// inside a sentence: "the Afghan Taliban".
			if e, n, ok := g.longest(toks, i); ok && n == 1 && e.demonym && i+1 < len(toks) {
				next := toks[i+1]
				if next.capital && !next.sentence && !next.allCaps && !t.commaAfter && !isTitleWord(next.folded) {
					if _, _, place := g.longest(toks, i+1); !place {
						note(Organisation, span(s, toks[i:i+2]))
						i++
						continue
					}
				}
			}
			// A single name inside a sentence, between words in lower
			// case: "fighters of Daesh".
			if !t.sentence && i > 0 && !toks[i-1].capital && (i+1 == len(toks) || !toks[i+1].capital || toks[i+1].sentence) && len(t.folded) > 3 {
				if _, _, place := g.longest(toks, i); !place && !titles[t.folded] && !calendarWord(t.folded) {
					note(Organisation, t.text)
					c := l.candidates[strings.Join(words(t.text), " ")]
					c.mentions++
					if locatives[toks[i-1].folded] {
						c.locative++
					}
				}
			}
		}
	}
}

// Merge adds what other read to what l read.
func (l *Learner) Merge(other *Learner) {
	for _, ls := range other.v.names {
		for _, n := range ls {
			if !n.initialsEntry() {
				l.v.Add(n.kind, n.name, n.initials)
			}
		}
	}
	for key, c := range other.candidates {
		if mine := l.candidates[key]; mine != nil {
			mine.articles += c.articles
			mine.mentions += c.mentions
			mine.locative += c.locative
		} else {
			copied := *c
			l.candidates[key] = &copied
		}
	}
	for w := range other.lowered {
		l.lowered[w] = true
	}
}

// Vocabulary is what the texts read so far teach.
func (l *Learner) Vocabulary() *Vocabulary {
	v := NewVocabulary()
	for _, ls := range l.v.names {
		for _, n := range ls {
			v.Add(n.kind, n.name, n.initials)
		}
	}
	keys := make([]string, 0, len(l.candidates))
	for key := range l.candidates {
		keys = append(keys, key)
	}
	slices.Sort(keys) // the first kind given for a name is kept: the same every run
	for _, key := range keys {
		c := l.candidates[key]
		if c.articles < minArticles {
			continue
		}
		if ws := strings.Fields(key); len(ws) == 1 && l.lowered[ws[0]] {
			continue // a word, capitalized where it begins a name of something else
		}
		kind := c.kind
		if c.mentions > 0 && 2*c.locative > c.mentions {
			kind = PlaceKind
		}
		v.Add(kind, c.name, "")
	}
	return v
}

// NewVocabulary returns an empty vocabulary, for names known otherwise
// (those the site keeps) to be added to.
func NewVocabulary() *Vocabulary { return &Vocabulary{names: map[string][]learned{}} }

// Names lists the people and organisations v holds, once each.
func (v *Vocabulary) Names() []Named {
	v.mu.RLock()
	defer v.mu.RUnlock()
	var out []Named
	for _, ls := range v.names {
		for _, n := range ls {
			if n.initialsEntry() {
				continue
			}
			out = append(out, Named{Kind: n.kind, Name: n.name, Initials: n.initials})
		}
	}
	slices.SortFunc(out, func(a, b Named) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// initialsEntry reports whether l is the entry a name has under its
// initials, beside the one under its first word.
func (l learned) initialsEntry() bool {
	return l.initials != "" && !equalWords(words(l.name), l.words)
}

// Named is a name a vocabulary holds.
type Named struct {
	Kind           Kind
	Name, Initials string
}

// Add files a name of a person, an organisation or a place the gazetteer
// does not know, with its initials when it has them ("TTP"); the first
// kind given for a name is kept.
func (v *Vocabulary) Add(kind Kind, name, initials string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	ws := words(name)
	if len(ws) == 0 {
		return
	}
	for _, l := range v.names[ws[0]] {
		if equalWords(l.words, ws) {
			return
		}
	}
	v.names[ws[0]] = append(v.names[ws[0]], learned{words: ws, kind: kind, name: name, initials: initials})
	if initials != "" {
		v.names[fold(initials)] = append(v.names[fold(initials)], learned{words: []string{fold(initials)}, kind: kind, name: name, initials: initials})
	}
}

// calendarWord reports whether w names a day or a month.
func calendarWord(w string) bool {
	return slices.Contains([]string{"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
		"january", "february", "march", "april", "june", "july", "august", "september", "october", "november", "december"}, w)
}

// ExtractWith is Extract, with the names v learned from the archive
// found too, where the text writes them with their capitals.
func (g *Gazetteer) ExtractWith(v *Vocabulary, text Text) []Found {
	return g.extractWith(v, text, tokenizeText(text))
}

// Capitals are what it takes to know, after a text was read, whether
// names learned since may be in it: the hashes of the words it writes
// with a capital and of the pairs of them in a row, and of the names it
// was found to name.
type Capitals struct{ seqs, found []uint64 }

// capitalSeed hashes every text's capitals alike.
var capitalSeed = maphash.MakeSeed()

func hashWord(folded string) uint64 { return maphash.String(capitalSeed, folded) }

// Analyze reads a text once: it finds what the text names with v (as
// ExtractWith), gives the text to l to learn from (when l is not nil),
// and returns the text's capitals.
func (g *Gazetteer) Analyze(v *Vocabulary, text Text, l *Learner) ([]Found, Capitals) {
	tt := tokenizeText(text)
	found := g.extractWith(v, text, tt)
	if l != nil {
		l.readTokens(text, tt, found)
	}
	var caps Capitals
	for _, toks := range [][]token{tt.title, tt.standfirst, tt.body} {
		for i, t := range toks {
			if !t.capital && !t.allCaps {
				continue
			}
			caps.seqs = append(caps.seqs, hashWord(t.folded))
			if i+1 < len(toks) && (toks[i+1].capital || toks[i+1].allCaps) && !toks[i+1].sentence {
				caps.seqs = append(caps.seqs, hashWord(t.folded+" "+toks[i+1].folded))
			}
		}
	}
	for _, f := range found {
		caps.found = append(caps.found, hashWord(strings.Join(words(f.Name), " ")))
	}
	slices.Sort(caps.seqs)
	slices.Sort(caps.found)
	caps.seqs, caps.found = slices.Compact(caps.seqs), slices.Compact(caps.found)
	return found, caps
}

// NewNames are names a vocabulary holds and another does not, by the
// hash of how a text begins them (their first two words, or their one
// word or initials), each with the hashes of the names begun so.
type NewNames map[uint64][]uint64

// Holds reports whether the text may write one of the names without
// having been found to name it: it then finds more with them.
func (c Capitals) Holds(names NewNames) bool {
	for _, h := range c.seqs {
		for _, name := range names[h] {
			if _, found := slices.BinarySearch(c.found, name); !found {
				return true
			}
		}
	}
	return false
}

// NamesNotIn returns the names v holds that known does not.
func (v *Vocabulary) NamesNotIn(known *Vocabulary) NewNames {
	v.mu.RLock()
	defer v.mu.RUnlock()
	out := NewNames{}
	for _, ls := range v.names {
		for _, l := range ls {
			if known.holds(l) {
				continue
			}
			begin := l.words[0]
			if len(l.words) > 1 {
				begin += " " + l.words[1]
			}
			h := hashWord(begin)
			out[h] = append(out[h], hashWord(strings.Join(words(l.name), " ")))
		}
	}
	return out
}

// holds reports whether v has the entry l.
func (v *Vocabulary) holds(l learned) bool {
	v.mu.RLock()
	defer v.mu.RUnlock()
	for _, m := range v.names[l.words[0]] {
		if equalWords(m.words, l.words) && m.kind == l.kind && m.name == l.name && m.initials == l.initials {
			return true
		}
	}
	return false
}

func (g *Gazetteer) extractWith(v *Vocabulary, text Text, tt textTokens) []Found {
	c := newCollector()
	g.collectPlaces(c, text, tt)
	g.collectNames(c, text, tt, v)
	if v != nil {
		// Where the rules found names already: places, and the rest.
		byPlace, byName := map[Field]map[int]bool{}, map[Field]map[int]bool{}
		for _, f := range c.order {
			covered := byName
			if f.Kind == PlaceKind {
				covered = byPlace
			}
			for _, m := range f.Mentions {
				if covered[m.Field] == nil {
					covered[m.Field] = map[int]bool{}
				}
				for at := m.Start; at < m.End; at++ { // every word of the name
					covered[m.Field][at] = true
				}
			}
		}
		for _, fl := range []struct {
			name Field
			toks []token
			lead int
		}{{InTitle, tt.title, 0}, {InStandfirst, tt.standfirst, 0}, {InBody, tt.body, firstParagraphEnd(text.Body)}} {
			toks := fl.toks
			for i := 0; i < len(toks); i++ {
				t := toks[i]
				if !t.capital && !t.allCaps || byName[fl.name][t.start] {
					continue
				}
				// A place the rules found stands, but for a learned name
				// longer than one word it starts: "Afghan Taliban" is the
				// group (and "Afghan" still Afghanistan).
				l, n := v.longest(toks, i)
				if n == 0 || n == 1 && byPlace[fl.name][t.start] {
					continue
				}
				key := map[Kind]string{Person: "person:", Organisation: "org:", PlaceKind: "learned place:"}[l.kind] + l.name
				c.add(key, Found{Kind: l.kind, Name: l.name, Initials: l.initials}, fl.name, t.start, toks[i+n-1].end, weightOf(fl.name, t.start, fl.lead))
				i += n - 1
			}
		}
	}
	return c.found()
}

// knowsInitials returns the organisation v knows by initials ("TTP"),
// nil for none (or a nil v).
func (v *Vocabulary) knowsInitials(initials string) (learned, bool) {
	if v == nil {
		return learned{}, false
	}
	v.mu.RLock()
	defer v.mu.RUnlock()
	var found learned
	ok := false
	for _, l := range v.names[fold(initials)] {
		// The name they stand for, rather than the initials kept as a
		// name of their own.
		if l.initials == initials && l.kind == Organisation && (!ok || found.name == initials) {
			found, ok = l, true
		}
	}
	return found, ok
}

// longest is the longest learned name at toks[i], and its length in
// tokens (0 for none). Every word of it must be capitalized, but for
// small words inside.
func (v *Vocabulary) longest(toks []token, i int) (learned, int) {
	v.mu.RLock()
	defer v.mu.RUnlock()
	var best learned
	n := 0
	for _, l := range v.names[toks[i].folded] {
		k := len(l.words)
		if i+k > len(toks) || k <= n {
			continue
		}
		ok := true
		for j := range k {
			t := toks[i+j]
			if t.folded != l.words[j] || j > 0 && t.sentence || j == k-1 && !t.capital && !t.allCaps {
				ok = false
				break
			}
		}
		if ok {
			best, n = l, k
		}
	}
	return best, n
}
