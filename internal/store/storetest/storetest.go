// Package storetest is the conformance suite every store backend passes:
// the same behaviour, tested the same way, on SQLite and on PostgreSQL.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// clock is the time of every store the suite opens. No test moves it:
// the tests run in parallel.
var clock = testclock.New(testclock.Date(2026, 11, 27, 12, 0))

// now is the suite's "now", the same the stores read.
func now() time.Time { return clock.Now() }

// Run runs the suite. newStore returns an empty, migrated store opened
// with opts, that the test may use alone; the suite closes it.
func Run(t *testing.T, newStore func(t *testing.T, opts store.Options) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"CreateAndRead", testCreateAndRead},
		{"SlugAndSourceConflicts", testConflicts},
		{"UpdateKeepsRevisions", testUpdateKeepsRevisions},
		{"StaleUpdateRefused", testStaleUpdate},
		{"FailedWriteLeavesNothing", testFailedWriteLeavesNothing},
		{"ListNewestFirst", testList},
		{"SharedAuthorsAndTags", testSharedAuthorsAndTags},
		{"Delete", testDelete},
		{"NotFound", testNotFound},
		{"ConcurrentWriters", testConcurrentWriters},
		{"PublicListsAndFilters", testPublicListsAndFilters},
		{"ArticlesByTitle", testArticlesByTitle},
		{"TagsAndAuthors", testTagsAndAuthors},
		{"Views", testViews},
		{"EachArticle", testEachArticle},
	}
	tests = append(tests, articleIDTests...)
	tests = append(tests, listTests...)
	tests = append(tests, articleVersionTests...)
	tests = append(tests, batchTests...)
	tests = append(tests, commentTests...)
	tests = append(tests, redirectTests...)
	tests = append(tests, userTests...)
	tests = append(tests, idTests...)
	tests = append(tests, mediaTests...)
	tests = append(tests, sectionTests...)
	tests = append(tests, frontPageTests...)
	tests = append(tests, wordVectorTests...)
	tests = append(tests, searchTests...)
	tests = append(tests, changeTests...)
	tests = append(tests, entityTests...)
	for _, test := range tests {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			s := newStore(t, store.Options{Now: clock.Now})
			t.Cleanup(func() { s.Close() })
			test.fn(t, s)
		})
	}
}

var ctx = context.Background()

// published is a fixed moment in the past with sub-second precision, to
// check that stored times keep microseconds.
var published = time.Date(2025+testclock.Years(), 10, 29, 8, 30, 15, 123456000, time.UTC)

func sample(slug string) *article.Article {
	return &article.Article{
		Kind:           article.Story,
		Slug:           slug,
		Title:          "Flood barrier on the Ems holds as river peaks — “for now”",
		Description:    "Engineers say the barrier’s gates held through the night.",
		Body:           "## What happened\n\nThe river rose 2.1 m overnight.\n\n### Next steps\n\n- inspect\n- repair\n",
		Status:         article.Published,
		PublishedAt:    published,
		Author:         &article.Author{Name: "Ines Okafor", Slug: "ines-okafor", Bio: "Covers climate."},
		Tags:           []article.Tag{{Name: "Floods", Slug: "floods"}, {Name: "Lower Saxony", Slug: "lower-saxony"}},
		RequestedLinks: []string{"How barriers are tested", "Five years of Ems floods"},
		FocusKeyphrase: "Ems flood barrier",
		SEOTitle:       "Ems flood barrier holds as the river peaks",
		WordCount:      12,
		ReadingMinutes: 1,
		Source:         "/imports/" + slug + ".md",
		SourceHash:     "abc123",
	}
}

func mustCreate(t *testing.T, s store.Store, a *article.Article) {
	t.Helper()
	if err := s.CreateArticle(ctx, a); err != nil {
		t.Fatalf("CreateArticle(%q): %v", a.Slug, err)
	}
}

// ignoreIDs compares articles by content, not by generated keys.
var ignoreIDs = cmp.Options{
	cmpopts.IgnoreFields(article.Author{}, "ID"),
	cmpopts.IgnoreFields(article.Tag{}, "ID"),
}

