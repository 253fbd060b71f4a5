package cli

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlite"
)

// TestLiveIndex checks that the server's linking index follows the store:
// new, changed and unpublished articles, and a rebuild once it is stale.
func TestLiveIndex(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "site.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	at := clock.Now().Add(-time.Hour)
	save := func(slug, title, body string) *article.Article {
		a := &article.Article{Slug: slug, Title: title, Body: body, Status: article.Published, PublishedAt: at}
		if err := s.CreateArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	save("harbour-dredging", "Harbour Dredging Starts Again", "The harbour dredging resumed on Monday. Dredging barges work the harbour channel at night.")
	save("harbour-fees", "Harbour Fees Rise for Barges", "Barges pay higher harbour fees from spring. The harbour board says dredging costs rose.")
	orchard := save("orchard-frost", "Frost Hits the Orchards", "A late frost damaged apple blossom in the orchards. Growers lit fires between the rows.")

	l, err := newLiveIndex(ctx, s, render.New(), slog.New(slog.NewTextHandler(io.Discard, nil)), clock.Now)
	if err != nil {
		t.Fatal(err)
	}
	related := func(slug string) []string {
		a, err := s.Article(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range l.Related(a.ID, 5, 0) {
			out = append(out, m.Slug)
		}
		return out
	}
	if got := related("harbour-dredging"); len(got) != 1 || got[0] != "harbour-fees" {
		t.Fatalf("related to harbour-dredging = %v, want [harbour-fees]", got)
	}

	// A new article and a changed one are indexed at the next sync.
	save("harbour-silt", "Silt Fills the Harbour", "Silt from the river fills the harbour faster than dredging removes it.")
	orchard.Body = "The harbour dredging contract went to a new firm. Its barges arrive in the harbour next week."
	if err := s.UpdateArticle(ctx, orchard, "rewrite"); err != nil {
		t.Fatal(err)
	}
	if err := l.sync(ctx); err != nil {
		t.Fatal(err)
	}
	if got := related("harbour-dredging"); len(got) != 3 {
		t.Errorf("related to harbour-dredging after sync = %v, want the fees, silt and orchard articles", got)
	}

	// A deleted article leaves the index, and makes a third of it stale:
	// enough (past a fifth) for the index to be built again from the store.
	before := l.ix.Load()
	if err := s.DeleteArticle(ctx, "harbour-silt"); err != nil {
		t.Fatal(err)
	}
	if err := l.sync(ctx); err != nil {
		t.Fatal(err)
	}
	for _, slug := range related("harbour-dredging") {
		if slug == "harbour-silt" {
			t.Error("a deleted article is still related")
		}
	}
	if l.ix.Load() == before {
		t.Error("a third of the index stale did not make it build again")
	}
	if stale, n := l.ix.Load().Stale(); stale != 0 || n != 3 {
		t.Errorf("rebuilt index: %d stale of %d, want 0 of 3", stale, n)
	}
}
