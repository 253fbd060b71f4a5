package admin

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlite"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// editorServer is the admin on a temporary SQLite file, with a linking
// index built from the published articles when the test asks for it.
type editorServer struct {
	*httptest.Server
	t     *testing.T
	store *sqlite.DB
	r     *render.Renderer
	ix    *linking.Index
	clock *testclock.Clock
}

func newEditorServer(t *testing.T) *editorServer {
	t.Helper()
	ctx := context.Background()
	clock := testclock.New(testclock.Date(2026, 11, 27, 12, 0))
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "site.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	es := &editorServer{t: t, store: s, r: render.New(), ix: linking.NewIndex(), clock: clock}
	h := New(Options{Store: s, Renderer: es.r, Links: func() *linking.Index { return es.ix }, Logger: slog.New(slog.DiscardHandler), Now: clock.Now})
	mux := http.NewServeMux()
	h.Register(mux)
	es.Server = httptest.NewServer(mux)
	t.Cleanup(es.Close)
	return es
}

// signIn creates a user of the given role with a session, as sign-in
// would, and returns a client carrying its cookie.
func (es *editorServer) signIn(name string, role user.Role) *editorClient {
	es.t.Helper()
	ctx := context.Background()
	u := &user.User{Email: strings.ToLower(strings.ReplaceAll(name, " ", ".")) + "@example.org", Name: name, Role: role, PasswordHash: "unused"}
	if err := es.store.CreateUser(ctx, u); err != nil {
		es.t.Fatal(err)
	}
	token, hash, err := user.NewSessionToken()
	if err != nil {
		es.t.Fatal(err)
	}
	now := es.clock.Now()
	if err := es.store.CreateSession(ctx, user.Session{TokenHash: hash, UserID: u.ID, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		es.t.Fatal(err)
	}
	return &editorClient{es: es, user: u, token: token}
}

// editorClient sends requests as one signed-in user (or anonymously,
// with no token), without following redirects.
type editorClient struct {
	es    *editorServer
	user  *user.User
	token string
}

type editorResponse struct {
	status   int
	body     string
	location string
}

func (c *editorClient) do(method, path string, form url.Values, header ...string) editorResponse {
	c.es.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, c.es.URL+path, body)
	if err != nil {
		c.es.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if c.token != "" {
		req.AddCookie(&http.Cookie{Name: sessionCookie, Value: c.token})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		c.es.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.es.t.Fatal(err)
	}
	return editorResponse{status: res.StatusCode, body: string(b), location: res.Header.Get("Location")}
}

func (c *editorClient) get(path string) editorResponse { return c.do("GET", path, nil) }
func (c *editorClient) post(path string, form url.Values) editorResponse {
	return c.do("POST", path, form)
}

// articleForm is a complete editor form.
func articleForm(title, body string, extra ...string) url.Values {
	f := url.Values{"title": {title}, "body": {body}, "status": {"draft"}, "description": {"A standfirst."}}
	for i := 0; i+1 < len(extra); i += 2 {
		f.Set(extra[i], extra[i+1])
	}
	return f
}

// addArticle stores an article owned by owner (0 for none).
func (es *editorServer) addArticle(title, body string, status article.Status, owner int64, tags ...string) *article.Article {
	es.t.Helper()
	a := &article.Article{Title: title, Body: body, Status: status, OwnerID: owner, Tags: article.TagsFromNames(tags...),
		Author: &article.Author{Name: "Desk"}}
	if status == article.Scheduled {
		a.PublishedAt = es.clock.Now().Add(48 * time.Hour)
	}
	a.SetWordCount(es.r.WordCount([]byte(body)))
	if err := a.Validate(es.clock.Now()); err != nil {
		es.t.Fatal(err)
	}
	if err := es.store.CreateArticle(context.Background(), a); err != nil {
		es.t.Fatal(err)
	}
	if a.IsPublic(es.clock.Now()) {
		es.ix.Upsert(linking.DocFromArticle(es.r, a))
	}
	return a
}

func (es *editorServer) article(slug string) *article.Article {
	es.t.Helper()
	a, err := es.store.Article(context.Background(), slug)
	if err != nil {
		es.t.Fatalf("article %q: %v", slug, err)
	}
	return a
}

func wantEditorStatus(t *testing.T, what string, res editorResponse, want int) {
	t.Helper()
	if res.status != want {
		t.Fatalf("%s: status %d, want %d; body:\n%.2000s", what, res.status, want, res.body)
	}
}

// textareaValue returns the text of the textarea with the given id, as
// a browser would show it.
func textareaValue(t *testing.T, page, id string) (string, bool) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var found *html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "textarea" {
			for _, a := range n.Attr {
				if a.Key == "id" && a.Val == id {
					found = n
				}
			}
		}
		for c := n.FirstChild; c != nil && found == nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if found == nil {
		return "", false
	}
	var b strings.Builder
	for c := found.FirstChild; c != nil; c = c.NextSibling {
		b.WriteString(c.Data)
	}
	return b.String(), true
}

