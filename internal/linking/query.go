package linking

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// scratch is the per-query working memory: a score per slot, the slots
// touched, and the candidates among them.
type scratch struct {
	acc     []float32
	touched []int32
	// cands grows to the slots a query touches, most of a large archive
	// for a common word: made for each query, it was most of what a static
	// export of 100,000 articles allocated, and kept alive by the
	// collector while it marked.
	cands []scored
}

func (ix *Index) getScratch() *scratch {
	s, _ := ix.pool.Get().(*scratch)
	if s == nil {
		s = &scratch{}
	}
	if len(s.acc) < len(ix.docs) {
		s.acc = make([]float32, len(ix.docs)+len(ix.docs)/4)
	}
	return s
}

func (ix *Index) putScratch(s *scratch) {
	for _, t := range s.touched {
		s.acc[t] = 0
	}
	s.touched = s.touched[:0]
	ix.pool.Put(s)
}

// Related returns the top n articles related to article id (never itself),
// best first, leaving out those whose TF-IDF cosine with it is below floor
// (see DefaultRelatedFloor); nil when id is not indexed. Their Reason is
// empty: pages do not show it, and working it out took a twentieth of a
// query; Explain fills it in.
func (ix *Index) Related(id int64, n int, floor float64) []Match {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	slot, ok := ix.slots[id]
	if !ok || n <= 0 {
		return nil
	}
	e := ix.docs[slot]
	return ix.rank(e.vec, 0, e.image(), slot, true, n, floor)
}

// Explain sets the Reason of each of ms, articles Related found for
// article id: the words they share with it, and its tags they carry.
func (ix *Index) Explain(id int64, ms []Match) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	slot, ok := ix.slots[id]
	if !ok {
		return
	}
	e := ix.docs[slot]
	ix.explain(e.vec, e.info.Tags, ms)
}

// explain sets the Reason of each of ms for the query of terms q and tags.
func (ix *Index) explain(q []termWeight, tags []string, ms []Match) {
	qw := ix.fullWeights(q)
	for i := range ms {
		if slot, ok := ix.slots[ms[i].ID]; ok {
			ms[i].Reason = ix.reason(q, qw, tags, ix.docs[slot])
		}
	}
}

// Cosine returns the TF-IDF cosine of indexed articles a and b, as
// Related reports it; ok is false when either is not indexed.
func (ix *Index) Cosine(a, b int64) (cos float64, ok bool) {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	sa, okA := ix.slots[a]
	sb, okB := ix.slots[b]
	if !okA || !okB {
		return 0, false
	}
	ea := ix.docs[sa]
	qw := ix.fullWeights(ea.vec)
	qnorm := ix.norm(ea)
	if qnorm == 0 {
		return 0, true
	}
	return math.Round(ix.cosine(ea.vec, qw, qnorm, ix.docs[sb])*1e9) / 1e9, true
}

// RelatedToDoc ranks the indexed articles against d, an article that need
// not be indexed (a draft, say), and says why each matched; if d.ID is
// indexed, that article is left out of the results.
func (ix *Index) RelatedToDoc(d Doc, n int) []Match {
	if n <= 0 {
		return nil
	}
	a := analyze(d)
	defer a.release()
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	self := int32(-1)
	if s, ok := ix.slots[d.ID]; ok {
		self = s
	}
	N := len(ix.slots) + 1
	var vec []termWeight
	var unknown float64 // squared weight of terms the index has never seen
	type w struct {
		tw   termWeight
		full float64
	}
	ws := make([]w, 0, len(a.terms))
	idfs := make([]float64, len(a.terms))
	for i, at := range a.terms {
		t := tfWeight(at.tf)
		if id, ok := ix.termID[ix.hash(at.key)]; ok {
			idfs[i] = idf(ix.terms[id].df+1, N)
			ws = append(ws, w{termWeight{id, float32(t)}, t * idfs[i]})
		} else {
			idfs[i] = idf(1, N)
			unknown += sq(t * idfs[i])
		}
	}
	wv := ix.wordVector(a, func(i int) (float64, int32) { return idfs[i], ix.vectorRow(&a.terms[i]) })
	sort.Slice(ws, func(i, j int) bool { return ws[i].full > ws[j].full })
	for _, x := range ws[:min(len(ws), maxTerms)] {
		vec = append(vec, x.tw)
	}
	slices.SortFunc(vec, func(x, y termWeight) int { return int(int64(x.term) - int64(y.term)) })
	ms := ix.rank(vec, unknown, wv, self, false, n, 0)
	ix.explain(vec, d.Tags, ms)
	return ms
}

