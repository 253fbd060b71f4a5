package public

import (
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlite"
)

// discard is a ResponseWriter that keeps nothing, so that the benchmark
// measures the server's work, not a recorder's.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkCachedArticle serves an article page from the page cache
// through the site's whole handler chain, as a reader without cookies
// gets it: CPU and allocations per request of the path bench-serve.sh
// loads (issue 11), without the network.
func BenchmarkCachedArticle(b *testing.B) {
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "site.db"), store.Options{Now: time.Now})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	var body strings.Builder
	for i := range 12 {
		body.WriteString("## Section " + strings.Repeat("x", i) + "\n\n")
		body.WriteString(strings.Repeat("The harbour authority said the new cranes would cut waiting times for ships by a third. ", 25) + "\n\n")
	}
	a := &article.Article{Title: "Cranes cut waiting times at the port", Body: body.String(), PublishedAt: time.Now().Add(-time.Hour)}
	a.SetWordCount(render.New().WordCount([]byte(a.Body)))
	if err := a.Validate(time.Now()); err != nil {
		b.Fatal(err)
	}
	if err := s.CreateArticle(ctx, a); err != nil {
		b.Fatal(err)
	}
	srv := benchServer(b, s)
	defer srv.Close()
	h := srv.Config.Handler
	for _, test := range []struct {
		name     string
		encoding string
	}{
		{"identity", ""},
		{"gzip", "gzip, deflate, br"},
	} {
		b.Run(test.name, func(b *testing.B) {
			req, _ := http.NewRequest(http.MethodGet, "/"+a.Slug+"/", nil)
			req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36")
			if test.encoding != "" {
				req.Header.Set("Accept-Encoding", test.encoding)
			}
			h.ServeHTTP(&discard{h: http.Header{}}, req) // fills the cache
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				w := &discard{h: http.Header{}}
				for pb.Next() {
					clear(w.h)
					h.ServeHTTP(w, req)
				}
			})
		})
	}
}
