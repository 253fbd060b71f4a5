package public

import (
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"golang.org/x/net/html"
)

func headlines(t *testing.T, doc *html.Node, class, heading string) []string {
	t.Helper()
	var out []string
	for _, n := range findAll(doc, hasClass(class)) {
		for _, h := range findAll(n, tag(heading)) {
			out = append(out, text(h))
		}
	}
	return out
}

// TestFrontPage: the lead and the secondary row take the pinned stories
// first and fill with the newest; a pinned story that is no longer public
// gives its slot back; each section with stories has a block, in menu
// order, without the stories shown above it; "Latest" and "Most read"
// (from the views of the last two days) follow.
func TestFrontPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	world, politics := ts.addSection(t, "World", ""), ts.addSection(t, "Politics", "")
	ts.addSection(t, "Empty", "")
	var stories []*article.Article
	for i := range 9 {
		se := world
		if i%2 == 1 {
			se = politics
		}
		stories = append(stories, ts.add(t, &article.Article{
			Title: "Story " + string(rune('A'+i)), Body: "Text.\n", Section: se,
			PublishedAt: published.Add(time.Duration(i) * time.Hour),
		}))
	}
	// Newest first: I H G F E lead the page.
	_, body := ts.get(t, "/")
	doc := parseHTML(t, body)
	if got := strings.Join(append(headlines(t, doc, "lead", "h2"), headlines(t, doc, "secondary", "h3")...), " "); got != "Story I Story H Story G Story F Story E" {
		t.Errorf("unpinned, the top stories are %s; want the five newest", got)
	}
	blocks := findAll(doc, hasClass("section-block"))
	if len(blocks) != 2 || text(findAll(blocks[0], tag("h2"))[0]) != "World" || text(findAll(blocks[1], tag("h2"))[0]) != "Politics" {
		t.Fatalf("want a World and a Politics block, in menu order, and none for the empty section")
	}
	if got := text(blocks[0]); !strings.Contains(got, "Story C") || !strings.Contains(got, "Story A") || strings.Contains(got, "Story I") {
		t.Errorf("the World block shows %q; want its stories not shown above", got)
	}

	// Pin the oldest story as the lead and another after it.
	if err := ts.store.SetPins(ctx, []int64{stories[0].ID, stories[3].ID}); err != nil {
		t.Fatal(err)
	}
	_, body = ts.get(t, "/")
	doc = parseHTML(t, body)
	if got := strings.Join(append(headlines(t, doc, "lead", "h2"), headlines(t, doc, "secondary", "h3")...), " "); got != "Story A Story D Story I Story H Story G" {
		t.Errorf("pinned, the top stories are %s; want A and D first", got)
	}

	// Unpublished, the pinned lead gives its slot back.
	a := stories[0]
	a.Status = article.Draft
	if err := ts.store.UpdateArticle(ctx, a, "unpublish"); err != nil {
		t.Fatal(err)
	}
	_, body = ts.get(t, "/")
	doc = parseHTML(t, body)
	if got := strings.Join(append(headlines(t, doc, "lead", "h2"), headlines(t, doc, "secondary", "h3")...), " "); got != "Story D Story I Story H Story G Story F" {
		t.Errorf("with the pinned lead unpublished, the top stories are %s", got)
	}
	if strings.Contains(body, "Story A") {
		t.Error("the front page shows an unpublished story")
	}

	// Most read: views of the last two days only.
	if err := ts.store.AddViews(ctx, ts.clock.Now(), map[int64]int64{stories[1].ID: 50, stories[2].ID: 20}); err != nil {
		t.Fatal(err)
	}
	if err := ts.store.AddViews(ctx, ts.clock.Now().Add(-5*24*time.Hour), map[int64]int64{stories[4].ID: 500}); err != nil {
		t.Fatal(err)
	}
	_, body = ts.get(t, "/")
	doc = parseHTML(t, body)
	var mostRead []string
	for _, s := range findAll(doc, tag("section")) {
		if attr(s, "aria-labelledby") == "most-read-heading" {
			for _, li := range findAll(s, tag("li")) {
				mostRead = append(mostRead, text(li))
			}
		}
	}
	if strings.Join(mostRead, ", ") != "Story B, Story C" {
		t.Errorf("Most read lists %v; want B then C (E's views are older than two days)", mostRead)
	}
	var latest []string
	for _, s := range findAll(doc, tag("section")) {
		if attr(s, "aria-labelledby") == "latest-heading" {
			for _, a := range findAll(s, tag("a")) {
				latest = append(latest, text(a))
			}
		}
	}
	if len(latest) != 8 || latest[0] != "Story I" {
		t.Errorf("Latest lists %v; want the 8 public stories, newest first", latest)
	}
}

// TestEmptyFrontPage: a site with nothing published says so.
func TestEmptyFrontPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, 0, "")
	resp, body := ts.get(t, "/")
	if resp.StatusCode != 200 || !strings.Contains(body, "Nothing has been published yet.") {
		t.Errorf("GET / on an empty site = %d", resp.StatusCode)
	}
}