func TestCreateAndEditArticle(t *testing.T) {
	es := newEditorServer(t)
	author := es.signIn("Ann Author", user.Author)

	res := author.post("/admin/articles/new", articleForm("Flood barrier opens", "The barrier on the Ems opened today.\n", "tags", "Floods, Ems, floods", "focus_keyphrase", "  flood   barrier ", "seo_title", " Ems flood barrier opens on time "))
	wantEditorStatus(t, "create", res, http.StatusSeeOther)
	a := es.article("flood-barrier-opens")
	edit := editPath(a.ID)
	if want := fmt.Sprintf("/admin/articles/%d?flash=created", a.ID); res.location != want {
		t.Errorf("create redirects to %q, want %q", res.location, want)
	}
	if a.OwnerID != author.user.ID || a.Status != article.Draft || a.WordCount != 7 || a.FocusKeyphrase != "flood barrier" {
		t.Errorf("stored owner %d status %s words %d keyphrase %q", a.OwnerID, a.Status, a.WordCount, a.FocusKeyphrase)
	}
	if len(a.Tags) != 2 || a.Author == nil || a.Author.Name != "Ann Author" {
		t.Errorf("tags %v author %+v", a.Tags, a.Author)
	}
	if a.SEOTitle != "Ems flood barrier opens on time" {
		t.Errorf("SEO title %q", a.SEOTitle)
	}

	page := author.get(edit)
	wantEditorStatus(t, "edit page", page, http.StatusOK)
	for _, want := range []string{`name="version" value="1"`, "The barrier on the Ems opened today.", `id="panels"`, `value="Ems flood barrier opens on time"`, "SEO analysis", "Preview",
		`<script src="/admin/static/editor.`, `action="` + edit + `"`, `data-panels="` + edit + `/panels"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("edit page lacks %q", want)
		}
	}

	// Publishing: a new version, with its slug, in the audit log. The
	// rename keeps the editor's address.
	res = author.post(edit, articleForm("Flood barrier opens", "The barrier on the Ems opened today, on time.\n",
		"article_id", fmt.Sprint(a.ID), "version", "1", "status", "published", "slug", "ems-barrier"))
	wantEditorStatus(t, "publish", res, http.StatusSeeOther)
	if res.location != edit+"?flash=saved" {
		t.Errorf("publish with a new slug redirects to %q, want %q", res.location, edit+"?flash=saved")
	}
	a = es.article("ems-barrier")
	if a.Status != article.Published || a.Version != 2 || a.PublishedAt.IsZero() {
		t.Errorf("after publishing: status %s version %d published %v", a.Status, a.Version, a.PublishedAt)
	}
	events, err := es.store.Audit(context.Background(), 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) == 0 || events[0].Action != "published" || events[0].Target != "ems-barrier" || events[0].Actor != author.user.Email {
		t.Errorf("audit log: %+v", events)
	}

	// A published article keeps its address when the slug field changes.
	res = author.post(edit, articleForm("Flood barrier opens", "Updated.\n",
		"article_id", fmt.Sprint(a.ID), "version", "2", "status", "published", "slug", "another-slug"))
	wantEditorStatus(t, "edit published", res, http.StatusSeeOther)
	if a = es.article("ems-barrier"); a.Body != "Updated.\n" {
		t.Errorf("body %q", a.Body)
	}
}

func TestScheduleArticle(t *testing.T) {
	es := newEditorServer(t)
	editor := es.signIn("Ed Editor", user.Editor)
	when := es.clock.Now().Add(72 * time.Hour).UTC().Format(dateTimeLayout)
	res := editor.post("/admin/articles/new", articleForm("Budget day", "The budget is due.\n", "status", "scheduled", "publish_at", when))
	wantEditorStatus(t, "schedule", res, http.StatusSeeOther)
	a := es.article("budget-day")
	if a.Status != article.Scheduled || a.PublishedAt.UTC().Format(dateTimeLayout) != when {
		t.Errorf("status %s at %v, want scheduled at %s", a.Status, a.PublishedAt, when)
	}
}

func TestBadInputKeepsText(t *testing.T) {
	es := newEditorServer(t)
	author := es.signIn("Ann Author", user.Author)
	body := "My long text that must not be lost.\n"
	for _, test := range []struct {
		name  string
		form  url.Values
		field string // the field whose message is shown
		want  string
	}{
		{"bad slug", articleForm("A title", body, "slug", "Not A Slug!"), "slug", "may hold only lowercase letters"},
		{"bad date", articleForm("A title", body, "status", "scheduled", "publish_at", "next tuesday"), "publish_at", "is not a date and time"},
		{"no date", articleForm("A title", body, "status", "scheduled"), "publish_at", "Give the date"},
		{"past date", articleForm("A title", body, "status", "scheduled", "publish_at", es.clock.Now().AddDate(-1, 0, 0).Format(dateTimeLayout)), "publish_at", "This time has passed"},
		{"no title", articleForm("  ", body), "title", "Title is empty"},
		{"two-line title", articleForm("one\ntwo", body), "title", "several lines"},
		{"unknown status", articleForm("A title", body, "status", "archived"), "", "Unknown status"},
	} {
		t.Run(test.name, func(t *testing.T) {
			res := author.post("/admin/articles/new", test.form)
			wantEditorStatus(t, "save", res, http.StatusUnprocessableEntity)
			if !strings.Contains(res.body, test.want) {
				t.Errorf("the page lacks the message %q", test.want)
			}
			if test.field != "" && !regexp.MustCompile(`id="`+test.field+`"[^>]*aria-invalid="true"`).MatchString(res.body) {
				t.Errorf("field %s is not marked invalid", test.field)
			}
			if got, _ := textareaValue(t, res.body, "body"); got != body {
				t.Errorf("the text came back as %q, want %q", got, body)
			}
		})
	}
	if n, err := es.store.CountArticles(context.Background(), store.ArticleQuery{}); err != nil || n != 0 {
		t.Errorf("%d articles stored (%v), want none", n, err)
	}
}

// An article slugged "new", as an import may bring or a title may make,
// opens in the editor at its ID; "new" itself stays the new-article form.
func TestArticleSluggedNew(t *testing.T) {
	es := newEditorServer(t)
	editor := es.signIn("Ed Editor", user.Editor)
	imported := &article.Article{Slug: "new", Title: "What is new", Body: "Imported text.\n", Status: article.Published,
		PublishedAt: es.clock.Now().Add(-time.Hour), Source: "/imports/new.md", Author: &article.Author{Name: "Desk", Slug: "desk"}}
	imported.SetWordCount(es.r.WordCount([]byte(imported.Body)))
	if err := es.store.CreateArticle(context.Background(), imported); err != nil {
		t.Fatal(err)
	}
	path := editPath(imported.ID)

	if list := editor.get("/admin/articles").body; !strings.Contains(list, `href="`+path+`"`) {
		t.Errorf("the list does not link to %s", path)
	}
	page := editor.get(path)
	wantEditorStatus(t, "editor of the article slugged new", page, http.StatusOK)
	if got, _ := textareaValue(t, page.body, "body"); got != "Imported text.\n" {
		t.Errorf("the editor shows the text %q", got)
	}
	for _, want := range []string{`id="slug" name="slug" value="new"`, `action="` + path + `"`, `data-panels="` + path + `/panels"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the editor lacks %q", want)
		}
	}
	res := editor.post(path, articleForm("What is new", "Edited text.\n", "slug", "new", "status", "published",
		"article_id", fmt.Sprint(imported.ID), "version", "1"))
	wantEditorStatus(t, "save", res, http.StatusSeeOther)
	if got := es.article("new"); got.ID != imported.ID || got.Body != "Edited text.\n" || got.Version != 2 {
		t.Errorf("after saving: ID %d version %d body %q", got.ID, got.Version, got.Body)
	}

	blank := editor.get("/admin/articles/new")
	wantEditorStatus(t, "new-article form", blank, http.StatusOK)
	if got, _ := textareaValue(t, blank.body, "body"); got != "" || !strings.Contains(blank.body, `action="/admin/articles/new"`) {
		t.Errorf("/admin/articles/new is not the blank new-article form: text %q", got)
	}

	// A title that makes the slug "new" is no longer refused.
	res = editor.post("/admin/articles/new", articleForm("New", "Another text.\n", "slug", ""))
	wantEditorStatus(t, "create titled New", res, http.StatusConflict) // the slug is taken by the import
	if !strings.Contains(res.body, `The slug &#34;new&#34; is taken by another article`) {
		t.Errorf("no message about the taken slug:\n%.2000s", res.body)
	}
	if err := es.store.DeleteArticle(context.Background(), "new"); err != nil {
		t.Fatal(err)
	}
	res = editor.post("/admin/articles/new", articleForm("New", "Another text.\n"))
	wantEditorStatus(t, "create titled New", res, http.StatusSeeOther)
	created := es.article("new")
	if res.location != editPath(created.ID)+"?flash=created" {
		t.Errorf("create redirects to %q", res.location)
	}
	wantEditorStatus(t, "editor of the created article", editor.get(editPath(created.ID)), http.StatusOK)
}

