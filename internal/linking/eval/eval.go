// Package eval measures the quality of the linking engine's related
// articles against labelled news corpora: precision@k, the share of an
// article's top k related articles that carry its own label. The labels
// are never shown to the engine. The corpora are third-party test data
// kept outside the repository (../shared/fixtures/news); see
// scripts/eval-related.sh.
package eval

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/wordvec"
)

// Item is one labelled article.
type Item struct {
	Doc   linking.Doc
	Label string
}

// LoadReuters reads the Reuters-21578 ModApte test split in JSON lines and
// keeps the articles with exactly one topic and a body.
func LoadReuters(path string) ([]Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load reuters: %w", err)
	}
	defer f.Close()
	var items []Item
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		var r struct {
			NewID  int64    `json:"newid"`
			Topics []string `json:"topics"`
			Title  *string  `json:"title"`
			Body   *string  `json:"body"`
		}
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("load reuters: %w", err)
		}
		if len(r.Topics) != 1 || r.Body == nil || strings.TrimSpace(*r.Body) == "" {
			continue
		}
		title := ""
		if r.Title != nil {
			title = *r.Title
		}
		items = append(items, Item{
			Doc:   linking.Doc{ID: r.NewID, Slug: strconv.FormatInt(r.NewID, 10), Title: title, Text: *r.Body},
			Label: r.Topics[0],
		})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("load reuters: %w", err)
	}
	return items, nil
}

// LoadAGNews reads the AG News CSV (class, title, description). The
// format's escapes are decoded: "\n" for a newline, HTML entities, and the
// entity debris without its ampersand (" #39;").
func LoadAGNews(path string) ([]Item, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load ag news: %w", err)
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = 3
	var items []Item
	for i := int64(1); ; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("load ag news: %w", err)
		}
		items = append(items, Item{
			Doc:   linking.Doc{ID: i, Slug: strconv.FormatInt(i, 10), Title: cleanAG(rec[1]), Text: cleanAG(rec[2])},
			Label: rec[0],
		})
	}
	return items, nil
}

