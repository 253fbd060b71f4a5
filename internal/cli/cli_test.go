package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/store/postgres/pgtest"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/google/go-cmp/cmp"
)

// clock is the time of every command the tests run, and of the stores
// they open.
var clock = testclock.New(testclock.Date(2026, 11, 27, 12, 0))

// dateline runs the command line as a user would and returns what it
// printed and its exit code.
func dateline(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut, clock.Now)
	return out.String(), errOut.String(), code
}

// mustRun runs a command that must succeed.
func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, errOut, code := dateline(t, args...)
	if code != 0 {
		t.Fatalf("dateline %s: exit %d\nstdout: %s\nstderr: %s", strings.Join(args, " "), code, out, errOut)
	}
	return out
}

// backends gives each test a fresh database on every backend.
var backends = []struct {
	name string
	dsn  func(t *testing.T) string
}{
	{"sqlite", func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "site.db") }},
	{"postgres", func(t *testing.T) string { return pgtest.NewSchemaDSN(t) }},
}

// sharedFixture returns the path of a file in ../shared/fixtures, which CI
// provides beside the checkout.
func sharedFixture(t *testing.T, name string) string {
	t.Helper()
	path := filepath.Join("..", "..", "..", "shared", "fixtures", name)
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared fixture %s is missing: %v", path, err)
		}
		t.Skipf("shared fixture %s is missing (it lives beside the checkout): %v", path, err)
	}
	return path
}

type showJSON struct {
	Title          string `json:"title"`
	Slug           string `json:"slug"`
	Description    string `json:"description"`
	Status         string `json:"status"`
	PublishedAt    string `json:"published_at"`
	WordCount      int    `json:"word_count"`
	ReadingMinutes int    `json:"reading_minutes"`
	Version        int    `json:"version"`
	SEOTitle       string `json:"seo_title"`
	Outline        []struct {
		Level int    `json:"level"`
		Text  string `json:"text"`
		ID    string `json:"id"`
	} `json:"outline"`
	RequestedLinks []string `json:"requested_links"`
	BodyMarkdown   string   `json:"body_markdown"`
	FeaturedImage  int64    `json:"featured_image"`
	Author         *struct {
		Name string `json:"name"`
		Slug string `json:"slug"`
	} `json:"author"`
	Tags []struct {
		Name string `json:"name"`
		Slug string `json:"slug"`
	} `json:"tags"`
}

func show(t *testing.T, db, slug string) showJSON {
	t.Helper()
	var got showJSON
	out := mustRun(t, "article", "show", slug, "--json", "--db", db)
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("article show --json printed invalid JSON: %v\n%s", err, out)
	}
	return got
}

