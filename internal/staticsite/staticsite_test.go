package staticsite

import (
	"context"
	"encoding/gob"
	"errors"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/urls"
)

// site is a small site of fixed pages, which a test changes between
// exports.
type site struct {
	mu    sync.Mutex
	pages map[string]string // address → HTML, or CSS under /static/
	fail  string            // an address that answers 500
	asked map[string]int    // how often each address was asked for
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.asked == nil {
		s.asked = map[string]int{}
	}
	s.asked[r.URL.Path]++
	if r.URL.Path == s.fail {
		http.Error(w, "broken", http.StatusInternalServerError)
		return
	}
	body, ok := s.pages[r.URL.Path]
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		w.Write([]byte("<!DOCTYPE html><title>Not found</title>"))
		return
	}
	if strings.HasSuffix(r.URL.Path, ".css") {
		w.Header().Set("Content-Type", "text/css; charset=utf-8")
	} else {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	w.Write([]byte(body))
}

func (s *site) set(path, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages[path] = body
}

func newSite() *site {
	return &site{pages: map[string]string{
		"/":                 `<link rel="stylesheet" href="/static/style.css"><a href="/harbour/">Harbour</a> <a href="https://elsewhere.example.com/x/">away</a>`,
		"/harbour/":         `<h1>Harbour</h1><a href="/harbour/page/2/">older</a><img srcset="/media/1/w320.jpg 320w, /media/1/w640.jpg 640w" alt="">`,
		"/harbour/page/2/":  `<h1>Harbour, page 2</h1>`,
		"/static/style.css": `body{background:url("/static/paper.png")}`,
		"/static/paper.png": "png",
		"/media/1/w320.jpg": "jpg", "/media/1/w640.jpg": "jpg",
	}}
}

func options(dir string, h http.Handler) Options {
	return Options{Dir: dir, Handler: h, BaseURL: "https://news.example.org", Fingerprint: "v1",
		Articles: func(context.Context) ([]Article, error) { return nil, nil }}
}

func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// Each page an export renders is asked for once, those fetched while the
// articles are listed (the sitemaps, the home page) included.
func TestEachPageAskedForOnce(t *testing.T) {
	dir := t.TempDir()
	s := newSite()
	s.set(urls.Sitemap, `<a href="/harbour/">Harbour</a>`)
	s.set(urls.NewsSitemap, `<a href="/harbour/">Harbour</a>`)
	opts := options(dir, s)
	opts.Articles = func(context.Context) ([]Article, error) {
		return []Article{{ID: 1, Path: "/harbour/", State: "1", Card: "c", Listings: []string{urls.Home}}}, nil
	}
	for _, run := range []string{"first", "second"} {
		s.mu.Lock()
		s.asked = nil
		s.mu.Unlock()
		if _, err := Export(context.Background(), opts); err != nil {
			t.Fatal(err)
		}
		s.mu.Lock()
		for p, n := range s.asked {
			if n > 1 {
				t.Errorf("%s export: %s asked for %d times, want once", run, p, n)
			}
		}
		for _, p := range []string{urls.Home, urls.Sitemap, urls.NewsSitemap} {
			if s.asked[p] != 1 {
				t.Errorf("%s export: %s asked for %d times, want once", run, p, s.asked[p])
			}
		}
		s.mu.Unlock()
	}
}