func TestScriptInTitleIsText(t *testing.T) {
	es := newEditorServer(t)
	editor := es.signIn("Ed Editor", user.Editor)
	title := `<script>alert("x")</script> Harbour news`
	res := editor.post("/admin/articles/new", articleForm(title, "Text.\n", "slug", "harbour-news"))
	wantEditorStatus(t, "create", res, http.StatusSeeOther)
	a := es.article("harbour-news")
	if a.Title != title {
		t.Errorf("title stored as %q", a.Title)
	}
	for _, path := range []string{editPath(a.ID), "/admin/articles"} {
		page := editor.get(path)
		wantEditorStatus(t, path, page, http.StatusOK)
		if strings.Contains(page.body, `<script>alert`) {
			t.Errorf("%s shows the title's script unescaped", path)
		}
		if !strings.Contains(page.body, `&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Harbour news`) {
			t.Errorf("%s does not show the title as escaped text", path)
		}
	}
}

func TestContributor(t *testing.T) {
	es := newEditorServer(t)
	c := es.signIn("Cora Contributor", user.Contributor)

	for _, status := range []string{"published", "scheduled"} {
		res := c.post("/admin/articles/new", articleForm("My scoop", "Text.\n", "status", status, "publish_at", es.clock.Now().Add(time.Hour).Format(dateTimeLayout)))
		wantEditorStatus(t, "contributor "+status, res, http.StatusForbidden)
		if !strings.Contains(res.body, "cannot publish") {
			t.Errorf("%s: no message saying why", status)
		}
		if got, _ := textareaValue(t, res.body, "body"); got != "Text.\n" {
			t.Errorf("%s: text came back as %q", status, got)
		}
	}
	if n, _ := es.store.CountArticles(context.Background(), store.ArticleQuery{}); n != 0 {
		t.Fatalf("%d articles stored after refused publishing", n)
	}

	body := "Hello <span onclick=\"steal()\">there</span>.\n\n<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\">x</a> and <b>bold</b> `<i>code</i>` a < b.\n"
	res := c.post("/admin/articles/new", articleForm("My draft", body))
	wantEditorStatus(t, "contributor draft", res, http.StatusSeeOther)
	a := es.article("my-draft")
	for _, bad := range []string{"onclick", "<script", "alert(1)</script>", "javascript:"} {
		if strings.Contains(a.Body, bad) {
			t.Errorf("stored body keeps %q:\n%s", bad, a.Body)
		}
	}
	for _, kept := range []string{"<span>there</span>", "<b>bold</b>", "`<i>code</i>`", "a < b"} {
		if !strings.Contains(a.Body, kept) {
			t.Errorf("stored body lost %q:\n%s", kept, a.Body)
		}
	}

	// Publishing their own draft by editing it is refused too.
	res = c.post(editPath(a.ID), articleForm("My draft", "Changed.\n", "article_id", fmt.Sprint(a.ID), "version", fmt.Sprint(a.Version), "status", "published"))
	wantEditorStatus(t, "contributor publishes by edit", res, http.StatusForbidden)
	if got := es.article("my-draft"); got.Version != a.Version || got.Status != article.Draft {
		t.Errorf("refused publish changed the article: version %d status %s", got.Version, got.Status)
	}

	// Once an editor published it, the contributor can no longer change it.
	published := es.addArticle("Published piece", "Text.\n", article.Published, c.user.ID)
	res = c.post(editPath(published.ID), articleForm("Published piece", "Mine now.\n", "article_id", fmt.Sprint(published.ID), "version", "1"))
	wantEditorStatus(t, "contributor edits published", res, http.StatusForbidden)
	res = c.post(editPath(published.ID)+"/delete", url.Values{})
	wantEditorStatus(t, "contributor deletes published", res, http.StatusForbidden)
	if got := es.article("published-piece"); got.Body != "Text.\n" {
		t.Errorf("body changed to %q", got.Body)
	}
}

