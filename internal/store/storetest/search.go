package storetest

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/search"
	"github.com/datelinehq/dateline/internal/store"
)

// searchTests are the full-text search half of the suite (issue 17).
var searchTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"SearchFindsAndRanks", testSearchFindsAndRanks},
	{"SearchFollowsWrites", testSearchFollowsWrites},
	{"SearchFilters", testSearchFilters},
	{"SearchTakesAnyInput", testSearchTakesAnyInput},
	{"SearchBoundsACommonWord", testSearchBoundsACommonWord},
}

// searchArchive stores a small archive of our own for the search tests
// and returns the articles by slug.
func searchArchive(t *testing.T, s store.Store) map[string]*article.Article {
	t.Helper()
	day := published
	stories := []*article.Article{
		{Slug: "ferry-strike", Title: "Ferry crews strike over night shifts",
			Description: "Crossings to the islands stop for two days.",
			Body:        "Crews of the harbour ferries walked out on Monday. The union said the night shifts were unsafe, and the operator said talks would resume.",
			Tags:        []article.Tag{{Name: "Transport", Slug: "transport"}}, PublishedAt: day},
		{Slug: "harbour-dredging", Title: "Dredging resumes in the harbour channel",
			Description: "Barges work the channel at night.",
			Body:        "The dredging barges returned to the channel. A ferry captain said the **silt** had made crossings slow, and [the port authority](https://example.com/port) agreed.",
			Tags:        []article.Tag{{Name: "Port", Slug: "port"}}, PublishedAt: day.Add(-400 * 24 * time.Hour)},
		{Slug: "council-budget", Title: "Council passes the harbour budget",
			Description: "A late vote after a long debate.",
			Body:        "The council approved the budget. Night shifts at the port will be paid from it, the treasurer said, and the ferry fares stay as they are.",
			PublishedAt: day.Add(-24 * time.Hour)},
		{Slug: "urdu-news", Title: "بندرگاہ پر ہڑتال", Description: "", Body: "کشتیوں کے عملے نے ہڑتال کی۔", PublishedAt: day.Add(-48 * time.Hour)},
	}
	out := map[string]*article.Article{}
	for _, a := range stories {
		a.Kind, a.Status = article.Story, article.Published
		a.Author = &article.Author{Name: "Ines Okafor", Slug: "ines-okafor"}
		mustCreate(t, s, a)
		out[a.Slug] = a
	}
	draft := &article.Article{Kind: article.Story, Slug: "ferry-draft", Title: "Ferry timetable draft", Body: "A draft about the ferry timetable.", Status: article.Draft}
	mustCreate(t, s, draft)
	out[draft.Slug] = draft
	return out
}

func find(t *testing.T, s store.Store, query string, o search.Options) (slugs []string, res search.Results) {
	t.Helper()
	if o.PublicAt.IsZero() && o.OwnerID == 0 {
		o.PublicAt = now()
	}
	res, err := s.SearchArticles(ctx, search.Parse(query), o)
	if err != nil {
		t.Fatalf("search %q: %v", query, err)
	}
	for _, h := range res.Hits {
		slugs = append(slugs, h.Article.Slug)
	}
	return slugs, res
}

