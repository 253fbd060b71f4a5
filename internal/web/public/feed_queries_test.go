package public

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/purge"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
	"github.com/google/go-cmp/cmp"
)

// callCounter counts the calls of the store's read methods that a
// reader page may make.
type callCounter struct {
	store.Store
	mu    sync.Mutex
	calls map[string]int
}

func (s *callCounter) count(method string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls[method]++
}

// take returns the calls counted since the last take.
func (s *callCounter) take() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	calls := s.calls
	s.calls = map[string]int{}
	return calls
}

func (s *callCounter) Article(ctx context.Context, slug string) (*article.Article, error) {
	s.count("Article")
	return s.Store.Article(ctx, slug)
}

func (s *callCounter) ArticleByID(ctx context.Context, id int64) (*article.Article, error) {
	s.count("ArticleByID")
	return s.Store.ArticleByID(ctx, id)
}

func (s *callCounter) Articles(ctx context.Context, q store.ArticleQuery) ([]*article.Article, error) {
	s.count("Articles")
	return s.Store.Articles(ctx, q)
}

func (s *callCounter) EachArticle(ctx context.Context, q store.ArticleQuery, fn func(*article.Article) error) error {
	s.count("EachArticle")
	return s.Store.EachArticle(ctx, q, fn)
}

func (s *callCounter) ArticleVersions(ctx context.Context, q store.ArticleQuery) ([]store.ArticleVersion, error) {
	s.count("ArticleVersions")
	return s.Store.ArticleVersions(ctx, q)
}

func (s *callCounter) CountArticles(ctx context.Context, q store.ArticleQuery) (int, error) {
	s.count("CountArticles")
	return s.Store.CountArticles(ctx, q)
}

func (s *callCounter) PublicArticlesByTitle(ctx context.Context, titles []string, at time.Time) ([]*article.Article, error) {
	s.count("PublicArticlesByTitle")
	return s.Store.PublicArticlesByTitle(ctx, titles, at)
}

func (s *callCounter) Tag(ctx context.Context, slug string) (*article.Tag, error) {
	s.count("Tag")
	return s.Store.Tag(ctx, slug)
}

func (s *callCounter) Author(ctx context.Context, slug string) (*article.Author, error) {
	s.count("Author")
	return s.Store.Author(ctx, slug)
}

func (s *callCounter) Redirect(ctx context.Context, path string) (string, error) {
	s.count("Redirect")
	return s.Store.Redirect(ctx, path)
}

