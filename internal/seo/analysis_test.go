package seo

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/importer/text"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/google/go-cmp/cmp"
)

// analyze runs Analyze on an article with the given body.
func analyze(t *testing.T, a *article.Article, site SiteFacts) Report {
	t.Helper()
	return Analyze(a, render.New().Parse([]byte(a.Body)), site)
}

// statuses maps each check's ID to its status.
func statuses(r Report) map[string]Status {
	m := make(map[string]Status, len(r.Checks))
	for _, c := range r.Checks {
		m[c.ID] = c.Status
	}
	return m
}

// words returns n words of plain prose, in sentences of seven words.
func words(n int) string {
	vocabulary := []string{"The", "dog", "walks", "to", "the", "old", "town."}
	w := make([]string, n)
	for i := range w {
		w[i] = vocabulary[i%7]
	}
	s := strings.Join(w, " ")
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// good is an article that passes every check but the keyphrase ones.
func good() *article.Article {
	return &article.Article{
		Slug:        "harbour-bridge-reopens-after-repairs",
		Title:       "Harbour bridge reopens after two years of repairs",
		Description: strings.Repeat("The harbour bridge opens again on Monday. ", 3) + "Buses return to it first.",
		Body: "The harbour bridge opens again on Monday, the [city](/city-hall/) said. " +
			"The [engineers](https://example.com/report) checked it.\n\n" +
			"## What changed\n\n" + words(150) + "\n\n## What comes next\n\n" + words(150) + "\n",
	}
}

func TestWordsHelper(t *testing.T) {
	if got := render.New().WordCount([]byte(words(150))); got != 150 {
		t.Fatalf("words(150) has %d words", got)
	}
}

func TestAnalyze(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name string
		edit func(a *article.Article)
		site SiteFacts
		want map[string]Status // the checks to look at
	}{
		{
			name: "good article",
			edit: func(*article.Article) {},
			want: map[string]Status{
				"keyphrase": Improve, "title-length": OK, "description-length": OK, "single-h1": OK,
				"heading-levels": OK, "text-length": OK, "subheadings": OK, "flesch-reading-ease": OK,
				"sentence-length": OK, "paragraph-length": OK, "internal-links": OK, "outbound-links": OK,
				"image-alt": OK,
			},
		},
		{
			name: "short title",
			edit: func(a *article.Article) { a.Title = "Bridge reopens" },
			want: map[string]Status{"title-length": Improve},
		},
		{
			name: "title of 61 characters",
			edit: func(a *article.Article) { a.Title = strings.Repeat("a", 61) },
			want: map[string]Status{"title-length": Improve},
		},
		{
			name: "title over the headline limit",
			edit: func(a *article.Article) { a.Title = strings.Repeat("word ", 23) },
			want: map[string]Status{"title-length": Problem},
		},
		{
			name: "title of 60 characters counted in characters, not bytes",
			edit: func(a *article.Article) { a.Title = strings.Repeat("é", 60) },
			want: map[string]Status{"title-length": OK},
		},
		{
			name: "no description",
			edit: func(a *article.Article) { a.Description = "" },
			want: map[string]Status{"description-length": Problem},
		},
		{
			name: "short description",
			edit: func(a *article.Article) { a.Description = "The bridge reopens." },
			want: map[string]Status{"description-length": Improve},
		},
		{
			name: "long description",
			edit: func(a *article.Article) { a.Description = strings.Repeat("x", 161) },
			want: map[string]Status{"description-length": Improve},
		},
		{
			name: "H1 in the body",
			edit: func(a *article.Article) { a.Body = "# Harbour bridge\n\n" + a.Body },
			want: map[string]Status{"single-h1": Problem, "heading-levels": OK},
		},
		{
			name: "H2 then H4",
			edit: func(a *article.Article) {
				a.Body = strings.Replace(a.Body, "## What comes next", "#### What comes next", 1)
			},
			want: map[string]Status{"single-h1": OK, "heading-levels": Improve},
		},
		{
			name: "starts with H3",
			edit: func(a *article.Article) { a.Body = strings.Replace(a.Body, "## What changed", "### What changed", 1) },
			want: map[string]Status{"heading-levels": Improve},
		},
		{
			name: "setext headings count too",
			edit: func(a *article.Article) { a.Body = "Title again\n===========\n\n" + a.Body },
			want: map[string]Status{"single-h1": Problem},
		},
		{
			name: "H2, H3, H2, H3",
			edit: func(a *article.Article) { a.Body = "## A\n\ntext\n\n### B\n\ntext\n\n## C\n\n### D\n\n" + words(300) },
			want: map[string]Status{"heading-levels": OK},
		},
		{
			name: "heading in a list item",
			edit: func(a *article.Article) { a.Body += "\n- #### Deep\n" },
			want: map[string]Status{"heading-levels": Improve},
		},
		{
			name: "no links",
			edit: func(a *article.Article) { a.Body = words(400) },
			want: map[string]Status{"internal-links": Improve, "outbound-links": Improve},
		},
		{
			name: "own host is internal, other hosts external",
			edit: func(a *article.Article) {
				a.Body = words(400) + "\n\nSee [this](https://www.news.example.org/other/) and <https://elsewhere.example.net/>.\n"
			},
			site: SiteFacts{BaseURL: "https://news.example.org"},
			want: map[string]Status{"internal-links": OK, "outbound-links": OK},
		},
		{
			name: "without a base URL an absolute link is outbound",
			edit: func(a *article.Article) { a.Body = words(400) + "\n\nSee [this](https://news.example.org/other/).\n" },
			want: map[string]Status{"internal-links": Improve, "outbound-links": OK},
		},
		{
			name: "in-page and mailto links are neither",
			edit: func(a *article.Article) {
				a.Body = words(400) + "\n\n[Up](#top), [mail](mailto:desk@example.org), <desk@example.org>.\n"
			},
			want: map[string]Status{"internal-links": Improve, "outbound-links": Improve},
		},
		{
			name: "links in raw HTML",
			edit: func(a *article.Article) {
				a.Body = words(400) + "\n\n<p>See <a class=\"x\" href='/other/'>this</a>.</p>\n\nAnd <a href=\"https://example.net/\">that</a>.\n"
			},
			want: map[string]Status{"internal-links": OK, "outbound-links": OK},
		},
		{
			name: "linkified bare URL is outbound",
			edit: func(a *article.Article) { a.Body = words(400) + "\n\nSource: www.example.net/report\n" },
			want: map[string]Status{"outbound-links": OK},
		},
		{
			name: "image without alt",
			edit: func(a *article.Article) { a.Body += "\n![](bridge.jpg)\n\n![The bridge at night](night.jpg)\n" },
			want: map[string]Status{"image-alt": Problem},
		},
		{
			name: "images with alt",
			edit: func(a *article.Article) { a.Body += "\n![The bridge at night](night.jpg)\n" },
			want: map[string]Status{"image-alt": OK},
		},
		{
			name: "raw HTML image without alt",
			edit: func(a *article.Article) { a.Body += "\n<img src=\"a.jpg\" alt=\"\">\n" },
			want: map[string]Status{"image-alt": Problem},
		},
		{
			name: "raw HTML image with alt",
			edit: func(a *article.Article) { a.Body += "\n<figure><img src=\"a.jpg\" alt=\"The bridge\"></figure>\n" },
			want: map[string]Status{"image-alt": OK},
		},
		{
			name: "250 words",
			edit: func(a *article.Article) { a.Body = words(250) },
			want: map[string]Status{"text-length": Improve, "subheadings": OK},
		},
		{
			name: "120 words",
			edit: func(a *article.Article) { a.Body = words(120) },
			want: map[string]Status{"text-length": Problem},
		},
		{
			name: "long text without sub-headings",
			edit: func(a *article.Article) { a.Body = words(200) + "\n\n" + words(200) },
			want: map[string]Status{"subheadings": Improve, "text-length": OK},
		},
		{
			name: "long section under a heading",
			edit: func(a *article.Article) {
				a.Body = "## Only one\n\n" + words(140) + "\n\n" + words(140) + "\n\n" + words(140)
			},
			want: map[string]Status{"subheadings": Improve},
		},
		{
			name: "long paragraph",
			edit: func(a *article.Article) { a.Body = "## A\n\n" + words(160) + "\n\n## B\n\n" + words(160) },
			want: map[string]Status{"paragraph-length": Improve},
		},
		{
			name: "long sentences",
			edit: func(a *article.Article) {
				long := strings.Repeat("the dog walks to the old town and back ", 3) + "again."
				a.Body = "## A\n\n" + strings.Repeat("The "+long+" ", 4) + words(300)
			},
			want: map[string]Status{"sentence-length": OK},
		},
		{
			name: "too many long sentences",
			edit: func(a *article.Article) {
				long := "The " + strings.Repeat("dog walks to the old town and back ", 3) + "again. "
				a.Body = "## A\n\n" + strings.Repeat(long, 10) + "\n\n## B\n\n" + words(70)
			},
			want: map[string]Status{"sentence-length": Improve},
		},
		{
			name: "hard words",
			edit: func(a *article.Article) {
				a.Body = strings.Repeat("Intergovernmental deliberations necessitated unprecedented administrative reorganisation. ", 50)
			},
			want: map[string]Status{"flesch-reading-ease": Problem},
		},
		{
			name: "middling words",
			edit: func(a *article.Article) {
				a.Body = strings.Repeat("The city council met on Monday to consider the difficult future of the historic harbour bridge. ", 40)
			},
			want: map[string]Status{"flesch-reading-ease": Improve},
		},
		{
			name: "no paragraphs at all",
			edit: func(a *article.Article) { a.Body = "## Heading only\n" },
			want: map[string]Status{"flesch-reading-ease": Improve, "sentence-length": OK, "paragraph-length": OK, "text-length": Problem},
		},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			a := good()
			test.edit(a)
			r := analyze(t, a, test.site)
			got := statuses(r)
			for id, want := range test.want {
				if got[id] != want {
					c, _ := r.Check(id)
					t.Errorf("%s: status %q, want %q (reason: %s)", id, got[id], want, c.Reason)
				}
			}
			for _, c := range r.Checks {
				if c.Reason == "" || strings.ContainsAny(c.Reason, "\n\r") {
					t.Errorf("%s: reason %q is not one line", c.ID, c.Reason)
				}
			}
		})
	}
}

