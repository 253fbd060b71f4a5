package public

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/importer"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/render"
)

// importText imports a plain-text article through the real importer.
func importText(t *testing.T, ts *testServer, content []byte) *article.Article {
	t.Helper()
	im := importer.New(ts.store, newsroom.New(ts.store, render.New(), ts.clock.Now, nil), importer.Options{Format: importer.Text})
	r := im.Import(ctx, "reference-article.txt", content)
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	a, err := ts.store.Article(ctx, r.Slug)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func referenceArticle(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "fixtures", "reference-article.txt"))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skipf("reference article missing (../shared/fixtures beside the checkout): %v", err)
	}
	return raw
}
