package cli

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Issue 15: a Ghost export is recognised by its content, whatever its
// name; --permalink gives the old addresses, which answer 301 from
// serve; JSON that is not a Ghost export is refused, naming it.
func TestImportGhostExport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "site.db")
	data, err := os.ReadFile(filepath.Join("..", "importer", "testdata", "harbour-gazette.ghost.json"))
	if err != nil {
		t.Fatal(err)
	}
	export := filepath.Join(dir, "harbour-gazette.2026-03-06-10-00-00.json")
	if err := os.WriteFile(export, data, 0o644); err != nil {
		t.Fatal(err)
	}

	wantFailure(t, exitUsage, `--permalink: permalink "posts/:slug/" must start with /`, "import", "--db", db, "--permalink", "posts/:slug/", export)
	wantFailure(t, exitUsage, "--permalink is for Ghost exports", "import", "--db", db, "--permalink", "/:slug/", filepath.Join("..", "importer", "testdata", "harbour-gazette.wxr"))

	dry := mustRun(t, "import", "--db", db, "--dry-run", "--quiet", export)
	if !strings.Contains(dry, "a Ghost export (dry run") || !strings.Contains(dry, "posts:    8 imported") {
		t.Errorf("dry run:\n%s", dry)
	}
	out := mustRun(t, "import", "--db", db, "--quiet", "--permalink", "/:year/:month/:slug/", export)
	for _, want := range []string{
		"harbour-gazette.2026-03-06-10-00-00.json: a Ghost export\n",
		"posts:    8 imported, 0 updated, 0 unchanged, 0 skipped, 0 failed",
		"pages:    1 imported",
		"comments: 5 imported",
		`a Ghost "product" card has no equivalent in Dateline and was dropped`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("import output lacks %q:\n%s", want, out)
		}
	}

	url, stop := startServe(t, "--db", db)
	defer stop()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(url + "/2026/02/night-buses-return/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/night-buses-return/" {
		t.Errorf("GET the old address = %d to %q, want 301 to /night-buses-return/", resp.StatusCode, resp.Header.Get("Location"))
	}

	other := filepath.Join(dir, "posts.json")
	if err := os.WriteFile(other, []byte(`{"posts": [{"title": "A post", "html": "<p>Text</p>"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	fresh := "sqlite:" + filepath.Join(dir, "fresh.db")
	wantFailure(t, exitFail, "posts.json: the file looks like JSON but not a Ghost export", "import", "--db", fresh, other)
	if list := mustRun(t, "article", "list", "--db", fresh); strings.Contains(list, "A post") {
		t.Errorf("the refused file was imported:\n%s", list)
	}
	wantFailure(t, exitFail, "JSON but not a Ghost export", "import", "--db", fresh, "--format", "ghost", other)
}