func TestReferenceArticleImport(t *testing.T) {
	fixture := sharedFixture(t, "reference-article.txt")
	expectedJSON, err := os.ReadFile(sharedFixture(t, "reference-article.expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	type heading struct {
		Level int    `json:"level"`
		Text  string `json:"text"`
	}
	var want struct {
		Title          string    `json:"title"`
		Description    string    `json:"description"`
		Outline        []heading `json:"outline"`
		RequestedLinks []string  `json:"requested_links"`
	}
	if err := json.Unmarshal(expectedJSON, &want); err != nil {
		t.Fatal(err)
	}
	const slug = "pakistan-signals-possible-cross-border-military-action-against-ttp-after-failed-peace-talks"
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.dsn(t)
			out := mustRun(t, "import", "--db", db, fixture)
			if !strings.Contains(out, "1 imported, 0 updated, 0 unchanged, 0 failed") {
				t.Errorf("import summary = %q", out)
			}
			got := show(t, db, slug)
			var outline []heading
			ids := map[string]bool{}
			for _, h := range got.Outline {
				outline = append(outline, heading{h.Level, h.Text})
				if h.ID == "" || ids[h.ID] {
					t.Errorf("heading %q has an empty or repeated id %q", h.Text, h.ID)
				}
				ids[h.ID] = true
			}
			if diff := cmp.Diff(want.Title, got.Title); diff != "" {
				t.Errorf("title (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want.Description, got.Description); diff != "" {
				t.Errorf("description (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want.Outline, outline); diff != "" {
				t.Errorf("outline (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want.RequestedLinks, got.RequestedLinks); diff != "" {
				t.Errorf("requested links (-want +got):\n%s", diff)
			}
			for _, trace := range []string{"Meta Description", "Suggested Internal Linking", "Related Article", "Leave a Reply", "Your email address", "Required fields"} {
				if strings.Contains(got.BodyMarkdown, trace) {
					t.Errorf("body still contains %q", trace)
				}
			}
			for _, line := range strings.Split(got.BodyMarkdown, "\n") {
				if line == "0" || line == "1" {
					t.Errorf("body still contains a page counter line %q", line)
				}
			}
			if !strings.Contains(got.BodyMarkdown, "Pakistan’s growing frustration") || !strings.Contains(got.BodyMarkdown, "without progress — reinforcing") {
				t.Error("body lost the typographic apostrophes or dashes")
			}
			if got.Status != "published" || got.PublishedAt == "" || got.WordCount < 1500 || got.ReadingMinutes != (got.WordCount+237)/238 {
				t.Errorf("status %q, published %q, %d words, %d min: want a published article of about 2,000 words at 238 words a minute",
					got.Status, got.PublishedAt, got.WordCount, got.ReadingMinutes)
			}

			// Importing the same file again changes nothing.
			out = mustRun(t, "import", "--db", db, fixture)
			if !strings.Contains(out, "0 imported, 0 updated, 1 unchanged, 0 failed") {
				t.Errorf("second import summary = %q", out)
			}
			list := mustRun(t, "article", "list", "--db", db)
			if strings.Count(list, slug) != 1 {
				t.Errorf("article list after two imports:\n%s", list)
			}
		})
	}
}

func TestImportBadInputs(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.dsn(t)
			dir := t.TempDir()
			write := func(name, content string) string {
				t.Helper()
				path := filepath.Join(dir, name)
				if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
				return path
			}
			first := write("ferry.md", "---\ntitle: Ferry strike ends\ntags: [transport]\n---\nBoats sail again from Friday.\n")
			mustRun(t, "import", "--db", db, first)
			before := show(t, db, "ferry-strike-ends")

			huge := filepath.Join(dir, "huge.txt")
			if f, err := os.Create(huge); err != nil {
				t.Fatal(err)
			} else {
				f.Truncate(50 << 20)
				f.Close()
			}
			bad := map[string]string{
				write("empty.txt", ""):                           "file is empty",
				write("binary.txt", "\x89PNG\r\n\x1a\n\x00\x00"): "binary file",
				write("cp1252.txt", "Caf\xe9 news\n\nText.\n"):   "not valid UTF-8",
				write("only-title.txt", "A headline alone\n"):    "title but no body",
				huge: "larger than",
				write("broken.md", "---\ntitle: [unclosed\n---\nText.\n"):                                         "front matter",
				write("clash.md", "---\ntitle: Another ferry story\nslug: ferry-strike-ends\n---\nOther text.\n"): `slug "ferry-strike-ends" is already used by "Ferry strike ends", imported from`,
			}
			good := write("good.md", "# Bridge repairs start\n\nLanes close at night.\n")
			args := []string{"import", "--db", db, good}
			for path := range bad {
				args = append(args, path)
			}
			out, errOut, code := dateline(t, args...)
			if code != 1 {
				t.Errorf("import with bad files: exit %d, want 1", code)
			}
			if !strings.Contains(out, "1 imported, 0 updated, 0 unchanged, 7 failed") {
				t.Errorf("summary = %q", out)
			}
			lines := strings.Split(strings.TrimSpace(errOut), "\n")
			if len(lines) != len(bad) {
				t.Errorf("stderr has %d lines, want one per bad file:\n%s", len(lines), errOut)
			}
			for path, msg := range bad {
				found := false
				for _, line := range lines {
					if strings.Contains(line, path) && strings.Contains(line, msg) {
						found = true
					}
				}
				if !found {
					t.Errorf("no stderr line names %s with %q:\n%s", filepath.Base(path), msg, errOut)
				}
			}
			if diff := cmp.Diff(before, show(t, db, "ferry-strike-ends")); diff != "" {
				t.Errorf("a failed import changed the stored article (-before +after):\n%s", diff)
			}
			show(t, db, "bridge-repairs-start")
		})
	}
}

