package linking

import (
	"encoding/binary"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Limits that keep a large archive in memory and every query bounded.
const (
	// maxTerms is how many of its heaviest terms an article's vector keeps.
	maxTerms = 128
	// maxPhrases is how many key phrases an article keeps.
	maxPhrases = 24
	// postingBudget bounds the postings one query walks to find
	// candidates: terms are taken from the rarest up, and a term whose
	// postings would overrun the budget is left out of candidate
	// generation (it still counts when candidates are scored).
	postingBudget = 200_000
	// numCandidates is how many candidates are scored exactly and
	// re-ranked.
	numCandidates = 100
	// feedbackDocs is how many of the nearest neighbours the re-ranking
	// takes as evidence of the query's subject.
	feedbackDocs = 10
	// semDim is the dimension of the random projection of term
	// co-occurrence (see semantic).
	semDim = 512
)

// Index is an in-memory index of articles. It is safe for concurrent use.
type Index struct {
	mu     sync.RWMutex
	termID map[string]uint32
	terms  []termInfo
	docs   []*docEntry // by slot; nil for a free slot
	free   []int32
	slots  map[int64]int32
	pool   sync.Pool // *scratch
}

type termInfo struct {
	key      string
	display  string // first surface form seen
	df       int32  // articles containing the term (before vectors are cut)
	postings []posting
	titles   []int32 // slots of the articles whose title has the term
	sem      []float32
}

// posting is one article whose vector holds a term, with the term's
// tf factor divided by the article's vector norm at insertion.
type posting struct {
	slot int32
	w    float32
}

// termWeight is one entry of a vector: a term and its tf factor; the idf
// is applied at query time, so that weights follow the archive as it grows.
type termWeight struct {
	term uint32
	w    float32
}

type docEntry struct {
	info    DocInfo
	vec     []termWeight // sorted by term
	norm    float32      // vector norm at insertion
	all     []byte       // every term of the article, delta-varint encoded, for df on removal
	title   []uint32     // the title's terms, distinct
	phrases []phraseEntry
}

type phraseEntry struct {
	term  uint32
	w     float32 // tf factor
	kind  uint8
	text  string
	forms []string
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{termID: make(map[string]uint32), slots: make(map[int64]int32)}
}

// Len returns the number of articles indexed.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return len(ix.slots)
}

// Doc returns what the index holds of article id.
func (ix *Index) Doc(id int64) (DocInfo, bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s, ok := ix.slots[id]
	if !ok {
		return DocInfo{}, false
	}
	info := ix.docs[s].info
	info.Tags = slices.Clone(info.Tags)
	return info, true
}

// idf is the inverse document frequency of term t, given n articles.
func idf(df int32, n int) float64 {
	return math.Log(1 + float64(n)/float64(max(df, 1)))
}