func testCreateAndRead(t *testing.T, s store.Store) {
	want := sample("flood-barrier")
	mustCreate(t, s, want)
	if want.ID == 0 || want.Version != 1 || want.CreatedAt.IsZero() || want.UpdatedAt.IsZero() {
		t.Fatalf("CreateArticle did not set ID, Version and times: %+v", want)
	}
	got, err := s.Article(ctx, "flood-barrier")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got, ignoreIDs, cmpopts.EquateApproxTime(time.Microsecond)); diff != "" {
		t.Errorf("Article mismatch (-want +got):\n%s", diff)
	}
	bySource, err := s.ArticleBySource(ctx, want.Source)
	if err != nil || bySource.ID != want.ID {
		t.Errorf("ArticleBySource(%q) = %v, %v; want article %d", want.Source, bySource, err, want.ID)
	}
}

func testConflicts(t *testing.T, s store.Store) {
	mustCreate(t, s, sample("taken"))
	other := sample("taken")
	other.Source = "/elsewhere.md"
	if err := s.CreateArticle(ctx, other); !errors.Is(err, store.ErrConflict) {
		t.Errorf("CreateArticle with a taken slug: err = %v, want ErrConflict", err)
	}
	sameSource := sample("free")
	sameSource.Source = "/imports/taken.md"
	if err := s.CreateArticle(ctx, sameSource); !errors.Is(err, store.ErrConflict) {
		t.Errorf("CreateArticle with a taken source: err = %v, want ErrConflict", err)
	}
	b := sample("second")
	mustCreate(t, s, b)
	b.Slug = "taken"
	if err := s.UpdateArticle(ctx, b, "rename"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("UpdateArticle to a taken slug: err = %v, want ErrConflict", err)
	}
	if _, err := s.Article(ctx, "second"); err != nil {
		t.Errorf("article kept its slug after the refused rename: %v", err)
	}
	// Articles written in Dateline have no source; many may coexist.
	for _, slug := range []string{"no-source-1", "no-source-2"} {
		a := sample(slug)
		a.Source = ""
		mustCreate(t, s, a)
	}
}