// fullWeights are the weights of the terms of q with today's idf.
func (ix *Index) fullWeights(q []termWeight) []float64 {
	qw := make([]float64, len(q))
	for i, tw := range q {
		qw[i] = float64(tw.w) * ix.idfOf(tw.term)
	}
	return qw
}

func sq(x float64) float64 { return x * x }

type scored struct {
	slot  int32
	score float64
	cos   float64
}

// rank scores the articles against the query vector q (extra adds to its
// squared norm) and word-vector image wv (nil for none), leaving out slot
// self and the articles whose cosine with q is below floor. selfQuery says
// q is slot self's own vector.
func (ix *Index) rank(q []termWeight, extra float64, wv []float32, self int32, selfQuery bool, n int, floor float64) []Match {
	N := len(ix.slots)
	if len(q) == 0 || N == 0 {
		return nil
	}
	qw := ix.fullWeights(q)
	qnorm := extra
	for _, w := range qw {
		qnorm += w * w
	}
	qnorm = math.Sqrt(qnorm)
	if qnorm == 0 {
		return nil
	}

	cands := ix.retrieve(q, qw, self)
	firstCos := make(map[int32]float64, len(cands))
	for i := range cands {
		cands[i].cos = ix.cosine(q, qw, qnorm, ix.docs[cands[i].slot])
		cands[i].score = cands[i].cos
		firstCos[cands[i].slot] = cands[i].cos
	}
	slices.SortFunc(cands, func(a, b scored) int { return ix.order(a.cos, b.cos, a.slot, b.slot) })

	// Pseudo-relevance feedback (Rocchio): add to the query the centroid
	// of its nearest neighbours, then retrieve and score again, so that
	// articles on the same subject in other words are found too.
	if m := min(feedbackDocs, len(cands)); m > 0 {
		// Room for every term of the query and of the neighbours, so
		// that the map is not grown as it fills.
		exp := make(map[uint32]float64, len(q)+m*maxTerms)
		for i, tw := range q {
			exp[tw.term] += qw[i] / qnorm
		}
		for _, c := range cands[:m] {
			e := ix.docs[c.slot]
			dn := ix.norm(e)
			if dn == 0 {
				continue
			}
			for _, tw := range e.vec {
				exp[tw.term] += feedbackWeight / float64(m) * float64(tw.w) * ix.idfOf(tw.term) / dn
			}
		}
		type ew struct {
			t uint32
			w float64
		}
		es := make([]ew, 0, len(exp))
		for t, w := range exp {
			es = append(es, ew{t, w})
		}
		// The 2*maxTerms heaviest, ties to the lower term, in term order:
		// picked rather than sorting all of them.
		es = bestK(es, 2*maxTerms, func(a, b ew) bool {
			if a.w != b.w {
				return a.w < b.w
			}
			return a.t > b.t
		})
		slices.SortFunc(es, func(a, b ew) int { return cmp.Compare(a.t, b.t) })
		q2 := make([]termWeight, len(es))
		qw2 := make([]float64, len(es))
		var n2 float64
		for i, e := range es {
			// the weight is already full: idf is 1 for expanded terms
			q2[i] = termWeight{e.t, 1}
			qw2[i] = e.w
			n2 += e.w * e.w
		}
		n2 = math.Sqrt(n2)
		cands = ix.retrieve(q2, qw2, self)
		for i := range cands {
			cos, ok := firstCos[cands[i].slot]
			if !ok {
				cos = ix.cosine(q, qw, qnorm, ix.docs[cands[i].slot])
			}
			cands[i].cos = cos
			cands[i].score = math.Round(ix.cosine(q2, qw2, n2, ix.docs[cands[i].slot])*1e9) / 1e9
		}
	}
	// Second-order similarity: the cosine of the two articles' images in
	// the space of term co-occurrence, both images without the two
	// articles' own random directions (see selfShare).
	qsem := ix.semantic(q, qw)
	var rself [semDim / 64]uint64
	if self >= 0 {
		rself = ix.scoringOf(ix.docs[self]).signs
		addSigned(qsem, rself, -ix.selfShare(q, qw, ix.docs[self]))
	}
	for i := range cands {
		e := ix.docs[cands[i].slot]
		c := ix.scoringOf(e)
		var ofSelf, ofE float32
		switch {
		case selfQuery:
			ofSelf, ofE = ix.selfShares(q, qw, ix.docs[self], e, c.w)
		case self >= 0:
			ofSelf, ofE = ix.selfShare(e.vec, c.w, ix.docs[self]), ix.selfShare(q, qw, e)
		default:
			ofE = ix.selfShare(q, qw, e)
		}
		// The weighted mean of the two cosines, so that a score reads the
		// same whatever the archive; the co-occurrence cosine alone can be
		// negative, and a mean below 0 says no more than 0. (Without
		// self, ofSelf is 0: nothing is taken out of e's image.)
		mean := (cands[i].score + semWeight*imageCosine(qsem, c.signs, ofE, c.sem, rself, ofSelf)) / (1 + semWeight)
		cands[i].score = math.Round(max(mean, 0)*1e9) / 1e9
	}
	// An article that shares no term with the query, or too little to
	// tell it from an article on another subject (the floor), is not
	// related, however close its neighbours.
	kept := cands[:0]
	for _, c := range cands {
		if c.cos > 0 && c.cos >= floor {
			kept = append(kept, c)
		}
	}
	cands = kept
	slices.SortFunc(cands, func(a, b scored) int { return ix.order(a.score, b.score, a.slot, b.slot) })
	ix.rerank(cands, wv)
	cands = cands[:min(n, len(cands))]
	out := make([]Match, len(cands))
	for i, c := range cands {
		e := ix.docs[c.slot]
		out[i] = Match{ID: e.info.ID, Slug: e.info.Slug, Title: e.info.Title, Score: c.score, Cosine: math.Round(c.cos*1e9) / 1e9}
	}
	return out
}

