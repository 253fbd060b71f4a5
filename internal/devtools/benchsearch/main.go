// Command benchsearch measures search on a generated archive of articles
// of about 1,500 words: the time to store the archive (search index
// included), the time to build the index again from the articles
// (`dateline search reindex`), the index's size on disk, and the latency
// (p50/p99) of one-word, three-word, phrase and prefix queries as the
// public search page runs them (count, ranked page of ten, snippets).
// Run it through scripts/bench-search.sh.
package main

import (
	"context"
	"database/sql"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/devtools/devstore"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/linkingtest"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/search"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/jackc/pgx/v5"
	_ "modernc.org/sqlite"
)

func main() {
	n := flag.Int("n", 10000, "articles")
	words := flag.Int("words", 1500, "words per article")
	queries := flag.Int("queries", 200, "queries of each kind to time")
	backend := flag.String("backend", "sqlite", "sqlite or postgres")
	pg := flag.String("postgres", os.Getenv("DATELINE_TEST_POSTGRES"), "the PostgreSQL database to measure in a schema of its own")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	keep := flag.Bool("keep", false, "keep the archive (benchsearch_N in the temporary directory or as a PostgreSQL schema) and measure a kept one again without storing it")
	flag.Parse()
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchsearch:", err)
			os.Exit(1)
		}
		defer pprof.StopCPUProfile()
	}
	if err := run(context.Background(), *backend, *pg, *n, *words, *queries, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "benchsearch:", err)
		pprof.StopCPUProfile()
		os.Exit(1)
	}
}

func run(ctx context.Context, backend, pg string, n, words, queries int, keep bool) error {
	archive := linkingtest.NewArchive(words, 1)
	// The archive publishes an article an hour; it is searched an hour
	// after the last.
	now := archive.Doc(n - 1).Published.Add(time.Hour)
	open := devstore.Open
	if keep {
		open = devstore.Keep
	}
	s, err := open(ctx, backend, pg, fmt.Sprintf("benchsearch_%d", n), now)
	if err != nil {
		return err
	}
	defer s.Close()

	news := newsroom.New(s, render.New(), func() time.Time { return now }, nil)

	held, err := s.CountArticles(ctx, store.ArticleQuery{})
	if err != nil {
		return err
	}
	var stored, build time.Duration
	switch held {
	case n:
		fmt.Printf("kept archive    %d articles, stored by an earlier run\n", n)
	case 0:
		start := time.Now()
		if err := storeArchive(ctx, news, archive, n); err != nil {
			return err
		}
		stored = time.Since(start)

		start = time.Now()
		if err := s.ReindexSearch(ctx, nil); err != nil {
			return err
		}
		build = time.Since(start)
	default:
		return fmt.Errorf("the kept archive holds %d articles, not %d: remove it", held, n)
	}
	size, err := indexSize(ctx, s)
	if err != nil {
		return err
	}

	fmt.Printf("backend         %s\n", backend)
	fmt.Printf("articles        %d of about %d words\n", n, words)
	if stored > 0 {
		fmt.Printf("store           %v (%.0f articles/s, search index included, batches of 500 through the newsroom service)\n", stored.Round(time.Millisecond), float64(n)/stored.Seconds())
		fmt.Printf("index build     %v (search reindex over the stored articles)\n", build.Round(time.Millisecond))
	}
	fmt.Printf("index size      %.1f MB (%s)\n", float64(size.bytes)/1e6, size.what)

	r := rand.New(rand.NewPCG(7, 11))
	kinds := []struct {
		name string
		make func(d docWords) string
	}{
		{"one word", func(d docWords) string { return d.title[r.IntN(len(d.title))] }},
		{"three words", func(d docWords) string {
			p := r.Perm(len(d.title))[:3]
			return d.title[p[0]] + " " + d.title[p[1]] + " " + d.title[p[2]]
		}},
		{"phrase", func(d docWords) string {
			i := r.IntN(len(d.body) - 2)
			return `"` + strings.Join(d.body[i:i+3], " ") + `"`
		}},
		{"prefix", func(d docWords) string {
			w := d.title[r.IntN(len(d.title))]
			return w[:min(4, len(w)-1)] + "*"
		}},
	}
	for _, k := range kinds {
		var times []time.Duration
		total := 0
		for range queries {
			q := k.make(split(archive.Doc(r.IntN(n))))
			t := time.Now()
			_, res, err := news.SearchPublic(ctx, q, search.Options{Limit: 10})
			times = append(times, time.Since(t))
			if err != nil {
				return fmt.Errorf("query %s: %w", q, err)
			}
			if len(res.Hits) == 0 || res.Hits[0].Snippet == "" {
				return fmt.Errorf("query %s found no article with a snippet: the article it was made from has one", q)
			}
			total += res.Total
		}
		slices.Sort(times)
		fmt.Printf("%-15s p50 %v  p99 %v  (%d queries; %.0f articles found a query on average)\n", k.name,
			times[len(times)/2].Round(10*time.Microsecond), times[len(times)*99/100].Round(10*time.Microsecond), queries, float64(total)/float64(queries))
	}
	return nil
}

// storeArchive stores the generated articles.
func storeArchive(ctx context.Context, news *newsroom.Service, archive *linkingtest.Archive, n int) error {
	return devstore.SaveArchive(ctx, news, n, "benchsearch", func(i int) *article.Article {
		d := archive.Doc(i)
		standfirst, _, _ := strings.Cut(d.Text, ". ")
		return &article.Article{Kind: article.Story, Slug: d.Slug, Title: d.Title, Description: standfirst + ".", Body: d.Text,
			Tags: []article.Tag{{Name: d.Tags[0]}}, Status: article.Published, PublishedAt: d.Published}
	})
}

type docWords struct{ title, body []string }

// split returns the words of an article's title and of its first
// paragraph as a reader would type them.
func split(d linking.Doc) docWords {
	first, _, _ := strings.Cut(d.Text, "\n\n")
	return docWords{title: search.Parse(d.Title).Words(), body: search.Parse(first).Words()}
}

type size struct {
	bytes int64
	what  string
}

// indexSize is what the search index takes on disk.
func indexSize(ctx context.Context, s *devstore.DB) (size, error) {
	if s.Path != "" {
		db, err := sql.Open("sqlite", s.Path)
		if err != nil {
			return size{}, err
		}
		defer db.Close()
		var sz size
		sz.what = "FTS5 tables article_search*, from dbstat"
		err = db.QueryRowContext(ctx, `SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'article_search%'`).Scan(&sz.bytes)
		return sz, err
	}
	conn, err := pgx.Connect(ctx, s.URL)
	if err != nil {
		return size{}, err
	}
	defer conn.Close(ctx)
	var sz size
	sz.what = "GIN index, tsvector column as stored, search_words table"
	err = conn.QueryRow(ctx, `SELECT pg_total_relation_size('articles_search')
		+ (SELECT sum(pg_column_size(search)) FROM articles)
		+ pg_total_relation_size('search_words')`).Scan(&sz.bytes)
	return sz, err
}