func TestOtherAuthorsArticle(t *testing.T) {
	es := newEditorServer(t)
	ann := es.signIn("Ann Author", user.Author)
	bob := es.signIn("Bob Author", user.Author)
	cora := es.signIn("Cora Contributor", user.Contributor)
	a := es.addArticle("Ann's draft", "Ann's words.\n", article.Draft, ann.user.ID)
	unowned := es.addArticle("Unowned import", "Imported.\n", article.Published, 0)
	if err := es.store.UpdateArticle(context.Background(), a, "second version"); err != nil {
		t.Fatal(err)
	}
	path := editPath(a.ID)
	edit := articleForm("Taken over", "Bob's words.\n", "article_id", fmt.Sprint(a.ID), "version", fmt.Sprint(a.Version))
	for _, c := range []*editorClient{bob, cora} {
		for _, req := range []struct {
			method, path string
			form         url.Values
		}{
			{"GET", path, nil},
			{"POST", path, edit},
			{"POST", path + "/panels", edit},
			{"POST", path + "/links/apply", url.Values{"suggestion": {"abc"}, "body": {"x"}}},
			{"GET", path + "/revisions/1", nil},
			{"POST", path + "/revisions/1/restore", url.Values{}},
			{"POST", path + "/delete", url.Values{}},
			{"GET", editPath(unowned.ID), nil},
		} {
			res := c.do(req.method, req.path, req.form)
			wantEditorStatus(t, c.user.Name+" "+req.method+" "+req.path, res, http.StatusForbidden)
		}
	}
	got := es.article(a.Slug)
	if got.Title != "Ann's draft" || got.Version != a.Version {
		t.Errorf("article changed: %q version %d", got.Title, got.Version)
	}
	// The list shows others nothing of it.
	if list := bob.get("/admin/articles"); strings.Contains(list.body, "Ann&#39;s draft") {
		t.Error("another author's list shows Ann's draft")
	}
}

func TestUnknownArticle(t *testing.T) {
	es := newEditorServer(t)
	editor := es.signIn("Ed Editor", user.Editor)
	a := es.addArticle("Real", "Text.\n", article.Draft, editor.user.ID)
	path, missing := editPath(a.ID), editPath(a.ID+1000)
	id := fmt.Sprint(a.ID)
	for _, req := range []struct {
		method, path string
		form         url.Values
	}{
		{"GET", missing, nil},
		{"POST", missing + "/panels", url.Values{}},
		{"GET", missing + "/revisions/1", nil},
		{"POST", missing + "/delete", url.Values{}},
		// Only the ID, written as the admin writes it, is an address.
		{"GET", "/admin/articles/real", nil},
		{"GET", "/admin/articles/0" + id, nil},
		{"GET", "/admin/articles/+" + id, nil},
		{"GET", "/admin/articles/0", nil},
		{"GET", "/admin/articles/-1", nil},
		{"GET", "/admin/articles/99999999999999999999", nil},
		{"POST", "/admin/articles/real/panels", url.Values{}},
		{"POST", "/admin/articles/real/delete", url.Values{}},
		{"GET", "/admin/articles/new/revisions/1", nil},
		{"POST", "/admin/articles/new/delete", url.Values{}},
		// A save addressed to something that is not an ID is not found,
		// whatever the form says.
		{"POST", "/admin/articles/real", articleForm("Real", "Text.\n", "article_id", id, "version", "1")},
		{"GET", path + "/revisions/9", nil},
		{"GET", path + "/revisions/x", nil},
		{"POST", path + "/revisions/9/restore", url.Values{}},
	} {
		res := editor.do(req.method, req.path, req.form)
		wantEditorStatus(t, req.method+" "+req.path, res, http.StatusNotFound)
		if !strings.Contains(res.body, `class="admin-error"`) {
			t.Errorf("%s %s: not the admin's error page:\n%.1000s", req.method, req.path, res.body)
		}
	}
	if got := es.article(a.Slug); got.Version != 1 {
		t.Errorf("requests to unknown addresses changed the article: version %d", got.Version)
	}
	// A save for an article gone meanwhile keeps the text and offers to
	// save it anew.
	if err := es.store.DeleteArticle(context.Background(), a.Slug); err != nil {
		t.Fatal(err)
	}
	res := editor.post(path, articleForm("Real", "My unsaved words.\n", "article_id", fmt.Sprint(a.ID), "version", "1"))
	wantEditorStatus(t, "save of a deleted article", res, http.StatusConflict)
	if got, _ := textareaValue(t, res.body, "body"); got != "My unsaved words.\n" {
		t.Errorf("text came back as %q", got)
	}
	if !strings.Contains(res.body, `action="/admin/articles/new"`) {
		t.Error("the form does not offer to save it as a new article")
	}
}

func TestStaleEdit(t *testing.T) {
	es := newEditorServer(t)
	ed1 := es.signIn("Ed One", user.Editor)
	ed2 := es.signIn("Ed Two", user.Editor)
	a := es.addArticle("Shared story", "Original text.\n", article.Draft, ed1.user.ID)
	id, path := fmt.Sprint(a.ID), editPath(a.ID)

	res := ed2.post(path, articleForm("Shared story", "Their text.\n", "article_id", id, "version", "1"))
	wantEditorStatus(t, "first save", res, http.StatusSeeOther)
	res = ed1.post(path, articleForm("Shared story", "My text.\n", "article_id", id, "version", "1"))
	wantEditorStatus(t, "stale save", res, http.StatusConflict)
	if got := es.article("shared-story"); got.Body != "Their text.\n" || got.Version != 2 {
		t.Fatalf("stale save overwrote: body %q version %d", got.Body, got.Version)
	}
	if mine, _ := textareaValue(t, res.body, "body"); mine != "My text.\n" {
		t.Errorf("my text came back as %q", mine)
	}
	if theirs, ok := textareaValue(t, res.body, "theirs-body"); !ok || theirs != "Their text.\n" {
		t.Errorf("their text shown as %q (%v)", theirs, ok)
	}
	if !strings.Contains(res.body, "Someone else saved this article") || !strings.Contains(res.body, `name="version" value="2"`) {
		t.Error("no conflict message, or the form does not carry their version")
	}
	// Saving again after seeing both is deliberate, and goes through.
	res = ed1.post(path, articleForm("Shared story", "Merged text.\n", "article_id", id, "version", "2"))
	wantEditorStatus(t, "save after merge", res, http.StatusSeeOther)
	if got := es.article("shared-story"); got.Body != "Merged text.\n" {
		t.Errorf("body %q", got.Body)
	}

	// A slug taken by another article is a message on the slug.
	es.addArticle("Other story", "Text.\n", article.Draft, 0)
	res = ed1.post(path, articleForm("Shared story", "Merged text.\n", "article_id", id, "version", "3", "slug", "other-story"))
	wantEditorStatus(t, "taken slug", res, http.StatusConflict)
	if !strings.Contains(res.body, "is taken by another article") {
		t.Error("no message about the taken slug")
	}

	// A rename by someone else meanwhile leaves the address as it was:
	// the stale save is shown beside theirs, not lost.
	res = ed2.post(path, articleForm("Shared story", "Merged text.\n", "article_id", id, "version", "3", "slug", "renamed-story"))
	wantEditorStatus(t, "rename", res, http.StatusSeeOther)
	if res.location != path+"?flash=saved" {
		t.Errorf("rename redirects to %q, want %q", res.location, path+"?flash=saved")
	}
	res = ed1.post(path, articleForm("Shared story", "Stale text.\n", "article_id", id, "version", "3"))
	wantEditorStatus(t, "save after a rename by someone else", res, http.StatusConflict)
	if theirs, ok := textareaValue(t, res.body, "theirs-body"); !ok || theirs != "Merged text.\n" || !strings.Contains(res.body, "Someone else saved this article") {
		t.Errorf("after a rename by someone else: their text %q (%v), or no conflict message", theirs, ok)
	}
	if got := es.article("renamed-story"); got.ID != a.ID || got.Version != 4 {
		t.Errorf("renamed article: ID %d version %d, want ID %d version 4", got.ID, got.Version, a.ID)
	}
}

