// Command evalrelated reports precision@5 of the linking engine's related
// articles on the labelled news corpora, next to a plain TF-IDF cosine
// baseline: before issue 16 (no word vectors), with the English vectors
// Dateline ships only (a site short of MinTrainArticles), and as a site
// ranks once trained (the English vectors joined with vectors trained on
// the corpus, as on a site's archive); with -calibrate, what a range of
// floors on the TF-IDF cosine does to them instead (ranked with the
// English vectors). Run it through scripts/eval-related.sh.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/eval"
	"github.com/datelinehq/dateline/internal/linking/wordvec"
)

func main() {
	dir := flag.String("dir", "../shared/fixtures/news", "directory holding the corpora")
	k := flag.Int("k", 5, "precision at k")
	sample := flag.Int("sample", 0, "query only this many articles, evenly spread (0: all)")
	calibrate := flag.Bool("calibrate", false, "measure floors on the TF-IDF cosine of related articles instead")
	flag.Parse()
	corpora := []struct {
		name string
		file string
		load func(string) ([]eval.Item, error)
	}{
		{"Reuters-21578 (ModApte test, one topic, with body)", "reuters21578_modapte_test.jsonl", eval.LoadReuters},
		{"AG News (test split)", "ag_news_test.csv", eval.LoadAGNews},
	}
	if wordvec.English() == nil {
		fmt.Fprintln(os.Stderr, "evalrelated: this build has no English word vectors (run scripts/gen-vectors.sh): the dateline column is the engine without them")
	}
	failed := false
	if !*calibrate {
		fmt.Printf("%-52s %7s %9s %9s %9s %9s %9s\n", "corpus", "articles", "queries", "baseline", "before", "shipped", "dateline")
	}
	for _, c := range corpora {
		items, err := c.load(filepath.Join(*dir, c.file))
		if err != nil {
			fmt.Fprintln(os.Stderr, "evalrelated:", err)
			failed = true
			continue
		}
		if *calibrate {
			printCalibration(c.name, len(items), eval.Calibrate(items, *k, *sample, floors(), wordvec.English()), *k)
			continue
		}
		base := eval.Baseline(items, *k, *sample)
		before := eval.Engine(items, *k, *sample, nil)
		shipped := eval.Engine(items, *k, *sample, wordvec.English())
		start := time.Now()
		trained := eval.Train(items)
		training := time.Since(start)
		ours := eval.Engine(items, *k, *sample, wordvec.ForSite("en", trained))
		fmt.Printf("%-52s %7d %9d %9.4f %9.4f %9.4f %9.4f   (training %v, index %v, queries %v)\n", c.name, len(items), ours.Queries,
			base.Precision, before.Precision, shipped.Precision, ours.Precision, training.Round(1e6), ours.Build.Round(1e6), ours.Query.Round(1e6))
	}
	if failed {
		os.Exit(1)
	}
}

// floors are the floors calibration measures: 0 to 0.06 by 0.005, and
// the default.
func floors() []float64 {
	var fs []float64
	for i := 0; i <= 12; i++ {
		fs = append(fs, float64(i)*0.005)
	}
	if !slices.Contains(fs, linking.DefaultRelatedFloor) {
		fs = append(fs, linking.DefaultRelatedFloor)
		slices.Sort(fs)
	}
	return fs
}

func printCalibration(name string, articles int, c eval.Calibration, k int) {
	fmt.Printf("%s, %d articles\n", name, articles)
	fmt.Print("  TF-IDF cosine of random pairs of differently labelled articles:")
	for i, q := range eval.ChanceQuantiles {
		fmt.Printf(" p%g %.4f", 100*q, c.Chance[i])
	}
	fmt.Printf("\n  %-7s %12s %8s %9s %10s %13s\n", "floor", fmt.Sprintf("precision@%d", k), "of kept", "coverage", "per query", "wrong dropped")
	for _, f := range c.Floors {
		mark := ""
		if f.Floor == linking.DefaultRelatedFloor {
			mark = "  (default)"
		}
		fmt.Printf("  %-7.3f %12.4f %8.4f %9.4f %10.2f %13.4f%s\n", f.Floor, f.Precision, f.Kept, f.Coverage, f.PerQuery, f.WrongDropped, mark)
	}
}