func TestAnalyzeKeyphrase(t *testing.T) {
	t.Parallel()
	base := func() *article.Article {
		a := good()
		a.FocusKeyphrase = "harbour bridge"
		a.Body = "The harbour bridge opens again on Monday, the [city](/city-hall/) said.\n\n" +
			"## Why the harbour bridge closed\n\n" + words(150) + "\n\n## What comes next\n\n" + words(150) + " The harbour bridge is old.\n"
		return a
	}
	all := []string{"keyphrase-title", "keyphrase-description", "keyphrase-intro", "keyphrase-subheading", "keyphrase-slug", "keyphrase-density"}
	for _, test := range []struct {
		name string
		edit func(a *article.Article)
		want map[string]Status
	}{
		{
			name: "everywhere",
			edit: func(*article.Article) {},
			want: map[string]Status{"keyphrase-title": OK, "keyphrase-description": OK, "keyphrase-intro": OK,
				"keyphrase-subheading": OK, "keyphrase-slug": OK, "keyphrase-density": OK},
		},
		{
			name: "case, plurals, apostrophes and punctuation do not matter",
			edit: func(a *article.Article) { a.FocusKeyphrase = "  Harbour-Bridges’ " },
			want: map[string]Status{"keyphrase-title": OK, "keyphrase-slug": OK, "keyphrase-intro": OK},
		},
		{
			name: "late in the title",
			edit: func(a *article.Article) { a.Title = "After two years of repairs, the harbour bridge reopens" },
			want: map[string]Status{"keyphrase-title": Improve},
		},
		{
			name: "not in the title",
			edit: func(a *article.Article) { a.Title = "The crossing reopens after two years of repairs" },
			want: map[string]Status{"keyphrase-title": Problem},
		},
		{
			name: "words apart do not match",
			edit: func(a *article.Article) { a.Title = "Harbour and bridge" },
			want: map[string]Status{"keyphrase-title": Problem},
		},
		{
			name: "not in the description",
			edit: func(a *article.Article) { a.Description = strings.Repeat("The crossing opens again on Monday. ", 4) },
			want: map[string]Status{"keyphrase-description": Improve},
		},
		{
			name: "no description",
			edit: func(a *article.Article) { a.Description = "" },
			want: map[string]Status{"keyphrase-description": Improve, "description-length": Problem},
		},
		{
			name: "not in the first paragraph",
			edit: func(a *article.Article) { a.Body = "It opens on Monday.\n\n" + a.Body },
			want: map[string]Status{"keyphrase-intro": Improve},
		},
		{
			name: "not in a sub-heading",
			edit: func(a *article.Article) {
				a.Body = strings.Replace(a.Body, "Why the harbour bridge closed", "Why it closed", 1)
			},
			want: map[string]Status{"keyphrase-subheading": Improve},
		},
		{
			name: "an H4 does not count as a sub-heading",
			edit: func(a *article.Article) {
				a.Body = strings.Replace(a.Body, "## Why the harbour bridge closed", "#### Why the harbour bridge closed", 1)
			},
			want: map[string]Status{"keyphrase-subheading": Improve},
		},
		{
			name: "not in the slug",
			edit: func(a *article.Article) { a.Slug = "bridge-reopens" },
			want: map[string]Status{"keyphrase-slug": Improve},
		},
		{
			name: "slug from the title when the article has none",
			edit: func(a *article.Article) { a.Slug = "" },
			want: map[string]Status{"keyphrase-slug": OK},
		},
		{
			name: "too rare",
			edit: func(a *article.Article) {
				a.Body = strings.ReplaceAll(a.Body, " The harbour bridge is old.", "") + "\n\n" + words(600)
			},
			want: map[string]Status{"keyphrase-density": Improve},
		},
		{
			name: "stuffed",
			edit: func(a *article.Article) { a.Body += strings.Repeat("\nThe harbour bridge.", 40) },
			want: map[string]Status{"keyphrase-density": Improve},
		},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			a := base()
			test.edit(a)
			r := analyze(t, a, SiteFacts{})
			got := statuses(r)
			if _, ok := got["keyphrase"]; ok {
				t.Errorf("a keyphrase is set, but the report has the keyphrase-not-set check")
			}
			for _, id := range all {
				if _, ok := got[id]; !ok {
					t.Errorf("no %s check", id)
				}
			}
			for id, want := range test.want {
				if got[id] != want {
					c, _ := r.Check(id)
					t.Errorf("%s: status %q, want %q (reason: %s)", id, got[id], want, c.Reason)
				}
			}
		})
	}
}

