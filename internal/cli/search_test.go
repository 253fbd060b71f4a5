package cli

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 17: "dateline search" finds the demo newsroom's stories as a
// reader would, and "search reindex" builds the index again.
func TestSearchCommand(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			db := b.dsn(t)
			mustRun(t, "import", "--db", db, filepath.Join("..", "demo", "articles"))
			var out searchJSON
			search := func(args ...string) searchJSON {
				t.Helper()
				var got searchJSON
				if err := json.Unmarshal([]byte(mustRun(t, append([]string{"search", "--json", "--db", db}, args...)...)), &got); err != nil {
					t.Fatal(err)
				}
				return got
			}
			out = search("Kvarnholm", "container")
			if out.Total == 0 || !strings.Contains(out.Hits[0].Title, "Night Tram") || !strings.Contains(out.Hits[0].Snippet, "[Kvarnholm]") {
				t.Errorf("search Kvarnholm container: %+v; want the night tram trial first, the words marked", out)
			}
			// A misspelt name finds nothing, and offers the name.
			if out = search("Kvarnholn"); out.Total != 0 || out.Suggestion != "kvarnholm" {
				t.Errorf("search Kvarnholn: %d found, suggestion %q; want none and kvarnholm", out.Total, out.Suggestion)
			}
			// The index holds stems ("contain"); the suggestion is the
			// word as the stories write it.
			if out = search("containr"); out.Total != 0 || out.Suggestion != "container" {
				t.Errorf("search containr: %d found, suggestion %q; want none and container", out.Total, out.Suggestion)
			}
			if out = search("Kvarnholm"); out.Total == 0 || out.Suggestion != "" {
				t.Errorf("search Kvarnholm: %d found, suggestion %q", out.Total, out.Suggestion)
			}
			out = search(`"busiest stops"`)
			if out.Total != 1 {
				t.Errorf("a phrase of one story found %d", out.Total)
			}
			if out = search("tram -night"); out.Total != 0 && strings.Contains(out.Hits[0].Title, "Night") {
				t.Errorf("tram -night found %q first", out.Hits[0].Title)
			}
			text := mustRun(t, "search", "--db", db, "--n", "1", "tram")
			if !strings.Contains(text, "found for tram") || strings.Count(text, "\n") != 3 {
				t.Errorf("search output:\n%s", text)
			}
			if got := mustRun(t, "search", "reindex", "--db", db); !strings.Contains(got, "search index built again") {
				t.Errorf("reindex said %q", got)
			}
			if after := search("Kvarnholm", "container"); after.Total != search("Kvarnholm", "container").Total || after.Total == 0 {
				t.Errorf("after reindex: %+v", after)
			}
			for _, bad := range [][]string{{"--n", "0", "tram"}, {"--from", "March", "tram"}, {}} {
				if _, errOut, code := dateline(t, append([]string{"search", "--db", db}, bad...)...); code != 2 || errOut == "" {
					t.Errorf("search %q: exit %d, %q; want a usage error", bad, code, errOut)
				}
			}
			if _, errOut, code := dateline(t, "search", "--db", db, "--from", "2026-03-02", "--to", "2026-03-01", "tram"); code != 1 || !strings.Contains(errOut, "ends") {
				t.Errorf("a range that ends before it starts: exit %d, %q", code, errOut)
			}
		})
	}
}

// Issue 17's "done when": the demo site, served, finds a word of one
// story's body and a phrase of another at the top, with snippets, on
// both backends; the search box is on every page; any query gives a page.
func TestServeSearchesTheDemo(t *testing.T) {
	t.Parallel()
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			base, _ := startServe(t, "--db", b.dsn(t), "--demo")
			get := func(path string) (int, string) {
				t.Helper()
				resp, err := http.Get(base + path)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				body, _ := io.ReadAll(resp.Body)
				return resp.StatusCode, string(body)
			}
			firstHit := func(page string) string {
				_, rest, _ := strings.Cut(page, `class="card search-hit"`)
				title, _, _ := strings.Cut(rest, "</h2>")
				return title
			}
			for _, test := range []struct{ query, title, mark string }{
				{"meteorological", "Flood Barriers", "<mark>meteorological</mark>"},
				{url.QueryEscape(`"four-year overhaul"`), "Water Quality", "overhaul</mark>"},
			} {
				code, page := get("/search/?q=" + test.query)
				if code != 200 || !strings.Contains(firstHit(page), test.title) || !strings.Contains(page, test.mark) {
					t.Errorf("search %s: %d, first %q; want %q first with %s", test.query, code, firstHit(page), test.title, test.mark)
				}
				if !strings.Contains(page, `<meta name="robots" content="noindex`) {
					t.Errorf("search %s: the results page may be indexed", test.query)
				}
			}
			// The filters a reader sets on the page: a tag typed by its
			// name, an author chosen from the list.
			for _, test := range []struct{ query, count, control string }{
				{"harbour&tag=transport", "One result for", `name="tag" value="Transport"`},
				{"harbour&tag=+Transport+", "One result for", `name="tag" value="Transport"`},
				{"harbour&author=ingrid-solheim", "2 results for", `<option value="ingrid-solheim" selected>Ingrid Solheim</option>`},
				{"harbour&author=ingrid-solheim&tag=Health", "One result for", `name="tag" value="Health"`},
				{"harbour&tag=no+such+tag", "Nothing found", `name="tag" value="no such tag"`},
			} {
				if _, page := get("/search/?q=" + test.query); !strings.Contains(page, test.count) || !strings.Contains(page, test.control) {
					t.Errorf("search %s: want %q and %q on the page", test.query, test.count, test.control)
				}
			}
			if _, page := get("/search/?q=Kvarnholn+containr"); !strings.Contains(page, `<a href="/search/?q=kvarnholm%20container">kvarnholm container</a>`) {
				t.Error("a misspelt query offers no respelling")
			}
			_, home := get("/")
			if !strings.Contains(home, `<form class="site-search" role="search" action="/search/" method="get">`) || !strings.Contains(home, `href="/opensearch.xml"`) || !strings.Contains(home, `"SearchAction"`) {
				t.Error("the front page lacks the search box, the OpenSearch link or the SearchAction")
			}
			// (A query past 2,048 bytes of URL is refused whole, with 400,
			// by the server's limits: the search box stops at 512.)
			for _, q := range []string{`"unbalanced`, "-", "NEAR(", "*", strings.Repeat("tram ", 300), "\x01\x02", "'; DROP TABLE articles; --"} {
				if code, _ := get("/search/?q=" + url.QueryEscape(q)); code != 200 {
					t.Errorf("search %.30q: status %d", q, code)
				}
			}
		})
	}
}
