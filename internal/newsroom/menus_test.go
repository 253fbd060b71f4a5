package newsroom_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/user"
)

func linkList(links []newsroom.MenuLink) string {
	var parts []string
	for _, l := range links {
		parts = append(parts, l.Label+"="+l.Href)
	}
	return strings.Join(parts, " ")
}

// TestMenus: the header menu lists the sections until an editor arranges
// it; items are checked as they are saved; an item whose section or page
// went away is left out for readers and listed as broken for editors.
func TestMenus(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		sys := newsroom.System("test")
		addSections(t, svc, "World", "Politics")
		links, err := svc.MenuLinks(ctx, store.HeaderMenu)
		if err != nil {
			t.Fatal(err)
		}
		if got := linkList(links); got != "World=/world/ Politics=/politics/" {
			t.Errorf("the header menu before anyone arranged it: %s", got)
		}
		if links, _ := svc.MenuLinks(ctx, store.FooterMenu); len(links) != 0 {
			t.Errorf("the footer menu starts empty, not %v", links)
		}
		about := &article.Article{Title: "About us", Body: "Who we are.\n"}
		if err := svc.Create(ctx, sys, about); err != nil {
			t.Fatal(err)
		}
		items := []store.MenuItem{
			{Label: "Politics", Kind: store.MenuSection, Target: "politics"},
			{Label: "About", Kind: store.MenuPage, Target: "about-us"},
			{Label: " Archive ", Kind: store.MenuLink, Target: "https://archive.example.org/"},
			{Label: "Tips", Kind: store.MenuLink, Target: "/tips/"},
		}
		if err := svc.ArrangeMenu(ctx, sys, store.HeaderMenu, items); err != nil {
			t.Fatal(err)
		}
		links, _ = svc.MenuLinks(ctx, store.HeaderMenu)
		if got := linkList(links); got != "Politics=/politics/ About=/about-us/ Archive=https://archive.example.org/ Tips=/tips/" {
			t.Errorf("the arranged header menu: %s", got)
		}

		for _, bad := range []struct {
			item store.MenuItem
			want string
		}{
			{store.MenuItem{Label: "", Kind: store.MenuLink, Target: "/x/"}, "item 1: the label is empty"},
			{store.MenuItem{Label: "Sport", Kind: store.MenuSection, Target: "sport"}, `item 1: no section "sport"`},
			{store.MenuItem{Label: "Jobs", Kind: store.MenuPage, Target: "jobs"}, `item 1: no page "jobs"`},
			{store.MenuItem{Label: "Evil", Kind: store.MenuLink, Target: "javascript:alert(1)"}, "neither a path on the site"},
			{store.MenuItem{Label: "Odd", Kind: "tag", Target: "x"}, `unknown kind "tag"`},
			{store.MenuItem{Label: strings.Repeat("x", 61), Kind: store.MenuLink, Target: "/x/"}, "more than 60"},
		} {
			err := svc.ArrangeMenu(ctx, sys, store.FooterMenu, []store.MenuItem{bad.item})
			if fieldOf(err) != "item-1" || !strings.Contains(err.Error(), bad.want) {
				t.Errorf("menu item %+v: %v; want %q", bad.item, err, bad.want)
			}
		}
		if err := svc.ArrangeMenu(ctx, sys, "sidebar", nil); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("a menu the site lacks: %v", err)
		}
		author := newsroom.Person(addUser(t, s, "au@example.org", user.Author), "192.0.2.1")
		if err := svc.ArrangeMenu(ctx, author, store.FooterMenu, nil); !errors.Is(err, newsroom.ErrForbidden) {
			t.Errorf("an author arranges a menu: %v; want refused", err)
		}

		// The page is deleted and the section removed: readers no longer
		// see them; editors see them as broken.
		if err := svc.Delete(ctx, sys, about); err != nil {
			t.Fatal(err)
		}
		if err := svc.RemoveSection(ctx, sys, "politics", ""); err != nil {
			t.Fatal(err)
		}
		links, _ = svc.MenuLinks(ctx, store.HeaderMenu)
		if got := linkList(links); got != "Archive=https://archive.example.org/ Tips=/tips/" {
			t.Errorf("with a page and a section gone the menu shows %s", got)
		}
		saved, broken, err := svc.Menu(ctx, store.HeaderMenu)
		if err != nil || len(saved) != 4 || len(broken) != 2 || broken[0] != 0 || broken[1] != 1 {
			t.Errorf("Menu = %v, broken %v, %v; want the 4 items with the first two broken", saved, broken, err)
		}
	})
}

