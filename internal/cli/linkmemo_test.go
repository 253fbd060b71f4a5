package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
)

// linkRun is what one export's use of the linking engine did.
type linkRun struct {
	reused, built bool
	// bodies counts the articles read whole.
	bodies  int
	related map[int64][]linking.Match
	unmoved map[int64]bool
	// logged is what it logged.
	logged string
}

// runExportLinks is one export's use of the linking engine with the memo
// at memo: start, the related articles of the pages of ids, and the memo
// (and the index's image) kept for the next.
func runExportLinks(t *testing.T, s store.Store, memo, fingerprint string, ids ...int64) linkRun {
	t.Helper()
	ctx := context.Background()
	var logged bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logged, nil))
	c := &countingStore{Store: s}
	live := newLiveIndex(newsroom.New(c, render.New(), clock.Now, logger), c, render.New(), logger, clock.Now, "en")
	l := &exportLinks{live: live}
	l.start(ctx, memo, fingerprint, func(bool) {})
	r := linkRun{related: map[int64][]linking.Match{}}
	// The pages ask at once, while the memo is read: they wait for it.
	for _, id := range ids {
		r.related[id] = l.Related(id, 5, 0)
	}
	reused, err := l.wait()
	if err != nil {
		t.Fatal(err)
	}
	r.reused, r.unmoved = reused, l.unmoved
	if err := l.end(); err != nil {
		t.Fatal(err)
	}
	l.warm(ctx, 1)
	if err := l.save(memo, fingerprint); err != nil {
		t.Fatal(err)
	}
	r.built = live.ix.Load() != nil
	r.bodies, _ = c.reads()
	r.logged = logged.String()
	return r
}

// sameMatches reports whether two lists of related articles are the
// same, with the same scores.
func sameMatches(got, want []linking.Match) bool {
	return slices.EqualFunc(got, want, func(a, b linking.Match) bool {
		return a.ID == b.ID && a.Slug == b.Slug && a.Title == b.Title && a.Score == b.Score
	})
}

