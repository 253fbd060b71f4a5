package storetest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/store"
)

// sectionTests are the section half of the suite.
var sectionTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"SectionsInOrder", testSectionsInOrder},
	{"SectionSlugConflicts", testSectionSlugConflicts},
	{"ArticlesKeepTheirSection", testArticlesKeepTheirSection},
	{"SectionDeleteRefusedOrMoves", testSectionDelete},
	{"SectionRenameRedirects", testSectionRename},
	{"PagesApartFromStories", testPagesApart},
	{"UpdateNotesKept", testUpdateNotes},
	{"AuthorProfiles", testAuthorProfiles},
	{"SectionIDsNotGivenAgain", func(t *testing.T, s store.Store) {
		testIDsNotGivenAgain(t, func(t *testing.T, name string) int64 {
			return mustSection(t, s, name).ID
		}, func(t *testing.T, id int64) {
			t.Helper()
			ss, err := s.Sections(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, se := range ss {
				if se.ID == id {
					if err := s.DeleteSection(ctx, se.Slug, ""); err != nil {
						t.Fatal(err)
					}
				}
			}
		})
	}},
}

func mustSection(t *testing.T, s store.Store, name string) *article.Section {
	t.Helper()
	se := &article.Section{Name: name, Description: "All about " + name + "."}
	if err := se.Normalize(); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSection(ctx, se); err != nil {
		t.Fatalf("CreateSection(%q): %v", name, err)
	}
	return se
}

func sectionSlugs(t *testing.T, s store.Store) string {
	t.Helper()
	ss, err := s.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var slugs []string
	for _, se := range ss {
		slugs = append(slugs, se.Slug)
	}
	return strings.Join(slugs, " ")
}

func testSectionsInOrder(t *testing.T, s store.Store) {
	world, politics, analysis := mustSection(t, s, "World"), mustSection(t, s, "Politics"), mustSection(t, s, "Analysis")
	if world.ID == 0 || world.Position >= politics.Position || politics.Position >= analysis.Position {
		t.Fatalf("new sections are not added last: %+v %+v %+v", world, politics, analysis)
	}
	if got := sectionSlugs(t, s); got != "world politics analysis" {
		t.Errorf("Sections = %s; want the order of creation", got)
	}
	if err := s.OrderSections(ctx, []int64{analysis.ID, world.ID, politics.ID}); err != nil {
		t.Fatal(err)
	}
	if got := sectionSlugs(t, s); got != "analysis world politics" {
		t.Errorf("after OrderSections, Sections = %s", got)
	}
	// An order that leaves one out, or names one twice, changes nothing.
	for _, ids := range [][]int64{{world.ID, politics.ID}, {world.ID, world.ID, politics.ID}, {world.ID, politics.ID, analysis.ID, 9999}} {
		if err := s.OrderSections(ctx, ids); !errors.Is(err, store.ErrConflict) {
			t.Errorf("OrderSections(%v) = %v; want ErrConflict", ids, err)
		}
	}
	if got := sectionSlugs(t, s); got != "analysis world politics" {
		t.Errorf("a refused order changed it: %s", got)
	}
	got, err := s.Section(ctx, "world")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "World" || got.Description != "All about World." || got.ID != world.ID {
		t.Errorf("Section(world) = %+v", got)
	}
	if _, err := s.Section(ctx, "sport"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Section(sport) = %v; want ErrNotFound", err)
	}
}

func testSectionSlugConflicts(t *testing.T, s store.Store) {
	mustSection(t, s, "World")
	if err := s.CreateSection(ctx, &article.Section{Name: "World news", Slug: "world"}); !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), `another section has the slug "world"`) {
		t.Errorf("a second section with the slug world: %v; want ErrConflict naming it", err)
	}
	mustCreate(t, s, sample("flood-barrier"))
	err := s.CreateSection(ctx, &article.Section{Name: "Flood barrier", Slug: "flood-barrier"})
	if !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), "an article has the slug") {
		t.Errorf("a section with an article's slug: %v; want ErrConflict naming the article", err)
	}
	politics := mustSection(t, s, "Politics")
	politics.Slug = "flood-barrier"
	if err := s.UpdateSection(ctx, politics); !errors.Is(err, store.ErrConflict) {
		t.Errorf("renaming a section to an article's slug: %v; want ErrConflict", err)
	}
	politics.Slug = "world"
	if err := s.UpdateSection(ctx, politics); !errors.Is(err, store.ErrConflict) {
		t.Errorf("renaming a section to another's slug: %v; want ErrConflict", err)
	}
	if got := sectionSlugs(t, s); got != "world politics" {
		t.Errorf("refused writes changed the sections: %s", got)
	}
	if err := s.UpdateSection(ctx, &article.Section{ID: 9999, Name: "Gone", Slug: "gone"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UpdateSection of a missing section: %v; want ErrNotFound", err)
	}
}

