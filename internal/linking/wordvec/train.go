package wordvec

import (
	"context"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
)

// TrainOptions shape Train. The zero value of a field takes its default.
type TrainOptions struct {
	Dim      int     // dimensions (100)
	Window   int     // words on each side that count as context (5)
	Negative int     // negative samples per context word (5)
	Epochs   int     // passes over the texts (5)
	MinCount int     // words seen fewer times are left out (5)
	Sample   float64 // frequent words are kept with probability about √(Sample/share) (1e-3)
	Rate     float64 // starting learning rate, falling to 0.0001 of it (0.025)
	MaxWords int     // words read of the texts at most, 0 for all
	// Budget bounds the words trained on over all epochs (0: none):
	// a large archive gets fewer epochs, down to one.
	Budget int
	// Progress, when set, is told after each text how many words of the
	// planned epochs have been trained on.
	Progress func(done, planned int64)
	Seed     uint64
}

// SiteTraining is how a site's archive is trained on: every option at
// its default, and bounds that keep a training to a few minutes of one
// core at any size of archive. An archive of up to 4 million words (some
// 6,000 stories) gets the 5 epochs; 100,000 stories of 700 words are 70
// million: the first 20 million (the store gives the newest first) are
// read, once.
var SiteTraining = TrainOptions{Dim: 50, MaxWords: 20_000_000, Budget: 20_000_000}

func (o *TrainOptions) defaults() {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&o.Dim, 100)
	def(&o.Window, 5)
	def(&o.Negative, 5)
	def(&o.Epochs, 5)
	def(&o.MinCount, 5)
	if o.Sample <= 0 {
		o.Sample = 1e-3
	}
	if o.Rate <= 0 {
		o.Rate = 0.025
	}
}

