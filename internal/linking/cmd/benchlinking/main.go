// Command benchlinking measures the linking index on a generated archive:
// build time, Related and KeyPhrases latency (p50/p99) and peak memory
// (VmHWM). Run it through scripts/bench-linking.sh.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/datelinehq/dateline/internal/linking"
)

func main() {
	n := flag.Int("n", 10000, "articles")
	words := flag.Int("words", 1500, "words per article")
	queries := flag.Int("queries", 1000, "queries to time")
	flag.Parse()

	start := time.Now()
	docs := linking.GenerateArchive(*n, *words, 1)
	gen := time.Since(start)

	start = time.Now()
	ix := linking.NewIndex()
	var wg sync.WaitGroup
	next := make(chan int, 64)
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range next {
				ix.Upsert(docs[i])
				docs[i].Text = "" // the server would not keep the text either
			}
		})
	}
	for i := range docs {
		next <- i
	}
	close(next)
	wg.Wait()
	build := time.Since(start)
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)

	r := rand.New(rand.NewPCG(2, 3))
	var rel, kp []time.Duration
	hits := 0
	for range *queries {
		id := int64(r.IntN(*n) + 1)
		t := time.Now()
		got := ix.Related(id, 5)
		rel = append(rel, time.Since(t))
		t = time.Now()
		ix.KeyPhrases(id, 20)
		kp = append(kp, time.Since(t))
		info, _ := ix.Doc(id)
		for _, m := range got {
			if o, _ := ix.Doc(m.ID); len(o.Tags) > 0 && o.Tags[0] == info.Tags[0] {
				hits++
			}
		}
	}
	fmt.Printf("articles        %d of about %d words (generated in %v)\n", *n, *words, gen.Round(time.Millisecond))
	fmt.Printf("index build     %v (%.0f articles/s, %d goroutines)\n", build.Round(time.Millisecond), float64(*n)/build.Seconds(), runtime.GOMAXPROCS(0))
	fmt.Printf("Related         p50 %v  p99 %v  (%d queries, top 5; same generated topic %.2f)\n", pct(rel, 50), pct(rel, 99), *queries, float64(hits)/float64(5**queries))
	fmt.Printf("KeyPhrases      p50 %v  p99 %v\n", pct(kp, 50), pct(kp, 99))
	fmt.Printf("Go heap in use  %d MB after build\n", ms.HeapInuse>>20)
	fmt.Printf("peak RSS        %s (VmHWM, whole process, generated text included)\n", vmHWM())
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