// Issue 15: WordPress's own Theme Unit Test export comes in whole, with
// counts that match the file, and its old addresses answer 301. (It was
// once imported as one article titled with its XML declaration.)
func TestImportWordPressExport(t *testing.T) {
	export := sharedFixture(t, filepath.Join("wordpress", "themeunittestdata.wordpress.xml"))
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.dsn(t)
			var rep struct {
				Posts, Pages, Comments                 map[string]int
				Authors, Categories, Tags, Attachments int
				Redirects, Pinned                      int
				NotConverted                           []struct{ Item, Message string } `json:"not_converted"`
				Problems                               []struct{ Where, Message string }
			}
			out := mustRun(t, "import", "--db", db, "--json", export)
			if err := json.Unmarshal([]byte(out), &rep); err != nil {
				t.Fatalf("import --json: %v\n%.500s", err, out)
			}
			// The file holds 58 posts (one with no content), 21 pages (one
			// with no content), 29 comments besides 4 pingbacks and
			// trackbacks (one on the empty post), 2 authors, 68 categories,
			// 110 tags, 37 attachments and 70 menu items.
			if rep.Posts["imported"] != 57 || rep.Posts["skipped"] != 1 || rep.Pages["imported"] != 20 || rep.Pages["skipped"] != 1 ||
				rep.Comments["imported"] != 28 || rep.Comments["skipped"] != 1 {
				t.Errorf("posts %v, pages %v, comments %v", rep.Posts, rep.Pages, rep.Comments)
			}
			if rep.Authors != 2 || rep.Categories != 68 || rep.Tags != 110 || rep.Attachments != 37 || rep.Pinned != 1 || rep.Redirects < 100 {
				t.Errorf("authors %d, categories %d, tags %d, attachments %d, pinned %d, redirects %d",
					rep.Authors, rep.Categories, rep.Tags, rep.Attachments, rep.Pinned, rep.Redirects)
			}
			problems := ""
			for _, p := range rep.Problems {
				problems += p.Where + ": " + p.Message + "\n"
			}
			for _, want := range []string{"70 nav_menu_item entries skipped", "4 pingbacks and trackbacks skipped"} {
				if !strings.Contains(problems, want) {
					t.Errorf("problems lack %q:\n%s", want, problems)
				}
			}
			notes := ""
			for _, n := range rep.NotConverted {
				notes += n.Item + ": " + n.Message + "\n"
			}
			if !strings.Contains(notes, "kept from some readers on the old site (password-protected): imported as a draft") {
				t.Errorf("the password-protected post is not reported:\n%.2000s", notes)
			}

			body := func(slug string) string {
				t.Helper()
				var a struct {
					Status string `json:"status"`
					Body   string `json:"body_markdown"`
				}
				if err := json.Unmarshal([]byte(mustRun(t, "article", "show", slug, "--json", "--db", db)), &a); err != nil {
					t.Fatal(err)
				}
				return a.Status + "\n" + a.Body
			}
			if b := body("template-excerpt-defined"); !strings.HasPrefix(b, "published\n") {
				t.Errorf("a published post is %.40q", b)
			}
			if b := body("template-paginated"); !strings.HasPrefix(b, "published\n") {
				t.Errorf("template-paginated: %.60q", b)
			}
			if b := body("markup-html-tags-and-formatting"); !strings.Contains(b, "\n|---") || !strings.Contains(b, "\n> Stay hungry. Stay foolish.") {
				t.Errorf("the formatting post lacks its table or its quote:\n%s", b)
			}
			if b := body("edge-case-nested-and-mixed-lists"); !strings.Contains(b, "\n2. ordered item\n   - **unordered**\n   - **unordered**\n     1. ordered item\n") {
				t.Errorf("the nested lists are not nested:\n%s", b)
			}
			if b := body("template-password-protected"); !strings.HasPrefix(b, "draft\n") {
				t.Errorf("the password-protected post is %.40q, want a draft", b)
			}
			if b := body("scheduled"); !strings.HasPrefix(b, "scheduled\n") && !strings.HasPrefix(b, "published\n") {
				t.Errorf("the scheduled post: %.40q", b)
			}
			if list := mustRun(t, "frontpage", "list", "--db", db); !strings.Contains(list, "template-sticky") {
				t.Errorf("the sticky post is not pinned:\n%s", list)
			}

			again := mustRun(t, "import", "--db", db, "--quiet", export)
			if !strings.Contains(again, "posts:    0 imported, 0 updated, 57 unchanged, 1 skipped, 0 failed") || !strings.Contains(again, "0 redirects") {
				t.Errorf("importing again:\n%.600s", again)
			}

			url, stop := startServe(t, "--db", db)
			defer stop()
			client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			// Template: Comments holds threads three levels deep.
			resp, err := http.Get(url + "/template-comments/")
			if err != nil {
				t.Fatal(err)
			}
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 || strings.Count(string(page), `<ol class="children">`) < 3 {
				t.Errorf("GET /template-comments/ = %d with %d reply lists, want the threads", resp.StatusCode, strings.Count(string(page), `<ol class="children">`))
			}
			for from, to := range map[string]string{
				"/2012/03/15/template-excerpt-defined/": "/template-excerpt-defined/",
				"/2012/01/07/template-sticky/":          "/template-sticky/",
				"/?p=1241":                              "/template-sticky/",
			} {
				resp, err := client.Get(url + from)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != to {
					t.Errorf("GET %s = %d to %q, want 301 to %s", from, resp.StatusCode, resp.Header.Get("Location"), to)
				}
			}
		})
	}
}

