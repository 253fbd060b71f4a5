package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/google/go-cmp/cmp"
)

// redirectTests are the redirect half of the suite.
var redirectTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"RedirectChainsCollapse", testRedirectChains},
	{"RedirectLoopsRefused", testRedirectLoops},
	{"RedirectPathsCleaned", testRedirectPaths},
	{"RedirectDeleteAndNotFound", testRedirectDelete},
	{"RenameRedirects", testRenameRedirects},
	{"RenameOfUnpublishedRedirectsNothing", testRenameUnpublished},
	{"ConcurrentRedirectsMakeNoChains", testConcurrentRedirects},
	{"AddRedirectsInOneGo", testAddRedirects},
}

func mustRedirect(t *testing.T, s store.Store, from, to string) store.Redirect {
	t.Helper()
	r, err := s.AddRedirect(ctx, from, to)
	if err != nil {
		t.Fatalf("AddRedirect(%q, %q): %v", from, to, err)
	}
	return r
}

// redirectMap is every stored redirect, from → to.
func redirectMap(t *testing.T, s store.Store) map[string]string {
	t.Helper()
	rs, err := s.Redirects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, r := range rs {
		m[r.From] = r.To
	}
	return m
}

func wantRedirects(t *testing.T, s store.Store, want map[string]string) {
	t.Helper()
	if diff := cmp.Diff(want, redirectMap(t, s)); diff != "" {
		t.Errorf("redirects (-want +got):\n%s", diff)
	}
	for from, to := range want {
		if got, err := s.Redirect(ctx, from); err != nil || got != to {
			t.Errorf("Redirect(%q) = %q, %v; want %q", from, got, err, to)
		}
	}
}

func testRedirectChains(t *testing.T, s store.Store) {
	before := now().Add(-time.Second)
	r := mustRedirect(t, s, "/a/", "/b/")
	if r.From != "/a/" || r.To != "/b/" || r.CreatedAt.Before(before) {
		t.Errorf("AddRedirect = %+v", r)
	}
	// b → c makes a → b a chain: a goes straight to c.
	mustRedirect(t, s, "/b/", "/c/")
	wantRedirects(t, s, map[string]string{"/a/": "/c/", "/b/": "/c/"})
	// z → a: a is redirected, so z goes where a goes.
	if r := mustRedirect(t, s, "/z/", "/a/"); r.To != "/c/" {
		t.Errorf("AddRedirect(/z/, /a/) stored %+v, want it to lead to /c/", r)
	}
	// Replacing a's redirect leaves the others alone.
	mustRedirect(t, s, "/a/", "/d/")
	wantRedirects(t, s, map[string]string{"/a/": "/d/", "/b/": "/c/", "/z/": "/c/"})
	// c → https://... : everything leading to c follows, in one hop.
	mustRedirect(t, s, "/c/", "https://archive.example.org/c?from=courier")
	wantRedirects(t, s, map[string]string{
		"/a/": "/d/",
		"/b/": "https://archive.example.org/c?from=courier",
		"/c/": "https://archive.example.org/c?from=courier",
		"/z/": "https://archive.example.org/c?from=courier",
	})
	rs, err := s.Redirects(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var froms []string
	for _, r := range rs {
		froms = append(froms, r.From)
	}
	if diff := cmp.Diff([]string{"/a/", "/b/", "/c/", "/z/"}, froms); diff != "" {
		t.Errorf("Redirects order (-want +got):\n%s", diff)
	}
}

func testRedirectLoops(t *testing.T, s store.Store) {
	mustRedirect(t, s, "/a/", "/b/")
	mustRedirect(t, s, "/b/", "/c/")
	for _, test := range []struct{ from, to, want string }{
		{"/c/", "/a/", "/a/ already redirects to /c/"},
		{"/c/", "/b/", "/b/ already redirects to /c/"},
		{"/x/", "/x", "to itself"},
	} {
		_, err := s.AddRedirect(ctx, test.from, test.to)
		if !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), test.want) {
			t.Errorf("AddRedirect(%q, %q): err = %v, want ErrConflict saying %q", test.from, test.to, err, test.want)
		}
	}
	// Nothing was written by the refusals.
	wantRedirects(t, s, map[string]string{"/a/": "/c/", "/b/": "/c/"})

	// A redirect from an article's address would never be used.
	mustCreate(t, s, sample("living"))
	if _, err := s.AddRedirect(ctx, "/living/", "/elsewhere/"); !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), `article "living"`) {
		t.Errorf("AddRedirect from an article's address: err = %v, want ErrConflict naming the article", err)
	}
	// To one is fine.
	mustRedirect(t, s, "/old-living/", "/living/")
}