func TestExportFollowsLinks(t *testing.T) {
	dir := t.TempDir()
	s := newSite()
	sum, err := Export(context.Background(), options(dir, s))
	if err != nil {
		t.Fatal(err)
	}
	for path, body := range s.pages {
		name := strings.TrimPrefix(path, "/")
		if name == "" || strings.HasSuffix(name, "/") {
			name += "index.html"
		}
		if got := read(t, filepath.Join(dir, name)); got != body {
			t.Errorf("%s holds %q, want %q", name, got, body)
		}
	}
	if got := read(t, filepath.Join(dir, "404.html")); !strings.Contains(got, "Not found") {
		t.Errorf("404.html holds %q", got)
	}
	if !sum.Full || len(sum.Written) < len(s.pages) {
		t.Errorf("summary %+v", sum)
	}
	// Nothing changed, nothing is written; a changed page is.
	if sum, err := Export(context.Background(), options(dir, s)); err != nil || len(sum.Written) != 0 || sum.Full {
		t.Errorf("second export: %+v, %v", sum, err)
	}
	s.set("/", `<a href="/harbour/">Harbour</a> <a href="/ferry/">Ferry</a>`)
	s.set("/ferry/", `<h1>Ferry</h1>`)
	sum, err = Export(context.Background(), options(dir, s))
	if err != nil || !slices.Equal(sum.Written, []string{"ferry/index.html", "index.html"}) {
		t.Errorf("after an edit of the home page: %+v, %v", sum, err)
	}
}

// An article whose text alone changed has its own page rendered again,
// with its neighbours' (whose related articles may list it) and the feeds
// that carry it, not every page that links it; a change of its card (what
// other pages show of it) renders those too.
func TestTextEditRendersNeighboursNotLinkers(t *testing.T) {
	dir := t.TempDir()
	s := newSite()
	s.set("/", `<a href="/harbour/">Harbour</a> <a href="/a/">A</a>`)
	s.set("/a/", `<h1>A</h1><a href="/b/">B</a> <a href="/c/">C</a>`)
	s.set("/b/", `<h1>B</h1><a href="/a/">A</a>`)
	s.set("/c/", `<h1>C</h1><a href="/a/">A</a>`)
	s.set("/harbour/", `<a href="/a/">A</a> <a href="/b/">B</a> <a href="/c/">C</a> <a href="/harbour/feed/">feed</a> <a href="/harbour/feed/atom/">atom</a>`)
	s.set("/harbour/feed/", `<a href="/a/">A</a>`)
	s.set("/harbour/feed/atom/", `<a href="/b/">B</a>`) // a feed too short to hold /a/
	var mu sync.Mutex
	var rendered []string
	articles := []Article{
		{ID: 1, Path: "/a/", State: "1", Card: "a", Listings: []string{"/harbour/"}},
		{ID: 2, Path: "/b/", State: "1", Card: "b", Listings: []string{"/harbour/"}},
		{ID: 3, Path: "/c/", State: "1", Card: "c", Listings: []string{"/harbour/"}},
	}
	opts := options(dir, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		rendered = append(rendered, r.URL.Path)
		mu.Unlock()
		s.ServeHTTP(w, r)
	}))
	opts.Articles = func(context.Context) ([]Article, error) { return slices.Clone(articles), nil }
	opts.Neighbours = func(_ context.Context, id int64) ([]string, error) {
		if id == 1 {
			return []string{"/b/"}, nil
		}
		return nil, nil
	}
	export := func(what string) []string {
		t.Helper()
		rendered = nil
		if _, err := Export(context.Background(), opts); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return rendered
	}
	export("first export")

	articles[0].State = "2"
	got := export("after a text edit")
	for _, p := range []string{"/a/", "/b/", "/harbour/feed/"} {
		if !slices.Contains(got, p) {
			t.Errorf("after a text edit of /a/, %s was not rendered again (rendered: %v)", p, got)
		}
	}
	for _, p := range []string{"/c/", "/harbour/", "/harbour/feed/atom/"} {
		if slices.Contains(got, p) {
			t.Errorf("after a text edit of /a/, %s was rendered again, though it shows /a/ as before (rendered: %v)", p, got)
		}
	}

	articles[0].State, articles[0].Card = "3", "a, retitled"
	got = export("after a new headline")
	for _, p := range []string{"/a/", "/c/", "/harbour/"} {
		if !slices.Contains(got, p) {
			t.Errorf("after a new headline of /a/, %s was not rendered again (rendered: %v)", p, got)
		}
	}
}

