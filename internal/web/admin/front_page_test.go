package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// arrangement describes the front page's pins and the menus, for
// snapshot.
func (at *adminTest) arrangement() string {
	at.t.Helper()
	ctx := context.Background()
	pins, err := at.db.Pins(ctx)
	if err != nil {
		at.t.Fatal(err)
	}
	s := fmt.Sprintf("pins %v\n", pins)
	for _, name := range []string{store.HeaderMenu, store.FooterMenu} {
		items, saved, err := at.db.Menu(ctx, name)
		if err != nil {
			at.t.Fatal(err)
		}
		s += fmt.Sprintf("menu %s saved %t %+v\n", name, saved, items)
	}
	return s
}

// pinnedSlugs lists the pinned stories' slugs, the lead first.
func (at *adminTest) pinnedSlugs() []string {
	at.t.Helper()
	ctx := context.Background()
	ids, err := at.db.Pins(ctx)
	if err != nil {
		at.t.Fatal(err)
	}
	var out []string
	for _, id := range ids {
		a, err := at.db.ArticleByID(ctx, id)
		if err != nil {
			at.t.Fatal(err)
		}
		out = append(out, a.Slug)
	}
	return out
}

// parseHTML parses a page, failing the test if it does not.
func parseHTML(t *testing.T, page string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// matching lists the elements under n for which match is true, in
// document order.
func matching(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type == html.ElementNode && match(c) {
			out = append(out, c)
		}
	}
	return out
}

func hasClass(n *html.Node, class string) bool {
	v, _ := attr(n, "class")
	return slices.Contains(strings.Fields(v), class)
}

// pinRows reads the front page screen's pinned stories: each row's slug,
// slot and which of its move buttons are disabled.
func pinRows(t *testing.T, page string) []string {
	t.Helper()
	var out []string
	for _, li := range matching(parseHTML(t, page), func(n *html.Node) bool { return n.Data == "li" && hasClass(n, "pin") }) {
		slug, _ := attr(li, "data-slug")
		row := slug
		for _, slot := range matching(li, func(n *html.Node) bool { return hasClass(n, "pin-slot") }) {
			row += " " + textOf(slot)
		}
		for _, b := range matching(li, func(n *html.Node) bool { return n.Data == "button" }) {
			if _, off := attr(b, "disabled"); off {
				v, _ := attr(b, "value")
				row += " no-" + v
			}
		}
		out = append(out, row)
	}
	return out
}

