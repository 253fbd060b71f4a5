package public

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/web"
)

// rename gives a stored article a new slug, as 'dateline article rename'
// does.
func (ts *testServer) rename(t *testing.T, a *article.Article, slug string) {
	t.Helper()
	a.Slug = slug
	if err := ts.store.UpdateArticle(ctx, a, "rename"); err != nil {
		t.Fatal(err)
	}
}

func wantRedirect(t *testing.T, ts *testServer, method, from, to string) {
	t.Helper()
	resp, _ := ts.do(t, method, from)
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != to {
		t.Errorf("%s %s = %d to %q, want 301 to %q", method, from, resp.StatusCode, resp.Header.Get("Location"), to)
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "max-age=") {
		t.Errorf("%s %s: Cache-Control %q, want a bounded max-age", method, from, cc)
	}
}

func wantNotFound(t *testing.T, ts *testServer, path string) {
	t.Helper()
	resp, body := ts.get(t, path)
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(body, "Page not found") || !strings.Contains(body, "The Selvik Courier") {
		t.Errorf("GET %s = %d, want the themed 404 page", path, resp.StatusCode)
	}
}

func TestRenamedArticleRedirects(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	a := ts.add(t, floodArticle())
	first := a.Slug
	ts.rename(t, a, "ems-barriers-hold")

	wantRedirect(t, ts, http.MethodGet, "/"+first+"/", "/ems-barriers-hold/")
	wantRedirect(t, ts, http.MethodHead, "/"+first+"/", "/ems-barriers-hold/")
	wantRedirect(t, ts, http.MethodGet, "/"+first+"/?utm_source=feed&x=%C3%A9", "/ems-barriers-hold/?utm_source=feed&x=%C3%A9")
	// Without its slash the old address gets the canonical slash first.
	if resp, _ := ts.get(t, "/"+first+"?ref=x"); resp.StatusCode != 301 || resp.Header.Get("Location") != "/"+first+"/?ref=x" {
		t.Errorf("GET /%s?ref=x = %d to %q, want 301 to the canonical slash", first, resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, body := ts.get(t, "/ems-barriers-hold/"); resp.StatusCode != 200 || !strings.Contains(body, a.Title) {
		t.Errorf("GET the new address = %d", resp.StatusCode)
	}

	// Renamed again: both old addresses lead to the newest in one hop.
	ts.rename(t, a, "barriers-hold")
	wantRedirect(t, ts, http.MethodGet, "/"+first+"/", "/barriers-hold/")
	wantRedirect(t, ts, http.MethodGet, "/ems-barriers-hold/", "/barriers-hold/")

	// Back to the first slug: the article is served there again.
	ts.rename(t, a, first)
	if resp, _ := ts.get(t, "/"+first+"/"); resp.StatusCode != 200 {
		t.Errorf("GET the first address after renaming back = %d, want 200", resp.StatusCode)
	}
	wantRedirect(t, ts, http.MethodGet, "/barriers-hold/", "/"+first+"/")

	// A draft had no readers: its old address is simply gone.
	d := floodArticle()
	d.Title, d.Status = "Budget draft", article.Draft
	ts.add(t, d)
	ts.rename(t, d, "budget-draft-2")
	wantNotFound(t, ts, "/budget-draft/")

	// Comments are not posted through a redirect.
	if resp, _ := ts.do(t, http.MethodPost, "/ems-barriers-hold/comments"); resp.StatusCode == http.StatusMovedPermanently {
		t.Errorf("POST to an old address was redirected")
	}
}

func TestHandAddedRedirects(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	a := ts.add(t, floodArticle())
	for _, r := range [][2]string{
		{"/2019/05/ems-flood/", "/old-flood-story/"},
		{"/old-flood-story/", "/" + a.Slug + "/"}, // makes the one above a chain, collapsed
		{"/archive/story.html", "https://archive.example.org/story?id=7"},
		{"/café/", "/tag/selvik/"},
		{"/about.html", "/author/ingrid-solheim/"},
	} {
		if _, err := ts.store.AddRedirect(ctx, r[0], r[1]); err != nil {
			t.Fatal(err)
		}
	}
	wantRedirect(t, ts, http.MethodGet, "/2019/05/ems-flood/", "/"+a.Slug+"/")
	wantRedirect(t, ts, http.MethodGet, "/2019/05/ems-flood", "/"+a.Slug+"/")
	wantRedirect(t, ts, http.MethodGet, "/old-flood-story/?a=1", "/"+a.Slug+"/?a=1")
	wantRedirect(t, ts, http.MethodGet, "/archive/story.html?ref=x", "https://archive.example.org/story?id=7&ref=x")
	wantRedirect(t, ts, http.MethodGet, "/caf%C3%A9/", "/tag/selvik/")
	// The site gives /about.html its canonical slash first.
	wantRedirect(t, ts, http.MethodGet, "/about.html/", "/author/ingrid-solheim/")
	if resp, _ := ts.get(t, "/about.html"); resp.StatusCode != 301 {
		t.Errorf("GET /about.html = %d, want 301", resp.StatusCode)
	}

	if err := ts.store.DeleteRedirect(ctx, "/old-flood-story/"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/old-flood-story/", "/no-such-page/", "/2019/05/elsewhere/", "/nothing.html/", "/deep/nothing.html"} {
		wantNotFound(t, ts, p)
	}
}

// countingStore counts redirect lookups.
type countingStore struct {
	store.Store
	lookups atomic.Int64
}

func (c *countingStore) Redirect(ctx context.Context, path string) (string, error) {
	c.lookups.Add(1)
	if path == "/moved/" {
		return "/here/", nil
	}
	if path == "/broken/" {
		return "", errors.New("database is down")
	}
	return "", store.ErrNotFound
}

// Only a page that is not found looks for a redirect.
func TestRedirectLookupOnlyWhenNotFound(t *testing.T) {
	t.Parallel()
	cs := &countingStore{}
	h := &Handlers{store: cs}
	found := h.redirecting(func(w http.ResponseWriter, r *http.Request) error { return nil })
	failed := h.redirecting(func(w http.ResponseWriter, r *http.Request) error { return errors.New("boom") })
	missing := h.redirecting(func(w http.ResponseWriter, r *http.Request) error {
		return errors.Join(errors.New("article"), store.ErrNotFound)
	})
	for _, test := range []struct {
		name        string
		fn          web.HandlerFunc
		method, url string
		lookups     int64
		wantErr     bool
		wantStatus  int
	}{
		{"found", found, http.MethodGet, "/moved/", 0, false, 200},
		{"failed", failed, http.MethodGet, "/moved/", 0, true, 200},
		{"post", missing, http.MethodPost, "/moved/", 0, true, 200},
		{"redirected", missing, http.MethodGet, "/moved/?q=1", 1, false, 301},
		{"head", missing, http.MethodHead, "/moved", 1, false, 301},
		{"no redirect", missing, http.MethodGet, "/other/", 1, true, 200},
		{"store down", missing, http.MethodGet, "/broken/", 1, true, 200},
		{"unstorable path", missing, http.MethodGet, "/a//b/", 0, true, 200},
	} {
		t.Run(test.name, func(t *testing.T) {
			before := cs.lookups.Load()
			w := httptest.NewRecorder()
			err := test.fn(w, httptest.NewRequest(test.method, test.url, nil))
			if got := cs.lookups.Load() - before; got != test.lookups {
				t.Errorf("%d redirect lookups, want %d", got, test.lookups)
			}
			if (err != nil) != test.wantErr || w.Code != test.wantStatus {
				t.Errorf("err = %v, status %d; want error %v, status %d", err, w.Code, test.wantErr, test.wantStatus)
			}
			if test.wantStatus == 301 && !strings.HasPrefix(w.Header().Get("Location"), "/here/") {
				t.Errorf("Location %q, want /here/", w.Header().Get("Location"))
			}
			if test.name == "store down" && (errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), "database is down")) {
				t.Errorf("a failed lookup gave %v, want the store's error (a 500, not a 404)", err)
			}
		})
	}
}

