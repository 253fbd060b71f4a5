package linking

import (
	"cmp"
	"hash/fnv"
	"math"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/datelinehq/dateline/internal/linking/wordvec"
)

// Limits that keep a large archive in memory and every query bounded.
const (
	// maxTerms is how many of its heaviest terms an article's vector keeps.
	maxTerms = 64
	// maxPhrases is how many key phrases an article keeps.
	maxPhrases = 24
	// postingBudget bounds the postings one query walks to find
	// candidates: terms are taken from the rarest up, and a term whose
	// postings would overrun the budget is left out of candidate
	// generation (it still counts when candidates are scored).
	postingBudget = 200_000
)

// Index is an in-memory index of articles. It is safe for concurrent use.
type Index struct {
	mu sync.RWMutex
	// termID finds a term by a 64-bit hash of its key: the vocabulary
	// grows by some ten terms an article, mostly held by that article
	// only, and keeping their keys as strings would cost more than the
	// rest of the index. Two keys of one hash (one chance in 10^7 at a
	// million terms) would share statistics; nothing else breaks.
	termID map[uint64]uint32
	terms  []termInfo
	// sem holds the co-occurrence vectors of the single words two or
	// more articles have (see semantic); few terms have one, so they
	// are kept apart from termData.
	sem   map[uint32][]float32
	docs  []*docEntry // by slot; nil for a free slot
	free  []int32
	slots map[int64]int32
	pool  sync.Pool // *scratch
	// stale counts the articles removed or replaced since the index was
	// built: see Stale.
	stale int
	idfs  atomic.Pointer[idfTable]
	// words are the word vectors of the site's language, or nil: see
	// UseWordVectors. wvSum and wvCount make the mean of the articles'
	// word-vector images, which rerank takes out of every image.
	words   *wordvec.Table
	wvSum   []float64
	wvCount int
	// gen counts the changes to the index: what docEntry.scoring holds
	// is good for one generation (idf and co-occurrence vectors move with
	// every article added or taken out).
	gen uint64
}

// termInfo is a term of the vocabulary. Most terms (rare phrases and
// pairs of words) are only counted; what a term in an article's vector or
// title needs besides is in its termData. The key itself is not kept:
// articles keep the keys of their key phrases (see phraseEntry).
type termInfo struct {
	df    int32 // articles containing the term (before vectors are cut)
	flags uint8
	// vec is the term's row in the word vectors plus one, 0 for none.
	vec int32
	*termData
}

const (
	// termSem marks single words: they get a co-occurrence vector (see
	// hasSem).
	termSem uint8 = 1 << iota
	// termTag marks tags.
	termTag
)

type termData struct {
	display  string // first surface form seen in a vector or title
	postings []posting
	titles   []int32 // slots of the articles whose title has the term
}

// data returns t's termData, made with display form display if t has none.
func (t *termInfo) data(display string) *termData {
	if t.termData == nil {
		t.termData = &termData{display: strings.Clone(display)}
	}
	return t.termData
}

// list returns the postings of t.
func (t *termInfo) list() []posting {
	if t.termData == nil {
		return nil
	}
	return t.postings
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
	title   []uint32     // the title's terms, distinct
	phrases []phraseEntry
	// words holds the key phrases' display texts, each followed by a NUL, in the order of phrases: one allocation an
	// article, and no reference into the article's text.
	words string
	// wv is the article's word-vector image (see wordVector), or nil,
	// at 16 bits a value (half a float's memory, no loss measured):
	// wvScale times each value is the unit vector's.
	wv      []int16
	wvScale float32
	// scoring is what scoring the article takes, worked out for the
	// index's generation it names (see scoringOf).
	scoring atomic.Pointer[docScoring]
}

// docScoring is what scoring an article against a query takes, worked
// out once for the index as it is, not once for every query the article
// is a candidate of: its vector's full weights (idf applied), their norm,
// and its image in the space of term co-occurrence without its own random
// direction (see selfShare).
type docScoring struct {
	gen   uint64
	w     []float64
	norm  float64
	sem   []float32
	signs [semDim / 64]uint64 // its random direction's (see randomSigns)
}