// linkedArchive stores published articles the linking index can suggest,
// and returns a draft text that mentions the first one's subject.
func linkedArchive(es *editorServer) string {
	es.addArticle("Ems flood barrier opens after ten years", strings.Repeat("The Ems flood barrier closed for the first storm. Engineers at the Ems flood barrier said the gates held. The flood barrier protects Emden.\n\n", 3), article.Published, 0, "Floods")
	es.addArticle("Harbour fishermen protest quotas", strings.Repeat("Fishermen in the harbour protested the new quotas. The fishing fleet stayed in port.\n\n", 3), article.Published, 0, "Fishing")
	es.addArticle("City council passes budget", strings.Repeat("The city council passed the budget for schools and roads after a long debate.\n\n", 3), article.Published, 0, "Politics")
	return "A storm reached the coast on Sunday.\n\nThe Ems flood barrier closed before the tide, and engineers said the gates held.\n"
}

func TestPanels(t *testing.T) {
	es := newEditorServer(t)
	author := es.signIn("Ann Author", user.Author)
	text := linkedArchive(es)
	form := articleForm("Storm on the coast", "## Tide\n\n"+text+"\n<script>alert(1)</script>\n", "focus_keyphrase", "storm")
	res := author.post("/admin/articles/new/panels", form)
	wantEditorStatus(t, "panels", res, http.StatusOK)
	for _, want := range []string{
		`<h2 id="tide">Tide</h2>`, // rendered as the public page renders it
		"SEO analysis", "/100", "Focus keyphrase", "check-ok",
		"Internal links", "Ems flood barrier", `class="apply-link"`, `formaction="/admin/articles/new/links/apply"`,
	} {
		if !strings.Contains(res.body, want) {
			t.Errorf("panels lack %q:\n%.3000s", want, res.body)
		}
	}
	if strings.Contains(res.body, "<script>alert") || strings.Contains(res.body, "<html") {
		t.Errorf("panels are not a sanitised fragment:\n%s", res.body)
	}
	if n, _ := es.store.CountArticles(context.Background(), store.ArticleQuery{}); n != 3 {
		t.Errorf("panels stored something: %d articles", n)
	}
}

// Requested links that matched no article vanished silently: the panel
// names them.
func TestPanelsUnresolvedRequestedLinks(t *testing.T) {
	es := newEditorServer(t)
	author := es.signIn("Ann Author", user.Author)
	text := linkedArchive(es)
	a := &article.Article{Title: "Storm on the coast", Body: text, Status: article.Draft, OwnerID: author.user.ID,
		RequestedLinks: []string{"Harbour fishermen protest quotas", "A title nobody wrote", "<b>Bold</b> claims"}}
	if err := es.store.CreateArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	res := author.get(editPath(a.ID))
	wantEditorStatus(t, "edit page", res, http.StatusOK)
	doc, err := html.Parse(strings.NewReader(res.body))
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	var walk func(n *html.Node, in bool)
	walk = func(n *html.Node, in bool) {
		if n.Type == html.ElementNode && n.Data == "ul" {
			for _, at := range n.Attr {
				in = in || at.Key == "class" && at.Val == "unresolved"
			}
		}
		if in && n.Type == html.ElementNode && n.Data == "q" && n.FirstChild != nil {
			listed = append(listed, n.FirstChild.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, in)
		}
	}
	walk(doc, false)
	if diff := cmp.Diff([]string{"A title nobody wrote", "<b>Bold</b> claims"}, listed); diff != "" {
		t.Errorf("unresolved requested links in the panel (-want +got):\n%s", diff)
	}
	if !strings.Contains(res.body, "Requested links not found (2)") {
		t.Error("the panel does not count the requested links not found")
	}
}

// suggestionIDs finds the Apply buttons' suggestion IDs in a page.
func suggestionIDs(page string) []string {
	var ids []string
	for _, part := range strings.Split(page, `name="suggestion" value="`)[1:] {
		ids = append(ids, part[:strings.IndexByte(part, '"')])
	}
	return ids
}

