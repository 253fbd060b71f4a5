package cli

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/media/mediatest"
	"github.com/datelinehq/dateline/internal/store/postgres/pgtest"
)

// A backup taken while serve runs and readers comment, restored into a new
// database: every article, user, setting and photo is there, and every
// comment of the backup is the site's own, unchanged.
func TestBackupUnderWriteLoadAndRestore(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "site.db")
	mustRun(t, "import", "--db", db, "../../examples/articles")
	mustRun(t, "settings", "set", "comments.min_form_seconds", "0", "--db", db)
	mustRun(t, "settings", "set", "comments.per_ip_per_minute", "10000", "--db", db)
	mustRun(t, "settings", "set", "site.title", "The Harbour Ledger", "--db", db)
	if _, errOut, code := runWithPassword(t, "a long enough password", "user", "add", "--email", "ines@example.org", "--name", "Ines Okafor", "--role", "editor", "--db", db); code != 0 {
		t.Fatalf("user add: %s", errOut)
	}
	photo := filepath.Join(dir, "quay.jpg")
	if err := os.WriteFile(photo, mediatest.JPEGWithGPS(1200, 800), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "media", "add", "--db", db, "--alt", "Cranes over the quay", photo)
	const slug = "new-harbour-cranes-cut-waiting-times-at-port-selvik"
	base, _ := startServe(t, "--db", db, "--cache", "0")

	// Readers comment all along the backup.
	stop := make(chan struct{})
	var posted atomic.Int64
	var load sync.WaitGroup
	load.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			resp := postComment(t, base, slug, url.Values{"author": {"Nils"}, "email": {"nils@mail.example"}, "comment": {"Will the old cranes be sold? " + itoa(posted.Load()+1)}})
			if resp.StatusCode != http.StatusSeeOther {
				t.Errorf("a comment during the backup: %d", resp.StatusCode)
				return
			}
			posted.Add(1) // counted once stored, not once sent
		}
	})
	for posted.Load() < 5 {
		time.Sleep(10 * time.Millisecond) // the load has begun
	}
	file := filepath.Join(dir, "site.backup")
	out := mustRun(t, "backup", "--db", db, file)
	close(stop)
	load.Wait()
	if !strings.Contains(out, "4 articles") || !strings.Contains(out, "1 users") {
		t.Errorf("backup said %q", out)
	}

	restoredDir := t.TempDir()
	restored := "sqlite:" + filepath.Join(restoredDir, "restored.db")
	mediaDir := filepath.Join(restoredDir, "restored-media") // the default beside restored.db
	out = mustRun(t, "restore", "--db", restored, file)
	if !strings.Contains(out, "restored") {
		t.Errorf("restore said %q", out)
	}
	for _, args := range [][]string{
		{"article", "list", "--json"},
		{"user", "list", "--json"},
		{"settings", "show"},
		{"media", "list", "--json"},
	} {
		want := mustRun(t, append(args, "--db", db)...)
		got := mustRun(t, append(args, "--db", restored)...)
		if got != want {
			t.Errorf("dateline %s differs after the restore:\n got %s\nwant %s", strings.Join(args, " "), got, want)
		}
	}
	var source, copied []map[string]any
	if err := json.Unmarshal([]byte(mustRun(t, "comment", "list", "--json", "--db", db)), &source); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(mustRun(t, "comment", "list", "--json", "--db", restored)), &copied); err != nil {
		t.Fatal(err)
	}
	if len(copied) < 5 || len(copied) > len(source) {
		t.Fatalf("the backup holds %d comments, the site %d; want at least those posted before it began", len(copied), len(source))
	}
	byID := map[any]string{}
	for _, c := range source {
		b, _ := json.Marshal(c)
		byID[c["id"]] = string(b)
	}
	for _, c := range copied {
		if b, _ := json.Marshal(c); byID[c["id"]] != string(b) {
			t.Errorf("restored comment %v is not the site's: %s", c["id"], b)
		}
	}
	// The restored photo library serves the photo.
	var items []struct {
		Hash string `json:"hash"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "media", "list", "--json", "--db", restored)), &items); err != nil || len(items) != 1 {
		t.Fatalf("media list: %v %v", items, err)
	}
	if entries, err := os.ReadDir(filepath.Join(mediaDir, items[0].Hash[:2], items[0].Hash)); err != nil || len(entries) == 0 {
		t.Errorf("the restored library has no files for the photo (%v)", err)
	}
}

// Backups that are not whole, or not Dateline's, and databases that are not
// empty are refused with a message; nothing is written.
func TestRestoreRefusesBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := "sqlite:" + filepath.Join(dir, "site.db")
	mustRun(t, "import", "--db", db, "../../examples/articles")
	file := filepath.Join(dir, "site.backup")
	mustRun(t, "backup", "--db", db, file)
	whole, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cut := filepath.Join(dir, "cut.backup")
	os.WriteFile(cut, whole[:len(whole)/2], 0o644)
	other := filepath.Join(dir, "notes.txt")
	os.WriteFile(other, []byte("minutes of the council meeting"), 0o644)
	target := filepath.Join(t.TempDir(), "new.db")
	for _, test := range []struct {
		args []string
		want string
	}{
		{[]string{"restore", "--db", "sqlite:" + target, cut}, "not a Dateline backup: it is cut short"},
		{[]string{"restore", "--db", "sqlite:" + target, other}, "not a Dateline backup: not a gzip file"},
		{[]string{"restore", "--db", "sqlite:" + target, filepath.Join(dir, "missing.backup")}, "no such file"},
		{[]string{"restore", "--db", db, file}, "it holds 4 articles, 0 comments and 0 users; restore into a new or empty database"},
		{[]string{"restore", "--db", "postgres://u@127.0.0.1:1/x", file}, "--db postgres://u@127.0.0.1:1/x: open postgres: failed to connect"},
		{[]string{"restore", "--db", "sqlite:" + target}, "takes the backup file to restore"},
		{[]string{"backup", "--db", "sqlite:" + filepath.Join(dir, "nowhere.db"), filepath.Join(dir, "nowhere.backup")}, "nowhere.db does not exist"},
	} {
		_, errOut, code := dateline(t, test.args...)
		if code == 0 || !strings.Contains(errOut, test.want) {
			t.Errorf("dateline %s: exit %d, %q; want it refused saying %q", strings.Join(test.args, " "), code, errOut, test.want)
		}
	}
	for _, left := range []string{target, filepath.Join(dir, "nowhere.db"), filepath.Join(dir, "nowhere.backup")} {
		if _, err := os.Stat(left); err == nil {
			t.Errorf("a refused command left %s behind", left)
		}
	}
	// A database put back where an older one left its -wal file: the
	// stale file goes, or SQLite would read its pages into this one.
	os.WriteFile(target+"-wal", []byte("pages of the database that was here before"), 0o644)
	mustRun(t, "restore", "--db", "sqlite:"+target, file)
	if _, err := os.Stat(target + "-wal"); err == nil {
		if b, _ := os.ReadFile(target + "-wal"); strings.Contains(string(b), "before") {
			t.Error("the stale -wal file is still beside the restored database")
		}
	}
	if out := mustRun(t, "article", "list", "--db", "sqlite:"+target); strings.Count(out, "published") != 4 {
		t.Errorf("the restored database lists:\n%s", out)
	}
}

// A PostgreSQL site's backup, its photos taken from the database, restores
// into a new SQLite database and into an empty PostgreSQL one, whole; a
// PostgreSQL database that holds a site is refused.
func TestBackupOfAPostgresSiteRestoresIntoEither(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	// The demo site with users, comments and photos, moved to PostgreSQL.
	pg := pgtest.NewSchemaDSN(t)
	mustRun(t, "db", "copy", "--quiet", "--from", copySite(t), "--to", pg)
	file := filepath.Join(dir, "site.backup")
	out := mustRun(t, "backup", "--db", pg, file)
	if strings.Contains(out, " 0 users") || strings.Contains(out, " 0 photo files") {
		t.Errorf("backup of the PostgreSQL site said: %s", out)
	}
	restored := "sqlite:" + filepath.Join(dir, "restored.db")
	mustRun(t, "restore", "--db", restored, file)
	again := pgtest.NewSchemaDSN(t)
	mustRun(t, "restore", "--db", again, file)
	want := contentOf(t, openDB(t, pg))
	sameContent(t, want, contentOf(t, openDB(t, restored)))
	sameContent(t, want, contentOf(t, openDB(t, again)))
	if _, errOut, code := dateline(t, "restore", "--db", again, file); code == 0 || !strings.Contains(errOut, "not empty") && !strings.Contains(errOut, "holds") {
		t.Errorf("restore into a PostgreSQL database that holds the site: exit %d, %q; want a refusal", code, errOut)
	}
}