// What only article pages need is made once when one is rendered, and not
// at all when none is: an export with nothing to do stays quick.
func TestBeforeArticlesRunsOnlyForArticlePages(t *testing.T) {
	dir := t.TempDir()
	s := newSite()
	calls := 0
	opts := options(dir, s)
	state := "1"
	opts.Articles = func(context.Context) ([]Article, error) {
		return []Article{{ID: 1, Path: "/harbour/", State: state}}, nil
	}
	opts.BeforeArticles = func(context.Context) error { calls++; return nil }
	if _, err := Export(context.Background(), opts); err != nil || calls != 1 {
		t.Fatalf("full export: BeforeArticles ran %d times (%v); want once", calls, err)
	}
	if _, err := Export(context.Background(), opts); err != nil || calls != 1 {
		t.Fatalf("export with nothing changed: BeforeArticles ran %d times in all (%v); want none more", calls, err)
	}
	state = "2"
	if _, err := Export(context.Background(), opts); err != nil || calls != 2 {
		t.Fatalf("export after an edit: BeforeArticles ran %d times in all (%v); want one more", calls, err)
	}
	// Its failure fails the export, which leaves the site as it was.
	state = "3"
	opts.BeforeArticles = func(context.Context) error { return errors.New("no index") }
	if _, err := Export(context.Background(), opts); err == nil || !strings.Contains(err.Error(), "no index") {
		t.Fatalf("export whose BeforeArticles fails: %v", err)
	}
}

func TestExportRefusesAnAddressOutsideTheDirectory(t *testing.T) {
	parent := t.TempDir()
	dir := filepath.Join(parent, "site")
	s := newSite()
	s.set("/../escape/", "<p>out</p>")
	opts := options(dir, s)
	opts.Articles = func(context.Context) ([]Article, error) {
		return []Article{{ID: 1, Path: "/../escape/", State: "1"}}, nil
	}
	_, err := Export(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), `the page address "/../escape/" would be written outside the export directory`) {
		t.Errorf("got %v", err)
	}
	if _, err := os.Stat(filepath.Join(parent, "escape")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a file was written outside the directory (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed first export left pages behind (%v)", err)
	}
}

// An export that fails leaves the previous site: a page the site
// answers 500 for, or a part the pages needed that failed once they were
// rendered (BeforeCommit).
func TestFailedExportLeavesThePreviousSite(t *testing.T) {
	for _, tc := range []struct {
		name  string
		spoil func(*site, *Options)
		want  string
	}{
		{"a page fails", func(s *site, _ *Options) {
			s.set("/", `<a href="/harbour/">Harbour</a> <a href="/broken/">Broken</a>`)
			s.fail = "/broken/"
		}, "the site answered 500 Internal Server Error for /broken/"},
		{"before the commit", func(_ *site, o *Options) {
			o.Fingerprint = "v2"
			o.BeforeCommit = func(context.Context) error { return errors.New("build the linking index: disk I/O error") }
		}, "build the linking index: disk I/O error"},
		{"the disk cannot flush", func(_ *site, o *Options) {
			o.Fingerprint = "v2"
			o.flush = func(dir string) error { return &os.PathError{Op: "syncfs", Path: dir, Err: syscall.EIO} }
		}, "flush the exported files to the disk: input/output error"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			s := newSite()
			if _, err := Export(context.Background(), options(dir, s)); err != nil {
				t.Fatal(err)
			}
			before := read(t, filepath.Join(dir, stateDir, manifestFile))
			s.set("/harbour/", `<h1>Harbour, edited</h1>`)
			opts := options(dir, s)
			tc.spoil(s, &opts)
			if _, err := Export(context.Background(), opts); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want %q", err, tc.want)
			}
			if got := read(t, filepath.Join(dir, "harbour", "index.html")); !strings.Contains(got, "page/2") {
				t.Errorf("a failed export changed a page: %q", got)
			}
			if read(t, filepath.Join(dir, stateDir, manifestFile)) != before {
				t.Error("a failed export changed the manifest")
			}
			if _, err := os.Stat(filepath.Join(dir, stateDir, "staging")); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a failed export left its staging (%v)", err)
			}
		})
	}
}

