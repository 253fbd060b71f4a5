package newsroom_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/linking/wordvec/wordvectest"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/testclock"
)

// Issue 16: the word vectors trained on the archive are stored once for
// the site, read back by every node, and a training that cannot help
// (another language, a small archive) or is cancelled stores nothing.
func TestTrainWordVectors(t *testing.T) {
	wordvectest.English(t)
	backends(t, func(t *testing.T, s store.Store, clock *testclock.Clock) {
		ctx := context.Background()
		svc := service(s, clock)
		for n := range 30 {
			words := []string{"harbour", "ferry", "dock", "cargo", "crew", "tide"}
			if n%2 == 1 {
				words = []string{"court", "judge", "trial", "jury", "verdict", "appeal"}
			}
			var body strings.Builder
			for i := range 50 {
				fmt.Fprintf(&body, "The %s waited. ", words[(n+i)%len(words)])
			}
			a := &article.Article{Slug: fmt.Sprintf("story-%d", n), Title: fmt.Sprintf("Story %d", n), Body: body.String(),
				Status: article.Published, PublishedAt: clock.Now().Add(-time.Hour)}
			if err := s.CreateArticle(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.TrainWordVectors(ctx, "ur", newsroom.TrainOptions{MinArticles: 10}); err == nil || !strings.Contains(err.Error(), `"ur"`) {
			t.Errorf("training for an Urdu site: %v; want a refusal naming the language", err)
		}
		if _, err := svc.TrainWordVectors(ctx, "en", newsroom.TrainOptions{}); err == nil || !strings.Contains(err.Error(), "30 public stories") {
			t.Errorf("training on 30 stories with the default minimum: %v; want a refusal naming the count", err)
		}
		cancelled, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := svc.TrainWordVectors(cancelled, "en", newsroom.TrainOptions{MinArticles: 10}); !errors.Is(err, context.Canceled) {
			t.Errorf("a cancelled training: %v; want context.Canceled", err)
		}
		if table, _, err := svc.SiteWordVectors(ctx, "en"); table != nil || err != nil {
			t.Fatalf("refused trainings stored vectors: %v, %v", table, err)
		}

		v, err := svc.TrainWordVectors(ctx, "en-GB", newsroom.TrainOptions{MinArticles: 10})
		if err != nil {
			t.Fatal(err)
		}
		// Each story: "Story" and 50 times "The <word> waited", stop words left out.
		if v.Language != "en" || v.Articles != 30 || v.Words != 30*(1+50*2) || !v.TrainedAt.Equal(clock.Now()) {
			t.Errorf("trained %q on %d articles, %d words, at %v; want en, 30, 3030, now", v.Language, v.Articles, v.Words, v.TrainedAt)
		}
		table, read, err := svc.SiteWordVectors(ctx, "en")
		if err != nil || table == nil {
			t.Fatalf("reading the trained vectors: %v, %v", table, err)
		}
		if _, ok := table.Index("harbour"); !ok || read.Articles != 30 {
			t.Errorf("the stored table lacks the archive's words, or its record (%+v) is wrong", read)
		}
		for _, test := range []struct {
			articles int
			trained  store.WordVectors
			due      bool
		}{
			{999, store.WordVectors{}, false},
			{1000, store.WordVectors{}, true},
			{1249, store.WordVectors{Articles: 1000}, false},
			{1250, store.WordVectors{Articles: 1000}, true},
		} {
			if got := newsroom.WordVectorsDue(test.articles, 0, test.trained); got != test.due {
				t.Errorf("WordVectorsDue(%d, trained on %d) = %v; want %v", test.articles, test.trained.Articles, got, test.due)
			}
		}
	})
}
