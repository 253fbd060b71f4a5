package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/staticsite"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlite"
)

const siteBase = "https://news.example.org"

// exportedFiles lists the pages an export left in dir, as its manifest
// keeps them: each page's address and file.
func exportedFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	files, err := staticsite.Pages(dir)
	if err != nil || len(files) == 0 {
		t.Fatalf("the pages of the export in %s: %v, %v", dir, files, err)
	}
	return files
}

// commentToken matches a comment form's one-time token, which differs on
// every rendering of a page.
var commentToken = regexp.MustCompile(`name="dl_token" value="[^"]*"`)

// fetchPage fetches base+path and returns the status and body.
func fetchPage(t *testing.T, base, path string) (int, []byte) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

// demoTemplate is a demo site with its photos' sizes made, built once
// for the tests that copy it (demoSite).
var demoTemplate struct {
	once sync.Once
	dir  string
	err  error
}

// demoSite returns a database of the demo newsroom whose photo sizes are
// made (serve makes them in the background, which under the race
// detector on a busy machine can take minutes), a copy of its own.
func demoSite(t *testing.T) string {
	t.Helper()
	demoTemplate.once.Do(func() {
		dir, err := os.MkdirTemp("", "dateline-demo-")
		if err != nil {
			demoTemplate.err = err
			return
		}
		demoTemplate.dir = dir
		demoTemplate.err = func() error {
			ctx := context.Background()
			s, err := sqlite.Open(ctx, filepath.Join(dir, "site.db"), store.Options{Now: clock.Now})
			if err != nil {
				return err
			}
			defer s.Close()
			files, err := media.NewDir(filepath.Join(dir, "site-media"))
			if err != nil {
				return err
			}
			news := newsroom.New(s, render.New(), clock.Now, nil)
			news.UseLibrary(newsroom.Library{Files: files, Processor: media.NewProcessor(media.DefaultLimits(), 2)})
			if err := loadDemoContent(ctx, s, news, slog.New(slog.DiscardHandler)); err != nil {
				return err
			}
			_, err = news.MakeSizes(ctx)
			return err
		}()
	})
	if demoTemplate.err != nil {
		t.Fatalf("the demo site: %v", demoTemplate.err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(demoTemplate.dir)); err != nil {
		t.Fatal(err)
	}
	return "sqlite:" + filepath.Join(dir, "site.db")
}

// The whole demo site exported is what serve answers, file for file; a
// second export writes nothing, and one after an edit rewrites the
// article's page and the pages that show it, no more.
func TestExportSiteIsWhatServeAnswers(t *testing.T) {
	t.Parallel()
	db := demoSite(t)
	// No page cache: the clock stands still in tests, so a cached page
	// would never be built again.
	base, _ := startServe(t, "--db", db, "--base-url", siteBase, "--cache", "0")
	const edited = "new-triage-unit-cuts-emergency-waits-at-selvik-university-hospital"

	dir := t.TempDir()
	out := mustRun(t, "export", "--db", db, "--base-url", siteBase, dir)
	if !strings.Contains(out, "exported the whole site to "+dir) {
		t.Errorf("export said %q", out)
	}
	files := exportedFiles(t, dir)
	kinds := map[string]bool{}
	for path, file := range files {
		for _, k := range []string{"/tag/", "/author/", "/feed/", "/feed/atom/", "feed.json", "/media/", "/static/", "sitemap.xml", "robots.txt", "opensearch.xml", "/search/"} {
			if strings.Contains(path, k) {
				kinds[k] = true
			}
		}
		got, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		status, want := fetchPage(t, base, path)
		if status != http.StatusOK {
			t.Errorf("%s: serve answers %d, but the export wrote %s", path, status, file)
			continue
		}
		got, want = commentToken.ReplaceAll(got, nil), commentToken.ReplaceAll(want, nil)
		if !bytes.Equal(got, want) {
			t.Errorf("%s: %s differs from what serve answers (%d bytes against %d)", path, file, len(got), len(want))
		}
	}
	if len(kinds) != 11 || len(files) < 100 {
		t.Errorf("the export has %d files, of the kinds %v; want every kind of page, feed, sitemap, photo and theme file", len(files), kinds)
	}
	// Every article and listing of the sitemap is in the export.
	_, sitemap := fetchPage(t, base, "/sitemap.xml")
	for _, m := range regexp.MustCompile(`<loc>`+regexp.QuoteMeta(siteBase)+`([^<]*)</loc>`).FindAllSubmatch(sitemap, -1) {
		if _, ok := files[string(m[1])]; !ok {
			t.Errorf("the sitemap's %s is not in the export", m[1])
		}
	}
	_, notFound := fetchPage(t, base, "/no-such-page/")
	if got, err := os.ReadFile(filepath.Join(dir, "404.html")); err != nil || !bytes.Equal(got, notFound) {
		t.Errorf("404.html is not the site's not-found page (%v)", err)
	}

	// Nothing changed: nothing is written.
	out = mustRun(t, "export", "--db", db, "--base-url", siteBase, dir)
	if !strings.Contains(out, " 0 files written") || !strings.Contains(out, " 0 removed") {
		t.Errorf("a second export said %q; want nothing written", out)
	}

	// An edit: its page, and those that show it or list it.
	mustRun(t, "article", "note", "--db", db, edited, "The unit's opening hours were corrected.")
	dry := mustRun(t, "export", "--dry-run", "--db", db, "--base-url", siteBase, dir)
	out = mustRun(t, "export", "--db", db, "--base-url", siteBase, dir)
	var written []string
	for _, line := range strings.Split(dry, "\n") {
		if f, ok := strings.CutPrefix(line, "write  "); ok {
			written = append(written, f)
		}
	}
	if !slices.Contains(written, edited+"/index.html") || !slices.Contains(written, "feed/index.xml") || len(written) > len(files)/3 {
		t.Errorf("after one edit the export wrote %d of %d files: %v", len(written), len(files), written)
	}
	if !strings.Contains(out, "exported the changes since the last export") {
		t.Errorf("export after an edit said %q", out)
	}
	for path, file := range exportedFiles(t, dir) {
		got, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		_, want := fetchPage(t, base, path)
		if !bytes.Equal(commentToken.ReplaceAll(got, nil), commentToken.ReplaceAll(want, nil)) {
			t.Errorf("after the edit, %s differs from what serve answers", file)
		}
	}
}

// A deleted article's files go, and its address answers 410 from the
// hosts' redirect files; one renamed leaves a redirect in each form.
func TestExportSiteDeletedAndRenamed(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	mustRun(t, "import", "--db", db, "--quiet", harbourGazette)
	dir := t.TempDir()
	mustRun(t, "export", "--db", db, "--base-url", siteBase, "--quiet", dir)
	files := exportedFiles(t, dir)
	var slugs []string
	for path := range files {
		if strings.Count(path, "/") == 2 && !strings.HasPrefix(path, "/tag/") && !strings.HasPrefix(path, "/search/") {
			if _, err := os.Stat(filepath.Join(dir, strings.Trim(path, "/"), "index.html")); err == nil {
				slugs = append(slugs, strings.Trim(path, "/"))
			}
		}
	}
	slices.Sort(slugs)
	var gone, renamed string
	for _, s := range slugs {
		if _, _, code := dateline(t, "article", "show", "--db", db, s); code == 0 {
			if gone == "" {
				gone = s
			} else if renamed == "" {
				renamed = s
			}
		}
	}
	if gone == "" || renamed == "" {
		t.Fatalf("want two articles among %v", slugs)
	}
	mustRun(t, "article", "delete", "--db", db, gone)
	mustRun(t, "article", "rename", "--db", db, renamed, renamed+"-moved")
	mustRun(t, "export", "--db", db, "--base-url", siteBase, "--quiet", dir)
	if _, err := os.Stat(filepath.Join(dir, gone, "index.html")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("the deleted article's page is still there (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, renamed+"-moved", "index.html")); err != nil {
		t.Errorf("the renamed article's page is missing: %v", err)
	}
	for name, want := range map[string][]string{
		"_redirects":          {"/" + gone + "/ /404.html 410\n", "/" + renamed + "/ /" + renamed + "-moved/ 301\n"},
		"nginx-redirects.map": {`"/` + gone + `/" gone;`, `"/` + renamed + `/" "/` + renamed + `-moved/";`},
		renamed + "/index.html": {`<link rel="canonical" href="` + siteBase + "/" + renamed + `-moved/">`,
			`<meta http-equiv="refresh" content="0; url=` + siteBase + "/" + renamed + `-moved/">`},
	} {
		got := read(t, filepath.Join(dir, name))
		for _, w := range want {
			if !strings.Contains(got, w) {
				t.Errorf("%s lacks %q:\n%s", name, w, got)
			}
		}
	}
	for path := range exportedFiles(t, dir) {
		if path == "/"+gone+"/" || path == "/"+renamed+"/" {
			t.Errorf("the manifest still has %s", path)
		}
	}
}

func TestExportSiteBadInput(t *testing.T) {
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "site.db")
	mustRun(t, "import", "--db", db, "--quiet", harbourGazette)
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "notes.txt"), []byte("mine"), 0o644); err != nil {
		t.Fatal(err)
	}
	readOnly := t.TempDir()
	if err := os.Chmod(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no directory", []string{"export", "--db", db, "--base-url", siteBase}, exitUsage, "name the directory to write the site to"},
		{"no base URL", []string{"export", "--db", db, filepath.Join(dir, "out")}, exitUsage, "--base-url (or DATELINE_BASE_URL) is required"},
		{"base URL without scheme", []string{"export", "--db", db, "--base-url", "news.example.org", filepath.Join(dir, "out")}, exitUsage, `"news.example.org" is not a site address`},
		{"not an export", []string{"export", "--db", db, "--base-url", siteBase, full}, exitFail, "the directory is not empty and holds no earlier export; name an empty directory, or add --force"},
		{"dry run with format", []string{"export", "--db", db, "--base-url", siteBase, "--format", "wxr", "--dry-run", filepath.Join(dir, "x")}, exitUsage, "--dry-run, --force, --watch, --comments-url, --no-comments and --search-url are for an export of the site as files"},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Setenv("DATELINE_BASE_URL", "")
			out, errOut, code := dateline(t, test.args...)
			if code != test.code || !strings.Contains(errOut, test.want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d and %q", code, out, errOut, test.code, test.want)
			}
		})
	}
	if os.Geteuid() != 0 { // root writes anywhere
		if _, errOut, code := dateline(t, "export", "--db", db, "--base-url", siteBase, readOnly); code != exitFail || !strings.Contains(errOut, "cannot write to the export directory "+readOnly+": permission denied") {
			t.Errorf("read-only directory: exit %d, %q", code, errOut)
		}
	}
	// A directory that cannot be made, whoever runs the export.
	under := filepath.Join(full, "notes.txt", "site")
	if _, errOut, code := dateline(t, "export", "--db", db, "--base-url", siteBase, under); code != exitFail || !strings.Contains(errOut, "cannot write to the export directory "+under+": not a directory") {
		t.Errorf("a directory under a file: exit %d, %q", code, errOut)
	}
	if entries, _ := os.ReadDir(full); len(entries) != 1 {
		t.Errorf("the refused export wrote into the directory: %v", entries)
	}
	// --force writes the site among the files there, and leaves them.
	mustRun(t, "export", "--db", db, "--base-url", siteBase, "--force", "--quiet", full)
	if b, err := os.ReadFile(filepath.Join(full, "notes.txt")); err != nil || string(b) != "mine" {
		t.Errorf("--force lost the file that was there: %q %v", b, err)
	}
	if _, err := os.Stat(filepath.Join(full, "index.html")); err != nil {
		t.Errorf("--force wrote no site: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "out")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused export made its directory (%v)", err)
	}

}

