package public

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/importer/markdown"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/web"
	"golang.org/x/net/html"
)

// urduArticle is a short news story in Urdu, written for these tests
// (scripts/lighthouse.sh audits it too): the city library opens free
// evening classes. Its author and tag get Latin slugs, which Slugify
// cannot make of Urdu names.
func urduArticle(t *testing.T) *article.Article {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "library-evening-classes.ur.md"))
	if err != nil {
		t.Fatal(err)
	}
	a, err := markdown.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	a.Author.Slug = "ayesha-malik"
	a.Tags[0].Slug = "taleem"
	a.PublishedAt = published // the file's date, moved with the tests' clock
	return a
}

// inPublishedYear puts the year of the tests' publishing date (moved with
// their clock) in place of 2026 in an expected piece of page.
func inPublishedYear(s string) string {
	return strings.ReplaceAll(s, "2026", strconv.Itoa(published.Year()))
}

// inLanguage configures a test server for a site in lang.
func inLanguage(lang string) func(*Options, *web.Site) {
	return func(_ *Options, site *web.Site) { site.Info.Language = lang }
}

// addComments stores n approved comments on a.
func (ts *testServer) addComments(t *testing.T, a *article.Article, n int) {
	t.Helper()
	for i := range n {
		c := &comment.Comment{ArticleID: a.ID, Author: "Reader", Email: "reader@mail.example",
			Body: fmt.Sprintf("Comment number %d.", i), State: comment.Approved}
		if err := ts.store.CreateComment(ctx, c, fmt.Sprintf("%s-%d", a.Slug, i), ts.clock.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
}

// commentsHeading returns the text of an article page's comments heading.
func commentsHeading(t *testing.T, body string) string {
	t.Helper()
	h := findAll(parseHTML(t, body), func(n *html.Node) bool { return attr(n, "id") == "comments-heading" })
	if len(h) != 1 {
		t.Fatalf("%d comments headings", len(h))
	}
	return text(h[0])
}

var htmlOpening = regexp.MustCompile(`<html[^>]*>`)

// Issue 14: an Urdu site is written right to left, in Urdu.
func TestUrduSite(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "", inLanguage("ur"))
	a := ts.add(t, urduArticle(t))
	ts.addComments(t, a, 3)
	one := ts.add(t, &article.Article{Slug: "one-comment", Title: "ایک تبصرہ", Body: "مختصر خبر۔\n", PublishedAt: published.Add(-time.Hour)})
	ts.addComments(t, one, 1)

	resp, body := ts.get(t, "/"+a.Slug+"/")
	if resp.StatusCode != 200 {
		t.Fatalf("article: %d", resp.StatusCode)
	}
	if got := htmlOpening.FindString(body); got != `<html lang="ur" dir="rtl">` {
		t.Errorf("html element %s", got)
	}
	for _, want := range []string{
		inPublishedYear(`<time datetime="2026-11-20T08:00:00Z">20 نومبر، 2026</time>`), // the date, in Urdu
		`<li>از <a href="/author/ayesha-malik/" rel="author">عائشہ ملک</a></li>`,
		`<li>شائع ہوا <time`,
		`<h2 id="reply-title">اپنا تبصرہ لکھیں</h2>`, // Leave a Reply
		`<label for="author">نام <span class="required">*</span></label>`,
		`<button type="submit">تبصرہ بھیجیں</button>`,
		`<a class="skip-link" href="#content">مواد پر جائیں</a>`,
		`aria-label="یہ تحریر شیئر کریں"`,
		`<summary><h2 id="toc-heading">فہرستِ مضامین</h2></summary>`,
		`Dateline کے ذریعے شائع کردہ`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the Urdu article page lacks %s", want)
		}
	}
	if got := commentsHeading(t, body); got != "3 تبصرے" {
		t.Errorf("comments heading %q, want the plural 3 تبصرے", got)
	}
	_, body = ts.get(t, "/"+one.Slug+"/")
	if got := commentsHeading(t, body); got != "1 تبصرہ" {
		t.Errorf("comments heading %q, want the singular 1 تبصرہ", got)
	}
	assertNoMessageIDs(t, body)

	// An archive: its intro and the cards.
	_, body = ts.get(t, "/tag/taleem/")
	for _, want := range []string{"تعلیم کے ٹیگ والی ایک تحریر۔", "پڑھنے کا وقت: 1 منٹ", "3 تبصرے"} {
		if !strings.Contains(body, want) {
			t.Errorf("the Urdu tag page lacks %s", want)
		}
	}
	// The error page.
	resp, body = ts.get(t, "/no-such-page/")
	if resp.StatusCode != 404 || !strings.Contains(body, "<h1>صفحہ نہیں ملا</h1>") || !strings.Contains(body, `dir="rtl"`) {
		t.Errorf("404 in Urdu: %d\n%s", resp.StatusCode, body)
	}
}