func TestKeyphraseNotSet(t *testing.T) {
	t.Parallel()
	a := good()
	r := analyze(t, a, SiteFacts{})
	c, ok := r.Check("keyphrase")
	if !ok || c.Status != Improve {
		t.Fatalf("keyphrase check = %+v, %v; want improve", c, ok)
	}
	if want := "no focus keyphrase: set the search phrase the article should be found by as its focus keyphrase"; c.Reason != want {
		t.Errorf("reason %q, want %q", c.Reason, want)
	}
	for _, c := range r.Checks {
		if strings.HasPrefix(c.ID, "keyphrase-") {
			t.Errorf("check %s without a keyphrase", c.ID)
		}
	}
}

// Issue 14: the advice says where to set the keyphrase in the words of
// the adapter that shows it: a form field in the admin, a command on the
// command line.
func TestKeyphraseAdviceByAdapter(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name, where, want string
	}{
		{"admin", "in the Focus keyphrase field above",
			"no focus keyphrase: set the search phrase the article should be found by in the Focus keyphrase field above"},
		{"command line", `with 'dateline seo keyphrase harbour-bridge-reopens-after-repairs "PHRASE"' or focus_keyphrase: in the front matter`,
			`no focus keyphrase: set the search phrase the article should be found by with 'dateline seo keyphrase harbour-bridge-reopens-after-repairs "PHRASE"' or focus_keyphrase: in the front matter`},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			c, _ := analyze(t, good(), SiteFacts{SetKeyphrase: test.where}).Check("keyphrase")
			if c.Reason != test.want {
				t.Errorf("reason %q, want %q", c.Reason, test.want)
			}
		})
	}
	// With a keyphrase, nothing of it shows.
	a := good()
	a.FocusKeyphrase = "harbour bridge"
	for _, c := range analyze(t, a, SiteFacts{SetKeyphrase: "in the Focus keyphrase field above"}).Checks {
		if strings.Contains(c.Reason, "field above") {
			t.Errorf("%s: %q", c.ID, c.Reason)
		}
	}
}