// order is better as a comparison for slices.SortFunc: negative when a
// with slot sa goes first.
func (ix *Index) order(a, b float64, sa, sb int32) int {
	switch {
	case ix.better(a, b, sa, sb):
		return -1
	case ix.better(b, a, sb, sa):
		return 1
	}
	return 0
}

// better orders results: higher score first, then the more recent
// article, then the lower ID.
func (ix *Index) better(a, b float64, sa, sb int32) bool {
	if a != b {
		return a > b
	}
	ea, eb := ix.docs[sa], ix.docs[sb]
	if !ea.info.Published.Equal(eb.info.Published) {
		return ea.info.Published.After(eb.info.Published)
	}
	return ea.info.ID < eb.info.ID
}

// retrieve finds the candidates for a query of terms q with full weights
// qw: it walks the postings from the shortest list up, within the budget,
// and keeps the numCandidates best by the partial score.
func (ix *Index) retrieve(q []termWeight, qw []float64, self int32) []scored {
	order := make([]int, len(q))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool {
		return len(ix.terms[q[order[a]].term].list()) < len(ix.terms[q[order[b]].term].list())
	})
	s := ix.getScratch()
	defer ix.putScratch(s)
	budget := postingBudget
	for _, i := range order {
		t := &ix.terms[q[i].term]
		ps := t.list()
		if len(ps) > budget {
			continue
		}
		budget -= len(ps)
		f := float32(qw[i] * ix.idfOf(q[i].term))
		for _, p := range ps {
			if s.acc[p.slot] == 0 {
				s.touched = append(s.touched, p.slot)
			}
			s.acc[p.slot] += f * p.w
		}
	}
	cands := s.cands[:0]
	for _, sl := range s.touched {
		if sl != self && s.acc[sl] > 0 {
			cands = append(cands, scored{slot: sl, score: float64(s.acc[sl])})
		}
	}
	s.cands = cands
	return slices.Clone(topK(cands, numCandidates))
}

// norm is the length of article e's vector with today's idf.
func (ix *Index) norm(e *docEntry) float64 {
	return ix.scoringOf(e).norm
}

// topK keeps the k best-scored entries (ties to the lower slot), in no
// particular order: a common word touches most of the archive, and
// sorting every candidate was most of a query's time.
func topK(c []scored, k int) []scored {
	return bestK(c, k, func(a, b scored) bool {
		if a.score != b.score {
			return a.score < b.score
		}
		return a.slot > b.slot
	})
}