// Issue: /page/1/ answered 404. A listing's first page has one address.
func TestFirstPageRedirectsToTheListing(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	ts.add(t, floodArticle())
	for _, test := range []struct{ method, from, to string }{
		{http.MethodGet, "/page/1/", "/"},
		{http.MethodHead, "/page/1/", "/"},
		{http.MethodGet, "/page/1/?utm_source=news", "/?utm_source=news"},
		{http.MethodGet, "/tag/x/page/1/", "/tag/x/"},
		{http.MethodGet, "/author/x/page/1/", "/author/x/"},
		{http.MethodGet, "/tag/caf%C3%A9/page/1/", "/tag/caf%C3%A9/"},
	} {
		wantRedirect(t, ts, test.method, test.from, test.to)
	}
	wantNotFound(t, ts, "/page/01/")
}

// Issue 15: a site moved in from WordPress keeps its "plain" permalinks,
// /?p=123 and /?page_id=45, which are the home page's address with a
// query; any other query on the home page is the home page.
func TestWordPressQueryAddresses(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	a := ts.add(t, floodArticle())
	for from, to := range map[string]string{"/?p=21": "/" + a.Slug + "/", "/?page_id=2": "/" + a.Slug + "/"} {
		if _, err := ts.store.AddRedirect(ctx, from, to); err != nil {
			t.Fatalf("AddRedirect(%s): %v", from, err)
		}
	}
	wantRedirect(t, ts, http.MethodGet, "/?p=21", "/"+a.Slug+"/")
	wantRedirect(t, ts, http.MethodGet, "/?page_id=2", "/"+a.Slug+"/")
	for _, home := range []string{"/?p=22", "/?p=21&x=1", "/?utm_source=feed", "/"} {
		if resp, body := ts.get(t, home); resp.StatusCode != 200 || !strings.Contains(body, a.Title) {
			t.Errorf("GET %s = %d, want the home page", home, resp.StatusCode)
		}
	}
	if _, err := ts.store.AddRedirect(ctx, "/?s=flood", "/x/"); err == nil {
		t.Error("a redirect from a search address was stored")
	}
}