func TestApplyLinks(t *testing.T) {
	es := newEditorServer(t)
	author := es.signIn("Ann Author", user.Author)
	text := linkedArchive(es)

	t.Run("unsaved", func(t *testing.T) {
		form := articleForm("Storm on the coast", text)
		ids := suggestionIDs(author.post("/admin/articles/new/panels", form).body)
		if len(ids) == 0 {
			t.Fatal("no suggestion to apply")
		}
		form.Set("suggestion", ids[0])
		res := author.do("POST", "/admin/articles/new/links/apply", form, "Accept", "application/json")
		wantEditorStatus(t, "apply", res, http.StatusOK)
		var out applyResult
		if err := json.Unmarshal([]byte(res.body), &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.Body, "](/ems-flood-barrier-opens-after-ten-years/)") || out.Version != 0 {
			t.Errorf("applied: %+v", out)
		}
		if n, _ := es.store.CountArticles(context.Background(), store.ArticleQuery{}); n != 3 {
			t.Errorf("applying to unsaved text stored it: %d articles", n)
		}
	})

	t.Run("unsaved, no script", func(t *testing.T) {
		form := articleForm("Storm on the coast", text)
		ids := suggestionIDs(author.post("/admin/articles/new/panels", form).body)
		if len(ids) == 0 {
			t.Fatal("no suggestion to apply")
		}
		form.Set("suggestion", ids[0])
		res := author.post("/admin/articles/new/links/apply", form)
		wantEditorStatus(t, "apply", res, http.StatusOK)
		if got, _ := textareaValue(t, res.body, "body"); !strings.Contains(got, "](/ems-flood-barrier-opens-after-ten-years/)") {
			t.Errorf("the form's text is %q", got)
		}
		if !strings.Contains(res.body, `action="/admin/articles/new"`) {
			t.Error("the form no longer saves a new article")
		}
	})

	t.Run("saved, script", func(t *testing.T) {
		a := es.addArticle("Storm on the coast", text, article.Draft, author.user.ID)
		form := articleForm(a.Title, text, "article_id", fmt.Sprint(a.ID), "version", "1")
		ids := suggestionIDs(author.get(editPath(a.ID)).body)
		if len(ids) == 0 {
			t.Fatal("the edit page shows no suggestion to apply")
		}
		form.Set("suggestion", ids[0])
		res := author.do("POST", editPath(a.ID)+"/links/apply", form, "Accept", "application/json")
		wantEditorStatus(t, "apply", res, http.StatusOK)
		var out applyResult
		if err := json.Unmarshal([]byte(res.body), &out); err != nil {
			t.Fatal(err)
		}
		got := es.article(a.Slug)
		if out.Version != 2 || got.Version != 2 || got.Body != out.Body || !strings.Contains(got.Body, "](/ems-flood-barrier-opens-after-ten-years/)") {
			t.Errorf("answer %+v; stored version %d body %q", out, got.Version, got.Body)
		}
		if revs, _ := es.store.Revisions(context.Background(), a.ID); len(revs) != 1 {
			t.Errorf("%d revisions, want the one replaced", len(revs))
		}
		// The same click again is out of date: the text has the link.
		res = author.do("POST", editPath(a.ID)+"/links/apply", form, "Accept", "application/json")
		wantEditorStatus(t, "stale apply", res, http.StatusConflict)
		if got := es.article(a.Slug); got.Version != 2 {
			t.Errorf("stale apply saved: version %d", got.Version)
		}
	})

	// After one was applied, the panel's other suggestions had new IDs,
	// so the next Apply on the same panel failed.
	t.Run("saved, two from one panel", func(t *testing.T) {
		two := text + "\nHarbour fishermen protest quotas again: the fishing fleet stayed in port.\n"
		a := es.addArticle("Storm and quotas", two, article.Draft, author.user.ID)
		ids := suggestionIDs(author.get(editPath(a.ID)).body)
		if len(ids) != 2 {
			t.Fatalf("suggestions %v, want two", ids)
		}
		body := two
		for i, id := range ids {
			form := articleForm(a.Title, body, "article_id", fmt.Sprint(a.ID), "version", fmt.Sprint(i+1), "suggestion", id)
			res := author.do("POST", editPath(a.ID)+"/links/apply", form, "Accept", "application/json")
			wantEditorStatus(t, fmt.Sprintf("apply %s", id), res, http.StatusOK)
			var out applyResult
			if err := json.Unmarshal([]byte(res.body), &out); err != nil {
				t.Fatal(err)
			}
			body = out.Body
		}
		got := es.article(a.Slug)
		for _, link := range []string{"](/ems-flood-barrier-opens-after-ten-years/)", "](/harbour-fishermen-protest-quotas/)"} {
			if !strings.Contains(got.Body, link) {
				t.Errorf("stored body lacks %s: %q", link, got.Body)
			}
		}
	})

	t.Run("saved, no script", func(t *testing.T) {
		a := es.addArticle("Storm again", text, article.Draft, author.user.ID)
		form := articleForm(a.Title, text, "article_id", fmt.Sprint(a.ID), "version", "1")
		ids := suggestionIDs(author.get(editPath(a.ID)).body)
		if len(ids) == 0 {
			t.Fatal("no suggestion")
		}
		form.Set("suggestion", ids[0])
		res := author.post(editPath(a.ID)+"/links/apply", form)
		wantEditorStatus(t, "apply", res, http.StatusSeeOther)
		if res.location != editPath(a.ID)+"?flash=applied" {
			t.Errorf("redirect to %q", res.location)
		}
		if got := es.article(a.Slug); !strings.Contains(got.Body, "](/ems-flood-barrier-opens-after-ten-years/)") || got.Status != article.Draft {
			t.Errorf("stored %s %q", got.Status, got.Body)
		}
	})
}

func TestRevisionsDiffAndRestore(t *testing.T) {
	es := newEditorServer(t)
	author := es.signIn("Ann Author", user.Author)
	a := es.addArticle("Story", "Line one.\nLine two.\nLine three.\n", article.Draft, author.user.ID)
	id, path := fmt.Sprint(a.ID), editPath(a.ID)
	res := author.post(path, articleForm("Story", "Line one.\nLine 2, changed.\nLine three.\n", "article_id", id, "version", "1"))
	wantEditorStatus(t, "save", res, http.StatusSeeOther)

	page := author.get(path)
	if !strings.Contains(page.body, `href="`+path+`/revisions/1"`) {
		t.Error("the editor does not list revision 1")
	}
	res = author.get(path + "/revisions/1")
	wantEditorStatus(t, "revision", res, http.StatusOK)
	for _, want := range []string{`href="` + path + `"`, `action="` + path + `/revisions/1/restore"`, `class="diff-del"`, "<code>Line two.</code>", `class="diff-add"`, "<code>Line 2, changed.</code>", "1 line removed, 1 added"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("diff page lacks %q", want)
		}
	}

	// Restoring from a page older than the article is refused.
	res = author.post(path+"/revisions/1/restore", url.Values{"version": {"1"}})
	wantEditorStatus(t, "stale restore", res, http.StatusConflict)
	res = author.post(path+"/revisions/1/restore", url.Values{"version": {"2"}})
	wantEditorStatus(t, "restore", res, http.StatusSeeOther)
	if res.location != path+"?flash=restored" {
		t.Errorf("restore redirects to %q", res.location)
	}
	got := es.article("story")
	if got.Body != "Line one.\nLine two.\nLine three.\n" || got.Version != 3 {
		t.Errorf("after restore: version %d body %q", got.Version, got.Body)
	}
	revs, err := es.store.Revisions(context.Background(), a.ID)
	if err != nil || len(revs) != 2 || !strings.HasPrefix(revs[1].Note, "restore of revision 1") {
		t.Errorf("revisions %+v (%v)", revs, err)
	}
}