func TestScore(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name   string
		checks []Check
		want   int
	}{
		{"none", nil, 0},
		{"all ok", []Check{{Status: OK}, {Status: OK}}, 100},
		{"half", []Check{{Status: OK}, {Status: Problem}}, 50},
		{"improve is half", []Check{{Status: Improve}, {Status: Improve}}, 50},
		{"mixed", []Check{{Status: OK}, {Status: Improve}, {Status: Problem}}, 50},
		{"rounded", []Check{{Status: OK}, {Status: OK}, {Status: Improve}}, 83},
		{"failed bonus is not counted", []Check{{Status: OK}, {Status: Problem}, {Status: Improve, Bonus: true}}, 50},
		{"passed bonus counts", []Check{{Status: OK}, {Status: Problem}, {Status: OK, Bonus: true}}, 67},
	} {
		if got := reportScore(test.checks); got != test.want {
			t.Errorf("%s: score = %d, want %d", test.name, got, test.want)
		}
	}
	// The report's score follows from its checks.
	a, photos := withPhoto(good(), 1600, "The bridge's new deck")
	r := analyze(t, a, SiteFacts{Images: photos})
	if r.Score != reportScore(r.Checks) || r.Score != 96 {
		t.Errorf("good article: score %d; checks give %d, want 96 (13 ok and the missing keyphrase)", r.Score, reportScore(r.Checks))
	}
}

