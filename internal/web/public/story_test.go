package public

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/importer/markdown"
	plaintext "github.com/datelinehq/dateline/internal/importer/text"
	"github.com/datelinehq/dateline/internal/testclock"
)

// Issue 20's "Done when": the reference article, imported with the
// follow-ups we wrote (internal/newsroom/testdata/story), has the TTP's
// topic page show the timeline of its articles, and its page the story so
// far.
func TestReferenceStoryTopicAndTimeline(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "..", "shared", "fixtures", "reference-article.txt"))
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal(err)
		}
		t.Skipf("reference article missing (../shared/fixtures beside the checkout): %v", err)
	}
	ts := newTestServer(t, 0, "")
	svc := newsroomOf(ts)
	ref, err := plaintext.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	ref.Slug, ref.Status, ref.PublishedAt = "ttp-cross-border-action", article.Published, testclock.Date(2026, 11, 2, 8, 0)
	create(t, svc, ref)
	files, err := filepath.Glob(filepath.Join("..", "..", "newsroom", "testdata", "story", "*.md"))
	if err != nil || len(files) != 3 {
		t.Fatalf("the follow-ups: %v, %v", files, err)
	}
	for _, f := range files {
		content, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a, err := markdown.Parse(content)
		if err != nil {
			t.Fatal(err)
		}
		a.Status, a.PublishedAt = article.Published, a.PublishedAt.AddDate(testclock.Years(), 0, 0)
		create(t, svc, a)
	}
	if _, err := svc.RebuildEntities(ctx, nil); err != nil {
		t.Fatal(err)
	}

	// The entities the issue names.
	links, err := svc.ArticleEntities(ctx, []int64{ref.ID})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, l := range links[ref.ID] {
		names = append(names, l.Entity.Name)
	}
	for _, want := range []string{"Pakistan", "Afghanistan", "Türkiye", "Qatar", "Istanbul", "Tehrik-e-Taliban Pakistan", "Afghan Taliban", "Daesh"} {
		if !slices.Contains(names, want) {
			t.Errorf("the reference article's entities lack %s: %v", want, names)
		}
	}

	// The TTP's topic page: its three articles, newest first.
	resp, body := ts.get(t, "/topic/tehrik-e-taliban-pakistan/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /topic/tehrik-e-taliban-pakistan/ = %d", resp.StatusCode)
	}
	doc := parseHTML(t, body)
	want := []string{"Torkham crossing reopens as the truce between Pakistan and the Afghan Taliban holds",
		"Pakistan and Afghanistan resume talks in Doha after the Istanbul collapse", ref.Title}
	if got := timeline(doc); !slices.Equal(got, want) {
		t.Errorf("the TTP's timeline: %q; want %q", got, want)
	}
	if !strings.Contains(body, "Organisation") {
		t.Error("the topic page does not say the TTP is an organisation")
	}
	// The address by its initials leads there; initials nobody has do not.
	if resp, _ := ts.get(t, "/topic/ttp/"); resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/topic/tehrik-e-taliban-pakistan/" {
		t.Errorf("GET /topic/ttp/ = %d to %q; want a redirect to the TTP's topic page", resp.StatusCode, resp.Header.Get("Location"))
	}
	if resp, _ := ts.get(t, "/topic/xyz/"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /topic/xyz/ = %d; want 404", resp.StatusCode)
	}

	// The reference article's page: the story so far, its follow-ups
	// after it, and the TTP linked as a topic.
	_, body = ts.get(t, "/"+ref.Slug+"/")
	doc = parseHTML(t, body)
	nav := findAll(doc, hasClass("story-so-far"))
	if len(nav) != 1 {
		t.Fatal("the reference article shows no story so far")
	}
	var story []string
	for _, li := range findAll(nav[0], tag("li")) {
		story = append(story, text(li))
	}
	if len(story) != 3 || !strings.Contains(story[0], ref.Title) || !strings.Contains(story[2], "Torkham") {
		t.Errorf("the story so far: %q; want the reference article and its two follow-ups, oldest first", story)
	}
	if !slices.ContainsFunc(linksIn(doc, "topics"), func(l string) bool { return strings.HasSuffix(l, "/topic/tehrik-e-taliban-pakistan/") }) {
		t.Errorf("the reference article does not link the TTP's topic page: %q", linksIn(doc, "topics"))
	}
}