// TestPolicyPagesAreSitePages: the settings take only pages of the site
// as the publishing principles and corrections policy; a new page takes
// no comments and no section.
func TestPolicyPagesAreSitePages(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		sys := newsroom.System("test")
		addSections(t, svc, "World")
		page := &article.Article{Kind: article.Page, Title: "Corrections", Body: "We correct openly.\n"}
		story := &article.Article{Title: "Harbour strike ends", Body: "Text.\n"}
		for _, a := range []*article.Article{page, story} {
			if err := svc.Create(ctx, sys, a); err != nil {
				t.Fatal(err)
			}
		}
		if got := stored(t, s, page.ID); !got.CommentsClosed || got.Section != nil || got.Kind != article.Page {
			t.Errorf("a new page: comments closed %v, section %v, kind %q; want closed, none, page", got.CommentsClosed, got.Section, got.Kind)
		}
		err := svc.SaveSettings(ctx, sys, &store.SiteSettings{CorrectionsPolicy: "harbour-strike-ends", PublishingPrinciples: "missing"}, nil)
		var se *newsroom.SettingsError
		if !errors.As(err, &se) || !strings.Contains(se.Fields["corrections_policy"], "is a story, not a page") || !strings.Contains(se.Fields["publishing_principles"], `no page has the slug "missing"`) {
			t.Errorf("policy pages that are not pages: %v", err)
		}
		if err := svc.SaveSettings(ctx, sys, &store.SiteSettings{CorrectionsPolicy: "/corrections/"}, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.SiteSettings(ctx); got.CorrectionsPolicy != "corrections" {
			t.Errorf("the corrections policy is stored as %q; want the slug", got.CorrectionsPolicy)
		}
	})
}

// TestAuthorProfilesAndBylines: editors edit an author's profile, checked
// field by field; the editor credits an article to an author chosen by
// slug without renaming them.
func TestAuthorProfilesAndBylines(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		sys := newsroom.System("test")
		a := &article.Article{Title: "Harbour strike ends", Body: "Text.\n", Author: &article.Author{Name: "Jonas Ek"}}
		b := &article.Article{Title: "Budget vote delayed", Body: "Text.\n"}
		for _, x := range []*article.Article{a, b} {
			if err := svc.Create(ctx, sys, x); err != nil {
				t.Fatal(err)
			}
		}
		editor := newsroom.Person(addUser(t, s, "ed@example.org", user.Editor), "192.0.2.1")
		profile := &article.Profile{RoleTitle: "Port reporter", Links: []article.Link{{Label: "Email", URL: "mailto:jonas@example.org"}}}
		if _, err := svc.EditAuthor(ctx, editor, "jonas-ek", article.Author{Name: "Jonas Ek", Bio: "Jonas covers the port.", Profile: profile}); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []struct {
			change article.Author
			field  string
		}{
			{article.Author{Name: ""}, "name"},
			{article.Author{Name: "Jonas", Bio: strings.Repeat("x", 2001)}, "bio"},
			{article.Author{Name: "Jonas", Profile: &article.Profile{RoleTitle: "Two\nlines"}}, "role_title"},
			{article.Author{Name: "Jonas", Profile: &article.Profile{Links: []article.Link{{Label: "Evil", URL: "javascript:alert(1)"}}}}, "links"},
			{article.Author{Name: "Jonas", Profile: &article.Profile{PhotoMediaID: 9999}}, "photo"},
		} {
			if _, err := svc.EditAuthor(ctx, editor, "jonas-ek", bad.change); fieldOf(err) != bad.field {
				t.Errorf("profile %+v: %v; want a %s error", bad.change, err, bad.field)
			}
		}
		author := newsroom.Person(addUser(t, s, "au@example.org", user.Author), "192.0.2.1")
		if _, err := svc.EditAuthor(ctx, author, "jonas-ek", article.Author{Name: "Me"}); !errors.Is(err, newsroom.ErrForbidden) {
			t.Errorf("an author edits a profile: %v; want refused", err)
		}

		current := stored(t, s, b.ID)
		next := *current
		next.Author = &article.Author{Slug: "jonas-ek"}
		if err := svc.Save(ctx, sys, current, &next, "byline"); err != nil {
			t.Fatal(err)
		}
		got, err := s.Author(ctx, "jonas-ek")
		if err != nil || got.Name != "Jonas Ek" || got.Bio != "Jonas covers the port." || got.Profile.RoleTitle != "Port reporter" {
			t.Errorf("crediting an article renamed or emptied the author: %+v, %v", got, err)
		}
		if stored(t, s, b.ID).Author.Slug != "jonas-ek" {
			t.Error("the article is not credited to the chosen author")
		}
		current = stored(t, s, b.ID)
		next = *current
		next.Author = &article.Author{Slug: "nobody"}
		if err := svc.Save(ctx, sys, current, &next, "byline"); fieldOf(err) != "author" {
			t.Errorf("an author who does not exist: %v; want an author error", err)
		}
	})
}
