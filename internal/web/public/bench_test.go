package public

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlite"
	"github.com/datelinehq/dateline/internal/testclock"
	"github.com/datelinehq/dateline/internal/web"
)

var benchToken = regexp.MustCompile(`name="dl_token" value="([^"]+)"`)

// BenchmarkPostComments posts comments concurrently over HTTP to a server
// on a SQLite file for 10 seconds, then checks that every comment
// acknowledged with a redirect is stored, once. Forms are fetched first
// and posted after the minimum time a person needs, as a browser would.
// Target (issue 4): at least 1,000 accepted comments/s, none lost.
func BenchmarkPostComments(b *testing.B) {
	const (
		duration = 10 * time.Second
		workers  = 32
		articles = 20
	)
	// A load test runs in real time: forms age on the wall clock.
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "site.db"), store.Options{Now: time.Now})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	settings := comment.DefaultSettings()
	settings.PerIPPerMinute, settings.PerArticlePerMinute = 1_000_000, 1_000_000
	if err := s.SaveCommentSettings(ctx, settings); err != nil {
		b.Fatal(err)
	}
	r := render.New()
	var slugs []string
	for i := range articles {
		a := &article.Article{Title: fmt.Sprintf("Story number %d", i), Body: "Text of the story.\n", PublishedAt: time.Now().Add(-time.Hour)}
		a.SetWordCount(r.WordCount([]byte(a.Body)))
		if err := a.Validate(time.Now()); err != nil {
			b.Fatal(err)
		}
		if err := s.CreateArticle(ctx, a); err != nil {
			b.Fatal(err)
		}
		slugs = append(slugs, a.Slug)
	}
	srv := benchServer(b, s)
	defer srv.Close()
	client := &http.Client{
		Transport:     &http.Transport{MaxIdleConnsPerHost: workers},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}

	// Fetch more forms than the run can post.
	type form struct{ slug, token string }
	forms := make(chan form, 40_000)
	var fetch sync.WaitGroup
	for w := range workers {
		fetch.Add(1)
		go func() {
			defer fetch.Done()
			for i := w; i < cap(forms); i += workers {
				slug := slugs[i%len(slugs)]
				resp, err := client.Get(srv.URL + "/" + slug + "/")
				if err != nil {
					b.Error(err)
					return
				}
				page, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				m := benchToken.FindSubmatch(page)
				if m == nil {
					b.Error("no form token")
					return
				}
				forms <- form{slug, string(m[1])}
			}
		}()
	}
	fetch.Wait()
	close(forms)
	time.Sleep(time.Duration(settings.MinFormSeconds)*time.Second + 100*time.Millisecond)

	b.ResetTimer()
	var mu sync.Mutex
	acknowledged := map[int64]int{}
	refused := 0
	start := time.Now()
	deadline := start.Add(duration)
	var post sync.WaitGroup
	for w := range workers {
		post.Add(1)
		go func() {
			defer post.Done()
			for n := 0; time.Now().Before(deadline); n++ {
				f, ok := <-forms
				if !ok {
					b.Error("ran out of forms; fetch more")
					return
				}
				who := fmt.Sprintf("reader-%d-%d", w, n)
				resp, err := client.PostForm(srv.URL+"/"+f.slug+"/comments", url.Values{
					"dl_token": {f.token}, "author": {who}, "email": {who + "@mail.example"},
					"comment": {"Comment " + who + ": the council should publish the figures."}, "comment_parent": {"0"},
				})
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				_, frag, found := strings.Cut(resp.Header.Get("Location"), "#comment-")
				id, convErr := strconv.ParseInt(frag, 10, 64)
				mu.Lock()
				if resp.StatusCode == http.StatusSeeOther && found && convErr == nil {
					acknowledged[id]++
				} else {
					refused++
				}
				mu.Unlock()
			}
		}()
	}
	post.Wait()
	elapsed := time.Since(start)
	b.StopTimer()

	stored, err := s.Comments(ctx, store.CommentQuery{})
	if err != nil {
		b.Fatal(err)
	}
	inStore := map[int64]int{}
	for _, c := range stored {
		inStore[c.ID]++
	}
	lost, twice := 0, 0
	for id, n := range acknowledged {
		if n > 1 || inStore[id] > 1 {
			twice++
		}
		if inStore[id] == 0 {
			lost++
		}
	}
	if lost > 0 || twice > 0 || refused > 0 || len(stored) != len(acknowledged) {
		b.Errorf("acknowledged %d, stored %d, lost %d, twice %d, refused %d", len(acknowledged), len(stored), lost, twice, refused)
	}
	b.ReportMetric(float64(len(acknowledged))/elapsed.Seconds(), "comments/s")
	b.ReportMetric(float64(lost), "lost")
}

// benchServer serves the reader pages on the real clock, without logs.
func benchServer(b *testing.B, s store.Store) *httptest.Server {
	tpl, err := web.LoadTemplates("")
	if err != nil {
		b.Fatal(err)
	}
	assets, err := web.LoadAssets("")
	if err != nil {
		b.Fatal(err)
	}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	site := &web.Site{Templates: tpl, Assets: assets, Logger: logger, Now: time.Now, Info: web.SiteInfo{Title: "Bench", Language: "en"}}
	secret, err := s.Secret(ctx)
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	reader, err := New(site, s, render.New(), NewViewCounter(s, logger, time.Now), Options{CacheFor: 5 * time.Second, Secret: secret, Now: time.Now})
	if err != nil {
		b.Fatal(err)
	}
	reader.Register(mux)
	return httptest.NewServer(site.Middleware(CanonicalSlash(mux)))
}

// BenchmarkKnownCommenterCheck measures the check every comment post
// makes for an earlier approved comment by its author (issue: 37% of the
// CPU in a soak test), for a long-time commenter whose 2,000 earlier
// comments all await moderation, and for a new commenter. Its cost must
// not grow with the commenter's history.
func BenchmarkKnownCommenterCheck(b *testing.B) {
	const earlier = 2000
	c := testclock.New(testclock.Date(2026, 11, 27, 12, 0))
	s, err := sqlite.Open(ctx, filepath.Join(b.TempDir(), "site.db"), store.Options{Now: c.Now})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	r := render.New()
	a := &article.Article{Title: "The long thread", Body: "Text of the story.\n", PublishedAt: c.Now().Add(-time.Hour)}
	a.SetWordCount(r.WordCount([]byte(a.Body)))
	if err := a.Validate(c.Now()); err != nil {
		b.Fatal(err)
	}
	if err := s.CreateArticle(ctx, a); err != nil {
		b.Fatal(err)
	}
	for i := range earlier {
		cm := &comment.Comment{ArticleID: a.ID, Author: "Old Hand", Email: "old.hand@mail.example",
			Body: fmt.Sprintf("Comment number %d on the long thread.", i), State: comment.Pending}
		if err := s.CreateComment(ctx, cm, fmt.Sprintf("nonce-%d", i), c.Now().Add(time.Hour)); err != nil {
			b.Fatal(err)
		}
	}
	for _, test := range []struct{ name, author, email string }{
		{"long-time commenter", "Old Hand", "old.hand@mail.example"},
		{"new commenter", "New Reader", "new.reader@mail.example"},
	} {
		b.Run(test.name, func(b *testing.B) {
			for b.Loop() {
				if known, err := s.HasApprovedComment(ctx, test.author, test.email); err != nil || known {
					b.Fatalf("HasApprovedComment = %v, %v; want false", known, err)
				}
			}
		})
	}
}