// Issue 14: Arabic counts in its six plural forms.
func TestArabicSitePlurals(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "", inLanguage("ar"))
	for _, test := range []struct {
		n    int
		want string
	}{
		{0, "لا تعليقات"},
		{1, "تعليق واحد"},
		{2, "تعليقان"},
		{3, "3 تعليقات"},
		{11, "11 تعليقًا"},
		{100, "100 تعليق"},
	} {
		a := ts.add(t, &article.Article{Slug: fmt.Sprintf("story-%d", test.n), Title: fmt.Sprintf("خبر رقم %d", test.n), Body: "نص قصير.\n", PublishedAt: published})
		ts.addComments(t, a, test.n)
		resp, body := ts.get(t, "/"+a.Slug+"/")
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", a.Slug, resp.StatusCode)
		}
		if got := htmlOpening.FindString(body); got != `<html lang="ar" dir="rtl">` {
			t.Errorf("html element %s", got)
		}
		if got := commentsHeading(t, body); got != test.want {
			t.Errorf("%d comments: heading %q, want %q", test.n, got, test.want)
		}
		if !strings.Contains(body, inPublishedYear("20 نوفمبر 2026")) {
			t.Errorf("%d comments: no Arabic date", test.n)
		}
		assertNoMessageIDs(t, body)
	}
}

// Issue 14: an English site's pages are as they were: no dir, English
// words and dates.
func TestEnglishSiteUnchanged(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	a := ts.add(t, floodArticle())
	ts.addComments(t, a, 1)
	_, body := ts.get(t, "/"+a.Slug+"/")
	if got := htmlOpening.FindString(body); got != `<html lang="en">` {
		t.Errorf("html element %s", got)
	}
	for _, want := range []string{
		inPublishedYear(`<li>Published <time datetime="2026-11-20T08:00:00Z">20 November 2026</time></li>`),
		`<h2 id="comments-heading">1 comment</h2>`,
		`<h2 id="reply-title">Leave a Reply</h2>`,
		`<p class="comment-notes">Your email address will not be published. Required fields are marked <span class="required">*</span></p>`,
		`<a class="skip-link" href="#content">Skip to content</a>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the English article page lacks %s", want)
		}
	}
}

// Issue 14: a language without a catalogue (German) has English words,
// German dates, and never a message's ID.
func TestLanguageWithoutCatalogue(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "", inLanguage("de"))
	a := ts.add(t, floodArticle())
	ts.addComments(t, a, 2)
	_, body := ts.get(t, "/"+a.Slug+"/")
	if got := htmlOpening.FindString(body); got != `<html lang="de">` {
		t.Errorf("html element %s", got)
	}
	for _, want := range []string{
		inPublishedYear(`<li>Published <time datetime="2026-11-20T08:00:00Z">20. November 2026</time></li>`),
		`<h2 id="comments-heading">2 comments</h2>`,
		`<h2 id="reply-title">Leave a Reply</h2>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the German article page lacks %s", want)
		}
	}
	assertNoMessageIDs(t, body)
	_, body = ts.get(t, "/")
	assertNoMessageIDs(t, body)
}