// A manifest of an earlier format (format 3 was JSON, in manifest.json;
// format 1 named linked articles by address) makes the next export a
// whole one, not an error; a damaged one is an error that says what to
// do.
func TestManifestOfAnEarlierFormat(t *testing.T) {
	dir := t.TempDir()
	s := newSite()
	if _, err := Export(context.Background(), options(dir, s)); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, stateDir)
	// As an export of format 3 left it.
	if err := os.Remove(filepath.Join(state, manifestFile)); err != nil {
		t.Fatal(err)
	}
	v3 := `{"version":3,"fingerprint":"v1","files":{"/harbour/":{"hash":"x","links":[1]}}}`
	if err := os.WriteFile(filepath.Join(state, legacyManifestFile), []byte(v3), 0o600); err != nil {
		t.Fatal(err)
	}
	sum, err := Export(context.Background(), options(dir, s))
	if err != nil || !sum.Full {
		t.Errorf("export over a JSON manifest of format 3: %+v, %v; want a whole export", sum, err)
	}
	if _, err := os.Stat(filepath.Join(state, legacyManifestFile)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the manifest of format 3 is still there (%v)", err)
	}
	writeGob := func(v any) {
		t.Helper()
		f, err := os.Create(filepath.Join(state, manifestFile))
		if err != nil {
			t.Fatal(err)
		}
		if err := gob.NewEncoder(f).Encode(v); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
	}
	type byAddress struct{ Links []string }
	type head struct{ Version int }
	writeGob(struct {
		Head  head
		Files map[string]byAddress
	}{head{1}, map[string]byAddress{"/harbour/": {Links: []string{"/a/"}}}})
	if sum, err := Export(context.Background(), options(dir, s)); err != nil || !sum.Full {
		t.Errorf("export over a manifest of format 1: %+v, %v; want a whole export", sum, err)
	}
	// Format 4 kept the pages and the articles in maps.
	type articleOfFormat4 struct {
		Path     string
		Listings []int
	}
	writeGob(struct {
		Head     head
		Files    map[string]fileEntry
		Listings []string
		Articles map[int64]articleOfFormat4
	}{head{4}, map[string]fileEntry{"/harbour/": {Hash: "x", Links: []int64{1}}}, []string{"/"}, map[int64]articleOfFormat4{1: {Path: "/harbour/", Listings: []int{0}}}})
	if sum, err := Export(context.Background(), options(dir, s)); err != nil || !sum.Full {
		t.Errorf("export over a manifest of format 4: %+v, %v; want a whole export", sum, err)
	}
	valid := manifestOnDisk{Head: manifestHead{Version: manifestVersion}}
	noFile, noListing, uneven, linksLeft, tooManyLinks := valid, valid, valid, valid, valid
	noFile.Pages = pageColumns{Paths: []string{"/robots.txt"}, Files: []string{""}, Hashes: []string{"x"}, LinkCounts: []int32{0}}
	noListing.Listings = []string{"/"}
	noListing.Articles = articleColumns{IDs: []int64{1}, Paths: []string{"/a/"}, States: []string{"s"}, Cards: []string{""}, Orders: []string{""}, Groups: []string{""},
		ListingCounts: []int32{2}, Listings: []int32{0, 3}}
	uneven.Pages = pageColumns{Paths: []string{"/", "/a/"}, Files: []string{"", ""}, Hashes: []string{"x"}, LinkCounts: []int32{0, 0}}
	linksLeft.Pages = pageColumns{Paths: []string{"/"}, Files: []string{""}, Hashes: []string{"x"}, LinkCounts: []int32{1}, Links: []int64{1, 2}}
	tooManyLinks.Pages = pageColumns{Paths: []string{"/"}, Files: []string{""}, Hashes: []string{"x"}, LinkCounts: []int32{3}, Links: []int64{1, 2}}
	for name, damaged := range map[string]any{
		"pages by address, not in columns": struct {
			Head  head
			Pages map[string]byAddress
		}{head{manifestVersion}, map[string]byAddress{"/": {Links: []string{"/a/"}}}},
		"no file for a page that is no folder": noFile,
		"a listing not in the list":            noListing,
		"columns of different lengths":         uneven,
		"links no page has":                    linksLeft,
		"more links counted than listed":       tooManyLinks,
		"cut short":                            nil,
	} {
		if damaged != nil {
			writeGob(damaged)
		} else if err := os.Truncate(filepath.Join(state, manifestFile), 40); err != nil {
			t.Fatal(err)
		}
		if _, err := Export(context.Background(), options(dir, s)); err == nil || !strings.Contains(err.Error(), "remove it to export everything again") {
			t.Errorf("export over a damaged manifest (%s): %v; want an error that says to remove it", name, err)
		}
	}
	// Removed as the error says: the next export is a whole one, in the
	// same folder, with no --force.
	if err := os.Remove(filepath.Join(state, manifestFile)); err != nil {
		t.Fatal(err)
	}
	if sum, err := Export(context.Background(), options(dir, s)); err != nil || !sum.Full {
		t.Errorf("export after the damaged manifest was removed: %+v, %v; want a whole export", sum, err)
	}
}

