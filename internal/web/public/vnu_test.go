package public

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
)

// vnuJar finds the Nu HTML Checker: DATELINE_VNU_JAR, or the copy that
// .ci/run installs with npm under tools/.
func vnuJar(t *testing.T) string {
	t.Helper()
	jar := os.Getenv("DATELINE_VNU_JAR")
	if jar == "" {
		jar = filepath.Join("..", "..", "..", "tools", "node_modules", "vnu-jar", "build", "dist", "vnu.jar")
	}
	if _, err := os.Stat(jar); err != nil {
		msg := "the Nu HTML Checker is not installed (run: npm ci --prefix tools, or set DATELINE_VNU_JAR)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	if _, err := exec.LookPath("java"); err != nil {
		t.Fatalf("java is needed to run the Nu HTML Checker: %v", err)
	}
	return jar
}

// TestPagesAreValidHTML runs the Nu HTML Checker on every page type and
// fails on any error it reports.
func TestPagesAreValidHTML(t *testing.T) {
	t.Parallel()
	jar := vnuJar(t)
	ts := newTestServer(t, 0, "")
	local := ts.addSection(t, "Local", "News from Selvik and the coast.")
	ts.addSection(t, "Opinion", "")
	ts.add(t, &article.Article{Title: "Night Trams Are Back", Body: "They run all night.\n", PublishedAt: published.Add(-time.Hour)})
	ts.add(t, &article.Article{Kind: article.Contact, Title: "Contact the Newsroom", Description: "How to reach us.", Body: "Write to news@example.org.\n\n## Tips\n\nSend tips by post.\n", PublishedAt: published, CommentsClosed: true})
	flood := floodArticle()
	flood.Section = local
	a := ts.add(t, flood)
	rich := ts.add(t, &article.Article{
		Title:       "Everything Markdown Can Do",
		Description: "A page with a table, a footnote, a task list, code, an image and an embedded video.",
		Body: "Intro with a footnote.[^1] and ~~struck~~ text and `code`.\n\n## Table\n\n| Item | 2026 |\n|---|---:|\n| Water | 3.22 € |\n\n" +
			"## Lists\n\n1. one\n2. two\n\n- [x] done\n- [ ] open\n\n## Media\n\n![A harbour crane at dusk](/static/favicon.svg)\n\n" +
			"<iframe src=\"https://www.youtube-nocookie.com/embed/abc\" title=\"Harbour video\" width=\"560\" height=\"315\"></iframe>\n\n" +
			"```go\nfmt.Println(\"hi\")\n```\n\n## Comments\n\nA heading whose id the page uses too.\n\n[^1]: The footnote.\n",
		PublishedAt: published,
		Tags:        article.TagsFromNames("Selvik"),
		Author:      &article.Author{Name: "Ingrid Solheim"},
	})
	for i := range PerPage + 1 {
		ts.add(t, &article.Article{Title: fmt.Sprintf("Filler %d", i), Body: "Text.\n", PublishedAt: published.Add(-time.Duration(i+2) * time.Hour), Tags: article.TagsFromNames("Selvik"), Author: &article.Author{Name: "Ingrid Solheim"}})
	}
	// Comments in threads, one awaiting moderation for its author, and a
	// form sent back with errors.
	settings := comment.DefaultSettings()
	settings.AutoApproveKnown = false
	ts.store.SaveCommentSettings(ctx, settings)
	rd := ts.reader()
	resp, _ := rd.post(t, a.Slug, commentFields("Amina", "First, with a link: https://example.org/report."))
	first := commentIDFrom(t, resp)
	reply := commentFields("Bilal", "A reply.\n\nIn two paragraphs.")
	reply["comment_parent"] = fmt.Sprint(first)
	resp, _ = rd.post(t, a.Slug, reply)
	commentIDFrom(t, resp)
	settings.HoldAll = true
	ts.store.SaveCommentSettings(ctx, settings)
	ts.clock.Set(ts.clock.Now().Add(time.Minute))
	resp, _ = rd.post(t, a.Slug, commentFields("Held", "Awaiting moderation."))
	commentIDFrom(t, resp)
	_, pendingPage := rd.request(t, http.MethodGet, "/"+a.Slug+"/", nil)
	_, formErrors := rd.post(t, a.Slug, map[string]string{"author": "", "email": "bad", "url": "ftp://x", "comment": ""})
	_, replyForm := rd.request(t, http.MethodGet, "/"+a.Slug+"/?replytocom="+fmt.Sprint(first), nil)
	pages := map[string]string{
		"home":         "/",
		"home-page-2":  "/page/2/",
		"article":      "/" + a.Slug + "/",
		"article-rich": "/" + rich.Slug + "/",
		"tag":          "/tag/selvik/",
		"tag-page-2":   "/tag/selvik/page/2/",
		"author":       "/author/ingrid-solheim/",
		"section":      "/local/",
		"section-none": "/opinion/",
		"page":         "/contact-the-newsroom/",
		"search":       "/search/?q=selvik+harbour",
		"search-none":  "/search/?q=zzqx+wwvv",
		"not-found":    "/no-such-page/",
		"bad-request":  "/?" + strings.Repeat("q=1&", 1000),
		"server-error": "/test-panic/",
		"reference":    "",
	}
	if raw, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "fixtures", "reference-article.txt")); err == nil {
		ref := importText(t, ts, raw)
		pages["reference"] = "/" + ref.Slug + "/"
		// With a featured image, and a library image in its body.
		photo := fullPhoto(t, ts)
		ref.FeaturedMediaID, ref.MediaIDs = photo.ID, []int64{photo.ID}
		ref.Body += fmt.Sprintf("\n\n![Queue of trucks](media:%d)\n", photo.ID)
		ref.Slug += "-photo"
		ref.ID, ref.Source = 0, ""
		if err := ts.store.CreateArticle(ctx, ref); err != nil {
			t.Fatal(err)
		}
		pages["reference-photo"] = "/" + ref.Slug + "/"
	} else {
		delete(pages, "reference")
	}
	// Issue 14: an article, the front page and a tag page of a site in
	// Urdu, right to left.
	urdu := newTestServer(t, 0, "", inLanguage("ur"))
	ur := urdu.add(t, urduArticle(t))
	urdu.addComments(t, ur, 2)
	_, urduArticlePage := urdu.get(t, "/"+ur.Slug+"/")
	_, urduHome := urdu.get(t, "/")
	_, urduTag := urdu.get(t, "/tag/taleem/")
	dir := t.TempDir()
	var files []string
	for name, body := range map[string]string{
		"article-pending": pendingPage, "comment-form-errors": formErrors, "comment-reply-form": replyForm,
		"article-urdu": urduArticlePage, "home-urdu": urduHome, "tag-urdu": urduTag,
	} {
		file := filepath.Join(dir, name+".html")
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	for name, path := range pages {
		_, body := ts.get(t, path)
		file := filepath.Join(dir, name+".html")
		if err := os.WriteFile(file, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, file)
	}
	out, err := exec.Command("java", append([]string{"-jar", jar, "--format", "json", "--errors-only", "--exit-zero-always"}, files...)...).CombinedOutput()
	if err != nil {
		t.Fatalf("vnu: %v\n%s", err, out)
	}
	var report struct {
		Messages []struct {
			Type    string `json:"type"`
			URL     string `json:"url"`
			Line    int    `json:"lastLine"`
			Message string `json:"message"`
			Extract string `json:"extract"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("vnu output is not JSON: %v\n%s", err, out)
	}
	for _, m := range report.Messages {
		if m.Type == "error" || m.Type == "non-document-error" {
			t.Errorf("%s:%d: %s\n\t%s", filepath.Base(m.URL), m.Line, m.Message, m.Extract)
		}
	}
	if len(files) < 19 {
		t.Errorf("checked %d pages, want every page type", len(files))
	}
}
