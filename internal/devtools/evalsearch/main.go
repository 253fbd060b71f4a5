// Command evalsearch measures search on the labelled news corpora by
// known-item queries: each article is stored, then looked for with a
// query a reader who remembers it would type, made by a fixed rule from
// its title (its most distinctive words: the up to four title words of
// three letters or more that the fewest articles of the corpus hold, in
// title order), never from the results. It reports the mean reciprocal
// rank of the article in the top 10 (MRR@10) and success at 1 and 10,
// for Dateline's ranking and for the engine's plain ranking (every field
// alike, no phrase or recency lift), on SQLite and, when a database is
// given, PostgreSQL. Run it through scripts/eval-search.sh.
package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/devtools/devstore"
	"github.com/datelinehq/dateline/internal/linking/eval"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/search"
	"github.com/datelinehq/dateline/internal/store"
)

func main() {
	dir := flag.String("dir", "../shared/fixtures/news", "directory holding the corpora")
	pg := flag.String("postgres", os.Getenv("DATELINE_TEST_POSTGRES"), "a PostgreSQL database to measure in a schema of its own (empty: SQLite only)")
	flag.Parse()
	ctx := context.Background()
	corpora := []struct {
		name, file string
		load       func(string) ([]eval.Item, error)
	}{
		{"Reuters-21578 (ModApte test, one topic, with body)", "reuters21578_modapte_test.jsonl", eval.LoadReuters},
		{"AG News (test split)", "ag_news_test.csv", eval.LoadAGNews},
	}
	fmt.Printf("%-52s %-9s %-9s %8s %7s %7s %8s %12s\n", "corpus", "backend", "ranking", "MRR@10", "S@1", "S@10", "queries", "p50 / p99")
	failed := false
	for _, c := range corpora {
		items, err := c.load(filepath.Join(*dir, c.file))
		if err != nil {
			fmt.Fprintln(os.Stderr, "evalsearch:", err)
			failed = true
			continue
		}
		queries := knownItemQueries(items)
		backends := []string{"sqlite"}
		if *pg != "" {
			backends = append(backends, "postgres")
		}
		for _, b := range backends {
			s, err := devstore.Open(ctx, b, *pg, "evalsearch", now)
			if err != nil {
				fmt.Fprintln(os.Stderr, "evalsearch:", err)
				os.Exit(1)
			}
			ids, err := storeItems(ctx, s, items)
			if err == nil {
				// As "dateline search reindex" does, and as a site's
				// database does on its own soon after an import: on
				// PostgreSQL it makes the planner's statistics, without
				// which it may read every article for a rare word.
				err = s.ReindexSearch(ctx, nil)
			}
			if err != nil {
				s.Close()
				fmt.Fprintln(os.Stderr, "evalsearch:", err)
				os.Exit(1)
			}
			for _, plain := range []bool{false, true} {
				r, err := measure(ctx, s, ids, queries, plain)
				if err != nil {
					s.Close()
					fmt.Fprintln(os.Stderr, "evalsearch:", err)
					os.Exit(1)
				}
				ranking := "dateline"
				if plain {
					ranking = "plain"
				}
				fmt.Printf("%-52s %-9s %-9s %8.4f %7.4f %7.4f %8d %5.1f / %4.1f ms\n", c.name, b, ranking, r.mrr, r.s1, r.s10, r.n,
					float64(r.p50.Microseconds())/1000, float64(r.p99.Microseconds())/1000)
			}
			s.Close()
		}
	}
	if failed {
		os.Exit(1)
	}
}

// now is the time the corpora are published before and searched at.
var now = time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)

// storeItems stores the items as published articles, an hour apart back from
// now, and returns their IDs in the items' order. An item without a title
// (Reuters has some) is left out, ID 0: an article needs a title, and the
// known-item query is made from it.
func storeItems(ctx context.Context, s store.Store, items []eval.Item) ([]int64, error) {
	news := newsroom.New(s, render.New(), func() time.Time { return now }, nil)
	ids := make([]int64, len(items))
	for start := 0; start < len(items); start += 500 {
		var ws []newsroom.ImportWrite
		batch := items[start:min(start+500, len(items))]
		var stored []int
		for i, it := range batch {
			n := start + i
			if strings.TrimSpace(it.Doc.Title) == "" {
				continue
			}
			stored = append(stored, n)
			ws = append(ws, newsroom.ImportWrite{Article: &article.Article{Kind: article.Story, Slug: fmt.Sprintf("item-%d", n),
				Title: it.Doc.Title, Body: it.Doc.Text, Status: article.Published, PublishedAt: now.Add(-time.Duration(n) * time.Hour)}})
		}
		errs, err := news.SaveImport(ctx, newsroom.System("evalsearch"), ws)
		if err != nil {
			return nil, err
		}
		for i, w := range ws {
			if errs[i] != nil {
				return nil, errs[i]
			}
			ids[stored[i]] = w.Article.ID
		}
	}
	return ids, nil
}

// knownItemQueries makes each item's query from its title: its up to
// four rarest words of three letters or more across the corpus, in the
// title's order ("" for a title without such words: not queried).
func knownItemQueries(items []eval.Item) []string {
	df := map[string]int{}
	for _, it := range items {
		seen := map[string]bool{}
		for _, w := range search.Parse(it.Doc.Title + " " + it.Doc.Text).Words() {
			if !seen[w] {
				seen[w] = true
				df[w]++
			}
		}
	}
	queries := make([]string, len(items))
	for i, it := range items {
		var words []string
		for _, w := range search.Parse(it.Doc.Title).Words() {
			if len([]rune(w)) >= 3 && !slices.Contains(words, w) {
				words = append(words, w)
			}
		}
		chosen := slices.Clone(words)
		slices.SortStableFunc(chosen, func(a, b string) int { return cmp.Compare(df[a], df[b]) })
		chosen = chosen[:min(4, len(chosen))]
		var q []string
		for _, w := range words {
			if slices.Contains(chosen, w) {
				q = append(q, w)
			}
		}
		queries[i] = strings.Join(q, " ")
	}
	return queries
}

type result struct {
	mrr, s1, s10 float64
	n            int
	p50, p99     time.Duration
}

// measure runs every query and scores where its article comes.
func measure(ctx context.Context, s store.Store, ids []int64, queries []string, plain bool) (result, error) {
	var r result
	var times []time.Duration
	for i, q := range queries {
		if q == "" {
			continue
		}
		start := time.Now()
		res, err := s.SearchArticles(ctx, search.Parse(q), search.Options{PublicAt: now, Limit: 10, Plain: plain})
		if err != nil {
			return r, fmt.Errorf("query %q: %w", q, err)
		}
		times = append(times, time.Since(start))
		r.n++
		for rank, h := range res.Hits {
			if h.Article.ID == ids[i] {
				r.mrr += 1 / float64(rank+1)
				if rank == 0 {
					r.s1++
				}
				r.s10++
				break
			}
		}
	}
	if r.n > 0 {
		r.mrr, r.s1, r.s10 = r.mrr/float64(r.n), r.s1/float64(r.n), r.s10/float64(r.n)
		slices.Sort(times)
		r.p50, r.p99 = times[len(times)/2], times[min(len(times)-1, len(times)*99/100)]
	}
	return r, nil
}
