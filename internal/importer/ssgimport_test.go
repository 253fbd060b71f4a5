package importer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/media/mediatest"
)

// copySite copies a test site from testdata and draws the images it
// names (kept out of git as files of our own making).
func copySite(t *testing.T, name string, images ...string) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), name)
	if err := os.CopyFS(root, os.DirFS(filepath.Join("testdata", name))); err != nil {
		t.Fatal(err)
	}
	drawImages(t, root, images...)
	return root
}

// drawImages writes a photo at each of the paths below root.
func drawImages(t *testing.T, root string, paths ...string) {
	t.Helper()
	for _, img := range paths {
		file := filepath.Join(root, filepath.FromSlash(img))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, mediatest.JPEGWithGPS(1300, 700), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestImportHugoSite: a Hugo site given by its root comes in from its
// content folder only (not its theme, archetypes or README), with TOML
// and YAML front matter, page bundles, images from static/, old
// addresses by its [permalinks]; a file with broken front matter is
// named with its line, and the rest imports.
func TestImportHugoSite(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			s := b.open(t)
			root := copySite(t, "hugo-site", "static/images/night-ferry.jpg", "static/images/route-map.png", "static/images/lifeboat.jpg", "static/images/harbour-lights.jpg",
				"content/posts/quay-works/quay.jpg", "content/posts/quay-works/crane.jpg")
			sum, err := New(s, withLibrary(t, s), Options{}).Run(ctx, []string{root})
			if err != nil {
				t.Fatal(err)
			}
			if sum.Counts[Created] != 6 || sum.Counts[Failed] != 1 {
				t.Errorf("results %+v; want 6 articles and the broken file", sum.Results)
			}
			failed := sum.Failed()
			if len(failed) != 1 || !strings.HasSuffix(failed[0].Path, filepath.Join("posts", "tide-gauge.md")) || !strings.Contains(failed[0].Err.Error(), "front matter: line 4") {
				t.Errorf("failures %+v, want tide-gauge.md named with the line of its error", failed)
			}
			for _, r := range sum.Results {
				if strings.Contains(r.Path, "themes") || strings.Contains(r.Path, "archetypes") || strings.HasSuffix(r.Path, "README.md") {
					t.Errorf("%s was imported", r.Path)
				}
			}

			ferry := mustArticle(t, s, "night-ferry")
			if !ferry.PublishedAt.Equal(time.Date(2025, 9, 12, 17, 30, 0, 0, time.UTC)) || ferry.Section == nil || ferry.Section.Name != "Transport" ||
				tagSlugs(ferry) != "ferries islands harbour" || ferry.FocusKeyphrase != "night ferry" || ferry.Author == nil || ferry.Author.Name != "Ruth Alder" {
				t.Errorf("night ferry: %v, section %+v, tags %q, keyphrase %q, author %+v", ferry.PublishedAt, ferry.Section, tagSlugs(ferry), ferry.FocusKeyphrase, ferry.Author)
			}
			if ferry.FeaturedMediaID == 0 || !strings.Contains(ferry.Body, "![The route across the sound](media:") || !strings.Contains(ferry.Body, "![Harbour lights at dusk](media:") {
				t.Errorf("night ferry's images from static/: featured %d, body:\n%s", ferry.FeaturedMediaID, ferry.Body)
			}
			if !strings.Contains(ferry.Body, "*The ferry leaves as the lights come on.*") || !strings.Contains(ferry.Body, `<iframe src="https://www.youtube-nocookie.com/embed/aBcDeFgHiJk"`) || strings.Contains(ferry.Body, "{{") {
				t.Errorf("night ferry's shortcodes:\n%s", ferry.Body)
			}
			if notes := notesOf(sum, "night-ferry.md"); !strings.Contains(notes, `Hugo shortcode "subscribe-box" has no equivalent`) {
				t.Errorf("the unknown shortcode is not reported: %q", notes)
			}
			quay := mustArticle(t, s, "quay-works-begin")
			if quay.FeaturedMediaID == 0 || !strings.Contains(quay.Body, "](media:") || quay.Description != "Cranes arrive on the north quay for six weeks of work." {
				t.Errorf("the page bundle: featured %d, description %q, body:\n%s", quay.FeaturedMediaID, quay.Description, quay.Body)
			}
			if life := mustArticle(t, s, "lifeboat-day-draws-a-crowd"); life.FeaturedMediaID == 0 || tagSlugs(life) != "lifeboat events" {
				t.Errorf("the cover image or the tags of the lifeboat story: %d, %q", life.FeaturedMediaID, tagSlugs(life))
			}
			if draft := mustArticle(t, s, "winter-timetable-draft"); draft.Status != article.Draft {
				t.Errorf("the draft is %s", draft.Status)
			}
			if about := mustArticle(t, s, "about-coast-weekly"); about.Kind != article.Page {
				t.Errorf("about is a %s", about.Kind)
			}
			for from, to := range map[string]string{
				"/2025/09/night-ferry/":      "/night-ferry/",
				"/2025/09/night-boat/":       "/night-ferry/",
				"/2025/10/quay-works-begin/": "/quay-works-begin/",
				"/2025/fees.html":            "/harbour-fees-to-rise/",
				"/news/lifeboat-day/":        "/lifeboat-day-draws-a-crowd/",
				"/about/":                    "/about-coast-weekly/",
			} {
				if got, err := s.Redirect(ctx, from); err != nil || got != to {
					t.Errorf("redirect %s = %q, %v; want %s", from, got, err, to)
				}
			}

			again, err := New(s, withLibrary(t, s), Options{}).Run(ctx, []string{root})
			if err != nil || again.Counts[Unchanged] != 6 || again.Counts[Created] != 0 || again.Redirects != 0 {
				t.Errorf("importing again: %v, %+v, %d redirects", err, again.Counts, again.Redirects)
			}
		})
	}
}