func testArticlesKeepTheirSection(t *testing.T, s store.Store) {
	world, politics := mustSection(t, s, "World"), mustSection(t, s, "Politics")
	a := sample("flood-barrier")
	a.Section = world
	mustCreate(t, s, a)
	b := sample("ems-vote")
	b.Source, b.Section = "", politics
	errs, err := s.SaveArticles(ctx, []store.ArticleWrite{{Article: b}})
	if err != nil || errs[0] != nil {
		t.Fatal(errs, err)
	}
	c := sample("no-section")
	c.Source = ""
	mustCreate(t, s, c)

	got, err := s.Article(ctx, "flood-barrier")
	if err != nil {
		t.Fatal(err)
	}
	if got.Section == nil || got.Section.ID != world.ID || got.Section.Slug != "world" || got.Section.Name != "World" {
		t.Fatalf("the article's section is %+v; want World", got.Section)
	}
	list, err := s.Articles(ctx, store.ArticleQuery{SectionSlug: "politics"})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Slug != "ems-vote" || list[0].Section.Name != "Politics" {
		t.Errorf("Articles(politics) = %v", list)
	}
	if n, err := s.CountArticles(ctx, store.ArticleQuery{SectionSlug: "world"}); err != nil || n != 1 {
		t.Errorf("CountArticles(world) = %d, %v; want 1", n, err)
	}
	if got, err := s.Article(ctx, "no-section"); err != nil || got.Section != nil {
		t.Errorf("an article without a section reads back %+v, %v", got.Section, err)
	}

	// Moving it keeps the old section in the revision.
	got.Section = politics
	if err := s.UpdateArticle(ctx, got, "moved"); err != nil {
		t.Fatal(err)
	}
	revs, err := s.Revisions(ctx, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(revs) != 1 || revs[0].SectionID != world.ID {
		t.Errorf("the revision keeps section %d; want World's %d", revs[0].SectionID, world.ID)
	}
	ss, err := s.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ss[0].Articles != 0 || ss[1].Articles != 2 {
		t.Errorf("article counts %d and %d; want 0 and 2", ss[0].Articles, ss[1].Articles)
	}
	got.Section = &article.Section{ID: 9999}
	if err := s.UpdateArticle(ctx, got, "to nowhere"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("saving an article in a missing section: %v; want ErrNotFound", err)
	}
}

func testSectionDelete(t *testing.T, s store.Store) {
	world, politics := mustSection(t, s, "World"), mustSection(t, s, "Politics")
	mustSection(t, s, "Empty")
	for _, slug := range []string{"one", "two"} {
		a := sample(slug)
		a.Source, a.Section = "", world
		mustCreate(t, s, a)
	}
	err := s.DeleteSection(ctx, "world", "")
	if !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), "has 2 articles") {
		t.Errorf("deleting a section with articles: %v; want ErrConflict naming 2 articles", err)
	}
	if err := s.DeleteSection(ctx, "world", "sport"); !errors.Is(err, store.ErrNotFound) || !strings.Contains(err.Error(), `"sport"`) {
		t.Errorf("moving the articles to a missing section: %v; want ErrNotFound naming it", err)
	}
	if err := s.DeleteSection(ctx, "world", "world"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("moving the articles to the section itself: %v; want ErrConflict", err)
	}
	if got := sectionSlugs(t, s); got != "world politics empty" {
		t.Fatalf("refused deletes changed the sections: %s", got)
	}
	if err := s.DeleteSection(ctx, "world", "politics"); err != nil {
		t.Fatal(err)
	}
	for _, slug := range []string{"one", "two"} {
		if a, err := s.Article(ctx, slug); err != nil || a.Section == nil || a.Section.ID != politics.ID {
			t.Errorf("article %s after its section was deleted: %+v, %v; want in Politics", slug, a, err)
		}
	}
	if err := s.DeleteSection(ctx, "empty", ""); err != nil {
		t.Errorf("deleting an empty section: %v", err)
	}
	if got := sectionSlugs(t, s); got != "politics" {
		t.Errorf("after deletes the sections are %s", got)
	}
	if err := s.DeleteSection(ctx, "empty", ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleting a missing section: %v; want ErrNotFound", err)
	}
}

func testSectionRename(t *testing.T, s store.Store) {
	world := mustSection(t, s, "World")
	world.Name, world.Slug, world.Description = "International", "international", "Beyond our borders."
	if err := s.UpdateSection(ctx, world); err != nil {
		t.Fatal(err)
	}
	got, err := s.Section(ctx, "international")
	if err != nil || got.Name != "International" || got.Description != "Beyond our borders." {
		t.Fatalf("after the rename Section(international) = %+v, %v", got, err)
	}
	if to, err := s.Redirect(ctx, "/world/"); err != nil || to != "/international/" {
		t.Errorf("the old front page redirects to %q, %v; want /international/", to, err)
	}
}