// messageID matches what a message ID shown in place of its text would
// look like: a word with an underscore, as the catalogue names them.
var messageID = regexp.MustCompile(`>[^<]*\b[a-z]+_[a-z_]+\b[^<]*<`)

// assertNoMessageIDs fails if a page's text shows a catalogue ID.
func assertNoMessageIDs(t *testing.T, body string) {
	t.Helper()
	// Scripts and styles hold JSON-LD and class names, not text.
	text := regexp.MustCompile(`(?s)<(script|style)[^>]*>.*?</(script|style)>`).ReplaceAllString(body, "")
	if m := messageID.FindString(text); m != "" {
		t.Errorf("the page shows what looks like a message ID: %s", m)
	}
}

// Issue 14: a theme adds a language, and messages of its own, with
// locales/*.json in its folder; a message no catalogue has stops the
// server at start.
func TestThemeCatalogue(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, src string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("locales/en.json", `{"tip_line": "Send us a tip", "leave_reply": "Have your say"}`)
	write("locales/sv.json", `{"tip_line": "Tipsa oss", "leave_reply": "Skriv en kommentar", "comments": {"one": "{{.Count}} kommentar", "other": "{{.Count}} kommentarer"}}`)
	write("error.html", `{{define "content"}}<h1>{{.Heading}}</h1><p>{{t "tip_line"}}</p>{{end}}`)
	for _, test := range []struct {
		lang string
		want []string
	}{
		{"sv", []string{"<p>Tipsa oss</p>", `<h2 id="reply-title">Skriv en kommentar</h2>`, `<h2 id="comments-heading">2 kommentarer</h2>`,
			// What sv.json lacks is English.
			`<button type="submit">Post Comment</button>`}},
		{"en", []string{"<p>Send us a tip</p>", `<h2 id="reply-title">Have your say</h2>`, `<h2 id="comments-heading">2 comments</h2>`}},
		// A built-in language: the theme's English message in place of
		// the one ur.json lacks.
		{"ur", []string{"<p>Send us a tip</p>", `<h2 id="reply-title">اپنا تبصرہ لکھیں</h2>`}},
	} {
		ts := newTestServer(t, 0, dir, inLanguage(test.lang))
		a := ts.add(t, floodArticle())
		ts.addComments(t, a, 2)
		_, body := ts.get(t, "/"+a.Slug+"/")
		_, notFound := ts.get(t, "/no-such-page/")
		for _, want := range test.want {
			if !strings.Contains(body+notFound, want) {
				t.Errorf("%s: the pages lack %s", test.lang, want)
			}
		}
	}

	bad := t.TempDir()
	os.MkdirAll(filepath.Join(bad, "locales"), 0o755)
	os.WriteFile(filepath.Join(bad, "locales", "sv.json"), []byte(`{"tip_line": `), 0o644)
	if _, err := web.LoadTemplates(bad); err == nil || !strings.Contains(err.Error(), "sv.json") {
		t.Errorf("a broken theme catalogue: err = %v, want one naming sv.json", err)
	}
	unknown := t.TempDir()
	os.WriteFile(filepath.Join(unknown, "article.html"), []byte(`{{define "content"}}<p>{{t "no_such_message"}}</p>{{end}}`), 0o644)
	tpl, err := web.LoadTemplates(unknown)
	if err != nil {
		t.Fatal(err)
	}
	now := testclock.New(published).Now
	if _, err = New(&web.Site{Templates: tpl, Now: now}, nil, nil, nil, Options{Now: now}); err == nil || !strings.Contains(err.Error(), "no_such_message") {
		t.Errorf("a theme asking for a message no catalogue has: err = %v", err)
	}
}