// Upsert adds d to the index, or replaces the article with its ID. The
// text is analysed before the index is locked, so several goroutines can
// feed a build in parallel.
func (ix *Index) Upsert(d Doc) {
	a := analyze(d)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if _, ok := ix.slots[d.ID]; ok {
		ix.removeLocked(d.ID)
	}
	var slot int32
	if k := len(ix.free); k > 0 {
		slot = ix.free[k-1]
		ix.free = ix.free[:k-1]
	} else {
		slot = int32(len(ix.docs))
		ix.docs = append(ix.docs, nil)
	}
	ix.slots[d.ID] = slot
	n := len(ix.slots)

	e := &docEntry{info: DocInfo{ID: d.ID, Slug: d.Slug, Title: d.Title, Tags: slices.Clone(d.Tags), Published: d.Published}}
	type cand struct {
		tw   termWeight
		full float64
		kind uint8
		key  string
	}
	cands := make([]cand, 0, len(a.tf))
	ids := make([]uint32, 0, len(a.tf))
	for key, tf := range a.tf {
		id, ok := ix.termID[key]
		if !ok {
			id = uint32(len(ix.terms))
			ix.termID[key] = id
			ix.terms = append(ix.terms, termInfo{key: key, display: a.surface[key]})
		}
		ix.terms[id].df++
		ids = append(ids, id)
		w := tfWeight(tf)
		if a.kind[key] == kindBigram {
			w *= xBigram
		}
		cands = append(cands, cand{termWeight{id, float32(w)}, w * idf(ix.terms[id].df, n), a.kind[key], key})
	}
	slices.Sort(ids)
	e.all = encodeIDs(ids)

	sort.Slice(cands, func(i, j int) bool {
		if cands[i].full != cands[j].full {
			return cands[i].full > cands[j].full
		}
		return cands[i].tw.term < cands[j].tw.term
	})
	kept := cands[:min(len(cands), maxTerms)]
	var norm float64
	e.vec = make([]termWeight, len(kept))
	for i, c := range kept {
		e.vec[i] = c.tw
		norm += c.full * c.full
	}
	slices.SortFunc(e.vec, func(x, y termWeight) int { return int(int64(x.term) - int64(y.term)) })
	norm = math.Sqrt(norm)
	e.norm = float32(norm)
	if norm > 0 {
		r := randomVector(d.ID)
		for _, tw := range e.vec {
			t := &ix.terms[tw.term]
			w := float32(float64(tw.w) / norm)
			t.postings = append(t.postings, posting{slot, w})
			if xDim > 0 && !strings.HasPrefix(t.key, bigramPrefix) {
				if t.sem == nil {
					t.sem = make([]float32, xDim)
				}
				for k, x := range r {
					t.sem[k] += w * x
				}
			}
		}
	}

	seen := map[uint32]bool{}
	for _, k := range a.title {
		id := ix.termID[k]
		if !seen[id] {
			seen[id] = true
			e.title = append(e.title, id)
			ix.terms[id].titles = append(ix.terms[id].titles, slot)
		}
	}

	// Key phrases: names, title phrases and tags first, then the most
	// distinctive words.
	words := 0
	for _, c := range cands {
		if len(e.phrases) >= maxPhrases {
			break
		}
		if c.kind == kindBigram {
			continue
		}
		if c.kind == kindWord && strings.IndexByte(c.key, ' ') < 0 {
			if words >= maxPhrases/3 {
				continue
			}
			words++
		}
		pe := phraseEntry{term: c.tw.term, w: c.tw.w, kind: c.kind, text: a.surface[c.key]}
		pe.forms = a.formsOf(c.key)
		e.phrases = append(e.phrases, pe)
	}
	ix.docs[slot] = e
}

// Remove takes article id out of the index; an unknown id is ignored.
func (ix *Index) Remove(id int64) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.removeLocked(id)
}

func (ix *Index) removeLocked(id int64) {
	slot, ok := ix.slots[id]
	if !ok {
		return
	}
	e := ix.docs[slot]
	decodeIDs(e.all, func(t uint32) { ix.terms[t].df-- })
	r := randomVector(e.info.ID)
	for _, tw := range e.vec {
		t := &ix.terms[tw.term]
		for i, p := range t.postings {
			if p.slot == slot {
				if t.sem != nil {
					for k, x := range r {
						t.sem[k] -= p.w * x
					}
				}
				last := len(t.postings) - 1
				t.postings[i] = t.postings[last]
				t.postings = t.postings[:last]
				break
			}
		}
	}
	for _, id := range e.title {
		t := &ix.terms[id]
		if i := slices.Index(t.titles, slot); i >= 0 {
			last := len(t.titles) - 1
			t.titles[i] = t.titles[last]
			t.titles = t.titles[:last]
		}
	}
	ix.docs[slot] = nil
	ix.free = append(ix.free, slot)
	delete(ix.slots, id)
}

func encodeIDs(ids []uint32) []byte {
	buf := make([]byte, 0, len(ids)*2)
	prev := uint32(0)
	for _, id := range ids {
		buf = binary.AppendUvarint(buf, uint64(id-prev))
		prev = id
	}
	return buf
}

func decodeIDs(buf []byte, f func(uint32)) {
	prev := uint32(0)
	for len(buf) > 0 {
		d, n := binary.Uvarint(buf)
		buf = buf[n:]
		prev += uint32(d)
		f(prev)
	}
}

// randomVector is the random direction of article id in the space of
// term co-occurrence: ±1/√dim in each dimension, the same every time.
func randomVector(id int64) []float32 {
	if xDim == 0 {
		return nil
	}
	v := make([]float32, xDim)
	x := uint64(id)*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
	a := float32(1 / math.Sqrt(float64(xDim)))
	for i := range v {
		x += 0x9E3779B97F4A7C15
		z := x
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		z ^= z >> 31
		if z&1 == 0 {
			v[i] = a
		} else {
			v[i] = -a
		}
	}
	return v
}