func TestImportStatus(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.dsn(t)
			dir := t.TempDir()
			draft := filepath.Join(dir, "tolls.txt")
			live := filepath.Join(dir, "ferry.md")
			for path, content := range map[string]string{
				draft: "Bridge tolls to double\n\nThe plan is not final.\n",
				live:  "# Ferry strike ends\n\nBoats sail again from Friday.\n",
			} {
				if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if out := mustRun(t, "import", "--db", db, "--status", "draft", draft); !strings.Contains(out, "1 imported, 0 updated, 0 unchanged, 0 failed (0 published, 1 draft, 0 scheduled)") {
				t.Errorf("import --status draft: summary %q", out)
			}
			if got := show(t, db, "bridge-tolls-to-double"); got.Status != "draft" {
				t.Errorf("status = %q, want draft", got.Status)
			}
			if out := mustRun(t, "import", "--db", db, live); !strings.Contains(out, "(1 published, 0 draft, 0 scheduled)") {
				t.Errorf("import without --status: summary %q", out)
			}
			if got := show(t, db, "ferry-strike-ends"); got.Status != "published" {
				t.Errorf("status = %q, want published as the file says nothing", got.Status)
			}
		})
	}
}

func TestBadDatabases(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "a.md")
	if err := os.WriteFile(file, []byte("# Title\n\nText.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		name, db, want string
		code           int
	}{
		{"unknown scheme", "mysql://root:hunter2@localhost/news", `unknown database scheme "mysql"`, 2},
		{"no scheme", "news.db", `unknown database scheme`, 2},
		{"unreachable server", "postgres://news:hunter2@127.0.0.1:1/news?sslmode=disable&connect_timeout=2", "open postgres", 1},
		{"missing directory", "sqlite:" + filepath.Join(t.TempDir(), "no", "such", "site.db"), "does not exist", 1},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			for _, args := range [][]string{{"import", "--db", test.db, file}, {"article", "list", "--db", test.db}} {
				out, errOut, code := dateline(t, args...)
				if code != test.code || !strings.Contains(errOut, test.want) || out != "" {
					t.Errorf("dateline %s: exit %d, stdout %q, stderr %q; want exit %d and %q", args[0], code, out, errOut, test.code, test.want)
				}
				if strings.Contains(errOut, "hunter2") {
					t.Errorf("the error shows the password: %s", errOut)
				}
				if strings.Count(strings.TrimSpace(errOut), "\n") > 0 && test.code == 1 {
					t.Errorf("want one line of error, got:\n%s", errOut)
				}
			}
		})
	}
}