func TestDelete(t *testing.T) {
	es := newEditorServer(t)
	ann := es.signIn("Ann Author", user.Author)
	editor := es.signIn("Ed Editor", user.Editor)
	draft := es.addArticle("Own draft", "Text.\n", article.Draft, ann.user.ID)
	published := es.addArticle("Own published", "Text.\n", article.Published, ann.user.ID)
	scheduled := es.addArticle("Own scheduled", "Text.\n", article.Scheduled, ann.user.ID)

	for _, a := range []*article.Article{published, scheduled} {
		res := ann.post(editPath(a.ID)+"/delete", url.Values{})
		wantEditorStatus(t, "author deletes "+a.Slug, res, http.StatusForbidden)
		es.article(a.Slug)
	}
	page := ann.get(editPath(draft.ID))
	if !strings.Contains(page.body, `action="`+editPath(draft.ID)+`/delete"`) {
		t.Error("the editor of an own draft offers no delete button")
	}
	res := ann.post(editPath(draft.ID)+"/delete", url.Values{})
	wantEditorStatus(t, "author deletes own draft", res, http.StatusSeeOther)
	if _, err := es.store.Article(context.Background(), draft.Slug); err == nil {
		t.Error("the draft is still there")
	}
	res = editor.post(editPath(published.ID)+"/delete", url.Values{})
	wantEditorStatus(t, "editor deletes", res, http.StatusSeeOther)
	if _, err := es.store.Article(context.Background(), "own-published"); err == nil {
		t.Error("the published article is still there")
	}
}

func TestArticleList(t *testing.T) {
	es := newEditorServer(t)
	ann := es.signIn("Ann Author", user.Author)
	editor := es.signIn("Ed Editor", user.Editor)
	for i := range 27 {
		es.addArticle(fmt.Sprintf("Council story %02d", i), "Text.\n", article.Published, 0, "Politics")
	}
	es.addArticle("Ann's flood draft", "The sandbank moved again.\n", article.Draft, ann.user.ID, "Floods")
	es.addArticle("Ann's harbour piece", "Text.\n", article.Published, ann.user.ID, "Fishing")
	es.addArticle("Survey of the estuary", "Divers mapped the sandbank.\n", article.Published, 0, "Survey")

	count := func(page string) int { return strings.Count(page, `<tr>`) - 1 } // less the header row
	for _, test := range []struct {
		name   string
		c      *editorClient
		query  string
		rows   int
		want   string
		absent string
	}{
		{"editor first page", editor, "", 25, "30 articles, page 1 of 2", ""},
		{"editor second page", editor, "?page=2", 5, "page 2 of 2", ""},
		{"page beyond the last", editor, "?page=99", 5, "page 2 of 2", ""},
		{"status", editor, "?status=draft", 1, "Ann&#39;s flood draft", "Council story"},
		{"tag by name", editor, "?tag=Floods", 1, "Ann&#39;s flood draft", "Council story"},
		{"author", editor, "?author=Desk&status=draft", 1, "Ann&#39;s flood draft", "Council story"},
		{"title", editor, "?q=HARBOUR", 1, "Ann&#39;s harbour piece", "Council story"},
		// Issue 17: the search box finds words of the text, drafts too,
		// best match first, with the other filters.
		{"full text", editor, "?q=sandbank", 2, "2 articles", "Council story"},
		{"full text, a page beyond the last", editor, "?q=council&page=9", 2, "page 2 of 2", ""},
		{"full text and status", editor, "?q=sandbank&status=draft", 1, "Ann&#39;s flood draft", "Survey"},
		{"full text, a phrase", editor, "?q=%22mapped+the+sandbank%22", 1, "Survey of the estuary", "flood draft"},
		{"author searches own only", ann, "?q=sandbank", 1, "Ann&#39;s flood draft", "Survey"},
		{"author sees own only", ann, "", 2, "Ann&#39;s harbour piece", "Council story"},
		{"author filters own", ann, "?status=published", 1, "Ann&#39;s harbour piece", "flood draft"},
	} {
		t.Run(test.name, func(t *testing.T) {
			res := test.c.get("/admin/articles" + test.query)
			wantEditorStatus(t, "list", res, http.StatusOK)
			if n := count(res.body); n != test.rows {
				t.Errorf("%d rows, want %d", n, test.rows)
			}
			if !strings.Contains(res.body, test.want) {
				t.Errorf("list lacks %q", test.want)
			}
			if test.absent != "" && strings.Contains(res.body, test.absent) {
				t.Errorf("list shows %q", test.absent)
			}
		})
	}
	res := editor.get("/admin/articles?status=archived")
	wantEditorStatus(t, "bad status filter", res, http.StatusBadRequest)
	if next := editor.get("/admin/articles?tag=politics").body; !strings.Contains(next, `href="/admin/articles?page=2&amp;tag=politics"`) {
		t.Error("the next page link loses the filter")
	}
}