func testPagesApart(t *testing.T, s store.Store) {
	mustCreate(t, s, sample("story"))
	about := sample("about-us")
	about.Kind, about.Source = article.About, ""
	mustCreate(t, s, about)
	page := sample("privacy")
	page.Kind, page.Source = article.Page, ""
	mustCreate(t, s, page)
	for _, test := range []struct {
		kind article.Kind
		want string
	}{{"", "privacy about-us story"}, {article.Story, "story"}, {store.AnyPage, "privacy about-us"}, {article.About, "about-us"}} {
		as, err := s.Articles(ctx, store.ArticleQuery{Kind: test.kind})
		if err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for _, a := range as {
			slugs = append(slugs, a.Slug)
		}
		if got := strings.Join(slugs, " "); got != test.want {
			t.Errorf("Articles(Kind %q) = %s; want %s", test.kind, got, test.want)
		}
	}
	got, err := s.Article(ctx, "about-us")
	if err != nil || got.Kind != article.About {
		t.Fatalf("the about page reads back as %q, %v", got.Kind, err)
	}
	got.Kind = article.Contact
	if err := s.UpdateArticle(ctx, got, "now contact"); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.Article(ctx, "about-us"); got.Kind != article.Contact {
		t.Errorf("after the update the kind is %q", got.Kind)
	}
}

func testUpdateNotes(t *testing.T, s store.Store) {
	a := sample("toll")
	mustCreate(t, s, a)
	first := article.Update{At: now().Add(-time.Hour).UTC(), Text: "Corrected: the barrier has twelve gates, not ten."}
	a.Updates = []article.Update{first}
	if err := s.UpdateArticle(ctx, a, "update note"); err != nil {
		t.Fatal(err)
	}
	a.Updates = append(a.Updates, article.Update{At: now().UTC(), Text: "Updated: the river has fallen."})
	if err := s.UpdateArticle(ctx, a, "update note"); err != nil {
		t.Fatal(err)
	}
	got, err := s.Article(ctx, "toll")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Updates) != 2 || got.Updates[0].Text != first.Text || !got.Updates[0].At.Equal(first.At) {
		t.Errorf("the article's notes read back as %+v", got.Updates)
	}
	rev, err := s.Revision(ctx, a.ID, 2)
	if err != nil {
		t.Fatal(err)
	}
	if len(rev.Updates) != 1 || rev.Updates[0].Text != first.Text {
		t.Errorf("revision 2 keeps the notes %+v; want the first alone", rev.Updates)
	}
	if rev, _ := s.Revision(ctx, a.ID, 1); len(rev.Updates) != 0 {
		t.Errorf("revision 1 has notes %+v; want none", rev.Updates)
	}
}

func testAuthorProfiles(t *testing.T, s store.Store) {
	a := sample("profiled")
	mustCreate(t, s, a)
	it := &media.Item{Hash: strings.Repeat("ab", 32), Format: media.JPEG, Width: 800, Height: 800, Size: 1000, Filename: "ines.jpg"}
	if _, err := s.AddMedia(ctx, it); err != nil {
		t.Fatal(err)
	}
	au, err := s.Author(ctx, "ines-okafor")
	if err != nil {
		t.Fatal(err)
	}
	if au.Profile == nil || au.Profile.PhotoMediaID != 0 || len(au.Profile.Links) != 0 {
		t.Fatalf("a new author's profile: %+v", au.Profile)
	}
	au.Name, au.Bio = "Ines Okafor-Berg", "Covers the coast."
	au.Profile = &article.Profile{PhotoMediaID: it.ID, RoleTitle: "Climate correspondent", Links: []article.Link{{Label: "Mastodon", URL: "https://social.example/@ines"}}}
	if err := s.UpdateAuthor(ctx, au); err != nil {
		t.Fatal(err)
	}
	got, err := s.Author(ctx, "ines-okafor")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "Ines Okafor-Berg" || got.Profile.RoleTitle != "Climate correspondent" || got.Profile.PhotoMediaID != it.ID || len(got.Profile.Links) != 1 || got.Profile.Links[0].URL != "https://social.example/@ines" {
		t.Errorf("the profile reads back as %+v %+v", got, got.Profile)
	}
	all, err := s.Authors(ctx)
	if err != nil || len(all) != 1 || all[0].Slug != "ines-okafor" {
		t.Errorf("Authors = %v, %v", all, err)
	}
	if err := s.DeleteMedia(ctx, it.ID); !errors.Is(err, store.ErrConflict) || !strings.Contains(err.Error(), "author/ines-okafor") {
		t.Errorf("deleting the author's photo: %v; want refused, naming the author", err)
	}
	au.Profile.PhotoMediaID = 9999
	if err := s.UpdateAuthor(ctx, au); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a photo not in the library: %v; want ErrNotFound", err)
	}
	if err := s.UpdateAuthor(ctx, &article.Author{ID: 9999, Name: "Nobody"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a missing author: %v; want ErrNotFound", err)
	}
}
