package admin

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/user"
	"github.com/datelinehq/dateline/internal/web"
	"github.com/google/go-cmp/cmp"
	"golang.org/x/net/html"
)

// hijackedMenu is a header menu form that would save if the role allowed.
var hijackedMenu = url.Values{"menu": {"header"}, "action": {"save"},
	"label": {"Hijacked"}, "kind": {"link"}, "section": {""}, "page": {""}, "link": {"https://evil.example/"}}

// menuRow is one row of the menus form as posted.
type menuRow struct{ label, kind, section, page, link string }

// menuForm is the form of menu name with rows, and the button action.
func menuForm(name, action string, rows ...menuRow) url.Values {
	f := url.Values{"menu": {name}, "action": {action}}
	for _, r := range rows {
		f["label"] = append(f["label"], r.label)
		f["kind"] = append(f["kind"], r.kind)
		f["section"] = append(f["section"], r.section)
		f["page"] = append(f["page"], r.page)
		f["link"] = append(f["link"], r.link)
	}
	return f
}

// newMenusTest is an admin whose site reads its menus through the
// newsroom, as `dateline serve` wires it, with two sections and an About
// page; it returns the test and an editor's session.
func newMenusTest(t *testing.T) (*adminTest, string) {
	t.Helper()
	at := newAdminTest(t, func(o *Options) {
		news := newsroom.New(o.Store, o.Renderer, o.Now, o.Logger)
		links := func(ctx context.Context, name string) ([]web.MenuLink, error) {
			ls, err := news.MenuLinks(ctx, name)
			var out []web.MenuLink
			for _, l := range ls {
				out = append(out, web.MenuLink{Label: l.Label, Href: l.Href})
			}
			return out, err
		}
		o.Site.Menus = func(ctx context.Context) (header, footer []web.MenuLink, err error) {
			if header, err = links(ctx, store.HeaderMenu); err != nil {
				return nil, nil, err
			}
			footer, err = links(ctx, store.FooterMenu)
			return header, footer, err
		}
	})
	ctx := context.Background()
	for _, s := range []*article.Section{{Name: "News", Slug: "news"}, {Name: "Sport", Slug: "sport"}} {
		if err := at.db.CreateSection(ctx, s); err != nil {
			t.Fatal(err)
		}
	}
	editor := at.addUser("editor@example.org", user.Editor)
	about := &article.Article{Slug: "about", Title: "About us", Body: "We report.", Status: article.Published, Kind: article.About,
		PublishedAt: at.clock().Add(-time.Hour), OwnerID: editor.ID, Author: &article.Author{Name: "Desk"}}
	if err := at.db.CreateArticle(ctx, about); err != nil {
		t.Fatal(err)
	}
	return at, at.session(editor)
}

func (at *adminTest) menu(name string) []store.MenuItem {
	at.t.Helper()
	items, _, err := at.db.Menu(context.Background(), name)
	if err != nil {
		at.t.Fatal(err)
	}
	return items
}

