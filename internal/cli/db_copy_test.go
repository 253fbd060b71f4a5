package cli

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/config"
	"github.com/datelinehq/dateline/internal/dbcopy"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/postgres"
	"github.com/datelinehq/dateline/internal/store/postgres/pgtest"
	"github.com/datelinehq/dateline/internal/store/sqlite"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// openDB opens the database dsn names, for a test to look into.
func openDB(t *testing.T, dsn string) store.Store {
	t.Helper()
	backend, target, err := config.ParseDB(dsn)
	if err != nil {
		t.Fatal(err)
	}
	var s store.Store
	if backend == config.Postgres {
		s, err = postgres.Open(context.Background(), target, store.Options{Now: clock.Now})
	} else {
		s, err = sqlite.Open(context.Background(), target, store.Options{Now: clock.Now})
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// copyPassword is the password of the user copySite adds.
const copyPassword = "a long passphrase for the copy"

// copySite is the demo site (with its photos) and, beside it, what the
// demo lacks: a user with a password, comments with a reply, a redirect
// and a setting.
func copySite(t *testing.T) string {
	t.Helper()
	ctx := context.Background()
	db := demoSite(t)
	s := openDB(t, db)
	hash, err := user.HashPassword(copyPassword)
	if err != nil {
		t.Fatal(err)
	}
	u := &user.User{Email: "editor@example.org", Name: "Edith Tor", Role: user.Administrator, PasswordHash: hash}
	if err := s.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	as, err := s.Articles(ctx, store.ArticleQuery{Kind: article.Story})
	if err != nil || len(as) == 0 {
		t.Fatalf("the demo's stories: %v (%d)", err, len(as))
	}
	parent := &comment.Comment{ArticleID: as[0].ID, Author: "Reader", Email: "reader@example.org", Body: "Which tram lines does this change?",
		State: comment.Approved, CreatedAt: clock.Now()}
	if err := s.CreateComment(ctx, parent, "nonce-1", clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	news := newsroom.New(s, render.New(), clock.Now, nil)
	if _, _, err := news.Reply(ctx, newsroom.Person(u, ""), parent.ID, "Lines 2 and 5, from Monday."); err != nil {
		t.Fatal(err)
	}
	held := &comment.Comment{ArticleID: as[1].ID, Author: "Other", Email: "other@example.org", Body: "Held for moderation.",
		State: comment.Pending, CreatedAt: clock.Now()}
	if err := s.CreateComment(ctx, held, "nonce-2", clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddRedirect(ctx, "/old/tram-story/", "/"+as[0].Slug+"/"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	mustRun(t, "settings", "set", "comments.max_links", "3", "--db", db)
	return db
}

// siteContent is what a site holds, read through the store.
type siteContent struct {
	Articles  []*article.Article
	Comments  []*comment.Comment
	Users     []*user.User
	Redirects []store.Redirect
	Site      store.SiteSettings
	Comment   comment.Settings
	Sections  []article.Section
	Media     []string // each photo's ID, file and sizes
}

func contentOf(t *testing.T, s store.Store) siteContent {
	t.Helper()
	ctx := context.Background()
	var c siteContent
	var err error
	listed, err := s.Articles(ctx, store.ArticleQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range listed {
		whole, err := s.ArticleByID(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		c.Articles = append(c.Articles, whole)
	}
	if c.Comments, err = s.Comments(ctx, store.CommentQuery{}); err != nil {
		t.Fatal(err)
	}
	if c.Users, err = s.Users(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Redirects, err = s.Redirects(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Site, err = s.SiteSettings(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Comment, err = s.CommentSettings(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Sections, err = s.Sections(ctx); err != nil {
		t.Fatal(err)
	}
	items, err := s.MediaItems(ctx, store.MediaQuery{})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		line := itoa(it.ID) + " " + it.Filename + " " + string(it.State)
		for _, v := range it.Variants {
			line += " " + v.File()
		}
		c.Media = append(c.Media, line)
	}
	return c
}

// sameContent fails the test unless the two sites hold the same.
func sameContent(t *testing.T, want, got siteContent) {
	t.Helper()
	if len(want.Articles) < 10 || len(want.Comments) < 3 || len(want.Users) < 1 || len(want.Media) == 0 {
		t.Fatalf("the source holds too little to test a copy: %d articles, %d comments, %d users, %d photos",
			len(want.Articles), len(want.Comments), len(want.Users), len(want.Media))
	}
	if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("the copy differs from the source (-source +copy):\n%s", diff)
	}
}

// photoFiles reads the files of every photo, original and sizes, by key.
func photoFiles(t *testing.T, s store.Store, files interface {
	Get(context.Context, string) ([]byte, error)
}) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	items, err := s.MediaItems(ctx, store.MediaQuery{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, it := range items {
		names := []string{media.OriginalFile}
		for _, v := range it.Variants {
			names = append(names, v.File())
		}
		for _, name := range names {
			key := media.Key(it.Hash, name)
			data, err := files.Get(ctx, key)
			if err != nil {
				t.Errorf("photo %d: file %s: %v", it.ID, key, err)
				continue
			}
			out[key] = data
		}
	}
	return out
}

// sitePaths lists every address of a site: what an export of it writes.
func sitePaths(t *testing.T, db string) []string {
	t.Helper()
	dir := t.TempDir()
	mustRun(t, "export", "--db", db, "--base-url", siteBase, "--quiet", dir)
	var paths []string
	for p := range exportedFiles(t, dir) {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return paths
}

// signIn signs in to the admin at base and reports whether it let the
// user in.
func signIn(t *testing.T, base, email, password string) bool {
	t.Helper()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.PostForm(base+"/admin/signin", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusSeeOther && len(resp.Cookies()) > 0
}

// Issue 19: a whole site copied from SQLite to PostgreSQL is the same
// site, page for page, with the same IDs, passwords and photos; new rows
// get new IDs; and copied back into SQLite it is the same again.
func TestDBCopySQLiteToPostgresAndBack(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pg := pgtest.NewSchemaDSN(t)
	src := copySite(t)

	out := mustRun(t, "db", "copy", "--from", src, "--to", pg)
	t.Logf("db copy --from %s --to PostgreSQL:\n%s", src, out)
	for _, want := range []string{"articles", "comments", "users", "revisions", "media", "settings", "redirects", dbcopy.FilesName, "copied "} {
		if !strings.Contains(out, want) {
			t.Errorf("db copy printed no %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "DIFFERS") || !strings.Contains(out, "sessions") {
		t.Errorf("db copy's summary:\n%s", out)
	}

	srcStore, pgStore := openDB(t, src), openDB(t, pg)
	want := contentOf(t, srcStore)
	sameContent(t, want, contentOf(t, pgStore))
	srcFiles, err := mediaFiles(&env{cfg: &config.Config{DB: src}}, srcStore)
	if err != nil {
		t.Fatal(err)
	}
	pgFiles, err := mediaFiles(&env{cfg: &config.Config{DB: pg}}, pgStore)
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := photoFiles(t, srcStore, srcFiles)
	if diff := cmp.Diff(wantFiles, photoFiles(t, pgStore, pgFiles)); diff != "" || len(wantFiles) == 0 {
		t.Errorf("the photo files in PostgreSQL differ from the folder's (%d files):\n%.2000s", len(wantFiles), diff)
	}

	// Every page reads the same off either database.
	srcBase, stopSrc := startServe(t, "--db", src, "--base-url", siteBase, "--cache", "0")
	pgBase, stopPG := startServe(t, "--db", pg, "--base-url", siteBase, "--cache", "0")
	paths := sitePaths(t, src)
	kinds := map[string]bool{}
	for _, p := range paths {
		for _, k := range []string{"/tag/", "/author/", "/section/", "/feed/", "/media/", "sitemap.xml"} {
			if strings.Contains(p, k) {
				kinds[k] = true
			}
		}
		status, a := fetchPage(t, srcBase, p)
		pgStatus, b := fetchPage(t, pgBase, p)
		a, b = commentToken.ReplaceAll(a, nil), commentToken.ReplaceAll(b, nil)
		if status != pgStatus || !bytes.Equal(a, b) {
			t.Errorf("%s: %d and %d bytes (status %d) from SQLite, %d bytes (status %d) from the copy", p, len(a), len(a), status, len(b), pgStatus)
		}
	}
	t.Logf("compared %d pages of the kinds %v", len(paths), kinds)
	if len(paths) < 100 || len(kinds) < 5 {
		t.Errorf("compared %d pages, of the kinds %v; want every kind", len(paths), kinds)
	}
	if !signIn(t, pgBase, "editor@example.org", copyPassword) {
		t.Error("the copied user cannot sign in to the copy with their password")
	}
	if signIn(t, pgBase, "editor@example.org", "not the password") {
		t.Error("the copy let a wrong password in")
	}
	stopSrc()
	stopPG()

	// New rows get IDs the source never gave.
	maxID := func(ids ...int64) int64 {
		var m int64
		for _, id := range ids {
			m = max(m, id)
		}
		return m
	}
	var articleIDs, commentIDs, userIDs []int64
	for _, a := range want.Articles {
		articleIDs = append(articleIDs, a.ID)
	}
	for _, c := range want.Comments {
		commentIDs = append(commentIDs, c.ID)
	}
	for _, u := range want.Users {
		userIDs = append(userIDs, u.ID)
	}
	news := newsroom.New(pgStore, render.New(), clock.Now, nil)
	a := &article.Article{Title: "Written after the move", Body: "A new story, on the new database."}
	if err := news.Create(ctx, newsroom.System("test"), a); err != nil {
		t.Fatal(err)
	}
	u := &user.User{Email: "new@example.org", Name: "New", Role: user.Author}
	if err := pgStore.CreateUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	c := &comment.Comment{ArticleID: a.ID, Author: "R", Email: "r@example.org", Body: "First!", State: comment.Approved, CreatedAt: clock.Now()}
	if err := pgStore.CreateComment(ctx, c, "nonce-new", clock.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if a.ID <= maxID(articleIDs...) || u.ID <= maxID(userIDs...) || c.ID <= maxID(commentIDs...) {
		t.Errorf("new rows on the copy got IDs %d (article), %d (user), %d (comment); the source's went up to %d, %d, %d",
			a.ID, u.ID, c.ID, maxID(articleIDs...), maxID(userIDs...), maxID(commentIDs...))
	}

	// And back into a new SQLite file, photos into the folder beside it.
	back := "sqlite:" + filepath.Join(t.TempDir(), "back.db")
	out = mustRun(t, "db", "copy", "--from", pg, "--to", back, "--sessions")
	if strings.Contains(out, "DIFFERS") || strings.Contains(out, "not copied: sign-ins") {
		t.Errorf("db copy back's summary:\n%s", out)
	}
	backStore := openDB(t, back)
	sameContent(t, contentOf(t, pgStore), contentOf(t, backStore))
	backFiles, err := mediaFiles(&env{cfg: &config.Config{DB: back}}, backStore)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(wantFiles, photoFiles(t, backStore, backFiles)); diff != "" {
		t.Errorf("the photo files copied back differ:\n%.2000s", diff)
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(strings.TrimPrefix(back, "sqlite:")), "back-media")); err != nil {
		t.Errorf("no photo folder beside the SQLite copy: %v", err)
	}
	u2, err := backStore.UserByEmail(ctx, "editor@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := user.VerifyPassword(u2.PasswordHash, copyPassword); !ok || err != nil {
		t.Errorf("the password does not verify after the copy back: %v", err)
	}
}

// A target that holds a site is refused, named, and left alone.
func TestDBCopyRefusesATargetWithContent(t *testing.T) {
	t.Parallel()
	src := copySite(t)
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			target := b.dsn(t)
			if b.name == "sqlite" {
				target = demoSite(t)
			} else {
				mustRun(t, "db", "copy", "--from", src, "--to", target)
			}
			before := contentOf(t, openDB(t, target))
			stdout, stderr, code := dateline(t, "db", "copy", "--from", src, "--to", target)
			if code != exitFail || !strings.Contains(stderr, "articles") || !strings.Contains(stderr, "holds") || !strings.Contains(stderr, "empty") {
				t.Errorf("db copy into a site: exit %d\nstdout: %s\nstderr: %s", code, stdout, stderr)
			}
			if diff := cmp.Diff(before, contentOf(t, openDB(t, target)), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("the refused target changed:\n%s", diff)
			}
		})
	}
}

// A copy stopped half-way leaves nothing in the target: not a row, not
// a photo file.
func TestDBCopyInterrupted(t *testing.T) {
	t.Parallel()
	src := copySite(t)
	for _, b := range backends {
		// Half-way through the rows, and among the photo files, the last
		// to go.
		for _, point := range []struct {
			name string
			at   func(total int64) int64
		}{
			{"half-way", func(total int64) int64 { return total / 2 }},
			{"photo files", func(total int64) int64 { return total - 5 }},
		} {
			t.Run(b.name+"/"+point.name, func(t *testing.T) {
				target := b.dsn(t)
				from, to := openDB(t, src), openDB(t, target)
				fromSide, err := copySide(from, src, "")
				if err != nil {
					t.Fatal(err)
				}
				toSide, err := copySide(to, target, "")
				if err != nil {
					t.Fatal(err)
				}
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				var at, of int64
				opts := dbcopy.Options{Now: clock.Now, BatchRows: 10, Progress: func(done, total int64) {
					if total > 0 && done >= point.at(total) && at == 0 {
						at, of = done, total
						cancel()
					}
				}}
				_, err = dbcopy.Copy(ctx, fromSide, toSide, opts)
				t.Logf("cancelled at %d of %d rows: %v", at, of, err)
				if !errors.Is(err, context.Canceled) || at == 0 {
					t.Fatalf("a copy cancelled at %d of %d: %v", at, of, err)
				}
				tables, err := toSide.Tables.Tables(context.Background())
				if err != nil {
					t.Fatal(err)
				}
				err = toSide.Tables.ReadTables(context.Background(), func(r store.TableReader) error {
					for _, tb := range tables {
						if tb.Name == "schema_version" {
							continue
						}
						n, err := r.Count(context.Background(), tb.Name)
						if err != nil {
							return err
						}
						if n != 0 {
							t.Errorf("after a copy cancelled at %d of %d rows, the target's %s holds %d rows", at, of, tb.Name, n)
						}
					}
					return nil
				})
				if err != nil {
					t.Fatal(err)
				}
				if toSide.MediaDir != "" {
					if _, err := os.Stat(toSide.MediaDir); !errors.Is(err, os.ErrNotExist) {
						t.Errorf("after a cancelled copy the photo folder %s is there (%v)", toSide.MediaDir, err)
					}
				}
			})
		}
	}
}

// Wrong databases are named, with the reason, and nothing is copied.
func TestDBCopyBadInput(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := "sqlite:" + filepath.Join(dir, "a.db")
	for _, test := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no target", []string{"--from", good}, exitUsage, "--to"},
		{"same database", []string{"--from", good, "--to", good}, exitUsage, "same database"},
		{"unknown scheme", []string{"--from", "mysql://root@localhost/news", "--to", good}, exitFail, `--from: unknown database scheme "mysql"`},
		{"no such directory", []string{"--from", good, "--to", "sqlite:" + filepath.Join(dir, "missing", "b.db")}, exitFail, "does not exist"},
		{"server not there", []string{"--from", good, "--to", "postgres://nobody:secret@127.0.0.1:1/news?connect_timeout=2"}, exitFail, "--to postgres://nobody:xxxxx@127.0.0.1:1/news"},
		{"argument", []string{"--from", good, "--to", "sqlite:" + filepath.Join(dir, "c.db"), "extra"}, exitUsage, "takes no arguments"},
	} {
		t.Run(test.name, func(t *testing.T) {
			stdout, stderr, code := dateline(t, append([]string{"db", "copy"}, test.args...)...)
			if code != test.code || !strings.Contains(stderr, test.want) || strings.Contains(stderr, "secret") {
				t.Errorf("exit %d, want %d with %q\nstdout: %s\nstderr: %s", code, test.code, test.want, stdout, stderr)
			}
		})
	}
}
