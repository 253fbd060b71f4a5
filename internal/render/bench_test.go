package render

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/datelinehq/dateline/internal/importer/text"
)

// BenchmarkRenderReferenceArticle renders the reference article from its
// Markdown, uncached: parse, render and sanitise. Target: under 2 ms.
func BenchmarkRenderReferenceArticle(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "fixtures", "reference-article.txt"))
	if err != nil {
		if os.Getenv("CI") != "" {
			b.Fatal(err)
		}
		b.Skipf("reference article missing (../shared/fixtures beside the checkout): %v", err)
	}
	a, err := text.Parse(raw)
	if err != nil {
		b.Fatal(err)
	}
	src := []byte(a.Body)
	r := New()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := r.HTML(r.Parse(src)); err != nil {
			b.Fatal(err)
		}
	}
}