// scoringOf returns e's docScoring for the index as it is; the caller
// holds ix.mu (readers may race to store equal values).
func (ix *Index) scoringOf(e *docEntry) *docScoring {
	if c := e.scoring.Load(); c != nil && c.gen == ix.gen {
		return c
	}
	c := &docScoring{gen: ix.gen, w: make([]float64, len(e.vec)), signs: randomSigns(e.info.ID)}
	var dn float64
	for k, tw := range e.vec {
		c.w[k] = float64(tw.w) * ix.idfOf(tw.term)
		dn += c.w[k] * c.w[k]
	}
	c.norm = math.Sqrt(dn)
	c.sem = ix.semantic(e.vec, c.w)
	addSigned(c.sem, c.signs, -ix.selfShare(e.vec, c.w, e))
	e.scoring.Store(c)
	return c
}

// image returns e's word-vector image as a unit vector, or nil.
func (e *docEntry) image() []float32 {
	if e.wv == nil {
		return nil
	}
	v := make([]float32, len(e.wv))
	for k, q := range e.wv {
		v[k] = float32(q) * e.wvScale
	}
	return v
}

// setImage keeps v, a unit vector or nil, as e's image.
func (e *docEntry) setImage(v []float32) {
	if v == nil {
		return
	}
	var top float32
	for _, x := range v {
		top = max(top, x, -x)
	}
	if top == 0 {
		return
	}
	e.wvScale = top / math.MaxInt16
	e.wv = make([]int16, len(v))
	for k, x := range v {
		e.wv[k] = int16(math.Round(float64(x / e.wvScale)))
	}
}

// phraseEntry is one key phrase; its display text is the next
// NUL-terminated string of docEntry.words. Its key is not kept: the
// display text normalises to it (see keyOf).
type phraseEntry struct {
	term    uint32
	w       float32 // tf factor
	kind    uint8
	about   bool // see Phrase.About
	inTitle bool
}

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{termID: make(map[uint64]uint32), sem: make(map[uint32][]float32), slots: make(map[int64]int32)}
}

// UseWordVectors makes the index place every article added after it in
// the space of word vectors t (the English table for an English site, see
// wordvec.ForLanguage; nil for none) and re-rank related articles by it:
// see rerank. Call it before adding articles.
func (ix *Index) UseWordVectors(t *wordvec.Table) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.words = t
	if t != nil {
		ix.wvSum = make([]float64, t.Dim)
	}
}

// vectorRow is the row plus one of a single word in the word vectors (see
// termInfo.vec), 0 for other terms and words the vectors lack.
func (ix *Index) vectorRow(at *aterm) int32 {
	if ix.words == nil || at.kind != kindWord || strings.IndexByte(at.key, ' ') >= 0 {
		return 0
	}
	row, ok := ix.words.Index(at.key)
	if !ok {
		return 0
	}
	return row + 1
}

// wordVector is an article's image in the space of word vectors: the sum
// of the unit vectors of its single words, each weighted as in its TF-IDF
// vector ((1 + ln tf)·idf, before the cut to maxTerms), as a unit vector;
// nil when the index has no word vectors or knows none of the words. of
// gives the idf of the ith term of a and its row plus one (0 for none).
func (ix *Index) wordVector(a *analysis, of func(i int) (idf float64, row int32)) []float32 {
	if ix.words == nil {
		return nil
	}
	return sumImage(ix.words, imageTerms(a, of))
}

// imageTerm is a word of an article's image: its row in the word vectors
// and its weight.
type imageTerm struct {
	row int32
	w   float32
}

// imageTerms lists the words of a that have a vector, weighted as in
// wordVector; of is as there.
func imageTerms(a *analysis, of func(i int) (idf float64, row int32)) []imageTerm {
	var terms []imageTerm
	for i := range a.terms {
		at := &a.terms[i]
		if at.kind != kindWord {
			continue
		}
		if idf, row := of(i); row > 0 {
			terms = append(terms, imageTerm{row - 1, float32(tfWeight(at.tf) * idf)})
		}
	}
	return terms
}

// sumImage sums terms into an image in the space of words, a unit
// vector, or nil when none has a vector.
func sumImage(words *wordvec.Table, terms []imageTerm) []float32 {
	v := make([]float32, words.Dim)
	found := false
	for _, t := range terms {
		if words.AddRow(v, t.row, t.w) {
			found = true
		}
	}
	var norm float64
	for _, x := range v {
		norm += float64(x) * float64(x)
	}
	if !found || norm == 0 {
		return nil
	}
	f := float32(1 / math.Sqrt(norm))
	for i := range v {
		v[i] *= f
	}
	return v
}