// countedServer serves the reader pages of ts's store through counting,
// with opts (and ts's clock).
func countedServer(t *testing.T, ts *testServer, counting *callCounter, opts Options) (*testServer, *Handlers) {
	t.Helper()
	tpl, err := web.LoadTemplates("")
	if err != nil {
		t.Fatal(err)
	}
	assets, err := web.LoadAssets("")
	if err != nil {
		t.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	site := &web.Site{Templates: tpl, Assets: assets, Logger: logger, Now: ts.clock.Now, Info: web.SiteInfo{Title: "The Selvik Courier", Language: "en"}}
	mux := http.NewServeMux()
	opts.Now = ts.clock.Now
	reader, err := New(site, counting, render.New(), NewViewCounter(counting, logger, ts.clock.Now), opts)
	if err != nil {
		t.Fatal(err)
	}
	reader.Register(mux)
	srv := httptest.NewServer(site.Middleware(CanonicalSlash(mux)))
	t.Cleanup(srv.Close)
	return &testServer{Server: srv, store: counting, clock: ts.clock}, reader
}

// Issue 12: a feed asks the store for its articles whole, once, however
// many it carries; it loads none of them again.
func TestFeedsLoadTheirArticlesAtOnce(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	addFeedArticles(t, ts)
	counting := &callCounter{Store: ts.store, calls: map[string]int{}}
	for _, full := range []bool{false, true} {
		counted, _ := countedServer(t, ts, counting, Options{FeedFullContent: full})
		for _, feed := range []struct {
			prefix string
			items  int
			want   map[string]int
		}{
			{"/", FeedSize, map[string]int{"Articles": 1}},
			{"/tag/archive/", FeedSize, map[string]int{"Tag": 1, "Articles": 1}},
			{"/author/jonas-ek/", FeedSize, map[string]int{"Author": 1, "Articles": 1}},
			{"/tag/selvik/", 2, map[string]int{"Tag": 1, "Articles": 1}},
		} {
			for _, format := range testFeedFormats {
				path := feed.prefix + format.suffix
				counting.take()
				f := fetchFeed(t, counted, path, format.contentType)
				if len(f.Items) != feed.items {
					t.Fatalf("GET %s (full %v): %d items, want %d", path, full, len(f.Items), feed.items)
				}
				if diff := cmp.Diff(feed.want, counting.take()); diff != "" {
					t.Errorf("GET %s (full %v): store calls (-want +got):\n%s", path, full, diff)
				}
			}
		}
	}
}

// A feed's three formats share one reading of its articles, for a short
// while: an edit a node hears of (its key purged) is in the next format
// asked for, and so is an article whose publication time has come.
func TestFeedFormatsShareOneReading(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	addFeedArticles(t, ts)
	soon := ts.add(t, &article.Article{Title: "Ferry Strike Called Off", Body: "The crews go back tomorrow.\n",
		PublishedAt: ts.clock.Now().Add(feedReuse / 2), Tags: article.TagsFromNames("Selvik")})
	counting := &callCounter{Store: ts.store, calls: map[string]int{}}
	counted, reader := countedServer(t, ts, counting, Options{CacheFor: time.Hour})
	titles := func(path, contentType string) []string {
		var ts []string
		for _, it := range fetchFeed(t, counted, path, contentType).Items {
			ts = append(ts, it.Title)
		}
		return ts
	}
	rss, atom, jsonFeed := testFeedFormats[0], testFeedFormats[1], testFeedFormats[2]
	counting.take()
	titles("/tag/archive/"+rss.suffix, rss.contentType)
	titles("/tag/archive/"+atom.suffix, atom.contentType)
	titles("/tag/archive/"+jsonFeed.suffix, jsonFeed.contentType)
	if calls := counting.take(); calls["Articles"] != 1 {
		t.Errorf("the three formats of a feed read its articles %d times, want once", calls["Articles"])
	}

	// An edit, and its purge.
	retitle(t, ts, reader, "filler-0", "Filler Zero, Corrected")
	if got := titles("/tag/archive/"+atom.suffix, atom.contentType); !slices.Contains(got, "Filler Zero, Corrected") {
		t.Errorf("after the edit and its purge, the Atom feed has %v", got)
	}

	// The scheduled article's time comes, with no purge.
	before := titles("/tag/selvik/"+rss.suffix, rss.contentType)
	if slices.Contains(before, soon.Title) {
		t.Fatalf("the feed has %q before its time", soon.Title)
	}
	ts.clock.Add(feedReuse + time.Second)
	if got := titles("/tag/selvik/"+jsonFeed.suffix, jsonFeed.contentType); !slices.Contains(got, soon.Title) {
		t.Errorf("once its time came, the JSON feed lacks %q: %v", soon.Title, got)
	}
}

// Listing pages show the articles kept for them (KeepListed, as a static
// export keeps the list of every article it reads as it begins) without
// reading any again: the tag archive reads which articles it lists, and
// nothing of them. Kept, they still go with a purge of one of them.
func TestListingPagesShowTheArticlesKept(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	addFeedArticles(t, ts)
	counting := &callCounter{Store: ts.store, calls: map[string]int{}}
	counted, reader := countedServer(t, ts, counting, Options{CacheFor: time.Hour})
	archive := func() string {
		t.Helper()
		resp, body := counted.get(t, "/tag/archive/page/2/")
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET /tag/archive/page/2/: %s", resp.Status)
		}
		return body
	}
	// As the listings read them, page by page, without KeepListed.
	want := archive()
	if calls := counting.take(); calls["Articles"] == 0 {
		t.Fatalf("the archive read no articles of the store (%v): the test would prove nothing", calls)
	}
	reader.Refresh()
	listed, err := ts.store.Articles(ctx, store.ArticleQuery{PublicAt: ts.clock.Now()})
	if err != nil {
		t.Fatal(err)
	}
	counting.take()
	reader.KeepListed(listed, nil)
	if got := archive(); withoutToken(got) != withoutToken(want) {
		t.Errorf("the archive from the articles kept differs from the one read page by page:\n%s\nwant\n%s", got, want)
	}
	if calls := counting.take(); calls["Articles"] != 0 || calls["ArticleVersions"] != 0 {
		t.Errorf("with every article kept, the archive asked the store for articles %d times and for its listing %d times, want none",
			calls["Articles"], calls["ArticleVersions"])
	}
	// A purge of an article listed forgets the articles kept.
	retitle(t, ts, reader, fmt.Sprintf("filler-%d", FeedSize-1), "Filler, retitled")
	if got := archive(); !strings.Contains(got, "Filler, retitled") {
		t.Error("after an edit and its purge, the archive still shows the article kept before")
	}
	// Nor are the listings made from it after a purge: an article taken
	// back to draft leaves its archive.
	reader.Refresh()
	reader.KeepListed(listed, nil)
	archive()
	a, err := ts.store.Article(ctx, fmt.Sprintf("filler-%d", FeedSize-1))
	if err != nil {
		t.Fatal(err)
	}
	a.Status = article.Draft
	if err := ts.store.UpdateArticle(ctx, a, "status"); err != nil {
		t.Fatal(err)
	}
	reader.Purge([]string{purge.Article(a.ID)}, true, false)
	counting.take()
	if got := archive(); strings.Contains(got, "Filler, retitled") {
		t.Error("after an article went back to draft and its purge, the archive still lists it")
	}
	if calls := counting.take(); calls["ArticleVersions"] == 0 {
		t.Error("after a purge, the archive's listing was made from the articles kept before it, not read from the store")
	}
}