// exportedThenEdited exports the test site into a new folder, edits its
// harbour page and returns the folder and the options of the next
// export, with a new fingerprint (settings changed): every page is
// rendered again.
func exportedThenEdited(t *testing.T) (string, Options) {
	t.Helper()
	dir := t.TempDir()
	s := newSite()
	if _, err := Export(context.Background(), options(dir, s)); err != nil {
		t.Fatal(err)
	}
	s.set("/harbour/", `<h1>Harbour, edited</h1>`)
	opts := options(dir, s)
	opts.Fingerprint = "v2"
	return dir, opts
}

// The staged files and the next manifest are flushed to the disk before
// the commit record that makes them the site's is written: a record that
// reached the disk first would, after a power cut, move files never
// written into place.
func TestStagedFilesFlushedBeforeTheRecord(t *testing.T) {
	dir, opts := exportedThenEdited(t)
	state := filepath.Join(dir, stateDir)
	flushes := 0
	opts.flush = func(d string) error {
		flushes++
		if d != state {
			t.Errorf("flushed %s; want the export's state folder %s", d, state)
		}
		if _, err := os.Stat(filepath.Join(state, commitFile)); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the commit record was there before the flush (%v)", err)
		}
		if _, err := os.Stat(filepath.Join(state, nextManifestFile)); err != nil {
			t.Errorf("the next manifest was not written before the flush: %v", err)
		}
		if got := read(t, filepath.Join(state, "staging", stagedName("harbour/index.html"))); got != `<h1>Harbour, edited</h1>` {
			t.Errorf("the edited page was not staged before the flush: %q", got)
		}
		return flushToDisk(d)
	}
	if _, err := Export(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if flushes != 1 {
		t.Errorf("the export flushed %d times; want once", flushes)
	}
	if got := read(t, filepath.Join(dir, "harbour", "index.html")); got != `<h1>Harbour, edited</h1>` {
		t.Errorf("the flushed export was not committed: %q", got)
	}
}

// An export killed once its commit is recorded is finished by the next,
// before anything else.
func TestInterruptedCommitIsFinished(t *testing.T) {
	dir, opts := exportedThenEdited(t)
	opts.stopAfterRecord = true
	if _, err := Export(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "harbour", "index.html")); strings.Contains(got, "edited") {
		t.Fatal("the commit went ahead")
	}
	opts.stopAfterRecord = false
	sum, err := Export(context.Background(), opts)
	if err != nil {
		t.Fatal(err)
	}
	if got := read(t, filepath.Join(dir, "harbour", "index.html")); got != `<h1>Harbour, edited</h1>` {
		t.Errorf("the interrupted commit was not finished: %q", got)
	}
	if len(sum.Written) != 0 {
		t.Errorf("the export after it wrote %v; want nothing", sum.Written)
	}
	if _, err := os.Stat(filepath.Join(dir, "harbour", "page", "2", "index.html")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the page no longer linked is still there (%v)", err)
	}
}