// The front page screen pins, moves, orders and unpins stories through
// its forms, as an editor without a script uses them.
func TestFrontPagePinReorderUnpin(t *testing.T) {
	at := newAdminTest(t)
	editor := at.addUser("editor@example.org", user.Editor)
	token := at.session(editor)
	for _, slug := range []string{"harbour-flood", "quay-repairs", "tide-tables", "ferry-timetable"} {
		at.addArticle(slug, editor.ID)
	}

	resp := at.get("/admin/front-page", token)
	expectStatus(t, resp, http.StatusOK)
	for _, want := range []string{`No story is pinned`, `<option value="harbour-flood">`, `<option value="ferry-timetable">`, `href="/admin/front-page" aria-current="page"`} {
		if !strings.Contains(resp.body, want) {
			t.Errorf("the screen has no %s:\n%s", want, excerptOf(resp.body))
		}
	}

	pin := func(slug, slot string) {
		t.Helper()
		resp := at.post("/admin/front-page/pin", token, url.Values{"slug": {slug}, "slot": {slot}})
		expectStatus(t, resp, http.StatusSeeOther)
		if loc := resp.Header.Get("Location"); loc != "/admin/front-page?flash=pinned" {
			t.Errorf("pinned %s: sent to %q", slug, loc)
		}
	}
	pin("harbour-flood", "next")
	pin("quay-repairs", "lead")
	pin("tide-tables", "next")
	if diff := cmp.Diff([]string{"quay-repairs", "harbour-flood", "tide-tables"}, at.pinnedSlugs()); diff != "" {
		t.Errorf("pins after pinning (-want +got):\n%s", diff)
	}

	resp = at.get("/admin/front-page?flash=pinned", token)
	expectStatus(t, resp, http.StatusOK)
	want := []string{"quay-repairs Lead no-up", "harbour-flood Secondary 1", "tide-tables Secondary 2 no-down"}
	if diff := cmp.Diff(want, pinRows(t, resp.body)); diff != "" {
		t.Errorf("the screen's pinned stories (-want +got):\n%s", diff)
	}
	if !strings.Contains(resp.body, "Pinned to the front page.") {
		t.Error("no flash after pinning")
	}
	// The one story left fills the next slot; the pinned ones are not
	// offered again.
	if !strings.Contains(resp.body, `<span class="pin-slot">Secondary 3</span> <a href="/admin/articles/`) ||
		strings.Contains(resp.body, `<option value="quay-repairs"`) {
		t.Errorf("the screen offers or fills the wrong stories:\n%s", excerptOf(resp.body))
	}
	// The script that drags rows is served, and the order form it posts
	// names the pins in order.
	if !strings.Contains(resp.body, `<script src="/admin/static/front_page.`) {
		t.Error("the screen does not load front_page.js")
	}

	move := func(slug, dir string) {
		t.Helper()
		expectStatus(t, at.post("/admin/front-page/move", token, url.Values{"slug": {slug}, "dir": {dir}}), http.StatusSeeOther)
	}
	move("tide-tables", "up")
	if diff := cmp.Diff([]string{"quay-repairs", "tide-tables", "harbour-flood"}, at.pinnedSlugs()); diff != "" {
		t.Errorf("pins after moving up (-want +got):\n%s", diff)
	}
	move("quay-repairs", "up") // the lead stays
	move("quay-repairs", "down")
	if diff := cmp.Diff([]string{"tide-tables", "quay-repairs", "harbour-flood"}, at.pinnedSlugs()); diff != "" {
		t.Errorf("pins after moving the lead down (-want +got):\n%s", diff)
	}

	// What the drag script posts.
	expectStatus(t, at.post("/admin/front-page/order", token, url.Values{"slug": {"harbour-flood", "tide-tables", "quay-repairs"}}), http.StatusSeeOther)
	if diff := cmp.Diff([]string{"harbour-flood", "tide-tables", "quay-repairs"}, at.pinnedSlugs()); diff != "" {
		t.Errorf("pins after ordering (-want +got):\n%s", diff)
	}

	resp = at.post("/admin/front-page/unpin", token, url.Values{"slug": {"tide-tables"}})
	expectStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin/front-page?flash=unpinned" {
		t.Errorf("unpinned: sent to %q", loc)
	}
	if diff := cmp.Diff([]string{"harbour-flood", "quay-repairs"}, at.pinnedSlugs()); diff != "" {
		t.Errorf("pins after unpinning (-want +got):\n%s", diff)
	}

	// The editor's button asks for the next free slot: a story pinned
	// already stays where it is.
	resp = at.post("/admin/front-page/pin", token, url.Values{"slug": {"quay-repairs"}, "slot": {"next"}})
	expectStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin/front-page?flash=was-pinned" {
		t.Errorf("pinned again: sent to %q", loc)
	}
	if diff := cmp.Diff([]string{"harbour-flood", "quay-repairs"}, at.pinnedSlugs()); diff != "" {
		t.Errorf("pins after pinning a pinned story again (-want +got):\n%s", diff)
	}
	// But the lead slot moves it there.
	pin("quay-repairs", "lead")
	if diff := cmp.Diff([]string{"quay-repairs", "harbour-flood"}, at.pinnedSlugs()); diff != "" {
		t.Errorf("pins after pinning a pinned story to the lead (-want +got):\n%s", diff)
	}
	if got := at.auditActions(); !slices.Contains(got, "arranged the front page") {
		t.Errorf("audit log %q, want the front page's changes", got)
	}
}

