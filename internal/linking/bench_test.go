package linking

import (
	"sync"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render"
)

var benchArchive = sync.OnceValue(func() []Doc { return GenerateArchive(2000, 1500, 1) })

func benchIndex(b *testing.B) *Index {
	b.Helper()
	ix := NewIndex()
	for _, d := range benchArchive() {
		ix.Upsert(d)
	}
	return ix
}

func BenchmarkUpsert(b *testing.B) {
	docs := benchArchive()
	ix := benchIndex(b)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ix.Upsert(docs[i%len(docs)])
	}
}

func BenchmarkRelated(b *testing.B) {
	ix := benchIndex(b)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ix.Related(int64(i%2000+1), 5, 0)
	}
}

func BenchmarkKeyPhrases(b *testing.B) {
	ix := benchIndex(b)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		ix.KeyPhrases(int64(i%2000+1), 20)
	}
}

func BenchmarkSuggest(b *testing.B) {
	ix := benchIndex(b)
	r := render.New()
	docs := benchArchive()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		d := docs[i%len(docs)]
		Suggest(ix, r, &article.Article{ID: d.ID, Slug: d.Slug, Title: d.Title, Body: d.Text}, SuggestOptions{})
	}
}

func BenchmarkNormalize(b *testing.B) {
	text := benchArchive()[0].Text
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Normalize(text)
	}
}