func testSearchFindsAndRanks(t *testing.T, s store.Store) {
	searchArchive(t, s)
	for _, test := range []struct {
		query string
		want  []string // in order; nil for no result
	}{
		{"silt", []string{"harbour-dredging"}},                                    // a word of one body
		{"dredged", []string{"harbour-dredging"}},                                 // stemmed
		{"ferry", []string{"ferry-strike", "council-budget", "harbour-dredging"}}, // title first
		{`"night shifts"`, []string{"ferry-strike", "council-budget"}},            // a phrase
		{"night shifts", []string{"ferry-strike", "council-budget"}},              // the words as a phrase first
		{"ferry -council", []string{"ferry-strike", "harbour-dredging"}},          // excluded
		{"dredg*", []string{"harbour-dredging"}},                                  // a prefix
		{"silt OR treasurer", []string{"council-budget", "harbour-dredging"}},
		{"transport", []string{"ferry-strike"}}, // a tag
		{"ہڑتال", []string{"urdu-news"}},        // Urdu, as written
		{"timetable", nil},                      // a draft's word: not for readers
		{"glacier", nil},
	} {
		got, res := find(t, s, test.query, search.Options{})
		if test.query == "silt OR treasurer" {
			slices.Sort(got) // two one-word matches: no order to hold
		}
		if !slices.Equal(got, test.want) || res.Total != len(test.want) {
			t.Errorf("search %q = %v (total %d); want %v", test.query, got, res.Total, test.want)
		}
	}
	_, res := find(t, s, "silt", search.Options{})
	if len(res.Hits) != 1 || !strings.Contains(string(res.Hits[0].Snippet.HTML()), "<mark>silt</mark>") {
		t.Errorf("snippet of silt: %q; want the word marked", res.Hits[0].Snippet)
	}
	if got := string(res.Hits[0].Snippet.HTML()); strings.Contains(got, "example.com") || strings.Contains(got, "**") {
		t.Errorf("snippet %q shows Markdown", got)
	}
	if a := res.Hits[0].Article; a.Title != "Dredging resumes in the harbour channel" || a.Author == nil || a.Author.Slug != "ines-okafor" {
		t.Errorf("a hit's article is %+v; want it with its author", a)
	}
	// The index's words, for "did you mean": stemmed, by prefix.
	words, err := s.SearchWords(ctx, "dre", 100)
	if err != nil || !slices.Contains(words, "dredg") || slices.ContainsFunc(words, func(w string) bool { return !strings.HasPrefix(w, "dre") }) {
		t.Errorf("SearchWords(dre) = %q, %v; want dredg and only words beginning dre", words, err)
	}
	if words, err := s.SearchWords(ctx, "ہڑ", 10); err != nil || !slices.Contains(words, "ہڑتال") {
		t.Errorf("SearchWords in Urdu = %q, %v", words, err)
	}
	// The admin searches drafts too.
	if got, _ := find(t, s, "timetable", search.Options{OwnerID: -1}); len(got) != 0 {
		t.Errorf("another owner's search found %v", got)
	}
	res, err = s.SearchArticles(ctx, search.Parse("timetable"), search.Options{})
	if err != nil || len(res.Hits) != 1 || res.Hits[0].Article.Slug != "ferry-draft" {
		t.Errorf("the admin's search for a draft's word: %v, %v", res.Hits, err)
	}
}

func testSearchFollowsWrites(t *testing.T, s store.Store) {
	arts := searchArchive(t, s)
	a := arts["ferry-strike"]
	a.Body = "The strike ended with an agreement on lighthouse duty."
	a.Tags = []article.Tag{{Name: "Labour", Slug: "labour"}}
	if err := s.UpdateArticle(ctx, a, "edit"); err != nil {
		t.Fatal(err)
	}
	if got, _ := find(t, s, "lighthouse", search.Options{}); !slices.Equal(got, []string{"ferry-strike"}) {
		t.Errorf("after an edit, a new word finds %v", got)
	}
	if got, _ := find(t, s, "unsafe", search.Options{}); len(got) != 0 {
		t.Errorf("after an edit, a removed word still finds %v", got)
	}
	if got, _ := find(t, s, "labour", search.Options{}); !slices.Equal(got, []string{"ferry-strike"}) {
		t.Errorf("a new tag finds %v", got)
	}
	if got, _ := find(t, s, "transport", search.Options{}); len(got) != 0 {
		t.Errorf("a removed tag still finds %v", got)
	}
	if err := s.DeleteArticle(ctx, "harbour-dredging"); err != nil {
		t.Fatal(err)
	}
	if got, _ := find(t, s, "silt", search.Options{}); len(got) != 0 {
		t.Errorf("a deleted article is found: %v", got)
	}
	if got, _ := find(t, s, "barges", search.Options{}); len(got) != 0 {
		t.Errorf("a deleted article's standfirst is found: %v", got)
	}
	// Rebuilt from the articles, the index finds the same.
	var done, total int
	if err := s.ReindexSearch(ctx, func(d, n int) { done, total = d, n }); err != nil {
		t.Fatal(err)
	}
	if done != 4 || total != 4 {
		t.Errorf("ReindexSearch told %d of %d; want 4 of 4 (three stories and a draft left)", done, total)
	}
	for query, want := range map[string][]string{"lighthouse": {"ferry-strike"}, "labour": {"ferry-strike"}, "silt": nil, "treasurer": {"council-budget"}} {
		if got, _ := find(t, s, query, search.Options{}); !slices.Equal(got, want) {
			t.Errorf("after ReindexSearch, %q finds %v; want %v", query, got, want)
		}
	}
}