// bestK keeps the k best entries of c, in no particular order; worse
// reports whether a ranks below b, and must order every pair. It keeps
// them in a heap whose root is the worst kept, reordering c.
func bestK[T any](c []T, k int, worse func(a, b T) bool) []T {
	if len(c) <= k {
		return c
	}
	h := c[:k]
	down := func(i int) {
		for {
			w, l, r := i, 2*i+1, 2*i+2
			if l < k && worse(h[l], h[w]) {
				w = l
			}
			if r < k && worse(h[r], h[w]) {
				w = r
			}
			if w == i {
				return
			}
			h[i], h[w] = h[w], h[i]
			i = w
		}
	}
	for i := k/2 - 1; i >= 0; i-- {
		down(i)
	}
	for _, x := range c[k:] {
		if worse(h[0], x) {
			h[0] = x
			down(0)
		}
	}
	return h
}

// cosine is the cosine similarity of the query and article e.
func (ix *Index) cosine(q []termWeight, qw []float64, qnorm float64, e *docEntry) float64 {
	c := ix.scoringOf(e)
	var dot float64
	i := 0
	for k, tw := range e.vec {
		for i < len(q) && q[i].term < tw.term {
			i++
		}
		if i < len(q) && q[i].term == tw.term {
			dot += qw[i] * c.w[k]
		}
	}
	if c.norm == 0 {
		return 0
	}
	return dot / (qnorm * c.norm)
}

// reason names the query's strongest terms that e shares, and the tags.
func (ix *Index) reason(q []termWeight, qw []float64, tags []string, e *docEntry) string {
	type shared struct {
		term uint32
		c    float64
	}
	var sh []shared
	i := 0
	for _, tw := range e.vec {
		for i < len(q) && q[i].term < tw.term {
			i++
		}
		// Terms without a written form (only counted, never shown) are
		// left out of the explanation.
		if i < len(q) && q[i].term == tw.term && ix.terms[tw.term].flags&termTag == 0 && ix.terms[tw.term].display != "" {
			sh = append(sh, shared{tw.term, qw[i] * float64(tw.w) * ix.idfOf(tw.term)})
		}
	}
	sort.Slice(sh, func(a, b int) bool {
		if sh[a].c != sh[b].c {
			return sh[a].c > sh[b].c
		}
		return ix.terms[sh[a].term].display < ix.terms[sh[b].term].display
	})
	var words []string
	for _, s := range sh[:min(len(sh), 3)] {
		words = append(words, fmt.Sprintf("%q", strings.ToLower(ix.terms[s.term].display)))
	}
	var r string
	if len(words) > 0 {
		r = "shares " + strings.Join(words, ", ")
	}
	var common []string
	for _, t := range tags {
		for _, u := range e.info.Tags {
			if strings.EqualFold(strings.TrimSpace(t), strings.TrimSpace(u)) {
				common = append(common, strings.TrimSpace(u))
				break
			}
		}
	}
	if len(common) > 0 {
		if r != "" {
			r += "; "
		}
		if len(common) == 1 {
			r += "tag " + common[0]
		} else {
			r += "tags " + strings.Join(common, ", ")
		}
	}
	return r
}

// minTitleSimilarity is how close a title must be for ResolveTitle.
const minTitleSimilarity = 0.5