func TestRevisionsAndRestore(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			db := b.dsn(t)
			path := filepath.Join(t.TempDir(), "storm.md")
			for _, body := range []string{"First draft of the storm report.", "Second version, with wind speeds.", "Third version, with damage figures."} {
				if err := os.WriteFile(path, []byte("---\ntitle: Storm Ylva reaches the coast\n---\n"+body+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
				mustRun(t, "import", "--db", db, path)
			}
			const slug = "storm-ylva-reaches-the-coast"
			revs := mustRun(t, "article", "revisions", slug, "--db", db)
			if !strings.Contains(revs, "1 ") || !strings.Contains(revs, "2 ") || !strings.Contains(revs, "current") {
				t.Errorf("revisions output:\n%s", revs)
			}
			mustRun(t, "article", "restore", slug, "1", "--db", db)
			if got := show(t, db, slug); got.BodyMarkdown != "First draft of the storm report.\n" || got.Version != 4 {
				t.Errorf("after restore: body %q, version %d", got.BodyMarkdown, got.Version)
			}
			// The restore itself is undoable: the third version is revision 3.
			mustRun(t, "article", "restore", slug, "3", "--db", db)
			if got := show(t, db, slug); got.BodyMarkdown != "Third version, with damage figures.\n" {
				t.Errorf("after undoing the restore: body %q", got.BodyMarkdown)
			}
			for _, test := range []struct {
				args []string
				code int
				want string
			}{
				{[]string{"article", "restore", slug, "99"}, 1, "revision 99 of \"" + slug + "\" not found"},
				{[]string{"article", "restore", slug, "two"}, 2, `revision "two" is not a revision number`},
				{[]string{"article", "restore", "no-such-article", "1"}, 1, `article "no-such-article" not found`},
				{[]string{"article", "show", "no-such-article"}, 1, `article "no-such-article" not found`},
				{[]string{"article", "delete", "no-such-article"}, 1, `article "no-such-article" not found`},
			} {
				_, errOut, code := dateline(t, append(test.args, "--db", db)...)
				if code != test.code || !strings.Contains(errOut, test.want) {
					t.Errorf("dateline %s: exit %d, stderr %q; want exit %d and %q", strings.Join(test.args, " "), code, errOut, test.code, test.want)
				}
			}
			mustRun(t, "article", "delete", slug, "--db", db)
			if out := mustRun(t, "article", "list", "--json", "--db", db); strings.TrimSpace(out) != "[]" {
				t.Errorf("list after delete = %s", out)
			}
		})
	}
}

func TestListJSONAndStatusFilter(t *testing.T) {
	t.Parallel()
	db := "sqlite:" + filepath.Join(t.TempDir(), "site.db")
	dir := t.TempDir()
	for name, content := range map[string]string{
		"live.md":  "---\ntitle: Market hall opens\ndate: 2025-02-01\nauthor: Pia Holm\ntags: [city, food]\n---\nStalls open at eight.\n",
		"draft.md": "---\ntitle: Budget leak\ndraft: true\n---\nNot yet.\n",
		"later.md": "---\ntitle: Eclipse guide\ndate: 2999-01-01\n---\nLook up, carefully.\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mustRun(t, "import", "--db", db, dir)
	var all []struct {
		Slug   string `json:"slug"`
		Status string `json:"status"`
		Author *struct {
			Name string `json:"name"`
		} `json:"author"`
		Tags []struct {
			Slug string `json:"slug"`
		} `json:"tags"`
	}
	if err := json.Unmarshal([]byte(mustRun(t, "article", "list", "--json", "--db", db)), &all); err != nil {
		t.Fatal(err)
	}
	statuses := map[string]string{}
	for _, a := range all {
		statuses[a.Slug] = a.Status
	}
	if diff := cmp.Diff(map[string]string{"market-hall-opens": "published", "budget-leak": "draft", "eclipse-guide": "scheduled"}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	drafts := mustRun(t, "article", "list", "--status", "draft", "--db", db)
	if !strings.Contains(drafts, "budget-leak") || strings.Contains(drafts, "market-hall-opens") {
		t.Errorf("list --status draft:\n%s", drafts)
	}
	if _, errOut, code := dateline(t, "article", "list", "--status", "archived", "--db", db); code != 2 || !strings.Contains(errOut, `unknown status "archived"`) {
		t.Errorf("list --status archived: exit %d, %q", code, errOut)
	}
}

func TestHelpVersionAndUsage(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		args       []string
		code       int
		wantStdout string
		wantStderr string
	}{
		{[]string{"--help"}, 0, "Commands:", ""},
		{[]string{}, 2, "", "Commands:"},
		{[]string{"version"}, 0, "dateline ", ""},
		{[]string{"import", "--help"}, 0, "Usage: dateline import [flags] PATH...", ""},
		{[]string{"article", "show", "--help"}, 0, "-json", ""},
		{[]string{"article", "--help"}, 0, "restore", ""},
		{[]string{"frobnicate"}, 2, "", `unknown command "frobnicate"`},
		{[]string{"article", "list", "--nope"}, 2, "", "flag provided but not defined: -nope"},
		{[]string{"import"}, 2, "", "name at least one file or directory"},
		{[]string{"import", "--format", "docx", "x"}, 2, "", `unknown format "docx"`},
		{[]string{"import", "--status", "scheduled", "x"}, 2, "", `unknown status "scheduled" (want draft or published)`},
		{[]string{"article", "show"}, 2, "", "name one article by its slug"},
		{[]string{"menu", "set", "--help"}, 0, `LABEL=page:SLUG      a page (or an article)`, ""},
		{[]string{"--help"}, 0, "frontpage", ""},
	} {
		t.Run(strings.Join(test.args, " "), func(t *testing.T) {
			out, errOut, code := dateline(t, test.args...)
			if code != test.code || !strings.Contains(out, test.wantStdout) || !strings.Contains(errOut, test.wantStderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, stdout with %q, stderr with %q",
					code, out, errOut, test.code, test.wantStdout, test.wantStderr)
			}
		})
	}
}