func testSearchFilters(t *testing.T, s store.Store) {
	searchArchive(t, s)
	for _, test := range []struct {
		name string
		o    search.Options
		want []string
	}{
		{"tag", search.Options{TagSlug: "port"}, []string{"harbour-dredging"}},
		{"author", search.Options{AuthorSlug: "nobody"}, nil},
		{"from", search.Options{From: published.Add(-2 * 24 * time.Hour)}, []string{"ferry-strike", "council-budget"}},
		{"to", search.Options{To: published.Add(-2 * 24 * time.Hour)}, []string{"harbour-dredging"}},
		{"page", search.Options{Limit: 1, Offset: 1}, []string{"council-budget"}},
	} {
		got, res := find(t, s, "ferry", test.o)
		if !slices.Equal(got, test.want) {
			t.Errorf("%s: found %v; want %v", test.name, got, test.want)
		}
		if test.name == "page" && res.Total != 3 {
			t.Errorf("page 2 of 1: total %d; want 3", res.Total)
		}
	}
}

// Issue 17: a query is data. Each of these gives results or none, never
// an error, on both backends.
func testSearchTakesAnyInput(t *testing.T, s store.Store) {
	searchArchive(t, s)
	for _, q := range []string{
		`"unbalanced`, `-`, `--`, `NEAR(ferry strike)`, `*`, `ferry*`, `"`, `""`, `OR`, `AND`, `NOT ferry`,
		`ferry:*`, `ferry & strike`, `!ferry`, `ferry <-> strike`, `(ferry`, `ferry)`, `title:ferry`, `^ferry`,
		`'; DROP TABLE articles; --`, `\x00\x01\x1f`, "ferry\u0000strike", `\'`, `%_`, `{ferry}`, `ferry + strike`,
		strings.Repeat("ferry ", 2000), strings.Repeat("x", 10000), `the`, `a`, `0`, `é*`, `"ferry strike" -"`,
	} {
		if _, err := s.SearchArticles(ctx, search.Parse(q), search.Options{PublicAt: now()}); err != nil {
			t.Errorf("search %.40q: %v", q, err)
		}
	}
}

// testSearchBoundsACommonWord: a word in more articles than a search
// ranks (search.Window) still answers with the newest of them, says there
// are more, and finds an old article that has the word in its headline.
func testSearchBoundsACommonWord(t *testing.T, s store.Store) {
	const n = search.Window + 100
	headline := &article.Article{Kind: article.Story, Slug: "old-tide-tables", Title: "Tide tables for the estuary",
		Body: "The harbour master printed the tables for the year.", Status: article.Published, PublishedAt: published.Add(-10 * 365 * 24 * time.Hour)}
	mustCreate(t, s, headline)
	var ws []store.ArticleWrite
	for i := range n {
		ws = append(ws, store.ArticleWrite{Article: &article.Article{Kind: article.Story, Slug: fmt.Sprintf("report-%d", i),
			Title: fmt.Sprintf("Harbour report %d", i), Body: "The estuary tide was high and the harbour quiet.",
			Status: article.Published, PublishedAt: published.Add(time.Duration(i-n) * time.Hour)}})
	}
	errs, err := s.SaveArticles(ctx, ws)
	if err == nil {
		err = errors.Join(errs...)
	}
	if err != nil {
		t.Fatal(err)
	}
	slugs, res := find(t, s, "tide", search.Options{Limit: 5})
	if !res.More || res.Total < search.Window || res.Total > n+1 {
		t.Errorf("tide: total %d, more %v; want at least the %d ranked and more", res.Total, res.More, search.Window)
	}
	if !slices.Contains(slugs, "old-tide-tables") {
		t.Errorf("tide: %v; want the old article with the word in its headline among the first", slugs)
	}
	if _, res := find(t, s, "tide", search.Options{Limit: 10, Offset: 5000}); res.Total < search.Window || len(res.Hits) != 0 {
		t.Errorf("tide, a page past the last: %d hits, total %d; want none, and the count", len(res.Hits), res.Total)
	}
	// A word excluded is looked for in the whole text, also for the
	// matches found by their headline.
	if slugs, _ := find(t, s, "tide -printed", search.Options{Limit: 2000}); slices.Contains(slugs, "old-tide-tables") {
		t.Errorf("tide -printed found the article whose body has printed")
	}
	if _, res := find(t, s, "printed", search.Options{}); res.More || res.Total != 1 {
		t.Errorf("printed: total %d, more %v; want 1, exact", res.Total, res.More)
	}
}
