package storetest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/entity"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/google/go-cmp/cmp"
)

// listTests are the tests of listing articles whole.
var listTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"ListWhole", testListWhole},
	{"PagesOfTagsAndTopics", testPagesOfTagsAndTopics},
}

// Issue 12: a list that needs bodies asks for them, and gets each article
// as Article returns it.
func testListWhole(t *testing.T, s store.Store) {
	for i := range 5 {
		a := sample(fmt.Sprintf("whole-%d", i))
		a.PublishedAt = published.Add(time.Duration(i) * time.Hour)
		a.Body = fmt.Sprintf("Body of article %d.\n", i)
		a.Source = ""
		if i%2 == 1 {
			a.Tags, a.RequestedLinks, a.Author = nil, nil, nil
		}
		if i == 4 {
			a.RequestedLinks = []string{"Only one"}
		}
		mustCreate(t, s, a)
	}
	draft := sample("whole-draft")
	draft.Status, draft.PublishedAt, draft.Source = article.Draft, time.Time{}, ""
	mustCreate(t, s, draft)

	for _, test := range []struct {
		name  string
		q     store.ArticleQuery
		slugs []string
	}{
		{"public", store.ArticleQuery{PublicAt: now()}, []string{"whole-4", "whole-3", "whole-2", "whole-1", "whole-0"}},
		{"paged", store.ArticleQuery{PublicAt: now(), Limit: 2, Offset: 1}, []string{"whole-3", "whole-2"}},
		{"by tag", store.ArticleQuery{PublicAt: now(), TagSlug: "floods"}, []string{"whole-4", "whole-2", "whole-0"}},
		{"every status", store.ArticleQuery{Status: article.Draft}, []string{"whole-draft"}},
	} {
		t.Run(test.name, func(t *testing.T) {
			whole := test.q
			whole.Whole = true
			got, err := s.Articles(ctx, whole)
			if err != nil {
				t.Fatal(err)
			}
			var want []*article.Article
			for _, slug := range test.slugs {
				a, err := s.Article(ctx, slug)
				if err != nil {
					t.Fatal(err)
				}
				want = append(want, a)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Articles(%+v) differs from Article for each (-want +got):\n%s", whole, diff)
			}
			// Without Whole, the same articles without body or
			// requested links.
			listed, err := s.Articles(ctx, test.q)
			if err != nil {
				t.Fatal(err)
			}
			for _, a := range want {
				a.Body, a.RequestedLinks = "", nil
			}
			if diff := cmp.Diff(want, listed); diff != "" {
				t.Errorf("Articles(%+v) (-want +got):\n%s", test.q, diff)
			}
		})
	}
}

// Every page of a tag's or topic's public stories is that slice of the
// whole list, newest first: for a common tag, a rare one, one only the
// newest articles carry and one only the oldest do, on a site larger than
// the newest articles a page is first looked for among, with articles
// that share a publication time, and a draft, a scheduled story and a
// page that carry every tag.
func testPagesOfTagsAndTopics(t *testing.T, s store.Store) {
	const n = 700
	common, rare := article.Tag{Name: "Harbour", Slug: "harbour"}, article.Tag{Name: "Lighthouse", Slug: "lighthouse"}
	recent, old := article.Tag{Name: "Ferry strike", Slug: "ferry-strike"}, article.Tag{Name: "Old bridge", Slug: "old-bridge"}
	all := []article.Tag{common, rare, recent, old}
	var ws []store.ArticleWrite
	for i := range n {
		a := &article.Article{Kind: article.Story, Slug: fmt.Sprintf("harbour-report-%d", i), Title: fmt.Sprintf("Harbour report %d", i),
			Body: "The harbour was quiet.", Status: article.Published,
			// Two by two at the same time: a page may end between them.
			PublishedAt: published.Add(time.Duration(i/2-n) * time.Hour)}
		if i%2 == 0 {
			a.Tags = append(a.Tags, common)
		}
		if i%97 == 0 {
			a.Tags = append(a.Tags, rare)
		}
		if i >= n-30 {
			a.Tags = append(a.Tags, recent)
		}
		if i < 50 {
			a.Tags = append(a.Tags, old)
		}
		ws = append(ws, store.ArticleWrite{Article: a})
	}
	draft := &article.Article{Kind: article.Story, Slug: "harbour-draft", Title: "Harbour draft", Body: "Not yet.", Status: article.Draft, Tags: all}
	scheduled := &article.Article{Kind: article.Story, Slug: "harbour-tomorrow", Title: "Harbour tomorrow", Body: "Soon.",
		Status: article.Scheduled, PublishedAt: now().Add(24 * time.Hour), Tags: all}
	page := &article.Article{Kind: article.About, Slug: "about-the-harbour", Title: "About the harbour desk", Body: "Who we are.",
		Status: article.Published, PublishedAt: published, Tags: all}
	ws = append(ws, store.ArticleWrite{Article: draft}, store.ArticleWrite{Article: scheduled}, store.ArticleWrite{Article: page})
	errs, err := s.SaveArticles(ctx, ws)
	if err == nil {
		err = errors.Join(errs...)
	}
	if err != nil {
		t.Fatal(err)
	}
	// A topic every third story names, and the draft, scheduled story
	// and page too.
	port := mustEntity(t, s, entity.PlaceKind, "Port of Selvik", "port-of-selvik", "place:port of selvik")
	var links []store.ArticleLinks
	for i, w := range ws {
		if i%3 == 0 || i >= n {
			links = append(links, store.ArticleLinks{ArticleID: w.Article.ID, Links: []entity.Link{link(port, 0.5)}})
		}
	}
	mustLink(t, s, links...)

	queries := []store.ArticleQuery{{EntityID: port.ID}}
	for _, tag := range all {
		queries = append(queries, store.ArticleQuery{TagSlug: tag.Slug})
	}
	for _, q := range queries {
		q.PublicAt, q.Kind = now(), article.Story
		whole, err := s.Articles(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if len(whole) == 0 {
			t.Fatalf("Articles(%+v): none", q)
		}
		for _, a := range whole {
			if a.Slug == draft.Slug || a.Slug == scheduled.Slug || a.Slug == page.Slug {
				t.Errorf("Articles(%+v) lists %s", q, a.Slug)
			}
		}
		for _, pageSize := range []int{1, 20} {
			for offset := 0; offset < len(whole)+pageSize; offset += pageSize {
				paged := q
				paged.Limit, paged.Offset = pageSize, offset
				got, err := s.Articles(ctx, paged)
				if err != nil {
					t.Fatal(err)
				}
				want := whole[min(offset, len(whole)):min(offset+pageSize, len(whole))]
				if diff := cmp.Diff(slugsOf(want), slugsOf(got)); diff != "" {
					t.Fatalf("Articles(%+v) is not that slice of the whole list (-want +got):\n%s", paged, diff)
				}
			}
		}
	}
}

func slugsOf(as []*article.Article) []string {
	slugs := []string{}
	for _, a := range as {
		slugs = append(slugs, a.Slug)
	}
	return slugs
}