// withPhoto gives a a featured library image of that width and alt text.
func withPhoto(a *article.Article, width int, alt string) (*article.Article, render.Images) {
	a.FeaturedMediaID = 4
	return a, render.Images{4: {ID: 4, Width: width, Height: width * 2 / 3, Info: media.Info{Alt: alt}}}
}

func TestFeaturedImageChecks(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name   string
		width  int
		alt    string
		body   string
		status map[string]Status
		reason string
	}{
		{"none", 0, "", "", map[string]Status{"featured-image": Improve}, "no featured image"},
		{"too narrow", 800, "Deck", "", map[string]Status{"featured-image": Improve}, "800 px wide"},
		{"no alt", 1600, "", "", map[string]Status{"featured-image": Problem}, "no alt text"},
		{"fine", 1600, "Deck", "", map[string]Status{"featured-image": OK}, ""},
		// A library image in the body with no alt of its own has the
		// library's.
		{"body image with library alt", 1600, "Deck", "\n\n![](media:4)\n", map[string]Status{"image-alt": OK}, ""},
		{"body image without any", 1600, "", "\n\n![](media:4)\n", map[string]Status{"image-alt": Problem}, ""},
	} {
		a, photos := good(), render.Images(nil)
		if test.width > 0 {
			a, photos = withPhoto(a, test.width, test.alt)
		}
		a.Body += test.body
		r := analyze(t, a, SiteFacts{Images: photos})
		got := statuses(r)
		for id, want := range test.status {
			if got[id] != want {
				t.Errorf("%s: %s = %s, want %s", test.name, id, got[id], want)
			}
		}
		for _, c := range r.Checks {
			if c.ID == "featured-image" && !strings.Contains(c.Reason, test.reason) {
				t.Errorf("%s: reason %q, want it to say %q", test.name, c.Reason, test.reason)
			}
		}
	}
}