func testUpdateKeepsRevisions(t *testing.T, s store.Store) {
	a := sample("evolving")
	mustCreate(t, s, a)
	original := *a
	for i, title := range []string{"Second title", "Third title"} {
		a.Title = title
		a.Body = fmt.Sprintf("Body number %d.\n", i+2)
		a.Tags = []article.Tag{{Name: "Rivers", Slug: "rivers"}}
		a.RequestedLinks = []string{"Only one"}
		if err := s.UpdateArticle(ctx, a, "edit"); err != nil {
			t.Fatal(err)
		}
		if a.Version != i+2 {
			t.Errorf("after update %d Version = %d, want %d", i+1, a.Version, i+2)
		}
	}
	got, err := s.Article(ctx, "evolving")
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Third title" || got.Body != "Body number 3.\n" || len(got.Tags) != 1 || got.Tags[0].Slug != "rivers" ||
		!cmp.Equal(got.RequestedLinks, []string{"Only one"}) {
		t.Errorf("stored article after updates = %+v", got)
	}
	revs, err := s.Revisions(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 2 || revs[0].Number != 1 || revs[1].Number != 2 || revs[0].Title != original.Title || revs[1].Title != "Second title" {
		t.Fatalf("Revisions = %+v, want the original and the second version", revs)
	}
	first, err := s.Revision(ctx, a.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	want := article.RevisionOf(&original)
	want.Number, want.Note = 1, "edit"
	if diff := cmp.Diff(want, *first, ignoreIDs, cmpopts.IgnoreFields(article.Revision{}, "SavedAt"), cmpopts.EquateApproxTime(time.Microsecond)); diff != "" {
		t.Errorf("revision 1 mismatch (-want +got):\n%s", diff)
	}

	// Restoring is an update too, so it can itself be undone.
	got.Restore(*first, now())
	if err := s.UpdateArticle(ctx, got, "restore of revision 1"); err != nil {
		t.Fatal(err)
	}
	restored, err := s.Article(ctx, "evolving")
	if err != nil {
		t.Fatal(err)
	}
	if restored.Title != original.Title || restored.Body != original.Body || !cmp.Equal(restored.RequestedLinks, original.RequestedLinks) || len(restored.Tags) != 2 {
		t.Errorf("restored article = %+v, want the original content", restored)
	}
	if revs, _ := s.Revisions(ctx, a.ID); len(revs) != 3 || revs[2].Title != "Third title" || revs[2].Note != "restore of revision 1" {
		t.Errorf("after restore Revisions = %+v, want the replaced version kept as revision 3", revs)
	}
}

func testStaleUpdate(t *testing.T, s store.Store) {
	a := sample("contested")
	mustCreate(t, s, a)
	mine, theirs := *a, *a
	theirs.Title = "Their edit"
	if err := s.UpdateArticle(ctx, &theirs, "edit"); err != nil {
		t.Fatal(err)
	}
	mine.Title = "My edit"
	if err := s.UpdateArticle(ctx, &mine, "edit"); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("update from a stale version: err = %v, want ErrConflict", err)
	}
	got, _ := s.Article(ctx, "contested")
	if got.Title != "Their edit" {
		t.Errorf("stale update overwrote the article: title %q", got.Title)
	}
	if revs, _ := s.Revisions(ctx, a.ID); len(revs) != 1 {
		t.Errorf("refused update left %d revisions, want 1", len(revs))
	}
}

func testFailedWriteLeavesNothing(t *testing.T, s store.Store) {
	mustCreate(t, s, sample("existing"))
	bad := sample("half-written")
	bad.Source = "/other.md"
	// The second tag is the same slug twice; the join table refuses it after
	// the article row was written, which must be rolled back.
	bad.Tags = []article.Tag{{Name: "Rivers", Slug: "rivers"}, {Name: "rivers again", Slug: "rivers"}}
	if err := s.CreateArticle(ctx, bad); err == nil {
		t.Fatal("CreateArticle with a repeated tag succeeded")
	}
	if _, err := s.Article(ctx, "half-written"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("failed create left the article behind: err = %v", err)
	}
	list, err := s.Articles(ctx, store.ArticleQuery{})
	if err != nil || len(list) != 1 {
		t.Errorf("Articles after a failed create = %d articles, %v; want 1", len(list), err)
	}
}

func testList(t *testing.T, s store.Store) {
	// Tags come back in each article's order, whichever came first.
	tagOrder := map[string][]string{"oldest": {"floods", "lower-saxony"}, "middle": {"lower-saxony", "floods"}, "newest": {"floods", "lower-saxony"}}
	for i, slug := range []string{"oldest", "middle", "newest"} {
		a := sample(slug)
		a.PublishedAt = published.Add(time.Duration(i) * time.Hour)
		if slug == "middle" {
			a.Tags[0], a.Tags[1] = a.Tags[1], a.Tags[0]
		}
		mustCreate(t, s, a)
	}
	draft := sample("a-draft")
	draft.Status, draft.PublishedAt = article.Draft, time.Time{}
	mustCreate(t, s, draft)

	// Of one status, and every public article (whose tags are read in a
	// query of their own, beside the articles').
	for _, q := range []store.ArticleQuery{{Status: article.Published}, {PublicAt: now()}} {
		all, err := s.Articles(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for _, a := range all {
			slugs = append(slugs, a.Slug)
			if a.Body != "" || len(a.Tags) != 2 || a.Author == nil {
				t.Errorf("%+v listed %q: body %d bytes, %d tags, author %v; want no body, both tags and the author", q, a.Slug, len(a.Body), len(a.Tags), a.Author)
			}
			var tags []string
			for _, tag := range a.Tags {
				if tag.ID == 0 || tag.Name == "" {
					t.Errorf("%+v listed %q with the tag %+v; want its ID and name", q, a.Slug, tag)
				}
				tags = append(tags, tag.Slug)
			}
			if !slices.Equal(tags, tagOrder[a.Slug]) {
				t.Errorf("%+v listed %q with the tags %v; want %v, in the article's order", q, a.Slug, tags, tagOrder[a.Slug])
			}
		}
		if diff := cmp.Diff([]string{"newest", "middle", "oldest"}, slugs); diff != "" {
			t.Errorf("%+v: published articles order (-want +got):\n%s", q, diff)
		}
	}
	page, err := s.Articles(ctx, store.ArticleQuery{Status: article.Published, Limit: 1, Offset: 1})
	if err != nil || len(page) != 1 || page[0].Slug != "middle" {
		t.Errorf("second page of one = %v, %v; want [middle]", page, err)
	}
	drafts, err := s.Articles(ctx, store.ArticleQuery{Status: article.Draft})
	if err != nil || len(drafts) != 1 || drafts[0].Slug != "a-draft" || !drafts[0].PublishedAt.IsZero() {
		t.Errorf("drafts = %v, %v; want [a-draft] with no date", drafts, err)
	}
}

func testSharedAuthorsAndTags(t *testing.T, s store.Store) {
	a, b := sample("one"), sample("two")
	b.Author.Bio = "" // an empty bio must not wipe the stored one
	b.Tags = []article.Tag{{Name: "FLOODS", Slug: "floods"}}
	mustCreate(t, s, a)
	mustCreate(t, s, b)
	if a.Author.ID != b.Author.ID || a.Tags[0].ID != b.Tags[0].ID {
		t.Errorf("same author and tag slugs gave different records: authors %d/%d, tags %d/%d", a.Author.ID, b.Author.ID, a.Tags[0].ID, b.Tags[0].ID)
	}
	got, _ := s.Article(ctx, "two")
	if got.Author.Bio != "Covers climate." {
		t.Errorf("author bio = %q, want the stored one kept", got.Author.Bio)
	}
	if got.Tags[0].Name != "Floods" {
		t.Errorf("tag name = %q, want the first spelling kept", got.Tags[0].Name)
	}
	noAuthor := sample("anonymous")
	noAuthor.Author = nil
	mustCreate(t, s, noAuthor)
	if got, _ := s.Article(ctx, "anonymous"); got.Author != nil {
		t.Errorf("article without author read back with %+v", got.Author)
	}
}

func testDelete(t *testing.T, s store.Store) {
	a := sample("doomed")
	mustCreate(t, s, a)
	a.Title = "Edited"
	if err := s.UpdateArticle(ctx, a, "edit"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteArticle(ctx, "doomed"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Article(ctx, "doomed"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Article after delete: err = %v, want ErrNotFound", err)
	}
	if revs, err := s.Revisions(ctx, a.ID); err != nil || len(revs) != 0 {
		t.Errorf("revisions after delete = %v, %v; want none", revs, err)
	}
	if err := s.DeleteArticle(ctx, "doomed"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second delete: err = %v, want ErrNotFound", err)
	}
	// The slug is free again.
	mustCreate(t, s, sample("doomed"))
}

func testNotFound(t *testing.T, s store.Store) {
	if _, err := s.Article(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Article: err = %v, want ErrNotFound", err)
	}
	if _, err := s.ArticleBySource(ctx, "/missing.md"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ArticleBySource: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Revision(ctx, 999, 1); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Revision: err = %v, want ErrNotFound", err)
	}
	ghost := sample("ghost")
	ghost.ID, ghost.Version = 999, 1
	if err := s.UpdateArticle(ctx, ghost, "edit"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateArticle of a missing article: err = %v, want ErrNotFound", err)
	}
}

func testConcurrentWriters(t *testing.T, s store.Store) {
	const n = 20
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := sample(fmt.Sprintf("parallel-%d", i))
			errs <- s.CreateArticle(ctx, a)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	all, err := s.Articles(ctx, store.ArticleQuery{})
	if err != nil || len(all) != n {
		t.Errorf("Articles = %d, %v; want %d", len(all), err, n)
	}
}

func testPublicListsAndFilters(t *testing.T, s store.Store) {
	now := published.Add(24 * time.Hour)
	add := func(slug string, status article.Status, at time.Time, author string, tags ...string) {
		t.Helper()
		a := sample(slug)
		a.Status, a.PublishedAt = status, at
		a.Author = &article.Author{Name: author, Slug: article.Slugify(author)}
		a.Tags = article.TagsFromNames(tags...)
		for i := range a.Tags {
			a.Tags[i].Slug = article.Slugify(a.Tags[i].Name)
		}
		mustCreate(t, s, a)
	}
	add("old", article.Published, published, "Ines Okafor", "Floods")
	add("new", article.Published, published.Add(time.Hour), "Jonas Ek", "Floods", "Rail")
	add("due", article.Scheduled, now.Add(-time.Minute), "Jonas Ek", "Rail") // its time has come
	add("later", article.Scheduled, now.Add(time.Hour), "Jonas Ek", "Rail")
	add("draft", article.Draft, time.Time{}, "Jonas Ek", "Rail")

	for _, test := range []struct {
		name string
		q    store.ArticleQuery
		want []string
	}{
		{"public", store.ArticleQuery{PublicAt: now}, []string{"due", "new", "old"}},
		{"public later", store.ArticleQuery{PublicAt: now.Add(2 * time.Hour)}, []string{"later", "due", "new", "old"}},
		{"tag", store.ArticleQuery{PublicAt: now, TagSlug: "rail"}, []string{"due", "new"}},
		{"author", store.ArticleQuery{PublicAt: now, AuthorSlug: "ines-okafor"}, []string{"old"}},
		{"page 2", store.ArticleQuery{PublicAt: now, Limit: 2, Offset: 2}, []string{"old"}},
		{"unknown tag", store.ArticleQuery{PublicAt: now, TagSlug: "nope"}, nil},
		{"slugs", store.ArticleQuery{Slugs: []string{"old", "new", "nope"}}, []string{"new", "old"}},
		{"sources", store.ArticleQuery{Sources: []string{"/imports/later.md", "/imports/due.md", "/imports/nope.md"}}, []string{"later", "due"}},
		{"slugs and sources", store.ArticleQuery{Slugs: []string{"old", "new"}, Sources: []string{"/imports/old.md"}}, []string{"old"}},
	} {
		if diff := cmp.Diff(test.want, articleSlugs(t, s, test.q)); diff != "" {
			t.Errorf("%s: Articles (-want +got):\n%s", test.name, diff)
		}
		n, err := s.CountArticles(ctx, test.q)
		wantCount := len(test.want)
		if test.q.Limit > 0 {
			wantCount = 3
		}
		if err != nil || n != wantCount {
			t.Errorf("%s: CountArticles = %d, %v; want %d", test.name, n, err, wantCount)
		}
	}

	// By ID, with the other filters still applied: a listing's pages
	// are read by the IDs its first page found.
	var ids []int64
	for _, slug := range []string{"old", "later", "due", "draft"} {
		a, err := s.Article(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	for _, test := range []struct {
		name string
		q    store.ArticleQuery
		want []string
	}{
		{"ids", store.ArticleQuery{IDs: ids[:3]}, []string{"later", "due", "old"}},
		{"public ids", store.ArticleQuery{PublicAt: now, IDs: ids}, []string{"due", "old"}},
		{"public ids of a tag", store.ArticleQuery{PublicAt: now, TagSlug: "rail", IDs: ids}, []string{"due"}},
	} {
		if diff := cmp.Diff(test.want, articleSlugs(t, s, test.q)); diff != "" {
			t.Errorf("%s: Articles (-want +got):\n%s", test.name, diff)
		}
		vs, err := s.ArticleVersions(ctx, test.q)
		if err != nil || len(vs) != len(test.want) {
			t.Errorf("%s: ArticleVersions = %d articles, %v; want %d", test.name, len(vs), err, len(test.want))
		}
	}
}

// articleSlugs lists the slugs of the articles q finds, in their order.
func articleSlugs(t *testing.T, s store.Store, q store.ArticleQuery) []string {
	t.Helper()
	as, err := s.Articles(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, a := range as {
		slugs = append(slugs, a.Slug)
	}
	return slugs
}

func testArticlesByTitle(t *testing.T, s store.Store) {
	a := sample("doha")
	a.Title = "Why the Doha Agreement Still Shapes South Asia’s Security Politics"
	mustCreate(t, s, a)
	d := sample("unpublished")
	d.Title, d.Status, d.PublishedAt = "A Draft Title", article.Draft, time.Time{}
	mustCreate(t, s, d)
	got, err := s.PublicArticlesByTitle(ctx, []string{
		"why the doha agreement still shapes south asia's security politics", // other case and apostrophe
		"A Draft Title",
		"Nothing by this title",
	}, now())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Slug != "doha" {
		t.Errorf("PublicArticlesByTitle = %v, want only the published doha article", got)
	}
	if got, err := s.PublicArticlesByTitle(ctx, nil, now()); err != nil || len(got) != 0 {
		t.Errorf("PublicArticlesByTitle(nil) = %v, %v", got, err)
	}
}

func testTagsAndAuthors(t *testing.T, s store.Store) {
	mustCreate(t, s, sample("tagged"))
	tag, err := s.Tag(ctx, "lower-saxony")
	if err != nil || tag.Name != "Lower Saxony" {
		t.Errorf("Tag = %+v, %v", tag, err)
	}
	au, err := s.Author(ctx, "ines-okafor")
	if err != nil || au.Name != "Ines Okafor" || au.Bio != "Covers climate." {
		t.Errorf("Author = %+v, %v", au, err)
	}
	if _, err := s.Tag(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Tag(missing): err = %v, want ErrNotFound", err)
	}
	if _, err := s.Author(ctx, "missing"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Author(missing): err = %v, want ErrNotFound", err)
	}
}

func testViews(t *testing.T, s store.Store) {
	a, b := sample("viewed"), sample("also-viewed")
	mustCreate(t, s, a)
	mustCreate(t, s, b)
	day := time.Date(2026+testclock.Years(), 11, 27, 15, 0, 0, 0, time.UTC)
	if err := s.AddViews(ctx, day, map[int64]int64{a.ID: 3, b.ID: 1, 99999: 5}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddViews(ctx, day.Add(time.Hour), map[int64]int64{a.ID: 2}); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Article(ctx, "viewed")
	if got.Views != 5 {
		t.Errorf("views = %d, want 5", got.Views)
	}
	// Saving the article keeps its counters.
	got.Title = "Edited"
	if err := s.UpdateArticle(ctx, got, "edit"); err != nil {
		t.Fatal(err)
	}
	if got.Views != 5 {
		t.Errorf("after update, returned article has %d views, want 5", got.Views)
	}
	if again, _ := s.Article(ctx, "viewed"); again.Views != 5 {
		t.Errorf("after update, stored views = %d, want 5", again.Views)
	}
	list, _ := s.Articles(ctx, store.ArticleQuery{})
	for _, l := range list {
		if l.Slug == "also-viewed" && l.Views != 1 {
			t.Errorf("listed views = %d, want 1", l.Views)
		}
	}
}

func testEachArticle(t *testing.T, s store.Store) {
	for i, slug := range []string{"walk-one", "walk-two", "walk-three"} {
		a := sample(slug)
		a.PublishedAt = published.Add(time.Duration(i) * time.Hour)
		a.Body = "Body of " + slug + ".\n"
		mustCreate(t, s, a)
	}
	draft := sample("walk-draft")
	draft.Status, draft.PublishedAt = article.Draft, time.Time{}
	mustCreate(t, s, draft)
	var got []string
	err := s.EachArticle(ctx, store.ArticleQuery{PublicAt: now()}, func(a *article.Article) error {
		if a.Body != "Body of "+a.Slug+".\n" || len(a.Tags) != 2 || a.Author == nil {
			t.Errorf("walked %q: body %q, %d tags", a.Slug, a.Body, len(a.Tags))
		}
		if diff := cmp.Diff(sample("").RequestedLinks, a.RequestedLinks); diff != "" {
			t.Errorf("walked %q: requested links (-want +got):\n%s", a.Slug, diff)
		}
		got = append(got, a.Slug)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"walk-three", "walk-two", "walk-one"}, got); diff != "" {
		t.Errorf("EachArticle (-want +got):\n%s", diff)
	}
	stop := errors.New("stop")
	n := 0
	if err := s.EachArticle(ctx, store.ArticleQuery{}, func(*article.Article) error { n++; return stop }); !errors.Is(err, stop) || n != 1 {
		t.Errorf("an error from fn: walked %d, err %v", n, err)
	}
}