// Train learns word vectors from texts, each a sequence of word keys,
// with word2vec's skip-gram and negative sampling (Mikolov et al., 2013):
// each word learns to predict the words around it, so words used in the
// same contexts end up pointing alike. texts is read once to count the
// words, then once an epoch (the texts are not held in memory), and must
// give the same texts each time; with MaxWords set, each read stops after
// that many words. It returns nil when ctx is done first or no
// word is seen MinCount times. The result depends only on the texts and
// the options.
func Train(ctx context.Context, texts func(yield func([]string) bool), o TrainOptions) *Table {
	o.defaults()
	counts := map[string]int{}
	var words int
	for text := range texts {
		if ctx.Err() != nil || o.MaxWords > 0 && words >= o.MaxWords {
			break
		}
		for _, w := range text {
			counts[w]++
		}
		words += len(text)
	}
	var keys []string
	for k, n := range counts {
		if n >= o.MinCount {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 || ctx.Err() != nil {
		return nil
	}
	// Most frequent first, ties by key, so that a table is the same for
	// the same texts.
	sortByCount(keys, counts)
	index := make(map[string]int32, len(keys))
	var total float64
	for i, k := range keys {
		index[k] = int32(i)
		total += float64(counts[k])
	}
	keep := make([]float32, len(keys))
	for i, k := range keys {
		share := float64(counts[k]) / total
		keep[i] = float32(min(1, (math.Sqrt(share/o.Sample)+1)*o.Sample/share))
	}
	noise := noiseTable(keys, counts)
	counts = nil
	if o.Budget > 0 {
		o.Epochs = max(1, min(o.Epochs, o.Budget/max(words, 1)))
	}

	dim := o.Dim
	m := &model{dim: dim, in: make([]float32, len(keys)*dim), out: make([]float32, len(keys)*dim), keep: keep, noise: noise, o: &o,
		rng: rand.New(rand.NewPCG(o.Seed, 0x9e3779b97f4a7c15)), grad: make([]float32, dim)}
	for i := range m.in {
		m.in[i] = (m.rng.Float32() - 0.5) / float32(dim)
	}
	m.planned = float64(o.Epochs) * total
	for range o.Epochs {
		m.epoch(ctx, texts, index)
		if ctx.Err() != nil {
			return nil
		}
	}
	t := &Table{Dim: dim}
	vec := make([]float64, dim)
	for i, k := range keys {
		for d, x := range m.in[i*dim : (i+1)*dim] {
			vec[d] = float64(x)
		}
		t.Add(k, vec)
	}
	return t
}

// model is the state of one training: the input vectors (the words'
// vectors, kept), the output vectors (the words as contexts) and what
// sampling needs. One goroutine trains: word2vec's parallel workers
// update the vectors without locks, which Go's memory model calls a data
// race; reading and tokenising the texts, the other half of the work,
// runs beside it (see epoch).
type model struct {
	dim     int
	in, out []float32
	keep    []float32 // chance a word is kept (see subsample)
	noise   []int32
	o       *TrainOptions
	planned float64 // words an epoch times epochs
	done    int64   // words trained on so far
	rng     *rand.Rand
	grad    []float32
}

// epoch passes once over texts: this goroutine reads them and hands them
// to the trainer in order, a text at a time.
func (m *model) epoch(ctx context.Context, texts func(yield func([]string) bool), index map[string]int32) {
	work := make(chan []int32, 64)
	var progress atomic.Int64
	trained := make(chan struct{})
	go func() {
		defer close(trained)
		for s := range work {
			m.train(s)
			progress.Store(m.done)
		}
	}()
	var words int
	for text := range texts {
		if ctx.Err() != nil || m.o.MaxWords > 0 && words >= m.o.MaxWords {
			break
		}
		words += len(text)
		s := make([]int32, 0, len(text))
		for _, w := range text {
			if i, ok := index[w]; ok {
				s = append(s, i)
			}
		}
		if len(s) > 1 {
			work <- s
		}
		if m.o.Progress != nil {
			m.o.Progress(progress.Load(), int64(m.planned))
		}
	}
	close(work)
	<-trained
}

// train learns from one text.
func (m *model) train(text []int32) {
	o, dim, r := m.o, m.dim, m.rng
	m.done += int64(len(text))
	rate := float32(o.Rate * max(1e-4, 1-float64(m.done)/m.planned))
	s := subsample(text, m.keep, r)
	for i, center := range s {
		b := r.IntN(o.Window)
		from, to := max(0, i-o.Window+b), min(len(s), i+o.Window-b+1)
		for j := from; j < to; j++ {
			if j == i {
				continue
			}
			v := m.in[int(s[j])*dim : int(s[j]+1)*dim]
			grad := m.grad[:len(v)]
			clear(grad)
			for n := 0; n <= o.Negative; n++ {
				target, label := center, float32(1)
				if n > 0 {
					target = m.noise[r.IntN(len(m.noise))]
					if target == center {
						continue
					}
					label = 0
				}
				u := m.out[int(target)*dim : int(target+1)*dim]
				u = u[:len(v)]
				var dot float32
				for k := range v {
					dot += v[k] * u[k]
				}
				g := (label - sigmoid(dot)) * rate
				for k := range v {
					grad[k] += g * u[k]
					u[k] += g * v[k]
				}
			}
			for k := range v {
				v[k] += grad[k]
			}
		}
	}
}

// sigmoid is the logistic function, read from a table as word2vec does
// (exp took a tenth of the training's time), and 0 or 1 past ±maxExp.
func sigmoid(x float32) float32 {
	switch {
	case x >= maxExp:
		return 1
	case x <= -maxExp:
		return 0
	}
	return sigmoidTable[int((x+maxExp)*(sigmoidSteps/(2*maxExp)))]
}

const (
	maxExp       = 6
	sigmoidSteps = 1000
)

var sigmoidTable = func() (t [sigmoidSteps + 1]float32) {
	for i := range t {
		x := (float64(i)/sigmoidSteps*2 - 1) * maxExp
		t[i] = float32(1 / (1 + math.Exp(-x)))
	}
	return t
}()

// subsample drops frequent words from s at random, as word2vec does: they
// say little about the words around them and would take most of the time.
func subsample(s []int32, keep []float32, r *rand.Rand) []int32 {
	out := make([]int32, 0, len(s))
	for _, w := range s {
		if keep[w] >= 1 || r.Float32() < keep[w] {
			out = append(out, w)
		}
	}
	return out
}

// noiseTable draws negative samples: each word in proportion to its
// count to the power 0.75.
func noiseTable(keys []string, counts map[string]int) []int32 {
	const size = 1 << 20
	var z float64
	for _, k := range keys {
		z += math.Pow(float64(counts[k]), 0.75)
	}
	table := make([]int32, 0, size)
	for i, k := range keys {
		n := int(math.Ceil(math.Pow(float64(counts[k]), 0.75) / z * size))
		for range n {
			table = append(table, int32(i))
		}
	}
	return table
}

func sortByCount(keys []string, counts map[string]int) {
	slices.SortFunc(keys, func(a, b string) int {
		if d := counts[b] - counts[a]; d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
}
