package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/google/go-cmp/cmp"
)

// listTests are the tests of listing articles whole.
var listTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"ListWhole", testListWhole},
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
