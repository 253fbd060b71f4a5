package cli

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/media/mediatest"
	"github.com/google/go-cmp/cmp"
)

// authorsOf lists the authors as 'author list --json' prints them, by
// slug.
func authorsOf(t *testing.T, db string) map[string]authorProfileJSON {
	t.Helper()
	var all []authorProfileJSON
	if err := json.Unmarshal([]byte(mustRun(t, "author", "list", "--json", "--db", db)), &all); err != nil {
		t.Fatal(err)
	}
	out := map[string]authorProfileJSON{}
	for _, au := range all {
		out[au.Slug] = au
	}
	return out
}

func TestAuthorCommands(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := examples(t, b.dsn)
			dir := t.TempDir()
			photo := writeFile(t, dir, "jonas.jpg", string(mediatest.JPEGWithGPS(800, 800)))
			var added []mediaJSON
			if err := json.Unmarshal([]byte(mustRun(t, "media", "add", "--json", "--db", db, "--media", filepath.Join(dir, "media"), "--alt", "Jonas Ek", photo)), &added); err != nil || len(added) != 1 {
				t.Fatalf("media add: %v", err)
			}

			list := mustRun(t, "author", "list", "--db", db)
			if !strings.HasPrefix(list, "SLUG") || !strings.Contains(list, "jonas-ek        Jonas Ek        -     -      -\n") {
				t.Errorf("author list:\n%s", list)
			}

			out := mustRun(t, "author", "edit", "jonas-ek", "--db", db, "--role-title", "City hall reporter", "--bio", "Jonas covers the council.",
				"--photo", itoa(added[0].ID), "--link", "Mastodon=https://selvik.social/@jonas", "--link", "Email = mailto:jonas@dateline-selvik.example")
			if out != "author jonas-ek: Jonas Ek, page /author/jonas-ek/\n" {
				t.Errorf("author edit printed %q", out)
			}
			want := authorProfileJSON{Slug: "jonas-ek", Name: "Jonas Ek", Bio: "Jonas covers the council.", RoleTitle: "City hall reporter",
				Photo: added[0].ID, Path: "/author/jonas-ek/", Links: []article.Link{
					{Label: "Mastodon", URL: "https://selvik.social/@jonas"}, {Label: "Email", URL: "mailto:jonas@dateline-selvik.example"}}}
			if diff := cmp.Diff(want, authorsOf(t, db)["jonas-ek"]); diff != "" {
				t.Errorf("after author edit (-want +got):\n%s", diff)
			}
			// Flags not given keep their value.
			mustRun(t, "author", "edit", "jonas-ek", "--name", "Jonas Ek-Berg", "--db", db)
			want.Name = "Jonas Ek-Berg"
			if diff := cmp.Diff(want, authorsOf(t, db)["jonas-ek"]); diff != "" {
				t.Errorf("after author edit --name (-want +got):\n%s", diff)
			}
			if got := show(t, db, tram); got.Author == nil || got.Author.Name != "Jonas Ek-Berg" || got.Author.Slug != "jonas-ek" {
				t.Errorf("the byline after the new name: %+v", got.Author)
			}
			if out := mustRun(t, "author", "edit", "jonas-ek", "--role-title", "City hall reporter", "--db", db); !strings.Contains(out, "nothing changed") {
				t.Errorf("an edit changing nothing printed %q", out)
			}
			mustRun(t, "author", "edit", "jonas-ek", "--no-links", "--photo", "none", "--bio", "", "--db", db)
			want.Links, want.Photo, want.Bio = []article.Link{}, 0, ""
			if diff := cmp.Diff(want, authorsOf(t, db)["jonas-ek"]); diff != "" {
				t.Errorf("after --no-links --photo none --bio '' (-want +got):\n%s", diff)
			}
			if list := mustRun(t, "author", "list", "--db", db); !strings.Contains(list, "City hall reporter") {
				t.Errorf("author list does not show the role:\n%s", list)
			}

			for _, test := range []struct {
				code int
				want string
				args []string
			}{
				{exitFail, `no author "nobody"; the authors are jonas-ek, mara-lindqvist`, []string{"nobody", "--bio", "x"}},
				{exitFail, "--photo: image 99999 is not in the library", []string{"jonas-ek", "--photo", "99999"}},
				{exitFail, `--link: link 1: "javascript:alert(1)" is not an http, https or mailto address`, []string{"jonas-ek", "--link", "Site=javascript:alert(1)"}},
				{exitFail, "--role-title: the role title must be one line of at most 100 characters", []string{"jonas-ek", "--role-title", strings.Repeat("x", 101)}},
				{exitFail, "--bio: the bio is 2001 characters, more than 2000", []string{"jonas-ek", "--bio", strings.Repeat("x", 2001)}},
				{exitUsage, "give what to change", []string{"jonas-ek"}},
				{exitUsage, "--name is empty", []string{"jonas-ek", "--name", " "}},
				{exitUsage, `--photo takes an image's library ID`, []string{"jonas-ek", "--photo", "me.jpg"}},
				{exitUsage, `"Mastodon" is not LABEL=URL`, []string{"jonas-ek", "--link", "Mastodon"}},
				{exitUsage, "--link and --no-links contradict each other", []string{"jonas-ek", "--link", "a=https://a.example/", "--no-links"}},
				{exitUsage, "name one author by their slug", []string{"--bio", "x"}},
			} {
				wantFailure(t, test.code, test.want, append([]string{"author", "edit", "--db", db}, test.args...)...)
			}
			if diff := cmp.Diff(want, authorsOf(t, db)["jonas-ek"]); diff != "" {
				t.Errorf("after refused edits (-want +got):\n%s", diff)
			}
		})
	}
}

func TestAuthorListEmpty(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	mustRun(t, "migrate", "--db", db)
	out, errOut, code := dateline(t, "author", "list", "--db", db)
	if code != 0 || out != "SLUG  NAME  ROLE  PHOTO  LINKS\n" || !strings.Contains(errOut, "no authors yet") {
		t.Errorf("author list of an empty site: exit %d, %q, %q", code, out, errOut)
	}
	if out := mustRun(t, "author", "list", "--json", "--db", db); out != "[]\n" {
		t.Errorf("author list --json of an empty site: %q", out)
	}
	wantFailure(t, exitFail, `no author "jonas-ek": the site has no authors yet`, "author", "edit", "jonas-ek", "--bio", "x", "--db", db)
}
