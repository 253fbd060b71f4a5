package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
)

// BenchmarkListEveryArticle lists every public article of a 5,000-article
// site with three tags each, as the static export's first step does.
// "every" is the query the export makes (the tags read beside the
// articles); "paged" asks the same articles with a limit, which reads
// their tags after them, 500 articles at a time, as other listings do.
func BenchmarkListEveryArticle(b *testing.B) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(b.TempDir(), "dateline.db"), testOptions)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	const n = 5000
	first := time.Date(2026, 1, 1, 6, 0, 0, 0, time.UTC)
	for start := 0; start < n; start += 500 {
		var ws []store.ArticleWrite
		for i := start; i < start+500; i++ {
			ws = append(ws, store.ArticleWrite{Article: &article.Article{
				Kind:        article.Story,
				Slug:        fmt.Sprintf("harbour-report-%d", i),
				Title:       fmt.Sprintf("Harbour report number %d", i),
				Description: "The harbour board counted the boats again.",
				Body:        "## The count\n\nThe board counted the boats at dawn.\n",
				Status:      article.Published,
				PublishedAt: first.Add(time.Duration(i) * time.Hour),
				Author:      &article.Author{Name: "Mara Lind", Slug: "mara-lind"},
				Tags: []article.Tag{
					{Name: fmt.Sprintf("Harbour %d", i%60), Slug: fmt.Sprintf("harbour-%d", i%60)},
					{Name: fmt.Sprintf("Boats %d", i%7), Slug: fmt.Sprintf("boats-%d", i%7)},
					{Name: "Weather", Slug: "weather"},
				},
			}})
		}
		errs, err := s.SaveArticles(ctx, ws)
		if err != nil {
			b.Fatal(err)
		}
		for i, err := range errs {
			if err != nil {
				b.Fatalf("article %d: %v", start+i, err)
			}
		}
	}
	now := first.Add(n * time.Hour)
	for _, test := range []struct {
		name string
		q    store.ArticleQuery
	}{
		{"every", store.ArticleQuery{PublicAt: now}},
		{"paged", store.ArticleQuery{PublicAt: now, Limit: n}},
	} {
		b.Run(test.name, func(b *testing.B) {
			for b.Loop() {
				as, err := s.Articles(ctx, test.q)
				if err != nil {
					b.Fatal(err)
				}
				if len(as) != n || len(as[0].Tags) != 3 {
					b.Fatalf("listed %d articles, the first with %d tags; want %d with 3", len(as), len(as[0].Tags), n)
				}
			}
		})
	}
}