// Every route of the editor refuses anonymous visitors (to sign-in, with
// nothing done) and users whose role has no article rights.
func TestEditorRoutesRefuse(t *testing.T) {
	es := newEditorServer(t)
	ann := es.signIn("Ann Author", user.Author)
	a := es.addArticle("Draft", "Text.\n", article.Draft, ann.user.ID)
	if err := es.store.UpdateArticle(context.Background(), a, "second"); err != nil {
		t.Fatal(err)
	}
	anon := &editorClient{es: es}
	path := editPath(a.ID)
	routes := []struct{ method, path string }{
		{"GET", "/admin/articles"},
		{"GET", "/admin/articles/new"},
		{"POST", "/admin/articles/new"},
		{"GET", path},
		{"POST", path},
		{"POST", path + "/panels"},
		{"POST", "/admin/articles/new/panels"},
		{"POST", path + "/links/apply"},
		{"GET", path + "/revisions/1"},
		{"POST", path + "/revisions/1/restore"},
		{"POST", path + "/delete"},
	}
	for _, rt := range routes {
		res := anon.do(rt.method, rt.path, articleForm("Hijack", "x", "suggestion", "x"))
		wantEditorStatus(t, "anonymous "+rt.method+" "+rt.path, res, http.StatusSeeOther)
		if !strings.HasPrefix(res.location, "/admin/signin") {
			t.Errorf("anonymous %s %s goes to %q", rt.method, rt.path, res.location)
		}
	}
	if got := es.article("draft"); got.Version != 2 || got.Title != "Draft" {
		t.Errorf("anonymous requests changed the article: %+v", got)
	}
	if n, _ := es.store.CountArticles(context.Background(), store.ArticleQuery{}); n != 1 {
		t.Errorf("%d articles", n)
	}
}

func TestLineDiff(t *testing.T) {
	render := func(d []DiffLine) string {
		var b strings.Builder
		for _, l := range d {
			b.WriteString([]string{" ", "-", "+"}[l.Op] + l.Text + fmt.Sprintf("|%d,%d\n", l.Old, l.New))
		}
		return b.String()
	}
	for _, test := range []struct{ name, a, b, want string }{
		{"same", "a\nb\n", "a\nb\n", " a|1,1\n b|2,2\n"},
		{"empty to text", "", "a\n", "+a|0,1\n"},
		{"text to empty", "a\n", "", "-a|1,0\n"},
		{"change in middle", "a\nb\nc\n", "a\nB\nc\n", " a|1,1\n-b|2,0\n+B|0,2\n c|3,3\n"},
		{"insert", "a\nc\n", "a\nb\nc\n", " a|1,1\n+b|0,2\n c|2,3\n"},
		{"move", "x\na\nb\n", "a\nb\nx\n", "-x|1,0\n a|2,1\n b|3,2\n+x|0,3\n"},
		{"crlf", "a\r\nb\r\n", "a\nb\n", " a|1,1\n b|2,2\n"},
	} {
		t.Run(test.name, func(t *testing.T) {
			if got := render(lineDiff(test.a, test.b)); got != test.want {
				t.Errorf("lineDiff(%q, %q) =\n%s\nwant\n%s", test.a, test.b, got, test.want)
			}
		})
	}
	// A huge change falls back to all-removed, all-added, within bounds.
	var x, y strings.Builder
	for i := range 3000 {
		fmt.Fprintf(&x, "old %d\n", i)
		fmt.Fprintf(&y, "new %d\n", i)
	}
	d := lineDiff(x.String(), y.String())
	if added, removed := diffStats(d); added != 3000 || removed != 3000 {
		t.Errorf("big diff: %d added, %d removed", added, removed)
	}
}

// TestEditorKindAuthorAndNotes: the editor makes an article a page,
// credits it to an existing author or a new one (or nobody), and appends
// a dated note to a published article, refused on a draft.
func TestEditorKindAuthorAndNotes(t *testing.T) {
	es := newEditorServer(t)
	ed := es.signIn("Eda Editor", user.Editor)
	es.addArticle("Port news", "Text.\n", article.Published, 0) // by "Desk"
	a := es.addArticle("About the paper", "Who we are.\n", article.Published, 0)
	edit := editPath(a.ID)

	page := ed.get(edit)
	for _, want := range []string{`<select id="kind" name="kind"`, `<option value="desk" selected>Desk</option>`, `id="update_note"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("the editor lacks %s", want)
		}
	}
	res := ed.post(edit, articleForm("About the paper", "Who we are.\n", "article_id", fmt.Sprint(a.ID), "version", "1", "status", "published",
		"kind", "about", "author", "-", "update_note", "Added our address."))
	wantEditorStatus(t, "save as a page", res, http.StatusSeeOther)
	got := es.article("about-the-paper")
	if got.Kind != article.About || got.Author != nil || len(got.Updates) != 1 || got.Updates[0].Text != "Added our address." {
		t.Errorf("after saving: kind %q author %+v updates %+v", got.Kind, got.Author, got.Updates)
	}

	res = ed.post(edit, articleForm("About the paper", "Who we are.\n", "article_id", fmt.Sprint(a.ID), "version", "2", "status", "published",
		"kind", "about", "new_author", "Lena Berg"))
	wantEditorStatus(t, "credit a new author", res, http.StatusSeeOther)
	if got := es.article("about-the-paper"); got.Author == nil || got.Author.Slug != "lena-berg" || len(got.Updates) != 1 {
		t.Errorf("a new author: %+v, notes %d", got.Author, len(got.Updates))
	}
	res = ed.post(edit, articleForm("About the paper", "Who we are.\n", "article_id", fmt.Sprint(a.ID), "version", "3", "status", "published",
		"kind", "about", "author", "desk"))
	wantEditorStatus(t, "credit an existing author", res, http.StatusSeeOther)
	if got := es.article("about-the-paper"); got.Author == nil || got.Author.Name != "Desk" {
		t.Errorf("an existing author: %+v", got.Author)
	}

	d := es.addArticle("Unfinished", "Text.\n", article.Draft, 0)
	res = ed.post(editPath(d.ID), articleForm("Unfinished", "Text.\n", "article_id", fmt.Sprint(d.ID), "version", "1", "update_note", "Too early."))
	wantEditorStatus(t, "a note on a draft", res, http.StatusUnprocessableEntity)
	if !strings.Contains(res.body, "nly a published article takes update notes") {
		t.Error("the note's refusal is not shown")
	}
	res = ed.post(editPath(d.ID), articleForm("Unfinished", "Text.\n", "article_id", fmt.Sprint(d.ID), "version", "1", "kind", "column"))
	wantEditorStatus(t, "an unknown kind", res, http.StatusUnprocessableEntity)
}
