package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// elements returns page's elements with the given tag whose attributes
// include attrs (name, value pairs), in document order.
func elements(t *testing.T, page, tag string, attrs ...string) []*html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return find(doc, tag, attrs...)
}

// find returns the elements under root with the given tag whose
// attributes include attrs (name, value pairs), in document order.
func find(root *html.Node, tag string, attrs ...string) []*html.Node {
	var found []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag {
			match := true
			for i := 0; i+1 < len(attrs); i += 2 {
				if v, ok := attr(n, attrs[i]); !ok || v != attrs[i+1] {
					match = false
				}
			}
			if match {
				found = append(found, n)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	return found
}

func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// textOf is the text inside n, its white space collapsed.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// sectionOrder lists the slugs of the Sections screen's rows, in order.
func sectionOrder(t *testing.T, page string) []string {
	t.Helper()
	var slugs []string
	for _, tr := range elements(t, page, "tr") {
		if id, _ := attr(tr, "id"); strings.HasPrefix(id, "section-") {
			slugs = append(slugs, strings.TrimPrefix(id, "section-"))
		}
	}
	return slugs
}

// storedSections lists the stored sections' slugs in order, with their
// article counts.
func (at *adminTest) storedSections() []string {
	at.t.Helper()
	ss, err := at.db.Sections(context.Background())
	if err != nil {
		at.t.Fatal(err)
	}
	var out []string
	for _, se := range ss {
		out = append(out, fmt.Sprintf("%s %q %d", se.Slug, se.Name, se.Articles))
	}
	return out
}

// addSection stores a section, as the newsroom does.
func (at *adminTest) addSection(name, slug string) {
	at.t.Helper()
	if err := at.h.news.AddSection(context.Background(), newsroom.System("test"), &article.Section{Name: name, Slug: slug}); err != nil {
		at.t.Fatal(err)
	}
}

// articleIn stores a draft in the section with the given slug, through
// the newsroom.
func (at *adminTest) articleIn(title, section string) *article.Article {
	at.t.Helper()
	a := &article.Article{Title: title, Body: "Text.", Status: article.Draft, Author: &article.Author{Name: "Desk"},
		Section: &article.Section{Slug: section}}
	if err := at.h.news.Create(context.Background(), newsroom.System("test"), a); err != nil {
		at.t.Fatal(err)
	}
	return a
}

func TestSectionsAddEditMove(t *testing.T) {
	at := newAdminTest(t)
	editor := at.session(at.addUser("ed@example.org", user.Editor))

	// An empty site says so, and the menu leads here.
	page := at.get("/admin/sections", editor)
	expectStatus(t, page, http.StatusOK)
	if !strings.Contains(page.body, "The site has no sections yet") {
		t.Errorf("an empty site's page does not say it has no sections:\n%s", excerptOf(page.body))
	}
	if links := elements(t, page.body, "a", "href", "/admin/sections", "aria-current", "page"); len(links) != 1 {
		t.Errorf("the menu has %d current links to Sections, want 1", len(links))
	}

	for _, form := range []url.Values{
		{"name": {"Politics"}},
		{"name": {"World news"}, "slug": {"world"}, "description": {"From abroad."}},
		{"name": {"Sport"}},
	} {
		res := at.post("/admin/sections", editor, form)
		expectStatus(t, res, http.StatusSeeOther)
		if loc := res.Header.Get("Location"); loc != "/admin/sections?flash=section-added" {
			t.Errorf("add redirects to %q", loc)
		}
	}
	want := []string{`politics "Politics" 0`, `world "World news" 0`, `sport "Sport" 0`}
	if diff := cmp.Diff(want, at.storedSections()); diff != "" {
		t.Errorf("sections (-want +got):\n%s", diff)
	}
	page = at.get("/admin/sections", editor)
	if diff := cmp.Diff([]string{"politics", "world", "sport"}, sectionOrder(t, page.body)); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	// Each links to its front page.
	if links := elements(t, page.body, "a", "href", "/world/"); len(links) != 1 || textOf(links[0]) != "/world/" {
		t.Errorf("no link to the World front page")
	}
	if !strings.Contains(page.body, "From abroad.") {
		t.Errorf("the description is not shown")
	}

	// Refused additions keep what was typed, with the message beside
	// the field.
	for _, test := range []struct {
		name   string
		form   url.Values
		status int
		field  string
		msg    string
	}{
		{"no name", url.Values{"name": {"  "}, "slug": {"weather"}, "description": {"Rain."}}, http.StatusUnprocessableEntity, "name", "A section needs a name."},
		{"taken slug", url.Values{"name": {"Politics again"}, "slug": {"politics"}, "description": {"Rain."}}, http.StatusConflict, "slug",
			`Another section has the slug "politics": choose another.`},
		{"a route's slug", url.Values{"name": {"Tags"}, "slug": {"tag"}, "description": {"Rain."}}, http.StatusUnprocessableEntity, "slug",
			`"tag" is taken by the site's own addresses (/tag/).`},
	} {
		t.Run(test.name, func(t *testing.T) {
			res := at.post("/admin/sections", editor, test.form)
			expectStatus(t, res, test.status)
			input := elements(t, res.body, "input", "id", test.field)
			if len(input) != 1 {
				t.Fatalf("no input #%s", test.field)
			}
			if v, _ := attr(input[0], "aria-invalid"); v != "true" {
				t.Errorf("#%s is not marked invalid", test.field)
			}
			if !strings.Contains(res.body, html.EscapeString(test.msg)) {
				t.Errorf("the page lacks %q:\n%s", test.msg, excerptOf(res.body))
			}
			if v, _ := attr(elements(t, res.body, "input", "id", "slug")[0], "value"); v != test.form.Get("slug") {
				t.Errorf("the slug typed is not kept: %q", v)
			}
			if got, _ := textareaValue(t, res.body, "description"); got != "Rain." {
				t.Errorf("the description typed is not kept: %q", got)
			}
		})
	}
	if diff := cmp.Diff(want, at.storedSections()); diff != "" {
		t.Errorf("refused additions changed the sections (-want +got):\n%s", diff)
	}

	// Edit: a new name, slug and description.
	res := at.post("/admin/sections/world", editor, url.Values{"name": {"World"}, "slug": {"international"}, "description": {"Abroad."}})
	expectStatus(t, res, http.StatusSeeOther)
	want = []string{`politics "Politics" 0`, `international "World" 0`, `sport "Sport" 0`}
	if diff := cmp.Diff(want, at.storedSections()); diff != "" {
		t.Errorf("after the edit (-want +got):\n%s", diff)
	}
	// An edit to another section's slug comes back open on that row, as
	// typed.
	res = at.post("/admin/sections/sport", editor, url.Values{"name": {"Sports"}, "slug": {"politics"}, "description": {"Games."}})
	expectStatus(t, res, http.StatusConflict)
	sport := elements(t, res.body, "tr", "id", "section-sport")
	if len(sport) != 1 || !strings.Contains(textOf(sport[0]), `Another section has the slug "politics": choose another.`) {
		t.Fatalf("the refusal is not on the Sport row:\n%s", excerptOf(res.body))
	}
	if open := elements(t, res.body, "details", "open", ""); len(open) != 1 {
		t.Errorf("%d edit forms open, want the refused one", len(open))
	}
	for name, want := range map[string]string{"name": "Sports", "slug": "politics"} {
		in := find(sport[0], "input", "name", name)
		if len(in) != 1 {
			t.Fatalf("the Sport row has %d inputs named %s", len(in), name)
		}
		if v, _ := attr(in[0], "value"); v != want {
			t.Errorf("the Sport row's %s shows %q, want %q as typed", name, v, want)
		}
	}
	expectStatus(t, at.post("/admin/sections/weather", editor, url.Values{"name": {"Weather"}}), http.StatusNotFound)

	// Up and down, with forms; the ends stay where they are.
	for _, step := range []struct {
		slug, direction string
		want            []string
	}{
		{"sport", "up", []string{"politics", "sport", "international"}},
		{"sport", "up", []string{"sport", "politics", "international"}},
		{"sport", "up", []string{"sport", "politics", "international"}},
		{"politics", "down", []string{"sport", "international", "politics"}},
		{"politics", "down", []string{"sport", "international", "politics"}},
	} {
		res := at.post("/admin/sections/"+step.slug+"/move", editor, url.Values{"direction": {step.direction}})
		expectStatus(t, res, http.StatusSeeOther)
		page := at.get("/admin/sections", editor)
		if diff := cmp.Diff(step.want, sectionOrder(t, page.body)); diff != "" {
			t.Errorf("after moving %s %s (-want +got):\n%s", step.slug, step.direction, diff)
		}
	}
	// The first row cannot go up nor the last down.
	page = at.get("/admin/sections", editor)
	for _, b := range elements(t, page.body, "button", "name", "direction") {
		_, disabled := attr(b, "disabled")
		form := b.Parent
		action, _ := attr(form, "action")
		value, _ := attr(b, "value")
		want := action == "/admin/sections/sport/move" && value == "up" || action == "/admin/sections/politics/move" && value == "down"
		if disabled != want {
			t.Errorf("%s %s: disabled %t, want %t", action, value, disabled, want)
		}
	}
	expectStatus(t, at.post("/admin/sections/sport/move", editor, url.Values{"direction": {"sideways"}}), http.StatusBadRequest)
	expectStatus(t, at.post("/admin/sections/weather/move", editor, url.Values{"direction": {"up"}}), http.StatusNotFound)

	audit := strings.Join(at.auditActions(), "\n")
	for _, want := range []string{"added section", "changed section", "ordered sections"} {
		if !strings.Contains(audit, want) {
			t.Errorf("the audit log lacks %q:\n%s", want, audit)
		}
	}
}

func TestSectionDelete(t *testing.T) {
	at := newAdminTest(t)
	admin := at.session(at.addUser("admin@example.org", user.Administrator))
	at.addSection("News", "")
	at.addSection("Politics", "")
	at.addSection("Weather", "")
	at.articleIn("Council votes", "politics")
	at.articleIn("Mayor resigns", "politics")

	// A section with articles and nowhere to put them stays, and the page
	// says how many it has.
	res := at.post("/admin/sections/politics/delete", admin, url.Values{"move_to": {""}})
	expectStatus(t, res, http.StatusConflict)
	row := elements(t, res.body, "tr", "id", "section-politics")
	if len(row) != 1 || !strings.Contains(textOf(row[0]), `Section "politics" has 2 articles; move them to another section first.`) {
		t.Fatalf("the refusal with the count is not on the row:\n%s", excerptOf(res.body))
	}
	if alert := elements(t, res.body, "p", "class", "form-error"); len(alert) != 1 || !strings.Contains(textOf(alert[0]), "2 articles") {
		t.Errorf("no message at the top of the page")
	}
	// The select offers the other sections only.
	var offered []string
	for _, sel := range elements(t, res.body, "select", "name", "move_to") {
		for o := sel.FirstChild; o != nil; o = o.NextSibling {
			if v, ok := attr(o, "value"); ok && o.Data == "option" {
				offered = append(offered, v)
			}
		}
	}
	if diff := cmp.Diff([]string{"", "news", "weather"}, offered); diff != "" {
		t.Errorf("move-to choices (-want +got):\n%s", diff)
	}
	want := []string{`news "News" 0`, `politics "Politics" 2`, `weather "Weather" 0`}
	if diff := cmp.Diff(want, at.storedSections()); diff != "" {
		t.Errorf("a refused delete changed the sections (-want +got):\n%s", diff)
	}

	// A section that does not exist to move them to.
	res = at.post("/admin/sections/politics/delete", admin, url.Values{"move_to": {"gossip"}})
	expectStatus(t, res, http.StatusConflict)
	if !strings.Contains(res.body, html.EscapeString(`There is no section "gossip" to move the articles to`)) {
		t.Errorf("a missing target is not explained:\n%s", excerptOf(res.body))
	}

	// With a section to move them to, it goes.
	res = at.post("/admin/sections/politics/delete", admin, url.Values{"move_to": {"news"}})
	expectStatus(t, res, http.StatusSeeOther)
	want = []string{`news "News" 2`, `weather "Weather" 0`}
	if diff := cmp.Diff(want, at.storedSections()); diff != "" {
		t.Errorf("after the delete (-want +got):\n%s", diff)
	}
	// An empty section needs no target.
	expectStatus(t, at.post("/admin/sections/weather/delete", admin, url.Values{}), http.StatusSeeOther)
	expectStatus(t, at.post("/admin/sections/weather/delete", admin, url.Values{}), http.StatusNotFound)
	if diff := cmp.Diff([]string{`news "News" 2`}, at.storedSections()); diff != "" {
		t.Errorf("after the second delete (-want +got):\n%s", diff)
	}
}

// A section's name is text, on the Sections screen and in the editor.
func TestSectionNameIsText(t *testing.T) {
	at := newAdminTest(t)
	editor := at.session(at.addUser("ed@example.org", user.Editor))
	at.addSection(`<script>alert("x")</script>`, "scripted")
	for _, path := range []string{"/admin/sections", "/admin/articles/new"} {
		page := at.get(path, editor)
		expectStatus(t, page, http.StatusOK)
		if strings.Contains(page.body, `<script>alert`) {
			t.Errorf("%s: the section's name is markup", path)
		}
	}
}

func TestEditorSection(t *testing.T) {
	at := newAdminTest(t)
	author := at.session(at.addUser("au@example.org", user.Author))

	// Without sections there is nothing to choose, and saving works.
	page := at.get("/admin/articles/new", author)
	expectStatus(t, page, http.StatusOK)
	if len(elements(t, page.body, "select", "name", "section")) != 0 {
		t.Errorf("a site without sections shows a Section select")
	}
	res := at.post("/admin/articles/new", author, url.Values{"title": {"Before sections"}, "body": {"Text."}, "status": {"draft"}})
	expectStatus(t, res, http.StatusSeeOther)

	at.addSection("News", "")
	at.addSection("Sport", "")
	// A new article starts in the first section.
	page = at.get("/admin/articles/new", author)
	if diff := cmp.Diff([]string{"news"}, selectedSections(t, page.body)); diff != "" {
		t.Errorf("new article's section (-want +got):\n%s", diff)
	}

	res = at.post("/admin/articles/new", author, url.Values{"title": {"Cup final"}, "body": {"Text."}, "status": {"draft"}, "section": {"sport"}})
	expectStatus(t, res, http.StatusSeeOther)
	a, err := at.db.Article(context.Background(), "cup-final")
	if err != nil {
		t.Fatal(err)
	}
	if a.Section == nil || a.Section.Slug != "sport" {
		t.Fatalf("saved in section %+v, want sport", a.Section)
	}
	edit := editPath(a.ID)
	page = at.get(edit, author)
	if diff := cmp.Diff([]string{"sport"}, selectedSections(t, page.body)); diff != "" {
		t.Errorf("stored article's section (-want +got):\n%s", diff)
	}

	// A section that does not exist: the message is beside the select,
	// and the text is kept.
	form := url.Values{"title": {"Cup final"}, "body": {"Text, revised."}, "status": {"draft"}, "section": {"weather"},
		"article_id": {fmt.Sprint(a.ID)}, "version": {fmt.Sprint(a.Version)}}
	res = at.post(edit, author, form)
	expectStatus(t, res, http.StatusUnprocessableEntity)
	sel := elements(t, res.body, "select", "id", "section")
	if len(sel) != 1 {
		t.Fatalf("no Section select:\n%s", excerptOf(res.body))
	}
	if v, _ := attr(sel[0], "aria-invalid"); v != "true" {
		t.Errorf("the select is not marked invalid")
	}
	msg := sel[0].NextSibling
	for msg != nil && msg.Type != html.ElementNode {
		msg = msg.NextSibling
	}
	if msg == nil || textOf(msg) != `No section "weather"; the sections are news, sport.` {
		t.Errorf("beside the select: %v", msg)
	}
	if body, _ := textareaValue(t, res.body, "body"); body != "Text, revised." {
		t.Errorf("the text is not kept: %q", body)
	}

	// Moved to news; a form without the field keeps it there.
	form.Set("section", "news")
	expectStatus(t, at.post(edit, author, form), http.StatusSeeOther)
	form.Del("section")
	form.Set("version", fmt.Sprint(a.Version+1))
	expectStatus(t, at.post(edit, author, form), http.StatusSeeOther)
	if a, err = at.db.Article(context.Background(), "cup-final"); err != nil || a.Section == nil || a.Section.Slug != "news" || a.Version != 3 {
		t.Errorf("after two saves: %+v, version %d, %v; want news, version 3", a.Section, a.Version, err)
	}

	// The list shows each article's section.
	list := at.get("/admin/articles", author)
	found := false
	for _, tr := range elements(t, list.body, "tr") {
		if text := textOf(tr); strings.Contains(text, "Cup final") {
			found = strings.Contains(text, "News")
		}
	}
	if !found {
		t.Errorf("the article list does not show the section:\n%s", excerptOf(list.body))
	}
}

// selectedSections lists the values of the Section select's selected
// options.
func selectedSections(t *testing.T, page string) []string {
	t.Helper()
	var out []string
	for _, o := range elements(t, page, "option") {
		if o.Parent == nil || o.Parent.Data != "select" {
			continue
		}
		if name, _ := attr(o.Parent, "name"); name != "section" {
			continue
		}
		if _, ok := attr(o, "selected"); ok {
			v, _ := attr(o, "value")
			out = append(out, v)
		}
	}
	return out
}
