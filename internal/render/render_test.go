package render

import (
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