func TestSplitSentences(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		text string
		want []string
	}{
		{"One. Two three.", []string{"One.", "Two three."}},
		{"No end", []string{"No end"}},
		{"Since the U.S. withdrawal in 2021. It grew.", []string{"Since the U.S. withdrawal in 2021.", "It grew."}},
		{"Dr. Khan and Mr. Ali met on Oct. 19 in Doha.", []string{"Dr. Khan and Mr. Ali met on Oct. 19 in Doha."}},
		{"J. Smith spoke. “Enough,” he said. Really? Yes! Well… 2021 was hard.", []string{"J. Smith spoke.", "“Enough,” he said.", "Really?", "Yes!", "Well…", "2021 was hard."}},
		{"He said “it ends.” Then left.", []string{"He said “it ends.”", "Then left."}},
		{"A ratio of 2.5 to 1. Fine.", []string{"A ratio of 2.5 to 1.", "Fine."}},
		{"e.g. this one", []string{"e.g. this one"}},
		{"", nil},
	} {
		if diff := cmp.Diff(test.want, splitSentences(test.text)); diff != "" {
			t.Errorf("splitSentences(%q) mismatch (-want +got):\n%s", test.text, diff)
		}
	}
}

func TestSyllables(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		word string
		want int
	}{
		{"the", 1}, {"a", 1}, {"cat", 1}, {"year", 1}, {"young", 1}, {"there", 1}, {"where", 1},
		{"make", 1}, {"times", 1}, {"roles", 1}, {"seized", 1}, {"called", 1}, {"talks", 1}, {"free", 1},
		{"before", 2}, {"people", 2}, {"table", 2}, {"tables", 2}, {"little", 2}, {"places", 2},
		{"wanted", 2}, {"agreed", 2}, {"issue", 2}, {"being", 2}, {"saying", 2}, {"going", 2},
		{"Pakistan", 3}, {"Pakistan’s", 3}, {"Taliban", 3}, {"Afghan", 2}, {"region", 2}, {"nation", 2},
		{"union", 2}, {"opinion", 3}, {"initial", 3}, {"social", 2}, {"Russian", 2}, {"continue", 3},
		{"media", 3}, {"radio", 3}, {"video", 3}, {"area", 3}, {"idea", 3}, {"various", 3},
		{"previous", 3}, {"religious", 3}, {"violence", 3}, {"actual", 3}, {"situation", 4},
		{"language", 2}, {"quality", 3}, {"society", 4}, {"quiet", 2}, {"countries", 2},
		{"terrorism", 4}, {"ideological", 6}, {"militancy", 4}, {"negotiations", 5},
		{"cross-border", 3}, {"TTP", 3}, {"TTP’s", 3}, {"ISKP", 4}, {"2021", 4}, {"19", 2},
		{"mediated", 4}, {"frustration", 3}, {"diplomatic", 4}, {"Islamabad", 4},
		{"—", 1},
	} {
		if got := wordSyllables(test.word); got != test.want {
			t.Errorf("wordSyllables(%q) = %d, want %d", test.word, got, test.want)
		}
	}
}

