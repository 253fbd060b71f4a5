package newsroom_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/user"
)

func addSections(t *testing.T, svc *newsroom.Service, names ...string) {
	t.Helper()
	for _, name := range names {
		if err := svc.AddSection(ctx, newsroom.System("test"), &article.Section{Name: name}); err != nil {
			t.Fatalf("AddSection(%q): %v", name, err)
		}
	}
}

func fieldOf(err error) string {
	var fe *article.FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}

// TestEveryArticleHasASection: an article written without a section goes
// to the first one; one naming a missing section is refused, naming those
// that exist; a restored revision brings its section back.
func TestEveryArticleHasASection(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		sys := newsroom.System("test")
		plain := draft("Before any section", "Text.\n", 0)
		if err := svc.Create(ctx, sys, plain); err != nil {
			t.Fatal(err)
		}
		if plain.Section != nil {
			t.Errorf("on a site without sections the article got %+v", plain.Section)
		}
		addSections(t, svc, "World", "Politics")

		a := draft("Harbour strike ends", "Dockers went back on Monday.\n", 0)
		if err := svc.Create(ctx, sys, a); err != nil {
			t.Fatal(err)
		}
		if got := stored(t, s, a.ID); got.Section == nil || got.Section.Slug != "world" {
			t.Fatalf("an article without a section is in %+v; want the first, World", got.Section)
		}

		b := draft("Budget vote delayed", "The vote moved to Thursday.\n", 0)
		b.Section = &article.Section{Slug: "sport"}
		err := svc.Create(ctx, sys, b)
		if fieldOf(err) != "section" || !strings.Contains(err.Error(), `no section "sport"; the sections are world, politics`) {
			t.Fatalf("a missing section: %v; want a section error listing the sections", err)
		}
		b.Section = &article.Section{Name: "politics"}
		if err := svc.Create(ctx, sys, b); err != nil {
			t.Fatal(err)
		}
		if got := stored(t, s, b.ID); got.Section == nil || got.Section.Name != "Politics" {
			t.Fatalf("a section named by name: %+v", got.Section)
		}

		// Move it, then restore the revision before the move.
		current := stored(t, s, b.ID)
		next := *current
		next.Section = &article.Section{Slug: "world"}
		if err := svc.Save(ctx, sys, current, &next, "edit"); err != nil {
			t.Fatal(err)
		}
		if got := stored(t, s, b.ID); got.Section.Slug != "world" {
			t.Fatalf("after the move the section is %s", got.Section.Slug)
		}
		restored, err := svc.Restore(ctx, sys, stored(t, s, b.ID), 1)
		if err != nil {
			t.Fatal(err)
		}
		if got := stored(t, s, restored.ID); got.Section.Slug != "politics" {
			t.Errorf("restoring the revision before the move left the article in %s", got.Section.Slug)
		}
	})
}

// TestSectionSlugsClash: a section may not take a route's slug or an
// article's, and an article may not take a section's or a route's.
func TestSectionSlugsClash(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		sys := newsroom.System("test")
		addSections(t, svc, "World")
		for _, slug := range []string{"admin", "feed", "media", "tag", "author", "page", "static"} {
			err := svc.AddSection(ctx, sys, &article.Section{Name: "Mine", Slug: slug})
			if fieldOf(err) != "slug" || !strings.Contains(err.Error(), "taken by the site's own addresses") {
				t.Errorf("a section with the slug %q: %v; want refused", slug, err)
			}
			a := draft("Mine", "Text.\n", 0)
			a.Slug = slug
			if err := svc.Create(ctx, sys, a); fieldOf(err) != "slug" {
				t.Errorf("an article with the slug %q: %v; want refused", slug, err)
			}
		}
		if err := svc.AddSection(ctx, sys, &article.Section{Name: "World news", Slug: "world"}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("a second section with the slug world: %v; want ErrConflict", err)
		}
		a := draft("World", "An article titled as the section.\n", 0)
		if err := svc.Create(ctx, sys, a); fieldOf(err) != "slug" || !strings.Contains(err.Error(), "is a section's") {
			t.Errorf("an article with a section's slug: %v; want refused", err)
		}
		a = draft("Harbour strike ends", "Text.\n", 0)
		if err := svc.Create(ctx, sys, a); err != nil {
			t.Fatal(err)
		}
		if err := svc.AddSection(ctx, sys, &article.Section{Name: "Harbour strike ends"}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("a section with an article's slug: %v; want ErrConflict", err)
		}
		if _, err := svc.Rename(ctx, sys, a, "world"); fieldOf(err) != "slug" {
			t.Errorf("renaming an article to a section's slug: %v; want refused", err)
		}
		if ss, _ := svc.Sections(ctx); len(ss) != 1 {
			t.Errorf("refused sections were stored: %v", ss)
		}
	})
}

