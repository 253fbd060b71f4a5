package admin

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/entity"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
)

// snapshot describes everything a refused request must leave as it was.
func (at *adminTest) snapshot() string {
	at.t.Helper()
	ctx := context.Background()
	var b strings.Builder
	us, err := at.db.Users(ctx)
	if err != nil {
		at.t.Fatal(err)
	}
	for _, u := range us {
		fmt.Fprintf(&b, "user %d %s %s %s disabled %t\n", u.ID, u.Email, u.Name, u.Role, u.Disabled)
	}
	cs, err := at.db.Comments(ctx, store.CommentQuery{})
	if err != nil {
		at.t.Fatal(err)
	}
	for _, c := range cs {
		fmt.Fprintf(&b, "comment %d %s %d %q\n", c.ID, c.State, c.ParentID, c.Body)
	}
	as, err := at.db.Articles(ctx, store.ArticleQuery{})
	if err != nil {
		at.t.Fatal(err)
	}
	ids := make([]int64, len(as))
	for i, a := range as {
		ids[i] = a.ID
	}
	stories, err := at.db.Stories(ctx, ids)
	if err != nil {
		at.t.Fatal(err)
	}
	for _, a := range as {
		fmt.Fprintf(&b, "story of %d: %+v\n", a.ID, stories[a.ID])
		revs, err := at.db.Revisions(ctx, a.ID)
		if err != nil {
			at.t.Fatal(err)
		}
		fmt.Fprintf(&b, "article %d %s v%d %s %q owner %d revisions %d\n", a.ID, a.Slug, a.Version, a.Status, a.Title, a.OwnerID, len(revs))
	}
	site, err := at.db.SiteSettings(ctx)
	if err != nil {
		at.t.Fatal(err)
	}
	policy, err := at.db.CommentSettings(ctx)
	if err != nil {
		at.t.Fatal(err)
	}
	fmt.Fprintf(&b, "site %+v\ncomments %+v\n", site, policy)
	b.WriteString(at.arrangement())
	items, err := at.db.MediaItems(ctx, store.MediaQuery{})
	if err != nil {
		at.t.Fatal(err)
	}
	for _, it := range items {
		fmt.Fprintf(&b, "image %d %s %q %q %q\n", it.ID, it.Hash, it.Alt, it.Caption, it.Credit)
	}
	authors, err := at.db.Authors(ctx)
	if err != nil {
		at.t.Fatal(err)
	}
	for _, au := range authors {
		fmt.Fprintf(&b, "author %d %s %q %q %+v\n", au.ID, au.Slug, au.Name, au.Bio, au.Profile)
	}
	ss, err := at.db.Sections(ctx)
	if err != nil {
		at.t.Fatal(err)
	}
	for _, se := range ss {
		fmt.Fprintf(&b, "section %d %s %q %q position %d articles %d\n", se.ID, se.Slug, se.Name, se.Description, se.Position, se.Articles)
	}
	es, err := at.db.Entities(ctx, store.EntityQuery{})
	if err != nil {
		at.t.Fatal(err)
	}
	for _, e := range es {
		fmt.Fprintf(&b, "entity %d %s %q %q banned %t\n", e.ID, e.Slug, e.Name, e.Description, e.Banned)
	}
	return b.String()
}

