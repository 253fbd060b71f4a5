package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/media/mediatest"
)

// Issue 15: a Hugo site is imported from its root; --dry-run says what
// would come in, names the files that would fail, and writes nothing.
func TestImportHugoSiteDryRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	root := filepath.Join(dir, "coast")
	if err := os.CopyFS(root, os.DirFS(filepath.Join("..", "importer", "testdata", "hugo-site"))); err != nil {
		t.Fatal(err)
	}
	// The lifeboat story's cover image is missing: the story comes in
	// without it, noted.
	for _, img := range []string{"static/images/night-ferry.jpg", "static/images/route-map.png", "content/posts/quay-works/quay.jpg", "content/posts/quay-works/crane.jpg"} {
		file := filepath.Join(root, filepath.FromSlash(img))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, mediatest.JPEGWithGPS(900, 500), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	db := "sqlite:" + filepath.Join(dir, "site.db")
	out, errOut, code := dateline(t, "import", "--db", db, "--dry-run", root)
	if code != exitFail || !strings.Contains(out, "dry run: nothing was written") || !strings.Contains(out, "6 imported, 0 updated, 0 unchanged, 1 failed (5 published, 1 draft, 0 scheduled)") ||
		!strings.Contains(out, "would redirect") {
		t.Errorf("dry run: exit %d\n%s", code, out)
	}
	if !strings.Contains(errOut, "tide-gauge.md: markdown: front matter: line 4") || !strings.Contains(out, "lifeboat-day.md: featured image /images/lifeboat.jpg: file does not exist (looked in the site's static files): imported without it") {
		t.Errorf("the dry run does not name the broken file and the missing image:\n%s\n%s", out, errOut)
	}
	if !strings.Contains(out, "no database at "+filepath.Join(dir, "site.db")+" yet: checked against an empty site") {
		t.Errorf("the dry run does not say it checked against an empty site:\n%s", out)
	}
	if _, err := os.Stat(filepath.Join(dir, "site.db")); !os.IsNotExist(err) {
		t.Errorf("the dry run made the database: %v", err)
	}
	out, _, _ = dateline(t, "import", "--db", db, root)
	if !strings.Contains(out, "6 imported, 0 updated, 0 unchanged, 1 failed") || !strings.Contains(out, "not converted (2):") || !strings.Contains(out, `night-ferry.md: Hugo shortcode "subscribe-box" has no equivalent`) {
		t.Errorf("import:\n%s", out)
	}
	if list := mustRun(t, "article", "list", "--db", db); !strings.Contains(list, "night-ferry") || strings.Contains(list, "Plain") {
		t.Errorf("article list after the import:\n%s", list)
	}
}