func TestFleschReadingEase(t *testing.T) {
	t.Parallel()
	body := "The council will vote on the harbour budget next month. Critics say it is expensive."
	r := analyze(t, &article.Article{Title: "x", Body: body}, SiteFacts{})
	// the coun-cil will vote on the har-bour bud-get next month (13)
	// crit-ics say it is ex-pen-sive (8)
	if r.Text.Sentences != 2 || r.Text.SentenceWords != 15 || r.Text.Syllables != 21 {
		t.Fatalf("stats = %+v, want 2 sentences, 15 words, 21 syllables", r.Text)
	}
	want := 206.835 - 1.015*15/2 - 84.6*21/15
	if math.Abs(r.Text.FleschReadingEase-want) > 1e-9 {
		t.Errorf("reading ease %.2f, want %.2f", r.Text.FleschReadingEase, want)
	}
	if got := fleschReadingEase(10, 1, 40); got != 0 {
		t.Errorf("reading ease of very hard text = %.1f, want it kept at 0", got)
	}
	if got := fleschReadingEase(1, 1, 1); got != 100 {
		t.Errorf("reading ease of one-word sentences = %.1f, want it kept at 100", got)
	}
}

func TestMatchWords(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		in   string
		want []string
	}{
		{"Pakistan’s Cross-Border talks", []string{"pakistan", "cross", "border", "talk"}},
		{"Peace Talks", []string{"peace", "talk"}},
		{"countries' crisis, status & process", []string{"country", "crisis", "status", "process"}},
		{"Zürich café", []string{"zurich", "cafe"}},
		{"  ", nil},
	} {
		if diff := cmp.Diff(test.want, matchWords(test.in)); diff != "" {
			t.Errorf("matchWords(%q) mismatch (-want +got):\n%s", test.in, diff)
		}
	}
}

func TestClassifyLink(t *testing.T) {
	t.Parallel()
	const host = "news.example.org"
	for _, test := range []struct {
		dest string
		want int
	}{
		{"/other-article/", linkInternal},
		{"other-article/", linkInternal},
		{"../x", linkInternal},
		{"?page=2", linkInternal},
		{"https://news.example.org/a/", linkInternal},
		{"http://WWW.News.Example.org:8080/a/", linkInternal},
		{"//news.example.org/a/", linkInternal},
		{"https://example.org/", linkExternal},
		{"https://news.example.org.evil.test/", linkExternal},
		{"//cdn.example.net/x", linkExternal},
		{"#section", linkOther},
		{"mailto:desk@example.org", linkOther},
		{"tel:+123", linkOther},
		{"javascript:alert(1)", linkOther},
		{"", linkOther},
	} {
		if got := classifyLink(test.dest, host); got != test.want {
			t.Errorf("classifyLink(%q) = %d, want %d", test.dest, got, test.want)
		}
	}
	if got := classifyLink("https://news.example.org/", ""); got != linkExternal {
		t.Errorf("without a site host, an absolute link is external; got %d", got)
	}
}

// referenceFixture returns the path of the reference article, which CI
// provides beside the checkout.
func referenceFixture(t *testing.T) string {
	t.Helper()
	path := filepath.Join("..", "..", "..", "shared", "fixtures", "reference-article.txt")
	if _, err := os.Stat(path); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared fixture %s is missing: %v", path, err)
		}
		t.Skipf("shared fixture %s is missing (it lives beside the checkout): %v", path, err)
	}
	return path
}