// countImage adds an article's word-vector image to the archive's mean
// (sign 1), or takes it out (-1).
func (ix *Index) countImage(e *docEntry, sign float64) {
	if e.wv == nil || ix.wvSum == nil {
		return
	}
	for k, q := range e.wv {
		ix.wvSum[k] += sign * float64(q) * float64(e.wvScale)
	}
	ix.wvCount += int(sign)
}

// NewIndexFor returns an empty index for a site in language (a BCP 47
// tag), with the word vectors of that language when Dateline has them,
// joined with trained, the vectors trained on the site's archive (nil for
// none): see wordvec.ForSite.
func NewIndexFor(language string, trained *wordvec.Table) *Index {
	ix := NewIndex()
	ix.UseWordVectors(wordvec.ForSite(language, trained))
	return ix
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

// idfTable holds idf for the small document frequencies, for one archive
// size: scoring a query takes the idf of some 20,000 terms, and most
// terms are rare.
type idfTable struct {
	n int
	w [1024]float64
}

// idfOf returns the idf of term t in the index as it is; the caller holds
// ix.mu.
func (ix *Index) idfOf(t uint32) float64 {
	df, n := ix.terms[t].df, len(ix.slots)
	tab := ix.idfs.Load()
	if tab == nil || tab.n != n {
		tab = &idfTable{n: n}
		for i := range tab.w {
			tab.w[i] = idf(int32(i), n)
		}
		ix.idfs.Store(tab) // readers may race to store equal tables
	}
	if int(df) < len(tab.w) {
		return tab.w[max(df, 0)]
	}
	return idf(df, n)
}

// Upsert adds d to the index, or replaces the article with its ID. The
// text is analysed before the index is locked and its word-vector image
// summed after (the weights taken under the lock), so several goroutines
// can feed a build in parallel.
func (ix *Index) Upsert(d Doc) {
	a := analyze(d)
	defer a.release()
	ix.add(d, a)
}

// add adds d, analysed as a, as Upsert does.
func (ix *Index) add(d Doc, a *analysis) {
	e, words, terms := ix.insert(d, a)
	if words == nil {
		return
	}
	image := sumImage(words, terms)
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if slot, ok := ix.slots[d.ID]; !ok || ix.docs[slot] != e {
		return // replaced or removed meanwhile
	}
	e.setImage(image)
	ix.countImage(e, 1)
}

// insert adds d, analysed as a, to the index, replacing the article with
// its ID, without its word-vector image: it returns the entry, and the
// word vectors and weighted rows to sum the image from (nil words for
// none).
func (ix *Index) insert(d Doc, a *analysis) (*docEntry, *wordvec.Table, []imageTerm) {
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
	ix.gen++
	n := len(ix.slots)

	e := &docEntry{info: DocInfo{ID: d.ID, Slug: d.Slug, Title: d.Title, Tags: slices.Clone(d.Tags), Published: d.Published}}
	type cand struct {
		tw   termWeight
		full float64
		t    *aterm
	}
	cands := make([]cand, 0, len(a.terms))
	ids := make([]uint32, len(a.terms))
	for i := range a.terms {
		at := &a.terms[i]
		id, ok := ix.termID[ix.hash(at.key)]
		if !ok {
			id = uint32(len(ix.terms))
			ix.termID[ix.hash(at.key)] = id
			ix.terms = append(ix.terms, termInfo{flags: at.flags(), vec: ix.vectorRow(at)})
		}
		ix.terms[id].df++
		ids[i] = id
		w := tfWeight(at.tf)
		if at.kind == kindBigram {
			w *= bigramWeight
		}
		cands = append(cands, cand{termWeight{id, float32(w)}, w * idf(ix.terms[id].df, n), at})
	}

	var image []imageTerm
	if ix.words != nil {
		image = imageTerms(a, func(i int) (float64, int32) {
			t := &ix.terms[ids[i]]
			return idf(t.df, n), t.vec
		})
	}
	slices.SortFunc(cands, func(x, y cand) int {
		if c := cmp.Compare(y.full, x.full); c != 0 {
			return c
		}
		return cmp.Compare(x.tw.term, y.tw.term)
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
		for _, c := range kept {
			t := &ix.terms[c.tw.term]
			td := t.data(c.t.surface())
			w := float32(float64(c.tw.w) / norm)
			td.postings = append(td.postings, posting{slot, w})
			if t.flags&termSem == 0 || len(t.postings) < 2 {
				continue
			}
			sem := ix.sem[c.tw.term]
			if sem == nil {
				// A term of one article says nothing of co-occurrence:
				// its vector is made when a second article has it.
				sem = make([]float32, semDim)
				first := td.postings[0]
				addScaled(sem, randomVector(ix.docs[first.slot].info.ID), first.w)
				ix.sem[c.tw.term] = sem
			}
			addScaled(sem, r, w)
		}
	}

	seen := map[uint32]bool{}
	for _, i := range a.title {
		id := ids[i]
		if !seen[id] {
			seen[id] = true
			e.title = append(e.title, id)
			td := ix.terms[id].data(a.terms[i].surface())
			td.titles = append(td.titles, slot)
		}
	}

	// Key phrases: names, title phrases and tags first, then the most
	// distinctive words. Those of the title, the standfirst's heaviest
	// and the article's heaviest name or title phrase are what it is
	// about.
	titleWords, standfirst := newTitleTerms(d.Title), " "+keyOf(d.Standfirst)+" "
	mainFound, standfirstFound := false, false
	words := 0
	var text []byte
	for _, c := range cands {
		if len(e.phrases) >= maxPhrases {
			break
		}
		if c.t.kind == kindBigram {
			continue
		}
		if c.t.kind == kindWord && strings.IndexByte(c.t.key, ' ') < 0 {
			if words >= maxPhrases/3 {
				continue
			}
			words++
		}
		text = append(append(text, c.t.surface()...), 0)
		inTitle := titleWords.subject(c.t.key)
		about := inTitle
		phrase := c.t.kind == kindName || c.t.kind == kindTitlePhrase
		// The main key phrase is the heaviest name or title phrase that
		// is not the story's place.
		if !mainFound && phrase && (inTitle || !strings.Contains(" "+strings.Join(titleWords.keys, " ")+" ", " "+c.t.key+" ")) {
			mainFound, about = true, true
		}
		if !standfirstFound && phrase && strings.Contains(standfirst, " "+c.t.key+" ") {
			standfirstFound, about = true, true
		}
		e.phrases = append(e.phrases, phraseEntry{term: c.tw.term, w: c.tw.w, kind: c.t.kind, about: about, inTitle: inTitle})
	}
	e.phrases = slices.Clone(e.phrases) // exactly sized
	e.words = string(text)
	ix.docs[slot] = e
	return e, ix.words, image
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
	ix.stale++
	ix.gen++
	ix.countImage(e, -1)
	for _, tw := range e.vec {
		ix.terms[tw.term].df--
	}
	r := randomVector(e.info.ID)
	for _, tw := range e.vec {
		t := &ix.terms[tw.term]
		if t.termData == nil {
			continue
		}
		for i, p := range t.postings {
			if p.slot == slot {
				last := len(t.postings) - 1
				t.postings[i] = t.postings[last]
				t.postings = t.postings[:last]
				if len(t.postings) < 2 {
					delete(ix.sem, tw.term)
				} else if sem := ix.sem[tw.term]; sem != nil {
					addScaled(sem, r, -p.w)
				}
				break
			}
		}
	}
	for _, id := range e.title {
		t := &ix.terms[id]
		if t.termData == nil {
			continue
		}
		if i := slices.Index(t.titles, slot); i >= 0 {
			last := len(t.titles) - 1
			t.titles[i] = t.titles[last]
			t.titles = t.titles[:last]
		}
	}
	for _, tw := range e.vec {
		ix.release(tw.term)
	}
	for _, id := range e.title {
		ix.release(id)
	}
	ix.docs[slot] = nil
	ix.free = append(ix.free, slot)
	delete(ix.slots, id)
}

// release drops the termData of term id once no article's vector or
// title has the term.
func (ix *Index) release(id uint32) {
	if t := &ix.terms[id]; t.termData != nil && len(t.postings) == 0 && len(t.titles) == 0 {
		t.termData = nil
	}
}

// addScaled adds w·x to dst.
func addScaled(dst, x []float32, w float32) {
	for k, v := range x {
		dst[k] += w * v
	}
}

// randomSigns are the signs of article id's random direction (see
// randomVector), a bit a dimension, set for minus: the same every time.
func randomSigns(id int64) (bits [semDim / 64]uint64) {
	x := uint64(id)*0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019
	for i := range semDim {
		x += 0x9E3779B97F4A7C15
		z := x
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		z ^= z >> 31
		bits[i/64] |= (z & 1) << (i % 64)
	}
	return bits
}

// randomUnit is the absolute value of each dimension of a random
// direction: it is a unit vector.
var randomUnit = float32(1 / math.Sqrt(float64(semDim)))

// randomVector is the random direction of article id in the space of
// term co-occurrence: ±1/√dim in each dimension.
func randomVector(id int64) []float32 {
	v := make([]float32, semDim)
	addSigned(v, randomSigns(id), 1)
	return v
}

// addSigned adds w times the random direction of signs to dst, as
// addScaled(dst, randomVector(id), w) would, without making the vector.
func addSigned(dst []float32, signs [semDim / 64]uint64, w float32) {
	// A minus is the sign bit flipped: no branch to mispredict on a coin
	// toss.
	plus := math.Float32bits(w * randomUnit)
	for b, bits := range signs {
		d := dst[b*64 : b*64+64]
		for j := range d {
			d[j] += math.Float32frombits(plus ^ uint32(bits&1)<<31)
			bits >>= 1
		}
	}
}

// hash is the vocabulary's hash of a term key, 64-bit FNV-1a: the same
// in every run, as an index read from an image (see ReadImage) finds its
// terms by the hashes of the run that wrote it.
func (ix *Index) hash(key string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(key)) // no copy and no allocation: the compiler sees through both
	return h.Sum64()
}

// flags returns the termInfo flags of t. Single words get a co-occurrence
// vector; a phrase is placed in that space by its words, so phrases,
// which grow in number with the archive, do not.
func (t *aterm) flags() uint8 {
	switch {
	case t.kind == kindTag:
		return termTag
	case t.kind == kindBigram || strings.IndexByte(t.key, ' ') >= 0:
		return 0
	}
	return termSem
}

// Stale returns how many articles were removed or replaced since the
// index was built, and how many it holds. A removed article's terms
// outside its cut vector still count in their document frequency (only
// the vector's terms are kept to be taken back), as deleted documents do
// in Lucene until its segments merge: a little weight is lost to those
// terms until the index is built again, which the owner of a long-lived
// index does once a good share of it is stale.
func (ix *Index) Stale() (stale, articles int) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.stale, len(ix.slots)
}