// An exported page's comment form posts to the node named by
// --comments-url, which asks the reader to confirm with a token of its
// own; the comment, once approved, is on the page after the next export.
// --no-comments leaves the form out.
func TestExportSiteComments(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	mustRun(t, "import", "--db", db, "../../examples/articles/harbour-cranes.md")
	const slug = "new-harbour-cranes-cut-waiting-times-at-port-selvik"
	// A test cannot wait like a person; let forms be posted at once.
	mustRun(t, "settings", "set", "comments.min_form_seconds", "0", "--db", db)
	node, _ := startServe(t, "--db", db, "--cache", "0", "--base-url", siteBase)
	dir := t.TempDir()
	mustRun(t, "export", "--db", db, "--base-url", siteBase, "--comments-url", node, "--quiet", dir)
	page := read(t, filepath.Join(dir, slug, "index.html"))
	action := `<form action="` + node + "/" + slug + `/comments" method="post"`
	if !strings.Contains(page, action) || !strings.Contains(page, `name="dl_token" value=""`) {
		t.Fatalf("the exported form does not post to the node without a token:\n%s", page)
	}

	// The reader posts the exported form to the node: it shows the
	// comment back with a token to confirm it.
	fields := url.Values{"author": {"Nils"}, "email": {"nils@mail.example"}, "comment": {"Will the old cranes be sold?"}, "comment_parent": {"0"}, "dl_token": {""}}
	resp, err := http.PostForm(node+"/"+slug+"/comments", fields)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	token := regexp.MustCompile(`name="dl_token" value="([^"]+)"`).FindSubmatch(body)
	if resp.StatusCode != http.StatusOK || token == nil || !strings.Contains(string(body), "Please check your comment, then post it.") ||
		!strings.Contains(string(body), "Will the old cranes be sold?</textarea>") || !strings.Contains(string(body), `<form action="/`+slug+`/comments"`) {
		t.Fatalf("the node's answer to the exported form: %d\n%s", resp.StatusCode, body)
	}
	fields.Set("dl_token", string(token[1]))
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err = client.PostForm(node+"/"+slug+"/comments", fields)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirming the comment: %d", resp.StatusCode)
	}
	var list []struct{ ID int64 }
	if err := json.Unmarshal([]byte(mustRun(t, "comment", "list", "--json", "--db", db)), &list); err != nil || len(list) != 1 {
		t.Fatalf("comments: %v %v", list, err)
	}
	mustRun(t, "comment", "approve", "--db", db, itoa(list[0].ID))
	out := mustRun(t, "export", "--db", db, "--base-url", siteBase, "--comments-url", node, dir)
	if !strings.Contains(out, "exported the changes since the last export") || !strings.Contains(read(t, filepath.Join(dir, slug, "index.html")), "Will the old cranes be sold?") {
		t.Errorf("the approved comment is not on the page after the next export (%q)", out)
	}

	// Searches go to the node too, from the forms, the OpenSearch
	// description and the structured data.
	searching := t.TempDir()
	mustRun(t, "export", "--db", db, "--base-url", siteBase, "--search-url", node, "--quiet", searching)
	home := read(t, filepath.Join(searching, "index.html"))
	if !strings.Contains(home, `<form class="site-search" role="search" action="`+node+`/search/" method="get">`) ||
		!strings.Contains(home, `"urlTemplate":"`+node+`/search/?q={search_term_string}"`) {
		t.Errorf("the exported home page does not send searches to the node:\n%s", home)
	}
	if os := read(t, filepath.Join(searching, "opensearch.xml")); !strings.Contains(os, `template="`+node+`/search/?q={searchTerms}"`) {
		t.Errorf("opensearch.xml:\n%s", os)
	}
	if page := read(t, filepath.Join(searching, "search", "index.html")); !strings.Contains(page, `<form class="search-form" role="search" action="`+node+`/search/"`) {
		t.Errorf("the exported search page does not send searches to the node")
	}

	// Without forms.
	bare := t.TempDir()
	mustRun(t, "export", "--db", db, "--base-url", siteBase, "--no-comments", "--quiet", bare)
	page = read(t, filepath.Join(bare, slug, "index.html"))
	if strings.Contains(page, "<form action=\"/"+slug) || !strings.Contains(page, "Will the old cranes be sold?") {
		t.Errorf("--no-comments: the form is there, or the comments are not")
	}
	for _, args := range [][]string{
		{"--comments-url", node, "--no-comments"},
		{"--comments-url", "comments.example.org"},
		{"--search-url", "/search/"},
	} {
		if _, errOut, code := dateline(t, append([]string{"export", "--db", db, "--base-url", siteBase, t.TempDir()}, args...)...); code != exitUsage || !strings.Contains(errOut, args[0]) {
			t.Errorf("%v: exit %d, %q", args, code, errOut)
		}
	}
}