// The listings made from the articles KeepListed keeps hold what the
// store's listing queries hold, in their order: the home page's, each
// section's, tag's, author's and topic's stories, not a draft, a story
// still scheduled, or a page.
func TestListingsKeptAsTheStoreListsThem(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	addFeedArticles(t, ts)
	addFerryStory(t, ts)
	harbour := ts.addSection(t, "Harbour", "")
	ts.add(t, &article.Article{Title: "Crane Moved", Body: "Text.\n", PublishedAt: published.Add(-3 * time.Hour), Section: harbour,
		Author: &article.Author{Name: "Jonas Ek"}, Tags: article.TagsFromNames("Selvik")})
	ts.add(t, &article.Article{Title: "About Us", Body: "Who we are.\n", Kind: article.About, PublishedAt: published.Add(-time.Hour),
		Author: &article.Author{Name: "Jonas Ek"}, Tags: article.TagsFromNames("Selvik")})
	now := ts.clock.Now()
	listed, err := ts.store.Articles(ctx, store.ArticleQuery{PublicAt: now})
	if err != nil {
		t.Fatal(err)
	}
	entities, err := ts.store.Entities(ctx, store.EntityQuery{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, e := range entities {
		ids = append(ids, e.ID)
	}
	topics, err := ts.store.EntityArticles(ctx, ids)
	if err != nil {
		t.Fatal(err)
	}
	kept := &keptList{articles: listed, topics: topics}

	// Every listing any article (a draft's, a scheduled one's too) is on.
	every, err := ts.store.Articles(ctx, store.ArticleQuery{})
	if err != nil {
		t.Fatal(err)
	}
	queries := map[listingKey]store.ArticleQuery{{kind: article.Story}: {}}
	for _, a := range every {
		if a.Section != nil {
			queries[listingKey{kind: article.Story, section: a.Section.Slug}] = store.ArticleQuery{SectionSlug: a.Section.Slug}
		}
		for _, tag := range a.Tags {
			queries[listingKey{kind: article.Story, tag: tag.Slug}] = store.ArticleQuery{TagSlug: tag.Slug}
		}
		if a.Author != nil {
			queries[listingKey{kind: article.Story, author: a.Author.Slug}] = store.ArticleQuery{AuthorSlug: a.Author.Slug}
		}
	}
	for _, id := range ids {
		queries[listingKey{kind: article.Story, entity: id}] = store.ArticleQuery{EntityID: id}
	}
	nonEmpty := 0
	for key, q := range queries {
		q.PublicAt, q.Kind = now, article.Story
		vs, err := ts.store.ArticleVersions(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var want []int64
		for _, v := range vs {
			want = append(want, v.ID)
		}
		if len(want) > 0 {
			nonEmpty++
		}
		got, ok := kept.listing(key)
		if !ok || !slices.Equal(got, want) {
			t.Errorf("listing %+v: made %v (%v) from the articles kept, the store lists %v", key, got, ok, want)
		}
	}
	if nonEmpty < 8 {
		t.Errorf("only %d of the listings hold stories: the test would prove little", nonEmpty)
	}
}

// retitle gives the article slug a new headline in the store and purges
// it from reader, as a node that hears of the edit does.
func retitle(t *testing.T, ts *testServer, reader *Handlers, slug, title string) {
	t.Helper()
	a, err := ts.store.Article(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	a.Title = title
	if err := ts.store.UpdateArticle(ctx, a, "headline"); err != nil {
		t.Fatal(err)
	}
	reader.Purge([]string{purge.Article(a.ID)}, false, false)
}
