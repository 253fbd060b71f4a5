package importer

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
)

// importExport imports the WordPress export at path into s.
func importExport(t *testing.T, s store.Store, path string, opts SiteOptions) *SiteReport {
	t.Helper()
	return importSiteFile(t, s, newsroom.New(s, render.New(), clock.Now, nil), path, WXR, SiteReaderOf(WXR), opts)
}

// importSiteFile imports the export at path into s through svc.
func importSiteFile(t *testing.T, s store.Store, svc *newsroom.Service, path string, format Format, read SiteReader, opts SiteOptions) *SiteReport {
	t.Helper()
	open := func() (io.ReadCloser, error) { return os.Open(path) }
	rep, err := New(s, svc, Options{}).ImportSite(ctx, filepath.Base(path), format, read, open, opts)
	if err != nil {
		t.Fatalf("ImportSite(%s): %v", path, err)
	}
	return rep
}

func mustArticle(t *testing.T, s store.Store, slug string) *article.Article {
	t.Helper()
	a, err := s.Article(ctx, slug)
	if err != nil {
		t.Fatalf("article %s: %v", slug, err)
	}
	return a
}

// TestImportWordPressSite: a newsroom's WordPress export comes in whole:
// posts and pages with their statuses, authors, sections and tags, SEO
// fields, comments with their threads and states, old addresses and the
// sticky post; importing it again changes nothing.
func TestImportWordPressSite(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			t.Parallel()
			s := b.open(t)
			path := filepath.Join("testdata", "harbour-gazette.wxr")

			dry := importExport(t, s, path, SiteOptions{DryRun: true})
			if dry.Posts.Imported != 4 || dry.Pages.Imported != 1 || dry.Posts.Skipped != 1 {
				t.Errorf("dry run: posts %+v, pages %+v", dry.Posts, dry.Pages)
			}
			if list, _ := s.Articles(ctx, store.ArticleQuery{}); len(list) != 0 {
				t.Fatalf("the dry run stored %d articles", len(list))
			}

			rep := importExport(t, s, path, SiteOptions{})
			if rep.Posts != (Tally{Imported: 4, Skipped: 1}) || rep.Pages != (Tally{Imported: 1}) {
				t.Errorf("posts %+v, pages %+v; want 4 imported and the trashed one skipped, 1 page", rep.Posts, rep.Pages)
			}
			if rep.Comments != (Tally{Imported: 4}) {
				t.Errorf("comments %+v, want 4 imported (the pingback is not a comment)", rep.Comments)
			}
			if rep.Authors != 1 || rep.Categories != 3 || rep.Tags != 2 || rep.Attachments != 1 {
				t.Errorf("read %d authors, %d categories, %d tags, %d attachments", rep.Authors, rep.Categories, rep.Tags, rep.Attachments)
			}
			if rep.Redirects != 7 || rep.Pinned != 1 {
				t.Errorf("%d redirects, %d pinned; want 7 (3 paths, 4 /?p= and /?page_id= addresses; none for the draft) and 1", rep.Redirects, rep.Pinned)
			}
			if !hasNote(rep.Skipped, `"An old rumour"`, "trash") {
				t.Errorf("the trashed post is not reported as skipped: %+v", rep.Skipped)
			}
			if !hasProblem(rep, "guest-writer") {
				t.Errorf("the undeclared author is not reported: %+v", rep.Problems)
			}

			storm := mustArticle(t, s, "storm-closes-the-ferry-route")
			if storm.Status != article.Published || !storm.PublishedAt.Equal(time.Date(2026, 3, 2, 8, 30, 0, 0, time.UTC)) {
				t.Errorf("storm: %s at %v", storm.Status, storm.PublishedAt)
			}
			if storm.Section == nil || storm.Section.Slug != "ferries" || storm.Section.Name != "Ferries" {
				t.Errorf("storm's section %+v, want Ferries (its first category)", storm.Section)
			}
			if tags := tagSlugs(storm); tags != "harbour storms" {
				t.Errorf("storm's tags %q, want its other category and its tag", tags)
			}
			if storm.Author == nil || storm.Author.Name != "Lena Brandt" {
				t.Errorf("storm's author %+v", storm.Author)
			}
			if storm.Description != "The storm closed every ferry route on Monday; here is what travellers should do." || storm.FocusKeyphrase != "ferry storm" ||
				storm.SEOTitle != "Ferry storm: what travellers should do – Harbour Gazette" {
				t.Errorf("SEO fields: %q, %q, %q", storm.Description, storm.FocusKeyphrase, storm.SEOTitle)
			}
			if !hasNote(rep.NotConverted, `"Storm closes the ferry route"`, "%%cf_edition%%") {
				t.Errorf("the Yoast variable with no value is not reported: %+v", rep.NotConverted)
			}
			for _, want := range []string{"## What travellers should do", "| Route ", "| Island line | Closed  |", "> We will sail as soon as it is safe."} {
				if !strings.Contains(storm.Body, want) {
					t.Errorf("storm's body lacks %q:\n%s", want, storm.Body)
				}
			}
			if !strings.Contains(storm.Body, "online") || strings.Contains(storm.Body, "wp:") {
				t.Errorf("storm's body lost the nested list or kept block comments:\n%s", storm.Body)
			}

			second := mustArticle(t, s, "storm-closes-the-ferry-route-2")
			if second.Title != "Storm closes the ferry route" {
				t.Errorf("the post sharing a slug is %q", second.Title)
			}
			vote := mustArticle(t, s, "council-budget-vote")
			wantVote := article.Published
			if time.Date(2040, 12, 20, 9, 0, 0, 0, time.UTC).After(clock.Now()) {
				wantVote = article.Scheduled
			}
			if vote.Status != wantVote || !vote.CommentsClosed || vote.Author == nil || vote.Author.Name != "guest-writer" {
				t.Errorf("the scheduled post: %s, comments closed %v, author %+v", vote.Status, vote.CommentsClosed, vote.Author)
			}
			notes := mustArticle(t, s, "notes-for-a-later-story")
			if notes.Status != article.Draft {
				t.Errorf("the draft is %s", notes.Status)
			}
			about := mustArticle(t, s, "about")
			if about.Kind != article.Page || about.Section != nil {
				t.Errorf("the page: kind %s, section %+v", about.Kind, about.Section)
			}
			if _, err := s.Article(ctx, "an-old-rumour__trashed"); err == nil {
				t.Error("the trashed post was imported")
			}

			cs, err := s.Comments(ctx, store.CommentQuery{ArticleID: storm.ID})
			if err != nil {
				t.Fatal(err)
			}
			byAuthor := map[string]*comment.Comment{}
			for _, c := range cs {
				byAuthor[c.Author] = c
			}
			if len(cs) != 4 || byAuthor["Piet"].ParentID != byAuthor["Marta"].ID || byAuthor["Waiting Reader"].State != comment.Pending || byAuthor["Cheap Pills"].State != comment.Spam {
				t.Errorf("comments: %+v", cs)
			}
			if m := byAuthor["Marta"]; m.Body != "Is the bay line running?\n\nI need to get home." || m.Email != "marta@mail.example" {
				t.Errorf("Marta's comment: %q, %q", m.Body, m.Email)
			}
			if got := mustArticle(t, s, storm.Slug).CommentCount; got != 2 {
				t.Errorf("comment count %d, want the 2 approved", got)
			}

			for from, to := range map[string]string{
				"/2026/03/02/storm-closes-the-ferry-route/": "/storm-closes-the-ferry-route/",
				"/2026/03/03/storm-closes-the-ferry-route/": "/storm-closes-the-ferry-route-2/",
				"/2026/12/20/council-budget-vote/":          "/council-budget-vote/",
				"/?p=21":                                    "/storm-closes-the-ferry-route/",
				"/?page_id=2":                               "/about/",
			} {
				if got, err := s.Redirect(ctx, from); err != nil || got != to {
					t.Errorf("redirect %s → %q, %v; want %s", from, got, err, to)
				}
			}
			pins, err := s.Pins(ctx)
			if err != nil || len(pins) != 1 || pins[0] != storm.ID {
				t.Errorf("pins %v, %v; want the sticky post", pins, err)
			}

			again := importExport(t, s, path, SiteOptions{})
			if again.Posts != (Tally{Unchanged: 4, Skipped: 1}) || again.Pages != (Tally{Unchanged: 1}) || again.Comments != (Tally{Unchanged: 4}) || again.Redirects != 0 || again.Pinned != 0 {
				t.Errorf("importing again: posts %+v, pages %+v, comments %+v, %d redirects, %d pinned; want nothing new", again.Posts, again.Pages, again.Comments, again.Redirects, again.Pinned)
			}
			if list, _ := s.Articles(ctx, store.ArticleQuery{}); len(list) != 5 {
				t.Errorf("%d articles after importing twice, want 5", len(list))
			}
		})
	}
}

