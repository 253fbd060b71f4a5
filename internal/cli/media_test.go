package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/media/mediatest"
)

func TestMediaCommands(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.dsn(t)
			dir := t.TempDir()
			photo := filepath.Join(dir, "quay.jpg")
			if err := os.WriteFile(photo, mediatest.JPEGWithGPS(1600, 1000), 0o644); err != nil {
				t.Fatal(err)
			}
			fake := filepath.Join(dir, "fake.jpg")
			if err := os.WriteFile(fake, []byte("<html><body>not a photo</body></html>"), 0o644); err != nil {
				t.Fatal(err)
			}
			mediaDir := filepath.Join(dir, "media")
			mustRun(t, "import", "--db", db, "../../examples/articles/harbour-cranes.md")
			const slug = "new-harbour-cranes-cut-waiting-times-at-port-selvik"

			// One good file and one that is not an image: the good one is
			// added, the other named with the reason, and the exit code
			// says something failed.
			out, errOut, code := dateline(t, "media", "add", "--db", db, "--media", mediaDir, "--json",
				"--alt", "Cranes over the quay", "--credit", "Port of Selvik", photo, fake)
			if code != exitFail || !strings.Contains(errOut, "fake.jpg") || !strings.Contains(errOut, "HTML") {
				t.Errorf("media add: exit %d, stderr %q", code, errOut)
			}
			var added []mediaJSON
			if err := json.Unmarshal([]byte(out), &added); err != nil || len(added) != 1 {
				t.Fatalf("media add --json = %s (%v)", out, err)
			}
			it := added[0]
			if !it.Created || it.State != "ready" || it.Width != 1600 || it.Alt != "Cranes over the quay" || len(it.Variants) == 0 {
				t.Errorf("added %+v", it)
			}
			// Again: the same image.
			if out := mustRun(t, "media", "add", "--db", db, "--media", mediaDir, photo); !strings.Contains(out, "already in the library as image") {
				t.Errorf("adding the same file again printed %q", out)
			}
			list := mustRun(t, "media", "list", "--db", db, "--search", "selvik")
			if !strings.Contains(list, "quay.jpg") || !strings.Contains(list, "1600×1000") {
				t.Errorf("media list:\n%s", list)
			}

			id := itoa(it.ID)
			mustRun(t, "article", "set-image", slug, id, "--db", db)
			if got := show(t, db, slug); got.FeaturedImage != it.ID {
				t.Errorf("featured image after set-image: %d, want %d", got.FeaturedImage, it.ID)
			}
			if _, errOut, code := dateline(t, "article", "set-image", slug, "99999", "--db", db); code != exitFail || !strings.Contains(errOut, "image 99999 is not in the library") {
				t.Errorf("set-image of a missing image: exit %d, %q", code, errOut)
			}
			// In use: not deleted, the article named.
			if _, errOut, code := dateline(t, "media", "delete", id, "--db", db, "--media", mediaDir); code != exitFail || !strings.Contains(errOut, slug) {
				t.Errorf("deleting a featured image: exit %d, %q", code, errOut)
			}
			mustRun(t, "article", "set-image", slug, "0", "--db", db)
			if out := mustRun(t, "media", "delete", id, "--db", db, "--media", mediaDir); out != "deleted image "+id+"\n" {
				t.Errorf("media delete printed %q", out)
			}
			if _, errOut, code := dateline(t, "media", "add", "--db", db, "--alt", strings.Repeat("x", 1001), photo); code != exitUsage || !strings.Contains(errOut, "alt text is 1001 characters") {
				t.Errorf("a too long alt text: exit %d, %q", code, errOut)
			}
		})
	}
}