func testRedirectPaths(t *testing.T, s store.Store) {
	for _, test := range []struct{ from, to, wantFrom, wantTo string }{
		{"/old-slug", "/new-slug", "/old-slug/", "/new-slug/"},
		{" /2019/05/old-post ", "/2026/new-post/", "/2019/05/old-post/", "/2026/new-post/"},
		{"/feed.xml", "/feed/", "/feed.xml", "/feed/"},
		{"/old.html/", "/feed.json/", "/old.html", "/feed.json"},
		{"/v1.2", "/v1.10/", "/v1.2/", "/v1.10/"},
		{"/caf%C3%A9/", "/cafe/", "/caf%C3%A9/", "/cafe/"},
		{"/café/menu", "/cafe/", "/caf%C3%A9/menu/", "/cafe/"},
		{"/gone/", "HTTPS://example.org/kept?as=is#there", "/gone/", "https://example.org/kept?as=is#there"},
		{"/root/", "/", "/root/", "/"},
	} {
		r, err := s.AddRedirect(ctx, test.from, test.to)
		if err != nil || r.From != test.wantFrom || r.To != test.wantTo {
			t.Errorf("AddRedirect(%q, %q) = %+v, %v; want %s → %s", test.from, test.to, r, err, test.wantFrom, test.wantTo)
		}
	}
	// Looked up in any of its spellings.
	for _, p := range []string{"/old-slug", "/old-slug/", "/café", "/caf%c3%a9/"} {
		if _, err := s.Redirect(ctx, p); err != nil {
			t.Errorf("Redirect(%q): %v", p, err)
		}
	}
	stored := len(redirectMap(t, s))
	for _, test := range []struct{ from, to, want string }{
		{"", "/x/", "empty"},
		{"old-slug", "/x/", "must start with /"},
		{"https://example.org/old/", "/x/", "without scheme or host"},
		{"//example.org/old/", "/x/", "without scheme or host"},
		{"/old/?p=1", "/x/", "query or fragment"},
		{"/old/#top", "/x/", "query or fragment"},
		{"/a/../b/", "/x/", ". or .. segment"},
		{"/a//b/", "/x/", "empty segment"},
		{"/100%/", "/x/", "percent-escape"},
		{"/tab%09/", "/x/", "control characters"},
		{"/" + strings.Repeat("x", 1100) + "/", "/x/", "more than 1024"},
		{"/ok/", "x/", "must start with /"},
		{"/ok/", "javascript:alert(1)", "must start with /"},
		{"/ok/", "https:///nohost", "names no host"},
		{"/ok/", "https://user:pw@example.org/", "user name or password"},
		{"/ok/", "https://example.org/a b", "spaces"},
	} {
		if _, err := s.AddRedirect(ctx, test.from, test.to); err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("AddRedirect(%q, %q): err = %v, want one saying %q", test.from, test.to, err, test.want)
		}
	}
	if n := len(redirectMap(t, s)); n != stored {
		t.Errorf("refused redirects changed the count from %d to %d", stored, n)
	}
}

func testRedirectDelete(t *testing.T, s store.Store) {
	if rs, err := s.Redirects(ctx); err != nil || len(rs) != 0 {
		t.Errorf("Redirects of a new store = %v, %v; want none", rs, err)
	}
	mustRedirect(t, s, "/a/", "/b/")
	mustRedirect(t, s, "/c/", "/b/")
	if err := s.DeleteRedirect(ctx, "/a"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Redirect(ctx, "/a/"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Redirect after delete: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteRedirect(ctx, "/a/"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("second DeleteRedirect: err = %v, want ErrNotFound", err)
	}
	for _, p := range []string{"/never/", "not a path", "/x/../y/"} {
		if _, err := s.Redirect(ctx, p); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("Redirect(%q): err = %v, want ErrNotFound", p, err)
		}
		if err := s.DeleteRedirect(ctx, p); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("DeleteRedirect(%q): err = %v, want ErrNotFound", p, err)
		}
	}
	wantRedirects(t, s, map[string]string{"/c/": "/b/"})
}

// rename gives a stored article a new slug as 'dateline article rename'
// does.
func rename(t *testing.T, s store.Store, a *article.Article, slug string) {
	t.Helper()
	a.Slug = slug
	if err := s.UpdateArticle(ctx, a, "rename"); err != nil {
		t.Fatalf("rename to %q: %v", slug, err)
	}
}