// read returns the content of a file the test needs.
func read(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// export --watch exports again when another process changes the
// database: on SQLite through PRAGMA data_version, on PostgreSQL through
// its notices. Its /metrics count the runs and their files.
func TestExportSiteWatch(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.dsn(t)
			mustRun(t, "import", "--db", db, "--quiet", "../../examples/articles/harbour-cranes.md")
			const slug = "new-harbour-cranes-cut-waiting-times-at-port-selvik"
			dir := t.TempDir()
			// A one-shot export first: it keeps its linking answers, which
			// the watch's first export removes (they would not tell what
			// the watch's exports rendered).
			first := mustRun(t, "export", "--db", db, "--base-url", siteBase, dir)
			memo := staticsite.StateFile(dir, linkMemoFile)
			if _, err := os.Stat(memo); err != nil {
				t.Fatalf("a one-shot export kept no linking answers: %v", err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var out lockedBuffer
			done := make(chan int, 1)
			go func() {
				done <- run(ctx, []string{"export", "--watch", "--metrics-addr", "127.0.0.1:0", "--db", db, "--base-url", siteBase, dir}, &out, &out, clock.Now)
			}()
			page := filepath.Join(dir, slug, "index.html")
			waitFor := func(what string, ok func() bool) {
				t.Helper()
				for deadline := time.Now().Add(20 * time.Second); !ok(); time.Sleep(20 * time.Millisecond) {
					if time.Now().After(deadline) {
						t.Fatalf("%s: not in 20 s; export said:\n%s", what, out.String())
					}
				}
			}
			waitFor("the watch's first export", func() bool { _, err := os.Stat(memo); return errors.Is(err, os.ErrNotExist) })
			mustRun(t, "article", "note", "--db", db, slug, "The crane count was corrected.")
			waitFor("the page after an edit", func() bool {
				b, _ := os.ReadFile(page)
				return strings.Contains(string(b), "The crane count was corrected.")
			})
			m := regexp.MustCompile(`metrics at (http://\S+/metrics)`).FindStringSubmatch(out.String())
			if m == nil {
				t.Fatalf("export --watch --metrics-addr did not say where its metrics are:\n%s", out.String())
			}
			var scraped string
			waitFor("two runs in the metrics", func() bool {
				resp, err := http.Get(m[1])
				if err != nil {
					t.Fatal(err)
				}
				scraped = readAll(resp)
				return strings.Contains(scraped, "dateline_export_run_seconds_count 2")
			})
			for _, want := range []string{`dateline_export_files_total{result="written"}`, `dateline_job_items{job="export"}`, `dateline_job_items_done{job="export"}`} {
				if !strings.Contains(scraped, want) {
					t.Errorf("export's metrics have no %s:\n%s", want, scraped)
				}
			}
			cancel()
			select {
			case code := <-done:
				if code != exitOK {
					t.Errorf("export --watch ended with %d:\n%s", code, out.String())
				}
			case <-time.After(20 * time.Second):
				t.Fatal("export --watch did not stop")
			}
			if s := out.String(); !strings.Contains(first, "exported the whole site") || !strings.Contains(s, "exported the changes since the last export") {
				t.Errorf("export said %q, then export --watch:\n%s", first, s)
			}
		})
	}
}