// Markdown import takes the featured image of the front matter and the
// images the body shows from beside the file into the photo library.
func TestImportTakesImagesBesideTheFile(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "photos"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, w := range map[string]int{"quay.jpg": 1400, "crane.jpg": 800} {
		if err := os.WriteFile(filepath.Join(dir, "photos", name), mediatest.JPEGWithGPS(w, 700), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	article := "---\ntitle: Quay works begin\nimage: photos/quay.jpg\nimage_alt: The quay at dawn\nimage_credit: Ana Berg\n---\n" +
		"Work on the quay began on Monday.\n\n![A crane lifts the first beam](photos/crane.jpg)\n\n![Lost on the way](photos/gone.jpg)\n"
	if err := os.WriteFile(filepath.Join(dir, "quay.md"), []byte(article), 0o644); err != nil {
		t.Fatal(err)
	}
	broken := "---\ntitle: Missing picture\nimage: photos/none.jpg\n---\nText.\n"
	if err := os.WriteFile(filepath.Join(dir, "broken.md"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := dateline(t, "import", "--db", db, dir)
	if code != exitFail || !strings.Contains(out, "1 imported") || !strings.Contains(errOut, "featured image photos/none.jpg") {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errOut)
	}
	got := show(t, db, "quay-works-begin")
	var items []mediaJSON
	if err := json.Unmarshal([]byte(mustRun(t, "media", "list", "--json", "--db", db)), &items); err != nil || len(items) != 2 {
		t.Fatalf("media list after the import: %v (%v)", items, err)
	}
	ids := map[string]int64{}
	for _, it := range items {
		ids[it.Filename] = it.ID
		if it.State != "pending" {
			t.Errorf("imported image %s is %s, want pending (serve makes its sizes)", it.Filename, it.State)
		}
	}
	if got.FeaturedImage != ids["quay.jpg"] {
		t.Errorf("featured image %d, want quay.jpg's %d", got.FeaturedImage, ids["quay.jpg"])
	}
	if !strings.Contains(got.BodyMarkdown, "![Lost on the way](photos/gone.jpg)") {
		t.Errorf("an image whose file is missing was not left as written:\n%s", got.BodyMarkdown)
	}
	if want := "![A crane lifts the first beam](media:" + itoa(ids["crane.jpg"]) + ")"; !strings.Contains(got.BodyMarkdown, want) {
		t.Errorf("body lacks %s:\n%s", want, got.BodyMarkdown)
	}
}

// Issue 15: a WordPress export's featured and inline images come into the
// library from a local copy of wp-content/uploads; the article names them.
func TestImportWordPressMediaFrom(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	uploads := t.TempDir()
	if err := os.MkdirAll(filepath.Join(uploads, "2026", "03"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, w := range map[string]int{"quay.jpg": 1400, "crane.jpg": 1300} {
		if err := os.WriteFile(filepath.Join(uploads, "2026", "03", name), mediatest.JPEGWithGPS(w, 700), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	export := filepath.Join("..", "importer", "testdata", "harbour-gazette.wxr")
	var rep struct {
		Added  int `json:"images_added"`
		Remote int `json:"images_remote"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "import", "--db", db, "--json", "--media-from", uploads, export)), &rep); err != nil || rep.Added != 2 || rep.Remote != 0 {
		t.Fatalf("report %+v (%v), want 2 images added and none left remote", rep, err)
	}
	var items []mediaJSON
	if err := json.Unmarshal([]byte(mustRun(t, "media", "list", "--json", "--db", db)), &items); err != nil || len(items) != 2 {
		t.Fatalf("media list: %v (%v)", items, err)
	}
	byName := map[string]mediaJSON{}
	for _, it := range items {
		byName[it.Filename] = it
	}
	if byName["crane.jpg"].Alt != "A blue crane over the quay" || byName["quay.jpg"].Caption != "The quay on Monday morning." {
		t.Errorf("alt and caption not kept: %+v", items)
	}
	got := show(t, db, "storm-closes-the-ferry-route")
	if got.FeaturedImage != byName["crane.jpg"].ID || !strings.Contains(got.BodyMarkdown, "![Waves over the quay](media:"+itoa(byName["quay.jpg"].ID)+")") {
		t.Errorf("featured %d (want %d), body:\n%s", got.FeaturedImage, byName["crane.jpg"].ID, got.BodyMarkdown)
	}

	// Without the copy the images stay links to the old site, reported.
	other := "sqlite:" + filepath.Join(t.TempDir(), "other.db")
	out := mustRun(t, "import", "--db", other, "--quiet", export)
	if !strings.Contains(out, "images:   0 taken into the library, 2 left on the old site") || !strings.Contains(out, "featured image https://gazette.example.org/wp-content/uploads/2026/03/crane.jpg left on the old site") {
		t.Errorf("import without --media-from:\n%s", out)
	}
	wantFailure(t, exitUsage, "--media-from /nonexistent: not a folder that can be read", "import", "--db", other, "--media-from", "/nonexistent", export)
	wantFailure(t, exitUsage, "--status, --section and --author are for article files", "import", "--db", other, "--status", "draft", export)
}

// Issue 15: --create-users gives the export's authors accounts nobody can
// sign in to until an administrator resets the password; importing again
// makes none.
func TestImportWordPressCreateUsers(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	export := filepath.Join("..", "importer", "testdata", "harbour-gazette.wxr")
	if out := mustRun(t, "import", "--db", db, "--quiet", "--create-users", export); !strings.Contains(out, "users:    1 accounts made for the authors") {
		t.Errorf("import --create-users:\n%s", out)
	}
	if list := mustRun(t, "user", "list", "--db", db); !strings.Contains(list, "lena@gazette.example.org  Lena Brandt  contributor") {
		t.Errorf("user list:\n%s", list)
	}
	if out := mustRun(t, "import", "--db", db, "--quiet", "--create-users", export); strings.Contains(out, "users:") {
		t.Errorf("importing again made accounts:\n%s", out)
	}
}
