package purge

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/store/sqlite"
	"github.com/datelinehq/dateline/internal/testclock"
)

// What a change purges: an edit its article's pages; a publication the
// listings it joins too; a comment its article; the settings everything.
func TestAffected(t *testing.T) {
	ctx := context.Background()
	clock := testclock.New(testclock.Date(2026, 3, 2, 9, 0))
	s, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "site.db"), store.Options{Now: clock.Now})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	photo, unused := &media.Item{Hash: strings.Repeat("a", 64), Format: media.JPEG, Width: 1200, Height: 800, Size: 1000, Filename: "quay.jpg"},
		&media.Item{Hash: strings.Repeat("b", 64), Format: media.JPEG, Width: 1200, Height: 800, Size: 1000, Filename: "unused.jpg"}
	for _, it := range []*media.Item{photo, unused} {
		if _, err := s.AddMedia(ctx, it); err != nil {
			t.Fatal(err)
		}
	}
	a := &article.Article{
		Kind: article.Story, Slug: "tram-trial", Title: "Night trams on trial", Body: "Trams run all night from May.",
		Status: article.Published, PublishedAt: clock.Now(),
		Author:          &article.Author{Name: "Ines Okafor", Slug: "ines-okafor"},
		Tags:            []article.Tag{{Name: "Transport", Slug: "transport"}},
		FeaturedMediaID: photo.ID,
	}
	if err := s.CreateArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name    string
		changes []store.Change
		want    []string
		all     bool
	}{
		{"edit", []store.Change{{Table: "articles", Row: a.ID}}, []string{Article(a.ID), Sitemap}, false},
		{"publication", []store.Change{{Table: "articles", Row: a.ID, Listing: true}},
			[]string{Article(a.ID), Author(a.Author.ID), Feed, Home, Sitemap, Tag(a.Tags[0].ID)}, false},
		{"comment", []store.Change{{Table: "comments", Row: a.ID}}, []string{Article(a.ID)}, false},
		{"deleted article", []store.Change{{Table: "articles", Row: 999, Listing: true}}, []string{Article(999), Feed, Home, Sitemap}, false},
		{"front page", []store.Change{{Table: "front_page_pins"}}, []string{Home}, false},
		{"author profile", []store.Change{{Table: "authors", Row: 7}}, []string{Author(7)}, false},
		{"entities found again", []store.Change{{Table: "article_entities", Row: a.ID}, {Table: "topics", Row: 4}}, []string{Article(a.ID), Topic(4)}, false},
		{"entity renamed", []store.Change{{Table: "entities", Row: 4}}, []string{Entity(4), Topic(4)}, false},
		{"story joined", []store.Change{{Table: "article_stories", Row: 9}}, []string{Story(9)}, false},
		{"settings", []store.Change{{Table: "comments", Row: a.ID}, {Table: "settings"}}, []string{Site}, true},
		{"photo of the article", []store.Change{{Table: "media", Row: photo.ID}}, []string{Article(a.ID)}, false},
		{"photo nobody shows", []store.Change{{Table: "media", Row: unused.ID}}, []string{}, false},
	}
	for _, c := range cases {
		keys, all, err := Affected(ctx, s, c.changes)
		want := slices.Sorted(slices.Values(c.want))
		if err != nil || all != c.all || !slices.Equal(keys, want) && len(keys)+len(want) > 0 {
			t.Errorf("%s: Affected = %v, %v, %v; want %v, %v", c.name, keys, all, err, want, c.all)
		}
	}
}

// A cache that fails is tried again until it takes the purge; one that
// never answers is given up on after the retries, each bounded, with a
// log line naming the keys; keys added meanwhile go in one purge; and
// each purge is sent a second time.
func TestQueueRetriesAndGivesUp(t *testing.T) {
	var mu sync.Mutex
	var got [][]string
	var failures atomic.Int32
	failures.Store(2)
	flaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if failures.Add(-1) >= 0 {
			http.Error(w, "backend busy", http.StatusServiceUnavailable)
			return
		}
		var body struct{ Keys []string }
		json.NewDecoder(r.Body).Decode(&body)
		mu.Lock()
		got = append(got, body.Keys)
		mu.Unlock()
	}))
	defer flaky.Close()
	hang := make(chan struct{})
	stuck := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	defer stuck.Close()
	defer close(hang)

	webhook, err := Parse("webhook:" + flaky.URL)
	if err != nil {
		t.Fatal(err)
	}
	varnish, err := Parse("varnish:" + stuck.URL)
	if err != nil {
		t.Fatal(err)
	}
	var logged bytes.Buffer
	var logMu sync.Mutex
	q := NewQueue([]Purger{webhook, varnish}, slog.New(slog.NewTextHandler(&lockedWriter{w: &logged, mu: &logMu}, nil)))
	q.Retries = []time.Duration{10 * time.Millisecond, 10 * time.Millisecond, 10 * time.Millisecond}
	q.Timeout = 50 * time.Millisecond
	q.Again = 100 * time.Millisecond
	results := make(chan error, 8)
	q.OnPurge = func(p Purger, keys []string, err error) {
		if p == varnish {
			results <- err
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	// Both added before the queue runs, so that they make one batch
	// however the goroutines are scheduled.
	q.Add(Article(3), Home)
	q.Add(Article(3), "not a key!")
	go func() { q.Run(ctx); close(done) }()
	if err := <-results; err == nil {
		t.Fatal("the purger that never answers: no error after the retries")
	}
	<-results // the second sending
	cancel()
	<-done

	mu.Lock()
	defer mu.Unlock()
	if len(got) != 2 || !slices.Equal(got[0], []string{Article(3), Home}) || !slices.Equal(got[1], got[0]) {
		t.Errorf("the flaky webhook took %v; want [article-3 home] twice (after two failures, then again)", got)
	}
	logMu.Lock()
	defer logMu.Unlock()
	if !strings.Contains(logged.String(), "purge failed") || !strings.Contains(logged.String(), "article-3 home") || !strings.Contains(logged.String(), stuck.URL) {
		t.Errorf("log: %s; want the failed purge with its purger and keys", logged.String())
	}
}

type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func TestParseRefusesWhatItCannotUse(t *testing.T) {
	for _, spec := range []string{"varnish", "fastly:https://api.fastly.com", "varnish:127.0.0.1:6081", "webhook:ftp://x.example/"} {
		if _, err := Parse(spec); err == nil || !strings.Contains(err.Error(), spec) {
			t.Errorf("Parse(%q) = %v; want an error naming it", spec, err)
		}
	}
}