// ResolveTitle finds the indexed article whose title is most similar to
// title, by the idf-weighted cosine of their stemmed words; ok is false
// when none comes close enough.
func (ix *Index) ResolveTitle(title string) (Match, bool) {
	seen := map[string]bool{}
	var keys []string
	for _, t := range tokenize(title, nil) {
		if !t.stop && !seen[t.key] {
			seen[t.key] = true
			keys = append(keys, t.key)
		}
	}
	if len(keys) == 0 {
		return Match{}, false
	}
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	N := len(ix.slots)
	if N == 0 {
		return Match{}, false
	}
	var qn float64
	type qt struct {
		id uint32
		w  float64
	}
	var qs []qt
	for _, k := range keys {
		id, ok := ix.termID[ix.hash(k)]
		if !ok {
			qn += sq(idf(1, N))
			continue
		}
		w := ix.idfOf(id)
		qn += w * w
		qs = append(qs, qt{id, w})
	}
	s := ix.getScratch()
	defer ix.putScratch(s)
	titles := func(id uint32) []int32 {
		if t := &ix.terms[id]; t.termData != nil {
			return t.titles
		}
		return nil
	}
	sort.Slice(qs, func(i, j int) bool { return len(titles(qs[i].id)) < len(titles(qs[j].id)) })
	budget := postingBudget
	for _, q := range qs {
		ts := titles(q.id)
		if len(ts) > budget {
			continue
		}
		budget -= len(ts)
		for _, sl := range ts {
			if s.acc[sl] == 0 {
				s.touched = append(s.touched, sl)
			}
			s.acc[sl] += float32(q.w * q.w)
		}
	}
	best, bestScore := int32(-1), 0.0
	for _, sl := range s.touched {
		e := ix.docs[sl]
		var dn float64
		for _, id := range e.title {
			dn += sq(ix.idfOf(id))
		}
		sc := float64(s.acc[sl]) / math.Sqrt(qn*dn)
		if best < 0 || sc > bestScore+1e-9 || math.Abs(sc-bestScore) <= 1e-9 && ix.better(0, 0, sl, best) {
			best, bestScore = sl, sc
		}
	}
	if best < 0 || bestScore < minTitleSimilarity {
		return Match{}, false
	}
	e := ix.docs[best]
	return Match{ID: e.info.ID, Slug: e.info.Slug, Title: e.info.Title, Score: bestScore, Reason: fmt.Sprintf("title %.0f%% similar", 100*bestScore)}, true
}

// Unresolved returns, in order, those of article source's requested link
// titles that ResolveTitle finds no other article for: the requested
// links that Suggest and the article page leave out. The closest title
// may be the source's own (a requested title shares its subject's words).
func (ix *Index) Unresolved(source int64, titles []string) []string {
	var out []string
	for _, t := range titles {
		if m, ok := ix.ResolveTitle(t); !ok || m.ID == source {
			out = append(out, t)
		}
	}
	return out
}

// KeyPhrases returns what article id is about, as phrases an editor would
// use as link anchors in other articles: its multi-word names, the phrases
// of its title, its tags and its most distinctive words, heaviest first.
// A phrase weighs (1 + ln tf)·idf of its term.
func (ix *Index) KeyPhrases(id int64, n int) []Phrase {
	out := ix.keyPhrases(id)
	slices.SortStableFunc(out, func(x, y Phrase) int {
		if c := cmp.Compare(y.Weight, x.Weight); c != 0 {
			return c
		}
		return strings.Compare(x.Text, y.Text)
	})
	out = out[:min(max(n, 0), len(out))]
	for i := range out {
		out[i].Key = keyOf(out[i].Text)
	}
	return out
}

// keyPhrases lists article id's key phrases, without their keys.
func (ix *Index) keyPhrases(id int64) []Phrase {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	slot, ok := ix.slots[id]
	if !ok {
		return nil
	}
	e := ix.docs[slot]
	out := make([]Phrase, 0, len(e.phrases))
	words := e.words
	for _, p := range e.phrases {
		var text string
		text, words, _ = strings.Cut(words, "\x00")
		out = append(out, Phrase{
			Text:     text,
			Weight:   float64(p.w) * ix.idfOf(p.term),
			Kind:     [...]string{kindWord: "word", kindName: "name", kindTitlePhrase: "title", kindTag: "tag"}[p.kind],
			About:    p.about,
			InTitle:  p.inTitle,
			Articles: int(ix.terms[p.term].df),
		})
	}
	return out
}

// semantic is the vector's image in the space of term co-occurrence: the
// sum of its terms' co-occurrence vectors, each weighted as in the vector.
func (ix *Index) semantic(q []termWeight, qw []float64) []float32 {
	out := make([]float32, semDim)
	for i, tw := range q {
		sem := ix.sem[tw.term]
		if sem == nil {
			continue
		}
		w := float32(qw[i])
		for k, x := range sem {
			out[k] += w * x
		}
	}
	return out
}

