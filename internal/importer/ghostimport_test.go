package importer

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
)

// importGhost imports the Ghost export at path into s, with a photo
// library.
func importGhost(t *testing.T, s store.Store, path, permalink string, opts SiteOptions) *SiteReport {
	t.Helper()
	read, err := GhostReader(permalink)
	if err != nil {
		t.Fatal(err)
	}
	return importSiteFile(t, s, withLibrary(t, s), path, Ghost, read, opts)
}

// withLibrary is the service over s with a photo library in a folder.
func withLibrary(t *testing.T, s store.Store) *newsroom.Service {
	t.Helper()
	svc := newsroom.New(s, render.New(), clock.Now, nil)
	files, err := media.NewDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	svc.UseLibrary(newsroom.Library{Files: files, Processor: media.NewProcessor(media.Limits{MaxBytes: 8 << 20}, 1)})
	return svc
}

// TestImportGhostSite: a newsroom's Ghost export comes in whole: posts
// written in Lexical, Mobiledoc and HTML, pages, primary tags as
// sections, authors with their profiles, featured and inline images from
// a copy of content/images, members' comments with their threads, old
// addresses by the permalink given; importing it again changes nothing.
func TestImportGhostSite(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			s := b.open(t)
			path := filepath.Join("testdata", "harbour-gazette.ghost.json")
			images := t.TempDir()
			drawImages(t, images, "2026/02/night-bus.jpg", "2026/02/bus-stop.jpg", "2025/11/mara.jpg")
			opts := SiteOptions{MediaFrom: images}

			rep := importGhost(t, s, path, "/:year/:month/:slug/", opts)
			// The paid post and the newsletter come in as drafts.
			if rep.Posts != (Tally{Imported: 8}) || rep.Pages != (Tally{Imported: 1}) {
				t.Errorf("posts %+v, pages %+v", rep.Posts, rep.Pages)
			}
			if rep.Comments != (Tally{Imported: 5}) || rep.Authors != 2 || rep.Tags != 3 || rep.Profiles != 1 {
				t.Errorf("comments %+v, %d authors, %d tags, %d profiles", rep.Comments, rep.Authors, rep.Tags, rep.Profiles)
			}
			if rep.ImagesAdded != 3 || rep.ImagesRemote != 2 {
				t.Errorf("%d images added, %d remote; want the 3 copied (Mara's photo among them), and the wall and the ferry crew left", rep.ImagesAdded, rep.ImagesRemote)
			}
			if rep.Pinned != 1 {
				t.Errorf("%d pinned, want the featured post", rep.Pinned)
			}
			for _, want := range []struct{ item, message string }{
				{`"Inside the harbour master's office"`, "(for paying members only): imported as a draft"},
				{`"This week in the Gazette"`, "newsletter"},
				{`"Night buses return to the harbour"`, "co-authors Tom Okafor not credited"},
			} {
				if !hasNote(rep.NotConverted, want.item, want.message) {
					t.Errorf("no note %q on %s: %+v", want.message, want.item, rep.NotConverted)
				}
			}
			if !hasProblem(rep, `"product" card`) || !hasProblem(rep, "author u9") {
				t.Errorf("problems %+v", rep.Problems)
			}

			bus := mustArticle(t, s, "night-buses-return")
			if bus.Status != article.Published || !bus.PublishedAt.Equal(time.Date(2026, 2, 10, 7, 45, 0, 0, time.UTC)) {
				t.Errorf("bus: %s at %v", bus.Status, bus.PublishedAt)
			}
			if bus.Section == nil || bus.Section.Name != "Transport" || tagSlugs(bus) != "harbour" {
				t.Errorf("bus: section %+v, tags %q; want its primary tag as the section", bus.Section, tagSlugs(bus))
			}
			if bus.Author == nil || bus.Author.Name != "Mara Quinn" || bus.Description != "Routes 22 and 31 run through the night again from Friday." {
				t.Errorf("bus: author %+v, description %q", bus.Author, bus.Description)
			}
			if bus.SEOTitle != "Night buses are back | Harbour Gazette" {
				t.Errorf("bus's SEO title %q, want Ghost's meta title", bus.SEOTitle)
			}
			if bus.FeaturedMediaID == 0 {
				t.Error("bus has no featured image")
			}
			for _, want := range []string{"## What changes", "**two-year**", "[ferry rota](/ferry-crews-agree-new-rota/)", "  - except on Sundays", "1. Buy a ticket",
				"> We heard", "](media:", "/embed/aBcDeFgHiJk", "### Fares", "| Single ", "[The night network map](https://transport.example/night-network)"} {
				if !strings.Contains(bus.Body, want) {
					t.Errorf("bus's body lacks %q:\n%s", want, bus.Body)
				}
			}
			rota := mustArticle(t, s, "ferry-crews-agree-new-rota")
			if rota.Section == nil || rota.Section.Name != "Ferries" || !strings.Contains(rota.Body, "**new rota**") || !strings.Contains(rota.Body, "- Shorter shifts") {
				t.Errorf("the Mobiledoc post: section %+v, body:\n%s", rota.Section, rota.Body)
			}
			vote := mustArticle(t, s, "council-to-vote-on-harbour-fees")
			if want := time.Date(2040, 12, 20, 9, 0, 0, 0, time.UTC); (vote.Status == article.Scheduled) != want.After(clock.Now()) {
				t.Errorf("the scheduled post is %s", vote.Status)
			}
			for _, slug := range []string{"notes-on-the-night-bus-survey", "inside-the-harbour-masters-office", "this-week-in-the-gazette"} {
				if a := mustArticle(t, s, slug); a.Status != article.Draft {
					t.Errorf("%s is %s, want a draft", slug, a.Status)
				}
			}
			if about := mustArticle(t, s, "about"); about.Kind != article.Page {
				t.Errorf("about is a %s", about.Kind)
			}

			cs, err := s.Comments(ctx, store.CommentQuery{ArticleID: bus.ID})
			if err != nil {
				t.Fatal(err)
			}
			byAuthor := map[string]*comment.Comment{}
			for _, c := range cs {
				if c.State == comment.Approved {
					byAuthor[c.Author] = c
				}
			}
			if len(cs) != 3 || byAuthor["Pat Byrne"] == nil || byAuthor["Ines Dale"] == nil || byAuthor["Pat Byrne"].ParentID != byAuthor["Ines Dale"].ID || byAuthor["Pat Byrne"].Email != "reader.two@mail.example" {
				t.Errorf("comments %+v", cs)
			}

			authors, err := s.Authors(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, au := range authors {
				if au.Name != "Mara Quinn" {
					continue
				}
				if au.Bio != "Mara covers transport and the port." || au.Profile == nil || au.Profile.PhotoMediaID == 0 || len(au.Profile.Links) != 3 {
					t.Errorf("Mara's profile: %q, %+v", au.Bio, au.Profile)
				}
			}

			for from, to := range map[string]string{
				"/2026/02/night-buses-return/":         "/night-buses-return/",
				"/2026/01/ferry-crews-agree-new-rota/": "/ferry-crews-agree-new-rota/",
			} {
				if got, err := s.Redirect(ctx, from); err != nil || got != to {
					t.Errorf("redirect %s → %q, %v; want %s", from, got, err, to)
				}
			}

			again := importGhost(t, s, path, "/:year/:month/:slug/", opts)
			if again.Posts != (Tally{Unchanged: 8}) || again.Pages != (Tally{Unchanged: 1}) || again.Comments != (Tally{Unchanged: 5}) || again.Redirects != 0 || again.Profiles != 0 {
				t.Errorf("importing again: posts %+v, pages %+v, comments %+v, %d redirects, %d profiles", again.Posts, again.Pages, again.Comments, again.Redirects, again.Profiles)
			}
		})
	}
}