// TestSectionsNeedAnEditor: authors and contributors may not change the
// sections; editors may, and may move one up or down.
func TestSectionsNeedAnEditor(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		addSections(t, svc, "World", "Politics", "Analysis")
		for _, role := range []user.Role{user.Author, user.Contributor} {
			actor := newsroom.Person(addUser(t, s, string(role)+"@example.org", role), "192.0.2.1")
			if err := svc.AddSection(ctx, actor, &article.Section{Name: "Sport"}); !errors.Is(err, newsroom.ErrForbidden) {
				t.Errorf("%s adds a section: %v; want refused", role, err)
			}
			if err := svc.RemoveSection(ctx, actor, "world", ""); !errors.Is(err, newsroom.ErrForbidden) {
				t.Errorf("%s deletes a section: %v; want refused", role, err)
			}
		}
		editor := newsroom.Person(addUser(t, s, "ed@example.org", user.Editor), "192.0.2.1")
		if err := svc.MoveSection(ctx, editor, "analysis", -1); err != nil {
			t.Fatal(err)
		}
		if err := svc.MoveSection(ctx, editor, "world", -1); err != nil {
			t.Fatal(err)
		}
		ss, err := svc.Sections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, se := range ss {
			got = append(got, se.Slug)
		}
		if strings.Join(got, " ") != "world analysis politics" {
			t.Errorf("after moving analysis up and world up (at the top already): %v", got)
		}
		if _, err := svc.EditSection(ctx, editor, "politics", article.Section{Name: "Government", Slug: "government"}); err != nil {
			t.Fatal(err)
		}
		if to, err := s.Redirect(ctx, "/politics/"); err != nil || to != "/government/" {
			t.Errorf("the old front page redirects to %q, %v", to, err)
		}
	})
}

// TestUpdateNotes: an editor appends dated notes to a published article;
// a draft takes none, and an empty note is refused.
func TestUpdateNotes(t *testing.T) {
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		svc := service(s, clock)
		sys := newsroom.System("test")
		a := &article.Article{Title: "Bridge closed", Body: "The bridge closed on Monday.\n"}
		if err := svc.Create(ctx, sys, a); err != nil {
			t.Fatal(err)
		}
		clock.Set(clock.Now().Add(3 * time.Hour))
		_, err := svc.AddUpdate(ctx, sys, stored(t, s, a.ID), "The bridge reopened at 6 pm.")
		if err != nil {
			t.Fatal(err)
		}
		got := stored(t, s, a.ID)
		if len(got.Updates) != 1 || got.Updates[0].Text != "The bridge reopened at 6 pm." || !got.Updates[0].At.Equal(clock.Now()) || !got.UpdatedAt.Equal(clock.Now()) {
			t.Errorf("after the note: %+v, updated %v", got.Updates, got.UpdatedAt)
		}
		if _, err := svc.AddUpdate(ctx, sys, got, "  "); fieldOf(err) != "updates" {
			t.Errorf("an empty note: %v; want refused", err)
		}
		d := draft("Unfinished", "Text.\n", 0)
		if err := svc.Create(ctx, sys, d); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddUpdate(ctx, sys, d, "Too early."); fieldOf(err) != "updates" {
			t.Errorf("a note on a draft: %v; want refused", err)
		}

	})
}

// TestReimportKeepsEditorsChoices: a file imported again that names no
// section and no kind leaves the article in the section and of the kind
// an editor gave it.
func TestReimportKeepsEditorsChoices(t *testing.T) {
	svc := newsroom.New(nil, nil, testclock.New(testclock.Date(2026, 11, 27, 12, 0)).Now, nil)
	old := &article.Article{ID: 7, Version: 3, Kind: article.About, Title: "About", Slug: "about", Body: "Old.\n",
		Section: nil, Status: article.Published, PublishedAt: testclock.Date(2026, 1, 1, 0, 0)}
	a := &article.Article{Title: "About", Body: "New.\n", Source: "about.md"}
	if err := svc.PrepareImport(newsroom.System("import"), newsroom.ImportWrite{Article: a, Old: old}); err != nil {
		t.Fatal(err)
	}
	if a.Kind != article.About || a.ID != 7 {
		t.Errorf("the re-imported page is kind %q, ID %d; want about, 7", a.Kind, a.ID)
	}
}