// imageCosine is the cosine of two images in the space of term
// co-occurrence, each less an article's random direction: q less ofQ
// along the signs qSigns, d less ofD along dSigns (addSigned). It makes
// the same sums as taking the directions out of copies of the images and
// comparing those, in one pass over them instead of five.
func imageCosine(q []float32, qSigns [semDim / 64]uint64, ofQ float32, d []float32, dSigns [semDim / 64]uint64, ofD float32) float64 {
	// As addSigned: a minus is the sign bit flipped.
	plusQ := math.Float32bits(-ofQ * randomUnit)
	plusD := math.Float32bits(-ofD * randomUnit)
	var dot, nq, nd float64
	for b := range qSigns {
		bq, bd := qSigns[b], dSigns[b]
		qb, db := q[b*64:b*64+64], d[b*64:b*64+64]
		for j := range qb {
			x := float64(qb[j] + math.Float32frombits(plusQ^uint32(bq&1)<<31))
			y := float64(db[j] + math.Float32frombits(plusD^uint32(bd&1)<<31))
			dot += x * y
			nq += x * x
			nd += y * y
			bq >>= 1
			bd >>= 1
		}
	}
	if nq == 0 || nd == 0 {
		return 0
	}
	return dot / math.Sqrt(nq*nd)
}

// selfShare is the weight of article e's own random direction in the
// image of vector v with full weights vw: what e adds to the
// co-occurrence vectors of the terms both hold. That direction labels e
// and says nothing of what its words keep company with, so the images
// compared for a pair of articles are taken without the directions of
// either: left in, they add back a share of the first-order similarity,
// and an indexed article's image would differ from its draft's
// (RelatedToDoc).
func (ix *Index) selfShare(v []termWeight, vw []float64, e *docEntry) float32 {
	if e.norm == 0 {
		return 0
	}
	var c float64
	i := 0
	for _, tw := range e.vec {
		for i < len(v) && v[i].term < tw.term {
			i++
		}
		if i == len(v) {
			break
		}
		if v[i].term == tw.term && ix.sem[tw.term] != nil {
			c += vw[i] * float64(tw.w) / float64(e.norm)
		}
	}
	return float32(c)
}

// selfShares is selfShare both ways when the query q (full weights qw) is
// article self's own vector, as in Related: the share of self's direction
// in e's image (e's full weights ew) and of e's in the query's, in one walk
// over the terms the two share, adding in the same order as selfShare.
func (ix *Index) selfShares(q []termWeight, qw []float64, self, e *docEntry, ew []float64) (ofSelf, ofE float32) {
	var a, b float64
	i := 0
	for k, tw := range e.vec {
		for i < len(q) && q[i].term < tw.term {
			i++
		}
		if i == len(q) {
			break
		}
		if q[i].term == tw.term && ix.sem[tw.term] != nil {
			a += ew[k] * float64(q[i].w) / float64(self.norm)
			b += qw[i] * float64(tw.w) / float64(e.norm)
		}
	}
	if self.norm == 0 {
		a = 0
	}
	if e.norm == 0 {
		b = 0
	}
	return float32(a), float32(b)
}

// rerank re-orders the best rerankDepth candidates, sorted by score, by a
// score that gives wordVectorWeight to the cosine of their word-vector
// images with the query's wv (see wordVector): two articles on one
// subject told in other words come closer. Both images are taken as
// differences from the archive's mean image, so that what every article
// of the site shares (that it is news, in English) does not count. A
// candidate without an image keeps its score; without word vectors
// nothing changes.
func (ix *Index) rerank(cands []scored, wv []float32) {
	if wv == nil || ix.wvCount < 2 {
		return
	}
	mean := make([]float64, len(ix.wvSum))
	var mm, qm float64
	for k, s := range ix.wvSum {
		mean[k] = s / float64(ix.wvCount)
		mm += mean[k] * mean[k]
		qm += float64(wv[k]) * mean[k]
	}
	// For unit vectors q and d: |q−m|² = 1 − 2q·m + m·m.
	qn := math.Sqrt(max(1-2*qm+mm, 1e-12))
	top := cands[:min(rerankDepth, len(cands))]
	for i := range top {
		e := ix.docs[top[i].slot]
		if e.wv == nil {
			continue
		}
		var dot, dm float64
		scale := float64(e.wvScale)
		for k, x := range wv {
			d := float64(e.wv[k]) * scale
			dot += float64(x) * d
			dm += d * mean[k]
		}
		dn := math.Sqrt(max(1-2*dm+mm, 1e-12))
		cos := (dot - qm - dm + mm) / (qn * dn)
		top[i].score = math.Round(((1-wordVectorWeight)*top[i].score+wordVectorWeight*max(cos, 0))*1e9) / 1e9
	}
	sort.Slice(top, func(i, j int) bool {
		return ix.better(top[i].score, top[j].score, top[i].slot, top[j].slot)
	})
}
