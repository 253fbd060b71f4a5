package linking_test

import (
	"runtime"
	"sync"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/linking/linkingtest"
	"github.com/datelinehq/dateline/internal/render"
)

var benchArchive = sync.OnceValue(func() []linking.Doc { return linkingtest.GenerateArchive(2000, 1500, 1) })

func benchIndex(b *testing.B) *linking.Index {
	b.Helper()
	ix := linking.NewIndex()
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
		linking.Suggest(ix, r, &article.Article{ID: d.ID, Slug: d.Slug, Title: d.Title, Body: d.Text}, linking.SuggestOptions{})
	}
}

func BenchmarkNormalize(b *testing.B) {
	text := benchArchive()[0].Text
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		linking.Normalize(text)
	}
}

// BenchmarkLoad builds an index of the archive as a server or an export
// does, analysing on every core.
func BenchmarkLoad(b *testing.B) {
	docs := benchArchive()
	for b.Loop() {
		ix := linking.NewIndex()
		load := ix.Loader(runtime.GOMAXPROCS(0))
		for _, d := range docs {
			load.Add(func() linking.Doc { return d })
		}
		load.Wait()
	}
}