// A disk that fills half-way leaves the previous site, and says so.
func TestExportOnAFullDisk(t *testing.T) {
	if runtime.GOOS != "linux" || os.Geteuid() != 0 {
		t.Skip("mounts a small tmpfs: Linux, as root")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", dir).Run() })
	s := newSite()
	if _, err := Export(context.Background(), options(dir, s)); err != nil {
		t.Fatal(err)
	}
	s.set("/harbour/", `<h1>Harbour, edited</h1>`+strings.Repeat("x", 512<<10))
	opts := options(dir, s)
	opts.Fingerprint = "v2"
	_, err := Export(context.Background(), opts)
	if err == nil || !strings.Contains(err.Error(), "the disk is full; nothing was changed in the export directory, which still holds the previous site") {
		t.Fatalf("got %v", err)
	}
	if got := read(t, filepath.Join(dir, "harbour", "index.html")); strings.Contains(got, "edited") {
		t.Error("the previous page was replaced")
	}
}

func TestExportBadBaseURL(t *testing.T) {
	for _, test := range []struct{ base, want string }{
		{"", "the site's address (--base-url) is required"},
		{"news.example.org", `--base-url "news.example.org": begin it with https://`},
		{"ftp://news.example.org", "begin it with https://"},
		{"https://", "name the host"},
		{"https://news.example.org/site", "a site served under a path is not supported"},
	} {
		opts := options(t.TempDir(), newSite())
		opts.BaseURL = test.base
		if _, err := Export(context.Background(), opts); err == nil || !strings.Contains(err.Error(), test.want) {
			t.Errorf("%q: got %v, want %q", test.base, err, test.want)
		}
	}
}

func TestExportCancelled(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), time.Nanosecond)
	defer cancel()
	<-ctx.Done()
	if _, err := Export(ctx, options(dir, newSite())); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "index.html")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a cancelled export wrote pages (%v)", err)
	}
}

