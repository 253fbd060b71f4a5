package render

import (
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/google/go-cmp/cmp"
)

func TestOutline(t *testing.T) {
	t.Parallel()
	src := "# Page title\n\n## Intro\n\nText.\n\n### \\*Starred\\* `code` [link](https://example.org) part\n\n## Intro\n\n### “Patience Has Run Out”\n\n#### Too deep\n\n### 1. Limited Strikes\n\n## Pakistan’s Growing Frustration\n"
	want := []article.Heading{
		{Level: 2, Text: "Intro", ID: "intro"},
		{Level: 3, Text: "*Starred* code link part", ID: "starred-code-link-part"},
		{Level: 2, Text: "Intro", ID: "intro-2"},
		{Level: 3, Text: "“Patience Has Run Out”", ID: "patience-has-run-out"},
		{Level: 3, Text: "1. Limited Strikes", ID: "1-limited-strikes"},
		{Level: 2, Text: "Pakistan’s Growing Frustration", ID: "pakistans-growing-frustration"},
	}
	if diff := cmp.Diff(want, New().Parse([]byte(src)).Outline()); diff != "" {
		t.Errorf("Outline mismatch (-want +got):\n%s", diff)
	}
}

func TestWordCount(t *testing.T) {
	t.Parallel()
	r := New()
	for _, test := range []struct {
		name string
		src  string
		want int
	}{
		{"plain", "One two three.", 3},
		{"joined words", "Pakistan’s cross-border don't 2,600 3.5", 5},
		{"markup is not words", "## Heading here\n\n- *one* **two**\n- [three](https://example.org/a/b)\n\n> four", 6},
		{"code blocks are skipped", "Before.\n\n```go\nfunc main() {}\n```\n\nAfter.", 2},
		{"bare URL is one word", "See https://example.org/some/long/path today", 3},
		{"dashes separate", "war — peace", 2},
		{"lines separate", "end\nstart", 2},
	} {
		t.Run(test.name, func(t *testing.T) {
			if got := r.WordCount([]byte(test.src)); got != test.want {
				t.Errorf("WordCount(%q) = %d, want %d", test.src, got, test.want)
			}
			if got := r.Parse([]byte(test.src)).WordCount(); got != test.want {
				t.Errorf("Parse(%q).WordCount() = %d, want %d", test.src, got, test.want)
			}
		})
	}
}

func TestHTMLIsSanitised(t *testing.T) {
	t.Parallel()
	r := New()
	src := "## Heading “quoted”\n\nText with <b onclick=\"steal()\">bold</b> and <a href=\"javascript:alert(1)\">a link</a>.\n\n" +
		"<script>alert('x')</script>\n\n<iframe src=\"https://evil.example/x\"></iframe>\n\n" +
		"<iframe src=\"https://www.youtube-nocookie.com/embed/abc\" title=\"Video\"></iframe>\n\n" +
		"- [x] done\n\nA note.[^1]\n\n[^1]: The footnote.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nhttps://example.org auto ~~struck~~ [ok](https://example.org/page)\n"
	out, err := r.HTML(r.Parse([]byte(src)))
	if err != nil {
		t.Fatal(err)
	}
	html := string(out)
	for _, bad := range []string{"onclick", "javascript:", "<script", "alert(", "evil.example", "nofollow"} {
		if strings.Contains(html, bad) {
			t.Errorf("rendered HTML contains %q:\n%s", bad, html)
		}
	}
	for _, good := range []string{
		`<h2 id="heading-quoted">Heading “quoted”</h2>`,
		`<b>bold</b>`,
		`src="https://www.youtube-nocookie.com/embed/abc"`,
		`type="checkbox"`,
		`<table>`,
		`<del>struck</del>`,
		`<a href="https://example.org">https://example.org</a>`,
		`id="fn:1"`,
		`href="#fn:1"`,
	} {
		if !strings.Contains(html, good) {
			t.Errorf("rendered HTML lacks %q:\n%s", good, html)
		}
	}
}