// Issue 7: every admin route, as each role that may not use it and as
// nobody, is refused, and the refusal changes nothing.
func TestEveryRouteRefusesLesserRoles(t *testing.T) {
	at := newAdminTest(t)
	ctx := context.Background()
	admin := at.addUser("admin@example.org", user.Administrator)
	second := at.addUser("second@example.org", user.Administrator)
	tokens := map[user.Role]string{}
	for _, role := range []user.Role{user.Editor, user.Author, user.Contributor} {
		tokens[role] = at.session(at.addUser(string(role)+"@example.org", role))
	}
	disabled := at.addUser("disabled@example.org", user.Author)
	if err := at.db.SetUserDisabled(ctx, disabled.ID, true, nil); err != nil {
		t.Fatal(err)
	}
	a := at.addArticle("harbour-flood", admin.ID)
	// A revision to restore.
	a.Body += "\n\nUpdated at noon."
	if err := at.db.UpdateArticle(ctx, a, "noon update"); err != nil {
		t.Fatal(err)
	}
	c := at.addComment(a, "Reader", "A pending comment about the flood.", comment.Pending)
	path := editPath(a.ID) // the article's ID in the URL, as Issue 7 has it
	photo := &media.Item{Hash: strings.Repeat("ab", 32), Format: media.JPEG, Width: 800, Height: 600, Filename: "quay.jpg", State: media.Ready}
	if _, err := at.db.AddMedia(ctx, photo); err != nil {
		t.Fatal(err)
	}
	at.addSection("News", "")
	at.addSection("Sport", "")
	at.articleIn("Cup final", "sport")
	for _, e := range []*entity.Entity{{Kind: entity.PlaceKind, Name: "Kenya", Slug: "kenya", Country: "KE"}, {Kind: entity.PlaceKind, Name: "Uganda", Slug: "uganda", Country: "UG"}} {
		if err := at.db.CreateEntity(ctx, e, entity.Alias{Key: "place:" + e.Country, Name: e.Name}); err != nil {
			t.Fatal(err)
		}
	}

	pinned, other := at.addArticle("tide-tables", admin.ID), at.addArticle("quay-repairs", admin.ID)
	if err := at.db.SetPins(ctx, []int64{a.ID, pinned.ID}); err != nil {
		t.Fatal(err)
	}
	articleForm := url.Values{"title": {"Hijacked"}, "slug": {a.Slug}, "body": {"Replaced."}, "status": {"published"},
		"version": {fmt.Sprint(a.Version)}, "article_id": {fmt.Sprint(a.ID)}}
	settingsForm := url.Values{"title": {"Hijacked"}, "max_links": {"9"}, "close_after_days": {"0"}, "min_form_seconds": {"0"},
		"max_form_hours": {"1"}, "per_ip_per_minute": {"1"}, "per_article_per_minute": {"1"}}
	userForm := url.Values{"email": {"intruder@example.org"}, "name": {"Intruder"}, "role": {"administrator"},
		"password": {testPassword}, "password2": {testPassword}}

	everyone := []user.Role{user.Editor, user.Author, user.Contributor}
	notEditors := []user.Role{user.Author, user.Contributor}
	routes := []struct {
		method, path string
		form         url.Values
		refused      []user.Role // roles refused, besides anonymous
	}{
		{"GET", "/admin/", nil, nil},
		{"GET", "/admin/articles", nil, nil},
		{"GET", "/admin/articles/new", nil, nil},
		{"POST", "/admin/articles/new", url.Values{"title": {"New"}, "body": {"Text."}, "status": {"draft"}}, nil},
		{"GET", path, nil, notEditors},
		{"POST", path, articleForm, notEditors},
		{"POST", path + "/panels", articleForm, notEditors},
		{"POST", path + "/links/apply", url.Values{"version": {fmt.Sprint(a.Version)}, "article_id": {fmt.Sprint(a.ID)}, "title": {"Hijacked"}, "body": {"Replaced."}, "suggestion": {"s1"}}, notEditors},
		{"GET", path + "/revisions/1", nil, notEditors},
		{"POST", path + "/revisions/1/restore", url.Values{"version": {fmt.Sprint(a.Version)}}, notEditors},
		{"POST", path + "/delete", url.Values{}, notEditors},
		{"POST", path + "/story/leave", url.Values{}, notEditors},
		{"POST", path + "/story/join", url.Values{"with": {"tide-tables"}}, notEditors},
		{"GET", "/admin/comments", nil, notEditors},
		{"POST", "/admin/comments", url.Values{"action": {"trash"}, "id": {fmt.Sprint(c.ID)}}, notEditors},
		{"POST", fmt.Sprintf("/admin/comments/%d/reply", c.ID), url.Values{"reply": {"Hijacked reply."}}, notEditors},
		{"GET", "/admin/authors", nil, notEditors},
		{"GET", "/admin/authors/ines-okafor", nil, notEditors},
		{"POST", "/admin/authors/ines-okafor", url.Values{"name": {"Hijacked"}, "bio": {"Hijacked."}}, notEditors},
		{"GET", "/admin/settings", nil, everyone},
		{"POST", "/admin/settings", settingsForm, everyone},
		{"GET", "/admin/analytics", nil, []user.Role{user.Contributor}},
		{"GET", "/admin/users", nil, everyone},
		{"POST", "/admin/users", userForm, everyone},
		{"POST", fmt.Sprintf("/admin/users/%d", second.ID), url.Values{"role": {"contributor"}}, everyone},
		{"POST", fmt.Sprintf("/admin/users/%d/disable", second.ID), url.Values{}, everyone},
		{"POST", fmt.Sprintf("/admin/users/%d/enable", disabled.ID), url.Values{}, everyone},
		{"POST", fmt.Sprintf("/admin/users/%d/delete", second.ID), url.Values{}, everyone},
		{"GET", "/admin/audit", nil, everyone},
		{"GET", "/admin/media", nil, nil},
		{"POST", "/admin/media", url.Values{}, nil},
		{"POST", fmt.Sprintf("/admin/media/%d", photo.ID), url.Values{"alt": {"Hijacked"}}, nil},
		{"POST", fmt.Sprintf("/admin/media/%d/delete", photo.ID), url.Values{}, notEditors},
		{"GET", "/admin/sections", nil, notEditors},
		{"POST", "/admin/sections", url.Values{"name": {"Hijacked"}}, notEditors},
		{"POST", "/admin/sections/news", url.Values{"name": {"Hijacked"}, "slug": {"hijacked"}}, notEditors},
		{"POST", "/admin/sections/news/move", url.Values{"direction": {"down"}}, notEditors},
		{"POST", "/admin/sections/sport/delete", url.Values{"move_to": {"news"}}, notEditors},
		{"GET", "/admin/front-page", nil, notEditors},
		{"POST", "/admin/front-page/pin", url.Values{"slug": {other.Slug}, "slot": {"lead"}}, notEditors},
		{"POST", "/admin/front-page/unpin", url.Values{"slug": {a.Slug}}, notEditors},
		{"POST", "/admin/front-page/move", url.Values{"slug": {a.Slug}, "dir": {"down"}}, notEditors},
		{"POST", "/admin/front-page/order", url.Values{"slug": {pinned.Slug, a.Slug}}, notEditors},
		{"GET", "/admin/menus", nil, notEditors},
		{"POST", "/admin/menus", hijackedMenu, notEditors},
		{"GET", "/admin/entities", nil, notEditors},
		{"GET", "/admin/entities/kenya", nil, notEditors},
		{"POST", "/admin/entities/kenya", url.Values{"name": {"Hijacked"}, "description": {"Hijacked."}}, notEditors},
		{"POST", "/admin/entities/kenya/ban", url.Values{"banned": {"1"}}, notEditors},
		{"POST", "/admin/entities/kenya/merge", url.Values{"into": {"uganda"}}, notEditors},
		{"POST", "/admin/entities/kenya/split", url.Values{"key": {"place:KE"}}, notEditors},
	}
	// The route table of the brief is covered: a route added to Register
	// without a line here fails the test.
	registered := registeredPatterns(at.h)
	for _, p := range registered {
		found := false
		for _, r := range routes {
			if patternMatches(p, r.method, r.path) {
				found = true
			}
		}
		if !found && !slices.Contains(openPatterns, p) {
			t.Errorf("route %q is not walked by this test", p)
		}
	}

	for _, route := range routes {
		t.Run(route.method+" "+route.path, func(t *testing.T) {
			before := at.snapshot()
			req := adminRequest{method: route.method, path: route.path}
			if route.method == http.MethodPost {
				req.form = route.form
			}
			resp := at.do(req)
			expectStatus(t, resp, http.StatusSeeOther)
			if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, "/admin/signin") {
				t.Errorf("anonymous: redirected to %q, want the sign-in page", loc)
			}
			for _, role := range route.refused {
				req.token = tokens[role]
				resp := at.do(req)
				if resp.StatusCode != http.StatusForbidden {
					t.Errorf("as %s: status %d, want a refusal (403)", role, resp.StatusCode)
				}
			}
			if after := at.snapshot(); after != before {
				t.Errorf("a refused request changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}

	// Setup is refused to everyone once a user exists.
	before := at.snapshot()
	for _, token := range []string{"", tokens[user.Editor], at.session(admin)} {
		resp := at.do(adminRequest{method: "POST", path: "/admin/setup", token: token, form: userForm})
		expectStatus(t, resp, http.StatusNotFound)
	}
	if after := at.snapshot(); after != before {
		t.Errorf("setup after the first run changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// openPatterns are the routes that need no role.
var openPatterns = []string{"GET /admin/static/{file}", "GET /admin/setup", "POST /admin/setup",
	"GET /admin/signin", "POST /admin/signin", "POST /admin/signout"}

// registeredPatterns lists the patterns Register adds.
func registeredPatterns(h *Handler) []string {
	rec := &recordingMux{}
	h.register(rec.handle)
	return rec.patterns
}

type recordingMux struct{ patterns []string }

func (m *recordingMux) handle(pattern string, _ http.Handler) {
	m.patterns = append(m.patterns, pattern)
}

// patternMatches reports whether method and path are served by pattern.
func patternMatches(pattern, method, path string) bool {
	mux := http.NewServeMux()
	mux.Handle(pattern, http.NotFoundHandler())
	r, _ := http.NewRequest(method, path, nil)
	_, p := mux.Handler(r)
	return p == pattern
}

// The forms the refusal test sends do change things when the role
// allows it, so the refusals it sees are the roles' doing.
func TestAdministratorMayDoWhatLesserRolesMayNot(t *testing.T) {
	at := newAdminTest(t)
	admin := at.addUser("admin@example.org", user.Administrator)
	second := at.addUser("second@example.org", user.Administrator)
	token := at.session(admin)
	a := at.addArticle("harbour-flood", admin.ID)
	c := at.addComment(a, "Reader", "A pending comment about the flood.", comment.Pending)
	at.addSection("News", "")
	at.addSection("Sport", "")
	at.articleIn("Cup final", "sport")
	for _, req := range []adminRequest{
		{method: "POST", path: "/admin/comments", form: url.Values{"action": {"trash"}, "id": {fmt.Sprint(c.ID)}}},
		{method: "POST", path: "/admin/settings", form: url.Values{"title": {"Changed"}, "max_links": {"9"}, "close_after_days": {"0"}, "min_form_seconds": {"0"},
			"max_form_hours": {"1"}, "per_ip_per_minute": {"1"}, "per_article_per_minute": {"1"}}},
		{method: "POST", path: "/admin/authors/ines-okafor", form: url.Values{"name": {"Hijacked"}, "bio": {"Hijacked."}}},
		{method: "POST", path: "/admin/users", form: url.Values{"email": {"new@example.org"}, "name": {"New"}, "role": {"author"},
			"password": {testPassword}, "password2": {testPassword}}},
		{method: "POST", path: fmt.Sprintf("/admin/users/%d", second.ID), form: url.Values{"role": {"contributor"}}},
		{method: "POST", path: fmt.Sprintf("/admin/users/%d/disable", second.ID), form: url.Values{}},
		{method: "POST", path: fmt.Sprintf("/admin/users/%d/enable", second.ID), form: url.Values{}},
		{method: "POST", path: fmt.Sprintf("/admin/users/%d/delete", second.ID), form: url.Values{}},
		{method: "POST", path: "/admin/sections", form: url.Values{"name": {"Weather"}}},
		{method: "POST", path: "/admin/sections/news", form: url.Values{"name": {"Hijacked"}, "slug": {"hijacked"}}},
		{method: "POST", path: "/admin/sections/hijacked/move", form: url.Values{"direction": {"down"}}},
		{method: "POST", path: "/admin/sections/sport/delete", form: url.Values{"move_to": {"hijacked"}}},
	} {
		before := at.snapshot()
		req.token = token
		expectStatus(t, at.do(req), http.StatusSeeOther)
		if at.snapshot() == before {
			t.Errorf("%s %s as administrator changed nothing", req.method, req.path)
		}
	}
}
