// Command benchlinking measures the linking index on a generated archive:
// the training of word vectors on it (see -trained), build time,
// Related, KeyPhrases, Suggest and Inbound latency (p50/p99) and peak
// memory (VmHWM). Run it through scripts/bench-linking.sh.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/linkingtest"
	"github.com/datelinehq/dateline/internal/linking/wordvec"
	"github.com/datelinehq/dateline/internal/render"
)

func main() {
	n := flag.Int("n", 10000, "articles")
	words := flag.Int("words", 1500, "words per article")
	queries := flag.Int("queries", 1000, "queries to time")
	english := flag.Bool("english", true, "draw the articles' words from the English word vectors' keys, as an English site's are (false: invented words)")
	vectors := flag.Bool("vectors", true, "with -english, re-rank with the English word vectors, as an English site does")
	trained := flag.Bool("trained", true, "with -vectors, train word vectors on the archive first and rank with them too, as an English site of 1,000 stories or more does")
	memprofile := flag.String("memprofile", "", "write a heap profile after the build to this file")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the build and the queries to this file")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}

	// The archive is streamed: each worker generates an article, indexes
	// it and drops it, as a server reading the store would.
	archive := linkingtest.NewArchive(*words, 1)
	ix := linking.NewIndex()
	if *english {
		// The 20,000 most frequent keys: a news archive's vocabulary.
		english := wordvec.English()
		if english == nil {
			fmt.Fprintln(os.Stderr, "benchlinking: this build has no English word vectors: run scripts/gen-vectors.sh, or give -english=false")
			os.Exit(2)
		}
		vocabulary := english.Keys()[:20000]
		archive = linkingtest.NewArchiveOf(*words, 1, vocabulary)
		if *vectors {
			var table *wordvec.Table
			if *trained {
				table = train(archive, *n)
			}
			ix = linking.NewIndexFor("en", table)
		}
	}
	start := time.Now()
	var wg sync.WaitGroup
	var genNanos atomic.Int64
	next := make(chan int, 64)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				t := time.Now()
				d := archive.Doc(i)
				genNanos.Add(int64(time.Since(t)))
				ix.Upsert(d)
			}
		})
	}
	for i := range *n {
		next <- i
	}
	close(next)
	wg.Wait()
	build := time.Since(start)
	runtime.GC()
	if *memprofile != "" {
		f, err := os.Create(*memprofile)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if err := pprof.WriteHeapProfile(f); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		f.Close()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)

	r := rand.New(rand.NewPCG(2, 3))
	rd := render.New()
	load := func(id int64) (*article.Article, error) {
		d := archive.Doc(int(id - 1))
		return &article.Article{ID: d.ID, Slug: d.Slug, Title: d.Title, Body: d.Text}, nil
	}
	var rel, kp, sug, in []time.Duration
	hits, suggestions, inbound := 0, 0, 0
	for q := range *queries {
		id := int64(r.IntN(*n) + 1)
		t := time.Now()
		got := ix.Related(id, 5, 0)
		rel = append(rel, time.Since(t))
		t = time.Now()
		ix.KeyPhrases(id, 20)
		kp = append(kp, time.Since(t))
		// Suggestions start from the article's Markdown, as the editor
		// and the CLI do: parsing it is part of the cost.
		a, _ := load(id)
		t = time.Now()
		suggestions += len(linking.Suggest(ix, rd, a, linking.SuggestOptions{}))
		sug = append(sug, time.Since(t))
		if q%10 == 0 { // the inbound view loads and parses 30 articles
			t = time.Now()
			ss, _ := linking.Inbound(ix, rd, id, load, linking.SuggestOptions{})
			in = append(in, time.Since(t))
			inbound += len(ss)
		}
		info, _ := ix.Doc(id)
		for _, m := range got {
			if o, _ := ix.Doc(m.ID); len(o.Tags) > 0 && o.Tags[0] == info.Tags[0] {
				hits++
			}
		}
	}
	gen := time.Duration(genNanos.Load() / int64(runtime.GOMAXPROCS(0)))
	fmt.Printf("articles        %d of about %d words\n", *n, *words)
	fmt.Printf("index build     %v (%.0f articles/s, %d goroutines; generating the articles took %v of it)\n", build.Round(time.Millisecond), float64(*n)/build.Seconds(), runtime.GOMAXPROCS(0), gen.Round(time.Millisecond))
	fmt.Printf("Related         p50 %v  p99 %v  (%d queries, top 5; same generated topic %.2f)\n", pct(rel, 50), pct(rel, 99), *queries, float64(hits)/float64(5**queries))
	fmt.Printf("KeyPhrases      p50 %v  p99 %v\n", pct(kp, 50), pct(kp, 99))
	fmt.Printf("Suggest         p50 %v  p99 %v  (%.1f suggestions an article)\n", pct(sug, 50), pct(sug, 99), float64(suggestions)/float64(*queries))
	fmt.Printf("Inbound         p50 %v  p99 %v  (%d queries, loading and parsing 30 articles each; %.1f suggestions an article)\n", pct(in, 50), pct(in, 99), len(in), float64(inbound)/float64(max(len(in), 1)))
	st := ix.Stats()
	fmt.Printf("index           %d terms (%d in two or more articles, %d with a co-occurrence vector), %d postings\n", st.Terms, st.SharedTerms, st.SemTerms, st.Postings)
	fmt.Printf("Go heap in use  %d MB after build\n", ms.HeapInuse>>20)
	fmt.Printf("peak RSS        %s (VmHWM, whole process)\n", vmHWM())
}

func pct(ds []time.Duration, p int) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	i := min(len(s)-1, (len(s)*p+99)/100-1)
	return s[max(i, 0)].Round(time.Microsecond)
}

func vmHWM() string {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

// train trains word vectors on the archive as a site's is trained on,
// reading it again for each pass as a server reads its store, and reports
// the time and the peak memory so far.
func train(archive *linkingtest.Archive, n int) *wordvec.Table {
	start := time.Now()
	t := wordvec.Train(context.Background(), func(yield func([]string) bool) {
		for i := range n {
			if !yield(linking.TrainingWords(archive.Doc(i))) {
				return
			}
		}
	}, wordvec.SiteTraining)
	fmt.Printf("training        %v (%d words learnt), peak RSS so far %s\n", time.Since(start).Round(time.Millisecond), t.Len(), vmHWM())
	return t
}