// TestMain removes the demo site the tests copied and the binary they
// built, once they are done.
func TestMain(m *testing.M) {
	code := m.Run()
	if demoTemplate.dir != "" {
		os.RemoveAll(demoTemplate.dir)
	}
	if binary.dir != "" {
		os.RemoveAll(binary.dir)
	}
	os.Exit(code)
}

// A theme folder's files are part of the site: a theme whose cards show
// more of an article than the built-in card has its listings rewritten
// after any edit, and a change of one of its templates rewrites every
// page.
func TestExportSiteTheme(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	mustRun(t, "import", "--db", db, "--quiet", harbourGazette)
	theme := t.TempDir()
	partials := read(t, "../web/templates/partials.html")
	title := `<h2><a href="{{articlePath .Slug}}">{{.Title}}</a></h2>`
	if !strings.Contains(partials, title) {
		t.Fatalf("the built-in card has no %q", title)
	}
	// A card that counts the article's notes, which the built-in card
	// does not show.
	partials = strings.Replace(partials, title, title+`<p class="notes">{{len .Updates}} notes</p>`, 1)
	if err := os.WriteFile(filepath.Join(theme, "partials.html"), []byte(partials), 0o644); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	export := func() string {
		return mustRun(t, "export", "--db", db, "--base-url", siteBase, "--theme", theme, dir)
	}
	export()
	// The articles and the pages whose cards show their notes.
	cards := regexp.MustCompile(`<h2><a href="/([^/"]+)/">[^<]*</a></h2><p class="notes">(\d+) notes</p>`)
	listed := func() map[string][]string {
		on := map[string][]string{}
		for _, file := range exportedFiles(t, dir) {
			if strings.HasSuffix(file, ".html") {
				for _, m := range cards.FindAllStringSubmatch(read(t, filepath.Join(dir, file)), -1) {
					on[m[1]] = append(on[m[1]], file+": "+m[2])
				}
			}
		}
		return on
	}
	var noted string
	for slug := range listed() {
		noted = max(noted, slug)
	}
	if noted == "" {
		t.Fatal("no exported page shows the theme's cards")
	}
	mustRun(t, "article", "note", "--db", db, noted, "A correction to the berth numbers.")
	export()
	for _, card := range listed()[noted] {
		if !strings.HasSuffix(card, ": 1") {
			t.Errorf("after a note on %s, its card on %s notes", noted, card)
		}
	}

	// A change the not-found page does not show (it has no cards).
	if err := os.WriteFile(filepath.Join(theme, "partials.html"), []byte(strings.Replace(partials, `<p class="notes">{{len .Updates}} notes</p>`, `<p class="corrections">{{len .Updates}} corrections</p>`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := export(); !strings.Contains(out, "exported the whole site") {
		t.Errorf("after a change of the theme's card the export said %q; want the whole site", out)
	}
	if on := listed(); len(on) > 0 {
		t.Errorf("after a change of the theme's card, pages still show the old one: %v", on)
	}
}
