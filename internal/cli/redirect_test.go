package cli

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const cranes = "new-harbour-cranes-cut-waiting-times-at-port-selvik"

// redirectsOf lists the redirects as 'redirect list --json' prints them,
// from → to.
func redirectsOf(t *testing.T, db string) map[string]string {
	t.Helper()
	var list []struct {
		From      string `json:"from"`
		To        string `json:"to"`
		CreatedAt string `json:"created_at"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "redirect", "list", "--json", "--db", db)), &list); err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, r := range list {
		if r.CreatedAt == "" {
			t.Errorf("redirect %s has no created_at", r.From)
		}
		m[r.From] = r.To
	}
	return m
}

func TestRedirectsAndRename(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.dsn(t)
			mustRun(t, "import", "--db", db, "../../examples/articles/harbour-cranes.md", "../../examples/articles/night-tram-trial.md")
			if got := strings.TrimSpace(mustRun(t, "redirect", "list", "--json", "--db", db)); got != "[]" {
				t.Errorf("redirect list of a new site = %s, want []", got)
			}
			if _, errOut, code := dateline(t, "redirect", "list", "--db", db); code != 0 || !strings.Contains(errOut, "no redirects yet") {
				t.Errorf("redirect list of a new site: exit %d, stderr %q", code, errOut)
			}

			out := mustRun(t, "article", "rename", cranes, "harbour-cranes", "--db", db)
			if want := "renamed " + cranes + " to harbour-cranes\n/" + cranes + "/ → /harbour-cranes/\n"; out != want {
				t.Errorf("rename printed %q, want %q", out, want)
			}
			if got := show(t, db, "harbour-cranes"); got.Title != "New Harbour Cranes Cut Waiting Times at Port Selvik" {
				t.Errorf("renamed article = %+v", got)
			}
			if revs := mustRun(t, "article", "revisions", "harbour-cranes", "--db", db); !strings.Contains(revs, "rename") {
				t.Errorf("the rename kept no revision:\n%s", revs)
			}

			out = mustRun(t, "redirect", "add", "/2019/05/cranes", "/"+cranes+"/", "--db", db)
			if out != "/2019/05/cranes/ → /harbour-cranes/\n(/"+cranes+"/ already redirects to /harbour-cranes/, so this one goes straight there)\n" {
				t.Errorf("redirect add of a chain printed %q", out)
			}
			mustRun(t, "redirect", "add", "/x/", "https://archive.example.org/x?id=1", "--db", db)
			mustRun(t, "redirect", "add", "/x", "/y/", "--force", "--db", db) // replaces, to a page not there yet
			if diff := cmp.Diff(map[string]string{
				"/" + cranes + "/": "/harbour-cranes/",
				"/2019/05/cranes/": "/harbour-cranes/",
				"/x/":              "/y/",
			}, redirectsOf(t, db)); diff != "" {
				t.Errorf("redirects (-want +got):\n%s", diff)
			}
			list := mustRun(t, "redirect", "list", "--db", db)
			if !strings.HasPrefix(list, "FROM") || !strings.Contains(list, "/2019/05/cranes/  ") {
				t.Errorf("redirect list:\n%s", list)
			}

			mustRun(t, "article", "rename", "harbour-cranes", "port-cranes", "--db", db)
			mustRun(t, "article", "rename", "port-cranes", cranes, "--db", db) // back to the first slug
			if diff := cmp.Diff(map[string]string{
				"/harbour-cranes/": "/" + cranes + "/",
				"/port-cranes/":    "/" + cranes + "/",
				"/2019/05/cranes/": "/" + cranes + "/",
				"/x/":              "/y/",
			}, redirectsOf(t, db)); diff != "" {
				t.Errorf("redirects after renaming back (-want +got):\n%s", diff)
			}

			if out := mustRun(t, "redirect", "delete", "/x", "--db", db); out != "deleted the redirect from /x/\n" {
				t.Errorf("redirect delete printed %q", out)
			}
			mustRun(t, "redirect", "add", "/p/", "/q/", "--force", "--db", db)
			for _, test := range []struct {
				args []string
				code int
				want string
			}{
				{[]string{"redirect", "delete", "/x/"}, 1, "redirect from /x/ not found"},
				{[]string{"redirect", "delete"}, 2, "name the path the redirect is from"},
				{[]string{"redirect", "delete", "x"}, 2, "must start with /"},
				{[]string{"redirect", "add", "/only-one/"}, 2, "give the path to redirect from and where to"},
				{[]string{"redirect", "add", "old-slug", "/new/"}, 2, `FROM: "old-slug" is not a site-absolute path`},
				{[]string{"redirect", "add", "https://example.org/old/", "/new/"}, 2, "without scheme or host"},
				{[]string{"redirect", "add", "/a/../b/", "/new/"}, 2, ". or .. segment"},
				{[]string{"redirect", "add", "/old/?p=1", "/new/"}, 2, "query or fragment"},
				{[]string{"redirect", "add", "/old/", "garbage"}, 2, `TO: "garbage" is not a site-absolute path`},
				{[]string{"redirect", "add", "/old/", "javascript:alert(1)"}, 2, "TO:"},
				{[]string{"redirect", "add", "/old/", "/old"}, 1, "a redirect from /old/ to itself would loop"},
				{[]string{"redirect", "add", "/q/", "/p/"}, 1, "/p/ already redirects to /q/, so a redirect from /q/ to /p/ would loop"},
				{[]string{"redirect", "add", "/" + cranes + "/", "/elsewhere/"}, 1, `article "` + cranes + `" lives at`},
				{[]string{"article", "rename", cranes}, 2, "name the article's slug and its new slug"},
				{[]string{"article", "rename", cranes, "Bad Slug"}, 2, "may hold only lowercase letters"},
				{[]string{"article", "rename", "no-such-article", "fine"}, 1, `article "no-such-article" not found`},
				{[]string{"article", "rename", cranes, cranes}, 1, "already has that slug"},
				{[]string{"article", "rename", cranes, "selvik-council-approves-night-tram-trial"}, 1, `slug "selvik-council-approves-night-tram-trial" is taken by another article`},
			} {
				_, errOut, code := dateline(t, append(test.args, "--db", db)...)
				if code != test.code || !strings.Contains(errOut, test.want) {
					t.Errorf("dateline %s: exit %d, stderr %q; want exit %d and %q", strings.Join(test.args, " "), code, errOut, test.code, test.want)
				}
				if code == 1 && strings.Count(errOut, "\n") != 1 {
					t.Errorf("dateline %s: stderr is not one line: %q", strings.Join(test.args, " "), errOut)
				}
			}
			// The refusals changed nothing.
			if n := len(redirectsOf(t, db)); n != 4 {
				t.Errorf("%d redirects after the refusals, want 4", n)
			}
		})
	}
}

// Issue: redirect add accepted a target that answers 404, and silently
// replaced an existing redirect.
func TestRedirectAddRefusesMistakesWithoutForce(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.dsn(t)
			mustRun(t, "import", "--db", db, "../../examples/articles/harbour-cranes.md", "../../examples/articles/night-tram-trial.md")
			const tram = "selvik-council-approves-night-tram-trial"
			mustRun(t, "redirect", "add", "/old/", "/"+cranes+"/", "--db", db)
			mustRun(t, "redirect", "add", "/gone/", "/"+tram+"/", "--db", db)
			mustRun(t, "article", "delete", tram, "--db", db)
			for _, test := range []struct {
				args []string
				want string
			}{
				{[]string{"/new/", "/no-such-story/"}, "/no-such-story/ answers 404: no public article, archive, feed or redirect is there; give --force"},
				{[]string{"/new/", "/gone/"}, "/gone/ redirects to /" + tram + "/, which answers 404; give --force"},
				{[]string{"/old/", "/tag/ports/"}, "/old/ already redirects to /" + cranes + "/; give --force to redirect it to /tag/ports/ instead"},
				{[]string{"/", "/" + cranes + "/"}, "/ shows the home page, so a redirect from there would not be used while it does; give --force"},
			} {
				_, errOut, code := dateline(t, append(append([]string{"redirect", "add"}, test.args...), "--db", db)...)
				if code != 1 || !strings.Contains(errOut, test.want) {
					t.Errorf("redirect add %s: exit %d, stderr %q; want exit 1 and %q", strings.Join(test.args, " "), code, errOut, test.want)
				}
			}
			want := map[string]string{"/old/": "/" + cranes + "/", "/gone/": "/" + tram + "/"}
			if diff := cmp.Diff(want, redirectsOf(t, db)); diff != "" {
				t.Errorf("the refusals changed the redirects (-want +got):\n%s", diff)
			}

			// Good targets need no --force: a page, a redirect to one, another site.
			mustRun(t, "redirect", "add", "/a/", "/tag/ports/", "--db", db)
			mustRun(t, "redirect", "add", "/b/", "/old/", "--db", db)
			mustRun(t, "redirect", "add", "/c/", "https://archive.example.org/c", "--db", db)
			mustRun(t, "redirect", "add", "/old/", "/"+cranes+"/", "--db", db) // the same again
			mustRun(t, "redirect", "add", "/new/", "/no-such-story/", "--force", "--db", db)
			mustRun(t, "redirect", "add", "/old/", "/tag/ports/", "--force", "--db", db)
			for from, to := range map[string]string{"/a/": "/tag/ports/", "/b/": "/" + cranes + "/", "/new/": "/no-such-story/", "/old/": "/tag/ports/"} {
				want[from] = to
			}
			want["/c/"] = "https://archive.example.org/c"
			if diff := cmp.Diff(want, redirectsOf(t, db)); diff != "" {
				t.Errorf("redirects (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRenameOfADraftMakesNoRedirect(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	path := filepath.Join(t.TempDir(), "leak.md")
	if err := os.WriteFile(path, []byte("---\ntitle: Budget leak\ndraft: true\n---\nNot yet.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	mustRun(t, "import", "--db", db, path)
	out := mustRun(t, "article", "rename", "budget-leak", "budget-2027-leak", "--db", db)
	if !strings.Contains(out, "not public, so /budget-leak/ needs no redirect") {
		t.Errorf("rename of a draft printed %q", out)
	}
	if n := len(redirectsOf(t, db)); n != 0 {
		t.Errorf("%d redirects after renaming a draft, want none", n)
	}
}

func TestServeAnswersRenamedArticleWith301(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	mustRun(t, "import", "--db", db, "../../examples/articles/harbour-cranes.md")
	mustRun(t, "article", "rename", cranes, "harbour-cranes", "--db", db)
	mustRun(t, "redirect", "add", "/2019/05/cranes/", "/harbour-cranes/", "--db", db)
	base, _ := startServe(t, "--db", db, "--cache", "0")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for from, to := range map[string]string{
		"/" + cranes + "/?utm_source=feed": "/harbour-cranes/?utm_source=feed",
		"/2019/05/cranes/":                 "/harbour-cranes/",
	} {
		resp, err := client.Get(base + from)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != to {
			t.Errorf("GET %s = %d to %q, want 301 to %q", from, resp.StatusCode, resp.Header.Get("Location"), to)
		}
	}
	if page := get(t, base+"/"+cranes+"/"); !strings.Contains(page, "New Harbour Cranes") {
		t.Error("following the redirect did not reach the article")
	}
	resp, err := client.Get(base + "/never-was/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /never-was/ = %d, want 404", resp.StatusCode)
	}
}