func TestErrorsPrintOnOneLine(t *testing.T) {
	t.Parallel()
	err := errors.New("failed to connect to `user=news database=news`:\n\t127.0.0.1:5432: refused\n\t[::1]:5432: refused")
	if got, want := oneLine(err), "failed to connect to `user=news database=news`:; 127.0.0.1:5432: refused; [::1]:5432: refused"; got != want {
		t.Errorf("oneLine = %q, want %q", got, want)
	}
}

// readOnlyCommands are the commands that only read, with arguments.
var readOnlyCommands = [][]string{
	{"article", "list"},
	{"article", "show", "x"},
	{"article", "revisions", "x"},
	{"comment", "list"},
	{"links", "related"},
	{"search", "x"},
	{"links", "suggest", "x"},
	{"links", "report"},
	{"seo", "check"},
	{"settings", "show"},
	{"redirect", "list"},
	{"section", "list"},
	{"author", "list"},
	{"menu", "show", "footer"},
	{"frontpage", "list"},
	{"user", "list"},
}

// Issue: read-only commands silently created dateline.db in whatever
// directory they ran in.
func TestReadOnlyCommandsCreateNothing(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	t.Setenv("DATELINE_DB", "")
	for _, args := range readOnlyCommands {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			out, errOut, code := dateline(t, args...)
			name := args[:2]
			if args[0] == "search" { // a command of its own, not a group's
				name = args[:1]
			}
			want := "dateline " + strings.Join(name, " ") + ": no Dateline database at sqlite:dateline.db (" + filepath.Join(dir, "dateline.db") + " does not exist): run 'dateline migrate'"
			if code != 1 || out != "" || !strings.HasPrefix(errOut, want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and a stderr starting %q", code, out, errOut, want)
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 0 {
				t.Fatalf("the command left %d files in the directory, want none", len(entries))
			}
		})
	}
	mustRun(t, "migrate")
	for _, args := range readOnlyCommands {
		if _, errOut, _ := dateline(t, args...); strings.Contains(errOut, "no Dateline database") {
			t.Errorf("dateline %s after migrate: %s", strings.Join(args, " "), errOut)
		}
	}
}

func TestReadOnlyCommandOnEmptyPostgres(t *testing.T) {
	t.Parallel()
	db := pgtest.NewSchemaDSN(t)
	_, errOut, code := dateline(t, "article", "list", "--db", db)
	if code != 1 || !strings.Contains(errOut, "no Dateline database at postgres://") || !strings.Contains(errOut, "dateline migrate") {
		t.Fatalf("article list on an empty database: exit %d, stderr %q; want exit 1, the database and how to create it", code, errOut)
	}
	mustRun(t, "migrate", "--db", db)
	mustRun(t, "article", "list", "--db", db)
}