// TestImportJekyllSite: a Jekyll site given by its root brings its
// posts (dated and named by their files), drafts and pages, with
// addresses by its permalink style, and images below its root.
func TestImportJekyllSite(t *testing.T) {
	t.Parallel()
	s := newStore(t)
	root := copySite(t, "jekyll-site", "assets/img/harbour.jpg")
	sum, err := New(s, withLibrary(t, s), Options{}).Run(ctx, []string{root})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Counts[Created] != 4 || sum.Counts[Failed] != 0 {
		t.Errorf("results %+v; want two posts, a draft and the about page (not the README, the home page or the layouts)", sum.Results)
	}
	opens := mustArticle(t, s, "harbour-opens")
	if !strings.Contains(opens.Body, "[Who we are](/about/)") || !strings.Contains(notesOf(sum, "2025-11-03-harbour-opens.md"), "{% include %}") {
		t.Errorf("the Liquid tags: %q, notes %q", opens.Body, notesOf(sum, "2025-11-03-harbour-opens.md"))
	}
	if !opens.PublishedAt.Equal(time.Date(2025, 11, 3, 0, 0, 0, 0, time.UTC)) || opens.Section == nil || opens.Section.Name != "news" || opens.FeaturedMediaID == 0 {
		t.Errorf("the post dated by its file: %v, section %+v, featured %d", opens.PublishedAt, opens.Section, opens.FeaturedMediaID)
	}
	if idea := mustArticle(t, s, "an-idea-for-the-pier"); idea.Status != article.Draft {
		t.Errorf("the draft is %s", idea.Status)
	}
	for from, to := range map[string]string{
		"/news/harbour/2025/11/03/harbour-opens/": "/harbour-opens/",
		"/storm/":          "/storm-warning/",
		"/warnings/storm/": "/storm-warning/",
		"/about/":          "/about-sound-notes/",
	} {
		if got, err := s.Redirect(ctx, from); err != nil || got != to {
			t.Errorf("redirect %s = %q, %v; want %s", from, got, err, to)
		}
	}
}

// --format hugo insists on a site: Markdown outside one is named.
func TestImportHugoFormatOutsideASite(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "note.md"), "---\ntitle: A note\n---\nText.\n")
	s := newStore(t)
	sum, err := New(s, withLibrary(t, s), Options{Format: Hugo}).Run(ctx, []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if f := sum.Failed(); len(f) != 1 || !strings.Contains(f[0].Err.Error(), "not in a Hugo or Jekyll site") {
		t.Errorf("failures %+v", f)
	}
}

// notesOf joins the notes of the run's file named name.
func notesOf(sum Summary, name string) string {
	for _, r := range sum.Results {
		if filepath.Base(r.Path) == name {
			return strings.Join(r.Notes, "\n")
		}
	}
	return ""
}