func hasNote(notes []ItemNote, item, message string) bool {
	for _, n := range notes {
		if strings.Contains(n.Item, item) && strings.Contains(n.Message, message) {
			return true
		}
	}
	return false
}

func hasProblem(rep *SiteReport, text string) bool {
	for _, p := range rep.Problems {
		if strings.Contains(p.Where+" "+p.Message, text) {
			return true
		}
	}
	return false
}

func tagSlugs(a *article.Article) string {
	var out []string
	for _, t := range a.Tags {
		out = append(out, t.Slug)
	}
	return strings.Join(out, " ")
}

// A truncated export brings in the items before the cut, and the import
// says where the export stops.
func TestImportTruncatedWordPressExport(t *testing.T) {
	t.Parallel()
	full, err := os.ReadFile(filepath.Join("testdata", "harbour-gazette.wxr"))
	if err != nil {
		t.Fatal(err)
	}
	cut := full[:strings.Index(string(full), "<title><![CDATA[Notes for a later story]]>")]
	path := filepath.Join(t.TempDir(), "cut.wxr")
	if err := os.WriteFile(path, cut, 0o644); err != nil {
		t.Fatal(err)
	}
	s := newStore(t)
	open := func() (io.ReadCloser, error) { return os.Open(path) }
	rep, err := New(s, newsroom.New(s, render.New(), clock.Now, nil), Options{}).ImportSite(ctx, "cut.wxr", WXR, SiteReaderOf(WXR), open, SiteOptions{})
	if err == nil || !strings.Contains(err.Error(), "cut.wxr: the export is cut short") || !strings.Contains(err.Error(), `after item 3 (post 22 "Council to vote on the harbour budget")`) {
		t.Errorf("error %v, want it to say where the export is cut", err)
	}
	if rep == nil || rep.Posts.Imported != 2 {
		t.Fatalf("report %+v, want the 2 posts before the cut imported", rep)
	}
	mustArticle(t, s, "storm-closes-the-ferry-route")
	mustArticle(t, s, "council-budget-vote")
}