// TestLinkMemo checks that an export answers its pages' related articles
// from the last export's answers, without building the index, while the
// index would read the articles the same; and that any change to what it
// reads (an article's text, the site's settings) makes it build the index.
func TestLinkMemo(t *testing.T) {
	ctx := context.Background()
	s, save := storySite(t)
	dredging := save("harbour-dredging", "Harbour Dredging Starts Again", "The harbour dredging resumed on Monday. Dredging barges work the harbour channel at night.")
	fees := save("harbour-fees", "Harbour Fees Rise for Barges", "Barges pay higher harbour fees from spring. The harbour board says dredging costs rose.")
	save("harbour-silt", "Silt Fills the Harbour", "Silt from the river fills the harbour faster than dredging removes it.")
	about := &article.Article{Slug: "about-the-gazette", Title: "About the Gazette", Body: "The harbour's paper since 1890.", Status: article.Published, PublishedAt: clock.Now().Add(-time.Hour), Kind: article.About}
	if err := s.CreateArticle(ctx, about); err != nil {
		t.Fatal(err)
	}
	frost := save("orchard-frost", "Frost Hits the Orchards", "A late frost damaged apple blossom in the orchards. Growers lit fires between the rows.")
	// The newest story (the same time, the highest ID).
	blossom := save("orchard-blossom", "Orchards Count the Blossom Lost", "Apple growers count the blossom the frost took from the orchards.")

	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	memo := filepath.Join(t.TempDir(), linkMemoFile)
	export := func(fingerprint string, ids ...int64) linkRun {
		t.Helper()
		return runExportLinks(t, s, memo, fingerprint, ids...)
	}
	// fresh is what an index built now answers.
	fresh := func(id int64) []linking.Match {
		t.Helper()
		live := newLiveIndex(newsroom.New(s, render.New(), clock.Now, logger), s, render.New(), logger, clock.Now, "en")
		if err := live.ensure(ctx); err != nil {
			t.Fatal(err)
		}
		return live.Related(id, 5, 0)
	}

	first := export("settings-1", dredging.ID, fees.ID)
	if first.reused || !first.built {
		t.Fatalf("a first export: reused %v, built %v; want the index built", first.reused, first.built)
	}
	if got := first.related[dredging.ID]; len(got) < 2 || !sameMatches(got, fresh(dredging.ID)) {
		t.Fatalf("related to the dredging story = %v; want the fresh index's %v", got, fresh(dredging.ID))
	}

	// The newest story has its answer kept though no page asked for it:
	// a comment on it renders its page next.
	if r := export("settings-1", blossom.ID); r.built || !sameMatches(r.related[blossom.ID], fresh(blossom.ID)) {
		t.Errorf("the newest story: built %v, related %v; want the fresh index's %v from the memo", r.built, r.related[blossom.ID], fresh(blossom.ID))
	}

	// Nothing the index reads changed: the answers come from the memo,
	// and no article is read whole.
	// The about page is no story: the index answers nothing for it, and
	// neither does the memo, without a build.
	again := export("settings-1", dredging.ID, fees.ID, about.ID)
	if len(again.related[about.ID]) != 0 || len(fresh(about.ID)) != 0 {
		t.Errorf("related to the about page: %v from the memo, %v from the index; want none", again.related[about.ID], fresh(about.ID))
	}
	if !again.reused || again.built || again.bodies != 0 {
		t.Errorf("an export with nothing changed: reused %v, built %v, %d articles read whole; want the memo alone", again.reused, again.built, again.bodies)
	}
	for id, want := range first.related {
		if !sameMatches(again.related[id], want) {
			t.Errorf("from the memo, related to %d = %v, want %v", id, again.related[id], want)
		}
	}

	// A new version that changes nothing the index reads (comments
	// closed): that article alone is read again, and the memo holds.
	fees.CommentsClosed = true
	if err := s.UpdateArticle(ctx, fees, "close comments"); err != nil {
		t.Fatal(err)
	}
	closed := export("settings-1", dredging.ID)
	if !closed.reused || closed.built || closed.bodies != 1 {
		t.Errorf("after comments were closed: reused %v, built %v, %d articles read whole; want the memo, one article read", closed.reused, closed.built, closed.bodies)
	}
	// Its neighbours' related articles do not move: it is unmoved.
	if !closed.unmoved[fees.ID] || len(closed.unmoved) != 1 {
		t.Errorf("after comments were closed, the unmoved articles are %v; want %d alone", closed.unmoved, fees.ID)
	}
	// The version is kept: the next export reads nothing whole.
	if r := export("settings-1", dredging.ID); !r.reused || r.bodies != 0 {
		t.Errorf("the export after it: reused %v, %d articles read whole", r.reused, r.bodies)
	}

	// A page the memo has no answer for has the index made (read from
	// the image of the first export's, which no edit of the text moved
	// since: the fresh index's answers), and its answer joins the memo.
	unseen := export("settings-1", frost.ID)
	if !unseen.reused || !unseen.built || !sameMatches(unseen.related[frost.ID], fresh(frost.ID)) {
		t.Errorf("a page without an answer: reused %v, built %v, related %v; want the fresh index's %v", unseen.reused, unseen.built, unseen.related[frost.ID], fresh(frost.ID))
	}
	if r := export("settings-1", frost.ID, dredging.ID); r.built {
		t.Error("the answer found for a page was not kept")
	}

	// The text changed: the index is built again, and its answers differ.
	frost.Body = "The harbour dredging contract went to a new firm. Its barges arrive in the harbour next week."
	if err := s.UpdateArticle(ctx, frost, "rewrite"); err != nil {
		t.Fatal(err)
	}
	fees.Title = "Harbour Fees Rise Again for Barges"
	if err := s.UpdateArticle(ctx, fees, "retitle"); err != nil {
		t.Fatal(err)
	}
	blossom.CommentsClosed = true
	if err := s.UpdateArticle(ctx, blossom, "close comments"); err != nil {
		t.Fatal(err)
	}
	// Built from the store, not read from the image the first export
	// kept (see TestLinkImage).
	if err := os.Remove(filepath.Join(filepath.Dir(memo), linkImageFile)); err != nil {
		t.Fatal(err)
	}
	rewritten := export("settings-1", dredging.ID)
	if rewritten.reused || !rewritten.built || !sameMatches(rewritten.related[dredging.ID], fresh(dredging.ID)) {
		t.Errorf("after a rewrite: reused %v, built %v, related %v; want the fresh index's %v", rewritten.reused, rewritten.built, rewritten.related[dredging.ID], fresh(dredging.ID))
	}
	// The text and the title read anew move their neighbours' related
	// articles; the comments closed beside them do not.
	if rewritten.unmoved[frost.ID] || rewritten.unmoved[fees.ID] || !rewritten.unmoved[blossom.ID] {
		t.Errorf("after a rewrite, a retitling and comments closed, the unmoved articles are %v; want %d alone", rewritten.unmoved, blossom.ID)
	}
	// Another article, or another site's settings: the index is built.
	save("harbour-pilots", "Harbour Pilots Guide the Barges", "Pilots guide the dredging barges through the harbour channel.")
	if r := export("settings-1", dredging.ID); r.reused {
		t.Error("an article published since the memo did not have the index built")
	}
	if r := export("settings-2", dredging.ID); r.reused {
		t.Error("other settings did not have the index built")
	}

	// A memo that cannot be read is ignored.
	if err := os.WriteFile(memo, []byte("not a memo"), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := export("settings-2", dredging.ID); r.reused || !r.built {
		t.Errorf("a damaged memo: reused %v, built %v; want the index built", r.reused, r.built)
	}
}

// versionsFailStore fails to list the articles' versions, which reading
// the memo compares with the store.
type versionsFailStore struct{ store.Store }

func (versionsFailStore) ArticleVersions(context.Context, store.ArticleQuery) ([]store.ArticleVersion, error) {
	return nil, errors.New("the database went away")
}

// The memo is read in the background; when that fails, the pages get no
// related articles from a half-read memo and the export fails before its
// commit with the reason.
func TestLinkMemoReadFails(t *testing.T) {
	ctx := context.Background()
	s, save := storySite(t)
	dredging := save("harbour-dredging", "Harbour Dredging Starts Again", "The harbour dredging resumed on Monday. Dredging barges work the harbour channel at night.")
	save("harbour-fees", "Harbour Fees Rise for Barges", "Barges pay higher harbour fees from spring. The harbour board says dredging costs rose.")
	memo := filepath.Join(t.TempDir(), linkMemoFile)
	runExportLinks(t, s, memo, "settings-1", dredging.ID)

	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	failing := versionsFailStore{s}
	live := newLiveIndex(newsroom.New(failing, render.New(), clock.Now, logger), failing, render.New(), logger, clock.Now, "en")
	l := &exportLinks{live: live}
	l.start(ctx, memo, "settings-1", func(bool) { t.Error("then ran after a failed begin") })
	if got := l.Related(dredging.ID, 5, 0); len(got) != 0 {
		t.Errorf("related articles after a failed reading of the memo: %v; want none", got)
	}
	if _, err := l.wait(); err == nil || !strings.Contains(err.Error(), "the database went away") {
		t.Errorf("wait: %v; want the store's failure", err)
	}
	if err := l.end(); err == nil || !strings.Contains(err.Error(), "the database went away") {
		t.Errorf("end (before the commit): %v; want the store's failure", err)
	}
	if live.ix.Load() != nil {
		t.Error("the index was built for a page after the memo could not be read")
	}
}