var debris = strings.NewReplacer(" #36;", " $", "#39;", "'", "#36;", "$", "quot;", "\"", `\n`, "\n", `\`, " ")

func cleanAG(s string) string {
	return html.UnescapeString(debris.Replace(s))
}

// Result is the precision of one ranking over one corpus.
type Result struct {
	Precision float64
	Queries   int
	Build     time.Duration
	Query     time.Duration
}

// Train trains word vectors on items as a site's archive is trained on
// (see wordvec.SiteTraining), for the engine to rank with beside the
// English vectors (see wordvec.ForSite).
func Train(items []Item) *wordvec.Table {
	return wordvec.Train(context.Background(), func(yield func([]string) bool) {
		for _, it := range items {
			if !yield(linking.TrainingWords(it.Doc)) {
				return
			}
		}
	}, wordvec.SiteTraining)
}

// Engine indexes items with the linking engine, with word vectors words
// (nil for none), and measures precision@k of Related for every item (or
// for the first sample items when sample>0, the index always holding them
// all).
func Engine(items []Item, k, sample int, words *wordvec.Table) Result {
	start := time.Now()
	ix := linking.NewIndex()
	ix.UseWordVectors(words)
	parallel(len(items), func(i int) { ix.Upsert(items[i].Doc) })
	built := time.Now()
	labels := make(map[int64]string, len(items))
	for _, it := range items {
		labels[it.Doc.ID] = it.Label
	}
	q := queries(len(items), sample)
	hits := make([]float64, len(q))
	parallel(len(q), func(j int) {
		it := items[q[j]]
		for _, m := range ix.Related(it.Doc.ID, k, 0) {
			if m.ID == it.Doc.ID {
				panic("eval: an article is related to itself")
			}
			if labels[m.ID] == it.Label {
				hits[j]++
			}
		}
	})
	return Result{Precision: mean(hits) / float64(k), Queries: len(q), Build: built.Sub(start), Query: time.Since(built)}
}

// Floor is what a floor on the TF-IDF cosine (see
// linking.DefaultRelatedFloor) does to the top k related articles.
type Floor struct {
	Floor float64
	// Precision is precision@k with the articles below the floor left
	// out, each counting as a miss: the floor costs what it drops of the
	// right ones.
	Precision float64
	// Kept is the precision of the articles kept.
	Kept float64
	// Coverage is the share of queries left with a related article.
	Coverage float64
	// PerQuery is how many related articles a query keeps on average.
	PerQuery float64
	// WrongDropped is the share of the differently labelled related
	// articles that the floor drops.
	WrongDropped float64
}

// ChanceQuantiles are the quantiles of Calibration.Chance.
var ChanceQuantiles = []float64{0.90, 0.95, 0.99}

// Calibration is what floors do on one corpus, and how close articles on
// different subjects come by chance.
type Calibration struct {
	Floors []Floor
	// Chance holds the ChanceQuantiles of the TF-IDF cosine of random
	// pairs of differently labelled articles.
	Chance []float64
}

// chancePairs is how many random pairs measure Calibration.Chance.
const chancePairs = 50_000

// Calibrate indexes items, with word vectors words (nil for none), and
// measures each floor on the top k related articles of every item (or of
// sample items, evenly spread).
func Calibrate(items []Item, k, sample int, floors []float64, words *wordvec.Table) Calibration {
	ix := linking.NewIndex()
	ix.UseWordVectors(words)
	parallel(len(items), func(i int) { ix.Upsert(items[i].Doc) })
	labels := make(map[int64]string, len(items))
	for _, it := range items {
		labels[it.Doc.ID] = it.Label
	}
	q := queries(len(items), sample)
	type found struct {
		cos   float64
		right bool
	}
	top := make([][]found, len(q))
	parallel(len(q), func(j int) {
		it := items[q[j]]
		for _, m := range ix.Related(it.Doc.ID, k, 0) {
			top[j] = append(top[j], found{m.Cosine, labels[m.ID] == it.Label})
		}
	})
	var c Calibration
	for _, f := range floors {
		var hits, kept, covered, wrong, dropped float64
		for _, fs := range top {
			n := 0
			for _, x := range fs {
				if !x.right {
					wrong++
				}
				if x.cos < f {
					if !x.right {
						dropped++
					}
					continue
				}
				n++
				if x.right {
					hits++
				}
			}
			kept += float64(n)
			if n > 0 {
				covered++
			}
		}
		nq := float64(len(top))
		c.Floors = append(c.Floors, Floor{Floor: f, Precision: hits / (nq * float64(k)), Kept: hits / max(kept, 1),
			Coverage: covered / nq, PerQuery: kept / nq, WrongDropped: dropped / max(wrong, 1)})
	}
	// A fixed seed, so that runs differ only by the order of insertion.
	rng := rand.New(rand.NewPCG(1, 2))
	var cos []float64
	for try := 0; len(cos) < chancePairs && try < 10*chancePairs; try++ {
		a, b := items[rng.IntN(len(items))], items[rng.IntN(len(items))]
		if a.Label == b.Label {
			continue
		}
		x, _ := ix.Cosine(a.Doc.ID, b.Doc.ID)
		cos = append(cos, x)
	}
	slices.Sort(cos)
	for _, p := range ChanceQuantiles {
		if len(cos) > 0 {
			c.Chance = append(c.Chance, cos[int(p*float64(len(cos)-1))])
		}
	}
	return c
}

// Baseline measures precision@k of a plain TF-IDF cosine over words:
// lower-cased runs of letters and digits of the title and text, no
// stemming, no stop words, raw term frequency times ln(N/df), every
// article compared with every other.
func Baseline(items []Item, k, sample int) Result {
	start := time.Now()
	type tw struct {
		doc int
		w   float64
	}
	vocab := map[string]int{}
	var df []int
	tfs := make([]map[int]float64, len(items))
	for i, it := range items {
		tf := map[int]float64{}
		words := strings.FieldsFunc(strings.ToLower(it.Doc.Title+"\n"+it.Doc.Text), func(r rune) bool {
			return !unicode.IsLetter(r) && !unicode.IsDigit(r)
		})
		for _, w := range words {
			id, ok := vocab[w]
			if !ok {
				id = len(vocab)
				vocab[w] = id
				df = append(df, 0)
			}
			if tf[id] == 0 {
				df[id]++
			}
			tf[id]++
		}
		tfs[i] = tf
	}
	N := float64(len(items))
	postings := make([][]tw, len(vocab))
	for i, tf := range tfs {
		var norm float64
		for t, f := range tf {
			w := f * math.Log(N/float64(df[t]))
			tf[t] = w
			norm += w * w
		}
		norm = math.Sqrt(norm)
		for t, w := range tf {
			if norm > 0 && w > 0 {
				tf[t] = w / norm
				postings[t] = append(postings[t], tw{i, w / norm})
			}
		}
	}
	built := time.Now()
	q := queries(len(items), sample)
	hits := make([]float64, len(q))
	parallel(len(q), func(j int) {
		i := q[j]
		acc := map[int]float64{}
		for t, w := range tfs[i] {
			for _, p := range postings[t] {
				if p.doc != i {
					acc[p.doc] += w * p.w
				}
			}
		}
		type s struct {
			doc int
			v   float64
		}
		all := make([]s, 0, len(acc))
		for d, v := range acc {
			all = append(all, s{d, v})
		}
		sort.Slice(all, func(a, b int) bool {
			if all[a].v != all[b].v {
				return all[a].v > all[b].v
			}
			return all[a].doc < all[b].doc
		})
		for _, x := range all[:min(k, len(all))] {
			if items[x.doc].Label == items[i].Label {
				hits[j]++
			}
		}
	})
	return Result{Precision: mean(hits) / float64(k), Queries: len(q), Build: built.Sub(start), Query: time.Since(built)}
}

// queries picks the items to query: all, or an evenly spread sample.
func queries(n, sample int) []int {
	if sample <= 0 || sample >= n {
		sample = n
	}
	q := make([]int, sample)
	for j := range q {
		q[j] = j * n / sample
	}
	return q
}

func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	next := make(chan int, 256)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

func mean(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}
