package cli

import (
	"encoding/json"
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