func TestReferenceArticle(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile(referenceFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	a, err := text.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Validate(time.Now()); err != nil {
		t.Fatal(err)
	}
	r := analyze(t, a, SiteFacts{BaseURL: "https://news.example.org"})
	var b strings.Builder
	for _, c := range r.Checks {
		fmt.Fprintf(&b, "%-8s %-28s %s\n", c.Status, c.Name, c.Reason)
	}
	t.Logf("score %d\n%s\ntext: %+v", r.Score, b.String(), r.Text)

	want := map[string]Status{
		"keyphrase":          Improve, // not set
		"title-length":       Improve, // 90 characters
		"description-length": Improve, // about 300 characters
		"single-h1":          OK,
		"heading-levels":     OK,
		"text-length":        OK,
		"subheadings":        OK,
		"paragraph-length":   OK,
		"internal-links":     Improve, // none in the body
		"outbound-links":     Improve,
		"image-alt":          OK, // no images
	}
	got := statuses(r)
	for id, w := range want {
		if got[id] != w {
			c, _ := r.Check(id)
			t.Errorf("%s: status %q, want %q (reason: %s)", id, got[id], w, c.Reason)
		}
	}
	if c, _ := r.Check("internal-links"); !strings.Contains(c.Reason, "How the TTP Resurgence Threatens") {
		t.Errorf("internal-links reason does not suggest the requested links: %s", c.Reason)
	}
	// News prose on security policy: long words, sentences of 20 words or
	// so. Anything from very difficult to fairly difficult is sane.
	if f := r.Text.FleschReadingEase; f < 10 || f > 60 {
		t.Errorf("Flesch reading ease %.1f is implausible for this article", f)
	}
	if r.Text.Sentences < 70 || r.Text.Sentences > 100 {
		t.Errorf("%d sentences; the article's paragraphs have 81", r.Text.Sentences)
	}
	if r.Score < 40 || r.Score > 90 {
		t.Errorf("score %d is implausible", r.Score)
	}

	// With a keyphrase, the keyphrase checks take the place of the
	// reminder.
	a.FocusKeyphrase = "cross-border military action"
	r = analyze(t, a, SiteFacts{})
	got = statuses(r)
	for id, w := range map[string]Status{
		"keyphrase-title":       OK,      // word 4 of 13
		"keyphrase-description": Improve, // "cross-border military operations"
		"keyphrase-intro":       Improve,
		"keyphrase-slug":        OK,
	} {
		if got[id] != w {
			c, _ := r.Check(id)
			t.Errorf("with keyphrase: %s: status %q, want %q (reason: %s)", id, got[id], w, c.Reason)
		}
	}
}

// Issue 20: a focus keyphrase that names a topic page of the site asks
// for a link to it, and is OK once the text has one; it never lowers the
// score.
func TestKeyphraseTopic(t *testing.T) {
	topics := []Topic{
		{Name: "Harbour Authority", Names: []string{"HA"}, Path: "/topic/harbour-authority/"},
		{Name: "Pakistan", Path: "/topic/pakistan/"},
	}
	site := SiteFacts{BaseURL: "https://news.example.org", Topics: topics}
	for _, test := range []struct {
		name, keyphrase, link string
		want                  Status // "" for no check
		reason                string
	}{
		{"not a topic", "harbour bridge", "", "", ""},
		{"a topic, not linked", "pakistan", "",
			Improve, "the focus keyphrase is the topic Pakistan, which has a topic page: link it (/topic/pakistan/) where the text first mentions Pakistan"},
		{"a topic by another name", "HA", "", Improve, ""},
		{"a topic linked", "Harbour Authority", " See the [authority](/topic/harbour-authority/).",
			OK, "the focus keyphrase is the topic Harbour Authority, and the text links its topic page (/topic/harbour-authority/)"},
		{"a topic linked by its full address", "Pakistan", " More [on Pakistan](https://www.news.example.org/topic/pakistan).", OK, ""},
		{"another site's page of the topic", "Pakistan", " See [theirs](https://other.example.com/topic/pakistan/).", Improve, ""},
		{"part of a topic's name", "harbour", "", "", ""},
	} {
		t.Run(test.name, func(t *testing.T) {
			a := good()
			a.FocusKeyphrase = test.keyphrase
			a.Body += test.link
			r := analyze(t, a, site)
			c, ok := r.Check("keyphrase-topic")
			switch {
			case test.want == "" && ok:
				t.Fatalf("keyphrase %q: a topic check %+v; want none", test.keyphrase, c)
			case test.want == "":
				return
			case !ok:
				t.Fatalf("keyphrase %q: no topic check; want %s", test.keyphrase, test.want)
			}
			if c.Status != test.want || test.reason != "" && c.Reason != test.reason {
				t.Errorf("keyphrase %q: %s %q; want %s %q", test.keyphrase, c.Status, c.Reason, test.want, test.reason)
			}
			without := analyze(t, a, SiteFacts{BaseURL: site.BaseURL})
			if r.Score < without.Score {
				t.Errorf("the topic check lowered the score from %d to %d", without.Score, r.Score)
			}
		})
	}
}