func TestMenuSave(t *testing.T) {
	at, token := newMenusTest(t)
	resp := at.get("/admin/menus", token)
	expectStatus(t, resp, http.StatusOK)
	// A header never arranged lists the sections.
	for _, want := range []string{"Not arranged yet", `id="label-header-0" name="label" value="News"`, `id="label-header-1" name="label" value="Sport"`,
		`<option value="about">About us</option>`, `<option value="sport" selected>Sport</option>`, `id="label-footer-0" name="label" value="" maxlength="60" placeholder="Add an item"`} {
		if !strings.Contains(resp.body, want) {
			t.Errorf("the screen has no %s:\n%s", want, excerptOf(resp.body))
		}
	}

	news := menuRow{"News", "section", "news", "", ""}
	about := menuRow{"About", "page", "sport", "about", "/ignored/"} // only the kind's target counts
	archive := menuRow{"Archive", "link", "", "", "/archive/"}
	empty := menuRow{"", "section", "", "", ""}
	resp = at.post("/admin/menus", token, menuForm("header", "save", news, about, archive, empty))
	expectStatus(t, resp, http.StatusSeeOther)
	if loc := resp.Header.Get("Location"); loc != "/admin/menus?flash=saved" {
		t.Errorf("saved: sent to %q", loc)
	}
	want := []store.MenuItem{{Label: "News", Kind: "section", Target: "news"}, {Label: "About", Kind: "page", Target: "about"},
		{Label: "Archive", Kind: "link", Target: "/archive/"}}
	if diff := cmp.Diff(want, at.menu("header")); diff != "" {
		t.Errorf("header menu (-want +got):\n%s", diff)
	}
	// This node's pages show it at once.
	wantLinks := []web.MenuLink{{Label: "News", Href: "/news/"}, {Label: "About", Href: "/about/"}, {Label: "Archive", Href: "/archive/"}}
	if diff := cmp.Diff(wantLinks, at.h.site.Current().Menu); diff != "" {
		t.Errorf("the site's header menu after saving (-want +got):\n%s", diff)
	}
	if got := at.auditActions(); got[len(got)-1] != "changed menu" {
		t.Errorf("audit log %q, want the change recorded", got)
	}

	// The row buttons save the list as typed, with the row moved or
	// removed.
	for _, test := range []struct {
		action string
		want   []string
	}{
		{"down-0", []string{"About", "News", "Archive"}},
		{"up-2", []string{"News", "Archive", "About"}},
		{"up-0", []string{"News", "About", "Archive"}},
		{"down-2", []string{"News", "About", "Archive"}},
		{"remove-1", []string{"News", "Archive"}},
	} {
		t.Run(test.action, func(t *testing.T) {
			expectStatus(t, at.post("/admin/menus", token, menuForm("header", test.action, news, about, archive, empty)), http.StatusSeeOther)
			var got []string
			for _, it := range at.menu("header") {
				got = append(got, it.Label)
			}
			if diff := cmp.Diff(test.want, got); diff != "" {
				t.Errorf("labels (-want +got):\n%s", diff)
			}
		})
	}

	// The footer is saved apart; emptied, it stays empty.
	expectStatus(t, at.post("/admin/menus", token, menuForm("footer", "save", archive, empty)), http.StatusSeeOther)
	expectStatus(t, at.post("/admin/menus", token, menuForm("footer", "remove-0", archive, empty)), http.StatusSeeOther)
	if items, saved, err := at.db.Menu(context.Background(), "footer"); err != nil || !saved || len(items) != 0 {
		t.Errorf("footer after removing its one item: %v saved %t, %v", items, saved, err)
	}
	if got := at.menu("header"); len(got) != 2 {
		t.Errorf("saving the footer changed the header: %v", got)
	}

	for _, form := range []url.Values{
		menuForm("sidebar", "save", news),
		menuForm("header", "remove-9", news),
		menuForm("header", "explode-0", news),
		{"menu": {"header"}, "label": {"News", "Sport"}, "kind": {"section"}, "section": {"news"}, "page": {""}, "link": {""}},
	} {
		before := at.snapshot()
		expectStatus(t, at.post("/admin/menus", token, form), http.StatusBadRequest)
		if after := at.snapshot(); after != before {
			t.Errorf("a bad form %v changed the store", form)
		}
	}
}

// A menu with a bad item comes back as typed, with the fault beside the
// item, and nothing is saved.
func TestMenuBadItemSavesNothing(t *testing.T) {
	at, token := newMenusTest(t)
	expectStatus(t, at.post("/admin/menus", token, menuForm("header", "save", menuRow{"Sport", "section", "sport", "", ""})), http.StatusSeeOther)
	news := menuRow{"News", "section", "news", "", ""}
	for _, test := range []struct {
		name    string
		rows    []menuRow
		row     int // the row marked, from 0; -1 for the whole menu
		message string
	}{
		{"bad address", []menuRow{news, {"Evil", "link", "", "", "javascript:alert(1)"}}, 1, `Item 2: "javascript:alert(1)" is neither a path on the site (/about/) nor an http or https address.`},
		{"empty label", []menuRow{{"", "page", "", "about", ""}, news}, 0, "Item 1: the label is empty."},
		{"no section", []menuRow{news, news, {"Weather", "section", "", "", ""}}, 2, `Item 3: no section "".`},
		{"no page", []menuRow{{"Contact", "page", "", "", "/contact/"}}, 0, `Item 1: no page "".`},
		{"unknown kind", []menuRow{news, {"Odd", "feed", "", "", "/feed/"}}, 1, `Item 2: unknown kind "feed"`},
		{"too many", slicesRepeat(news, newsroom.MaxMenuItems+1), -1, "The menu has 13 items, more than 12."},
	} {
		t.Run(test.name, func(t *testing.T) {
			before := at.snapshot()
			resp := at.post("/admin/menus", token, menuForm("header", "save", test.rows...))
			expectStatus(t, resp, http.StatusUnprocessableEntity)
			if after := at.snapshot(); after != before {
				t.Errorf("a refused menu changed the store:\nbefore:\n%s\nafter:\n%s", before, after)
			}
			if !strings.Contains(resp.body, "Nothing was saved") {
				t.Error("the page does not say nothing was saved")
			}
			doc := parseHTML(t, resp.body)
			var form *html.Node
			for _, f := range matching(doc, func(n *html.Node) bool { id, _ := attr(n, "id"); return id == "menu-header" }) {
				form = f
			}
			if form == nil {
				t.Fatal("no header menu form")
			}
			if test.row < 0 {
				errs := matching(form, func(n *html.Node) bool { return hasClass(n, "form-error") })
				if len(errs) != 1 || !strings.Contains(textOf(errs[0]), test.message) {
					t.Errorf("menu errors %v, want %q", texts(errs), test.message)
				}
				return
			}
			rows := matching(form, func(n *html.Node) bool { return hasClass(n, "menu-item") })
			// Every row comes back as typed, and an empty one to add.
			if len(rows) != len(test.rows)+1 {
				t.Fatalf("%d rows, want %d", len(rows), len(test.rows)+1)
			}
			for i, row := range rows[:len(test.rows)] {
				for field, want := range map[string]string{"label": test.rows[i].label, "link": test.rows[i].link} {
					inputs := matching(row, func(n *html.Node) bool { name, _ := attr(n, "name"); return n.Data == "input" && name == field })
					if got, _ := attr(inputs[0], "value"); got != want {
						t.Errorf("row %d: %s %q, want %q as typed", i, field, got, want)
					}
				}
				errs := matching(row, func(n *html.Node) bool { return hasClass(n, "field-error") })
				switch {
				case i == test.row && (len(errs) != 1 || !strings.Contains(textOf(errs[0]), test.message)):
					t.Errorf("row %d: errors %v, want %q", i, texts(errs), test.message)
				case i != test.row && len(errs) > 0:
					t.Errorf("row %d: errors %v, want none", i, texts(errs))
				}
			}
		})
	}
	// The footer form shows the footer as saved meanwhile.
	resp := at.post("/admin/menus", token, menuForm("header", "save", menuRow{"", "section", "news", "", ""}))
	if !strings.Contains(resp.body, `id="label-footer-0" name="label" value="" maxlength="60" placeholder="Add an item"`) {
		t.Errorf("the footer form is not as saved:\n%s", excerptOf(resp.body))
	}
}

