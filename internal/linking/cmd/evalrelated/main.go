// Command evalrelated reports precision@5 of the linking engine's related
// articles on the labelled news corpora, next to a plain TF-IDF cosine
// baseline. Run it through scripts/eval-related.sh.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/datelinehq/dateline/internal/linking/eval"
)

func main() {
	dir := flag.String("dir", "../shared/fixtures/news", "directory holding the corpora")
	k := flag.Int("k", 5, "precision at k")
	sample := flag.Int("sample", 0, "query only this many articles, evenly spread (0: all)")
	flag.Parse()
	corpora := []struct {
		name string
		file string
		load func(string) ([]eval.Item, error)
	}{
		{"Reuters-21578 (ModApte test, one topic, with body)", "reuters21578_modapte_test.jsonl", eval.LoadReuters},
		{"AG News (test split)", "ag_news_test.csv", eval.LoadAGNews},
	}
	failed := false
	fmt.Printf("%-52s %7s %9s %9s %9s\n", "corpus", "articles", "queries", "baseline", "dateline")
	for _, c := range corpora {
		items, err := c.load(filepath.Join(*dir, c.file))
		if err != nil {
			fmt.Fprintln(os.Stderr, "evalrelated:", err)
			failed = true
			continue
		}
		base := eval.Baseline(items, *k, *sample)
		ours := eval.Engine(items, *k, *sample)
		fmt.Printf("%-52s %7d %9d %9.4f %9.4f   (index %v, queries %v)\n", c.name, len(items), ours.Queries, base.Precision, ours.Precision, ours.Build.Round(1e6), ours.Query.Round(1e6))
	}
	if failed {
		os.Exit(1)
	}
}