func testRenameRedirects(t *testing.T, s store.Store) {
	a := sample("first")
	mustCreate(t, s, a)
	rename(t, s, a, "second")
	wantRedirects(t, s, map[string]string{"/first/": "/second/"})
	// Twice: one hop from both old addresses.
	rename(t, s, a, "third")
	wantRedirects(t, s, map[string]string{"/first/": "/third/", "/second/": "/third/"})
	// Back to an old slug: the article lives there again, so that
	// address redirects no more.
	rename(t, s, a, "first")
	wantRedirects(t, s, map[string]string{"/second/": "/first/", "/third/": "/first/"})
	// An edit that keeps the slug changes no redirect.
	a.Title = "Edited"
	if err := s.UpdateArticle(ctx, a, "edit"); err != nil {
		t.Fatal(err)
	}
	wantRedirects(t, s, map[string]string{"/second/": "/first/", "/third/": "/first/"})

	// A refused rename (the slug is taken, or the edit is stale) leaves
	// the redirects as they were.
	mustCreate(t, s, sample("taken"))
	a.Slug = "taken"
	if err := s.UpdateArticle(ctx, a, "rename"); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("rename to a taken slug: err = %v, want ErrConflict", err)
	}
	stale := *a
	stale.Slug, stale.Version = "fourth", a.Version-1
	if err := s.UpdateArticle(ctx, &stale, "rename"); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("stale rename: err = %v, want ErrConflict", err)
	}
	wantRedirects(t, s, map[string]string{"/second/": "/first/", "/third/": "/first/"})

	// A redirect someone added by hand to an old address follows too.
	mustRedirect(t, s, "/2019/05/first/", "/third/")
	a.Slug = "first"
	rename(t, s, a, "fifth")
	wantRedirects(t, s, map[string]string{
		"/first/": "/fifth/", "/second/": "/fifth/", "/third/": "/fifth/", "/2019/05/first/": "/fifth/",
	})
}

func testRenameUnpublished(t *testing.T, s store.Store) {
	draft := sample("draft-slug")
	draft.Status, draft.PublishedAt = article.Draft, time.Time{}
	mustCreate(t, s, draft)
	rename(t, s, draft, "draft-renamed")
	later := sample("coming-soon")
	later.Status, later.PublishedAt = article.Scheduled, now().Add(24*time.Hour)
	mustCreate(t, s, later)
	rename(t, s, later, "coming-later")
	due := sample("due")
	due.Status, due.PublishedAt = article.Scheduled, now().Add(-time.Minute)
	mustCreate(t, s, due)
	rename(t, s, due, "was-due")
	// Only the scheduled article whose time has come had readers.
	wantRedirects(t, s, map[string]string{"/due/": "/was-due/"})
}

// Redirects added at the same time, a→b beside b→c, must not make a chain
// that neither saw.
func testConcurrentRedirects(t *testing.T, s store.Store) {
	const n = 10
	var wg sync.WaitGroup
	errs := make(chan error, 2*n)
	for i := range n {
		for _, pair := range [][2]string{{"/a%d/", "/b%d/"}, {"/b%d/", "/c%d/"}} {
			wg.Go(func() {
				_, err := s.AddRedirect(ctx, fmt.Sprintf(pair[0], i), fmt.Sprintf(pair[1], i))
				errs <- err
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	m := redirectMap(t, s)
	for i := range n {
		c := fmt.Sprintf("/c%d/", i)
		for _, from := range []string{fmt.Sprintf("/a%d/", i), fmt.Sprintf("/b%d/", i)} {
			if m[from] != c {
				t.Errorf("%s → %q, want %s in one hop", from, m[from], c)
			}
		}
	}
}

// testAddRedirects: a batch of redirects (an import's old addresses) is
// stored in order, chains collapsed; the ones refused are named and the
// rest stored.
func testAddRedirects(t *testing.T, s store.Store) {
	a := sample("batch-target")
	mustCreate(t, s, a)
	errs, err := s.AddRedirects(ctx, []store.Redirect{
		{From: "/2020/01/old/", To: "/middle/"},
		{From: "/middle/", To: "/batch-target/"},    // the first now leads here too
		{From: "/batch-target/", To: "/elsewhere/"}, // the article lives there
		{From: "/loop/", To: "/loop/"},
		{From: "no-slash", To: "/batch-target/"},
		{From: "/?p=7", To: "/batch-target/"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if errs[0] != nil || errs[1] != nil || errs[5] != nil || !errors.Is(errs[2], store.ErrConflict) || !errors.Is(errs[3], store.ErrConflict) || errs[4] == nil {
		t.Errorf("errors %v", errs)
	}
	for from, want := range map[string]string{"/2020/01/old/": "/batch-target/", "/middle/": "/batch-target/", "/?p=7": "/batch-target/"} {
		if got, err := s.Redirect(ctx, from); err != nil || got != want {
			t.Errorf("Redirect(%s) = %q, %v; want %s", from, got, err, want)
		}
	}
	if _, err := s.Redirect(ctx, "/batch-target/"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a redirect from the article's address was stored: %v", err)
	}
}