func slicesRepeat(r menuRow, n int) []menuRow {
	out := make([]menuRow, n)
	for i := range out {
		out[i] = r
	}
	return out
}

func texts(ns []*html.Node) []string {
	var out []string
	for _, n := range ns {
		out = append(out, textOf(n))
	}
	return out
}

// Items whose section or page went away are flagged in the list with the
// reason; readers do not see them.
func TestMenuBrokenItems(t *testing.T) {
	at, token := newMenusTest(t)
	ctx := context.Background()
	editor := at.addUser("desk@example.org", user.Editor)
	press := &article.Article{Slug: "press", Title: "Press", Body: "Contact the desk.", Status: article.Published, Kind: article.Page,
		PublishedAt: at.clock().Add(-time.Hour), OwnerID: editor.ID, Author: &article.Author{Name: "Desk"}}
	if err := at.db.CreateArticle(ctx, press); err != nil {
		t.Fatal(err)
	}
	rows := []menuRow{{"About", "page", "", "about", ""}, {"Sport", "section", "sport", "", ""}, {"Press", "page", "", "press", ""}, {"Archive", "link", "", "", "/archive/"}}
	expectStatus(t, at.post("/admin/menus", token, menuForm("footer", "save", rows...)), http.StatusSeeOther)

	if err := at.db.DeleteArticle(ctx, "about"); err != nil {
		t.Fatal(err)
	}
	if err := at.db.DeleteSection(ctx, "sport", ""); err != nil {
		t.Fatal(err)
	}
	press.Status = article.Draft
	if err := at.db.UpdateArticle(ctx, press, "unpublished"); err != nil {
		t.Fatal(err)
	}

	resp := at.get("/admin/menus", token)
	expectStatus(t, resp, http.StatusOK)
	doc := parseHTML(t, resp.body)
	var got []string
	for _, row := range matching(doc, func(n *html.Node) bool { return hasClass(n, "menu-item") }) {
		label := matching(row, func(n *html.Node) bool {
			id, _ := attr(n, "id")
			return strings.HasPrefix(id, "label-footer-") && n.Data == "input"
		})
		if len(label) == 0 {
			continue
		}
		value, _ := attr(label[0], "value")
		note := ""
		if notes := matching(row, func(n *html.Node) bool { return hasClass(n, "broken-note") }); len(notes) > 0 {
			note = textOf(notes[0])
			if !hasClass(row, "broken") {
				t.Errorf("row %s has a note but is not marked broken", value)
			}
		}
		got = append(got, value+": "+note)
	}
	want := []string{
		`About: Leads nowhere: there is no page "about" any more. Readers do not see this item.`,
		`Sport: Leads nowhere: there is no section "sport" any more. Readers do not see this item.`,
		`Press: Leads nowhere: the page "Press" is draft, not published. Readers do not see this item until it is.`,
		"Archive: ",
		": ",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("footer rows (-want +got):\n%s", diff)
	}
	// The deleted section stays chosen, so that saving keeps the row as
	// it was rather than changing where it leads.
	if !strings.Contains(resp.body, `<option value="sport" selected>sport (no such section)</option>`) {
		t.Errorf("the broken section's row lost its target:\n%s", excerptOf(resp.body))
	}
}