// A draft, a sixth story, a story that does not exist and an order that
// names other stories are refused with the reason, and change nothing.
func TestFrontPageRefusals(t *testing.T) {
	at := newAdminTest(t)
	ctx := context.Background()
	editor := at.addUser("editor@example.org", user.Editor)
	token := at.session(editor)
	var ids []int64
	for i := range 6 {
		ids = append(ids, at.addArticle(fmt.Sprintf("story-%d", i+1), editor.ID).ID)
	}
	draft := &article.Article{Slug: "unfinished", Title: "Unfinished Harbour Story", Body: "Notes.", Status: article.Draft, OwnerID: editor.ID,
		Author: &article.Author{Name: "Ines Okafor"}}
	if err := at.db.CreateArticle(ctx, draft); err != nil {
		t.Fatal(err)
	}

	refused := func(form url.Values, status int, message string) string {
		t.Helper()
		before := at.snapshot()
		resp := at.post("/admin/front-page/pin", token, form)
		expectStatus(t, resp, status)
		// The reason sits right above the pin form.
		i := strings.Index(resp.body, `action="/admin/front-page/pin"`)
		if i < 0 {
			t.Fatalf("no pin form in the page:\n%s", excerptOf(resp.body))
		}
		head := resp.body[:i]
		errAt := strings.LastIndex(head, `class="form-error"`)
		if errAt < 0 || !strings.Contains(head[errAt:], htmlEscape(message)) || strings.Contains(head[errAt:], "</section>") {
			t.Errorf("no message %q above the pin form:\n%s", message, excerptOf(resp.body))
		}
		if !strings.Contains(resp.body, "Nothing was pinned.") {
			t.Error("the page does not say nothing was pinned")
		}
		if after := at.snapshot(); after != before {
			t.Errorf("a refused pin changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
		}
		return resp.body
	}

	refused(url.Values{"slug": {"unfinished"}, "slot": {"lead"}}, http.StatusUnprocessableEntity,
		`"Unfinished Harbour Story" is a draft: publish or schedule it before pinning it.`)
	refused(url.Values{"slug": {"no-such-story"}, "slot": {"next"}}, http.StatusUnprocessableEntity, `There is no story "no-such-story".`)
	refused(url.Values{"slug": {""}, "slot": {"next"}}, http.StatusUnprocessableEntity, "Choose a story to pin.")
	refused(url.Values{"slug": {"story-1"}, "slot": {"third"}}, http.StatusUnprocessableEntity, "Choose the lead slot or the next free one.")

	if err := at.db.SetPins(ctx, ids[:5]); err != nil {
		t.Fatal(err)
	}
	page := refused(url.Values{"slug": {"story-6"}, "slot": {"lead"}}, http.StatusUnprocessableEntity,
		"The front page has 5 pinned stories, all its slots: unpin one first.")
	if !strings.Contains(page, "All 5 slots are pinned") {
		t.Error("a full front page does not say so")
	}

	before := at.snapshot()
	for _, test := range []struct {
		path   string
		form   url.Values
		status int
	}{
		{"/admin/front-page/order", url.Values{"slug": {"story-1", "story-2", "story-3", "story-4", "story-6"}}, http.StatusConflict},
		{"/admin/front-page/order", url.Values{"slug": {"story-1"}}, http.StatusConflict},
		{"/admin/front-page/order", url.Values{"slug": {"story-1", "story-2", "story-3", "story-4", "gone"}}, http.StatusConflict},
		{"/admin/front-page/unpin", url.Values{"slug": {"story-6"}}, http.StatusNotFound},
		{"/admin/front-page/move", url.Values{"slug": {"story-6"}, "dir": {"up"}}, http.StatusNotFound},
		{"/admin/front-page/move", url.Values{"slug": {"story-1"}, "dir": {"sideways"}}, http.StatusBadRequest},
	} {
		resp := at.post(test.path, token, test.form)
		if resp.StatusCode != test.status {
			t.Errorf("POST %s %v: status %d, want %d", test.path, test.form, resp.StatusCode, test.status)
		}
		if !strings.Contains(resp.body, "nothing was") && !strings.Contains(resp.body, "Nothing was") {
			t.Errorf("POST %s %v does not say nothing changed:\n%s", test.path, test.form, excerptOf(resp.body))
		}
	}
	if after := at.snapshot(); after != before {
		t.Errorf("a refused change changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// The editor offers editors a button that pins a published story; not
// for a draft or a page, and not to an author.
func TestEditorPinButton(t *testing.T) {
	at := newAdminTest(t)
	ctx := context.Background()
	editor := at.addUser("editor@example.org", user.Editor)
	author := at.addUser("author@example.org", user.Author)
	story := at.addArticle("harbour-flood", author.ID)
	page := &article.Article{Slug: "about", Title: "About us", Body: "We report.", Status: article.Published, Kind: article.About,
		PublishedAt: at.clock().Add(-time.Hour), OwnerID: editor.ID, Author: &article.Author{Name: "Desk"}}
	draft := &article.Article{Slug: "unfinished", Title: "Unfinished", Body: "Notes.", Status: article.Draft, OwnerID: author.ID, Author: &article.Author{Name: "Desk"}}
	for _, a := range []*article.Article{page, draft} {
		if err := at.db.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	const button = `action="/admin/front-page/pin"`
	for _, test := range []struct {
		who  *user.User
		a    *article.Article
		want bool
	}{
		{editor, story, true},
		{editor, page, false},
		{editor, draft, false},
		{author, story, false},
	} {
		resp := at.get(editPath(test.a.ID), at.session(test.who))
		expectStatus(t, resp, http.StatusOK)
		if got := strings.Contains(resp.body, button); got != test.want {
			t.Errorf("%s editing %s: pin button %t, want %t", test.who.Role, test.a.Slug, got, test.want)
		}
		if test.want && !strings.Contains(resp.body, `<input type="hidden" name="slug" value="`+test.a.Slug+`"><input type="hidden" name="slot" value="next">`) {
			t.Errorf("the pin button does not pin %s to the next slot:\n%s", test.a.Slug, excerptOf(resp.body))
		}
	}
	// The button posts what the screen's form posts.
	resp := at.post("/admin/front-page/pin", at.session(editor), url.Values{"slug": {story.Slug}, "slot": {"next"}})
	expectStatus(t, resp, http.StatusSeeOther)
	if diff := cmp.Diff([]string{story.Slug}, at.pinnedSlugs()); diff != "" {
		t.Errorf("pins (-want +got):\n%s", diff)
	}
}

// The forms TestEveryRouteRefusesLesserRoles sends to the new routes do
// change things for an editor, so the refusals it sees are the roles'.
func TestEditorMayArrangeWhatLesserRolesMayNot(t *testing.T) {
	at := newAdminTest(t)
	editor := at.addUser("editor@example.org", user.Editor)
	token := at.session(editor)
	a, pinned, other := at.addArticle("harbour-flood", editor.ID), at.addArticle("tide-tables", editor.ID), at.addArticle("quay-repairs", editor.ID)
	if err := at.db.SetPins(context.Background(), []int64{a.ID, pinned.ID}); err != nil {
		t.Fatal(err)
	}
	for _, req := range []adminRequest{
		{method: "POST", path: "/admin/front-page/pin", form: url.Values{"slug": {other.Slug}, "slot": {"lead"}}},
		{method: "POST", path: "/admin/front-page/unpin", form: url.Values{"slug": {other.Slug}}},
		{method: "POST", path: "/admin/front-page/move", form: url.Values{"slug": {a.Slug}, "dir": {"down"}}},
		{method: "POST", path: "/admin/front-page/order", form: url.Values{"slug": {a.Slug, pinned.Slug}}},
		{method: "POST", path: "/admin/menus", form: hijackedMenu},
	} {
		before := at.snapshot()
		req.token = token
		expectStatus(t, at.do(req), http.StatusSeeOther)
		if at.snapshot() == before {
			t.Errorf("%s %s as editor changed nothing", req.method, req.path)
		}
	}
}