// The manifest reads back as it was written, with its listings named by
// their place in one list and the files that follow from their pages'
// addresses left out on disk.
func TestManifestReadsBackAsWritten(t *testing.T) {
	state := t.TempDir()
	m := &manifest{manifestHead: manifestHead{Version: manifestVersion, Fingerprint: "f", BaseURL: "https://news.example.org", ExportedAt: time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)},
		Files: map[string]fileEntry{
			"/":               {File: "index.html", Hash: "h1", Links: []int64{2, 1}},
			"/harbour/":       {File: "harbour/index.html", Hash: "h2", Links: []int64{1}},
			"/feed/":          {File: "feed/index.xml", Hash: "h3", Links: []int64{2}},
			"/sitemap.xml":    {File: "sitemap.xml", Hash: "h4"},
			"/tag/ferries/":   {File: "tag/ferries/index.html", Hash: "h5"},
			"/tag/ferries/x/": {File: "tag/ferries/x/index.json", Hash: "h6"},
		},
		Extra: map[string]string{"404.html": "h7"},
		Articles: map[int64]articleEntry{
			1: {Path: "/harbour/", State: digest("3/0/false//1"), Card: "c1", Order: "2026-11-29T09:00:00Z", Listings: []string{"/", "/tag/ferries/"}, Group: "/news/"},
			2: {Path: "/pier/", State: digest("1/2/true//2"), Order: "2026-11-30T09:00:00Z", Listings: []string{"/tag/ferries/", "/author/ines/"}},
			3: {Path: "/about/", State: digest("1/0/false//3")},
		},
		Gone: []string{"/old/"},
	}
	if err := writeManifest(state, manifestFile, m); err != nil {
		t.Fatal(err)
	}
	var d manifestOnDisk
	f, err := os.Open(filepath.Join(state, manifestFile))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := gob.NewDecoder(f).Decode(&d); err != nil {
		t.Fatal(err)
	}
	// The articles in the order of their IDs: article 2's listings come
	// after article 1's two.
	if !slices.Equal(d.Articles.IDs, []int64{1, 2, 3}) || !slices.Equal(d.Articles.ListingCounts, []int32{2, 2, 0}) {
		t.Fatalf("articles %v with %v listings; want 1, 2, 3 with 2, 2, 0", d.Articles.IDs, d.Articles.ListingCounts)
	}
	if n := slices.Index(d.Listings, "/tag/ferries/"); n < 0 || slices.Index(d.Listings[n+1:], "/tag/ferries/") >= 0 ||
		!slices.Equal(d.Articles.Listings[2:4], []int32{int32(n), int32(slices.Index(d.Listings, "/author/ines/"))}) {
		t.Errorf("the listing /tag/ferries/ should be in the list once, and named by its place there: %v, %+v", d.Listings, d.Articles)
	}
	file := func(path string) string {
		i := slices.Index(d.Pages.Paths, path)
		if i < 0 {
			t.Fatalf("no page %s on disk: %v", path, d.Pages.Paths)
		}
		return d.Pages.Files[i]
	}
	if file("/harbour/") != "" || file("/feed/") != "feed/index.xml" || file("/tag/ferries/x/") != "tag/ferries/x/index.json" {
		t.Errorf("the manifest should leave out only the files that follow from the address: %+v", d.Pages)
	}
	got, err := readManifest(state)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, m) {
		t.Errorf("read back:\n%+v\nwant\n%+v", got, m)
	}
}