// Stats describes the size of an index.
type Stats struct {
	Articles int
	// Terms is the vocabulary: every term some article has.
	Terms int
	// SharedTerms is how many terms two or more articles have.
	SharedTerms int
	// Postings is the number of (term, article) entries of the inverted
	// index: the terms of the articles' cut vectors.
	Postings int
	// SemTerms is how many terms have a co-occurrence vector.
	SemTerms int
}

// Stats returns the size of the index.
func (ix *Index) Stats() Stats {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	s := Stats{Articles: len(ix.slots), Terms: len(ix.terms), SemTerms: len(ix.sem)}
	for i := range ix.terms {
		t := &ix.terms[i]
		if t.df >= 2 {
			s.SharedTerms++
		}
		if t.termData != nil {
			s.Postings += len(t.postings)
		}
	}
	return s
}

// placeWords are the prepositions that make a name in a title the place of
// the story rather than its subject: "Emergency waits at St Anne's
// Hospital" is about the waits.
var placeWords = []string{"at", "in", "near", "outside", "from", "under"}

// titleTerms are a title's token keys, with which of them belong to a
// name that is the story's place (see placeWords).
type titleTerms struct {
	keys  []string
	place []bool
}

func newTitleTerms(title string) titleTerms {
	ts := tokenize(title, nil)
	tt := titleTerms{keys: make([]string, len(ts)), place: make([]bool, len(ts))}
	for i, t := range ts {
		tt.keys[i] = t.key
	}
	for _, r := range findNames(ts) {
		before := r[0] - 1
		if before >= 0 && tt.keys[before] == "the" {
			before--
		}
		if before >= 0 && slices.Contains(placeWords, tt.keys[before]) {
			for i := r[0]; i < r[1]; i++ {
				tt.place[i] = true
			}
		}
	}
	return tt
}

// subject reports whether the phrase with key occurs in the title other
// than inside the name of the story's place.
func (tt titleTerms) subject(key string) bool {
	words := strings.Fields(key)
	for i := 0; i+len(words) <= len(tt.keys); i++ {
		if !slices.Equal(tt.keys[i:i+len(words)], words) {
			continue
		}
		if before := i - 1; before >= 0 && slices.Contains(placeWords, tt.keys[before]) {
			continue
		}
		if slices.Contains(tt.place[i:i+len(words)], true) {
			continue
		}
		return true
	}
	return false
}