// A commit makes the folders its files go in: a new one, one already
// there, one whose parents are missing too; a file where a folder should
// be is an error.
func TestCommitMakesFolders(t *testing.T) {
	dir := t.TempDir()
	for _, d := range []string{"harbour", "harbour", filepath.Join("tag", "ferries", "page", "2")} {
		if err := makeDir(filepath.Join(dir, d)); err != nil {
			t.Errorf("makeDir(%s): %v", d, err)
		}
		if fi, err := os.Stat(filepath.Join(dir, d)); err != nil || !fi.IsDir() {
			t.Errorf("%s is not a folder after makeDir: %v", d, err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "pier"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := makeDir(filepath.Join(dir, "pier")); err == nil {
		t.Error("makeDir over a file: no error")
	}
}

// The links a page gives as plain paths are taken as they are written;
// every other reference is resolved: both ways agree on every kind of
// address a theme may write.
func TestSitePathAgreesWithTheURLParser(t *testing.T) {
	x := &export{}
	var err error
	if x.base, err = parseBaseURL("https://news.example.org"); err != nil {
		t.Fatal(err)
	}
	page := &url.URL{Scheme: "https", Host: "news.example.org", Path: "/harbour/ferry/"}
	for _, ref := range []string{
		"/", "/harbour/", "/static/style.3f2a.css", "/media/1/w320.jpg", "  /harbour/  ",
		"/harbour/page/2/", "/a:b/", "/tags/caf\u00e9/", "/a b/", "/a\tb/",
		"/harbour/./x/", "/harbour/../x/", "/.well-known/x", "/harbour/..", "/harbour/.",
		"/harbour?page=2", "/harbour#top", "/caf%C3%A9/", "/a%2Fb/", `/a\b/`,
		"//elsewhere.example.com/x/", "//news.example.org/x/", "https://news.example.org/x/",
		"https://elsewhere.example.com/x/", "http://news.example.org/x/", "mailto:desk@example.org",
		"older/", "../", "./", "#comments", "", "/admin", "/admin/", "/admin/articles", "/administration/",
		"/a\x7fb/", "/a\x00b/",
	} {
		wantPath, want := x.resolvePath(page, strings.TrimSpace(ref))
		gotPath, got := x.sitePath(page, ref)
		if gotPath != wantPath || got != want {
			t.Errorf("sitePath(%q) = %q, %v; the URL parser gives %q, %v", ref, gotPath, got, wantPath, want)
		}
	}
	if !plainPath("/harbour/page/2/") || plainPath("/harbour/../x/") {
		t.Error("plainPath does not tell a plain path from one to resolve")
	}
}

// A feed's and a sitemap's links are the site's absolute addresses in
// them, each ending where the markup or the text around it begins, with
// XML's escapes read; other sites' addresses are not the site's pages.
func TestAbsoluteLinksInFeeds(t *testing.T) {
	body := []byte(`<?xml version="1.0"?><rss><channel><link>https://news.example.org/</link>
<item><link>https://news.example.org/harbour/</link><description>See https://news.example.org/ferry/ or
https://other.example.org/harbour/ and <a href="https://news.example.org/search/?q=tide&amp;page=2">this</a>.</description>
<enclosure url='https://news.example.org/media/1/boat.jpg'/></item></channel></rss>
https://news.example.org/last/`)
	var got []string
	absoluteLinks(body, "https://news.example.org/", func(s string) { got = append(got, s) })
	want := []string{
		"https://news.example.org/",
		"https://news.example.org/harbour/",
		"https://news.example.org/ferry/",
		"https://news.example.org/search/?q=tide&page=2",
		"https://news.example.org/media/1/boat.jpg",
		"https://news.example.org/last/",
	}
	if !slices.Equal(got, want) {
		t.Errorf("links:\n%q\nwant\n%q", got, want)
	}
}

// A page's links are what a browser follows or loads from it (hrefs, srcs
// and srcsets, whatever the element's case or the attribute's escapes)
// and the photos named for sharing, not addresses in attributes that no
// browser loads.
func TestHTMLLinks(t *testing.T) {
	body := []byte(`<!DOCTYPE html><html><head>
<link rel="stylesheet" href="/static/style.css"><script src="/static/app.js"></script>
<meta property="og:image" content="/media/1/share.jpg"><meta name="twitter:image" content="/media/1/card.jpg">
<meta name="description" content="/not/a/link/"></head>
<body><p class="lead" id="top">Text with <A HREF="/harbour/?a=1&amp;b=2">a link</A> and <em>no</em> address.</p>
<picture><source srcset="/media/2/w320.webp 320w, /media/2/w640.webp 640w" type="image/webp"><img src="/media/2/w640.jpg" alt=""></picture>
<map name="m"><area href="/ferry/" alt="Ferry"></map><iframe src="/embed/1/"></iframe><embed src="/media/3/chart.svg">
<video src="/media/4/clip.mp4" poster="/media/4/still.jpg"><track src="/media/4/captions.vtt"></video><audio src="/media/5/talk.mp3"></audio>
<input type="image" src="/static/go.png" alt="Go"><blockquote cite="/quoted/"><div data-href="/data/" src="/div-src/">x</div></blockquote>
<time datetime="2026-01-02">2 January</time></body></html>`)
	var got []string
	htmlLinks(body, func(s string) { got = append(got, s) })
	want := []string{
		"/static/style.css", "/static/app.js", "/media/1/share.jpg", "/media/1/card.jpg",
		"/harbour/?a=1&b=2", "/media/2/w320.webp", "/media/2/w640.webp", "/media/2/w640.jpg",
		"/ferry/", "/embed/1/", "/media/3/chart.svg", "/media/4/clip.mp4", "/media/4/captions.vtt",
		"/media/5/talk.mp3", "/static/go.png",
	}
	if !slices.Equal(got, want) {
		t.Errorf("links:\n%q\nwant\n%q", got, want)
	}
}
