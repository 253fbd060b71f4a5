package text

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"html"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/google/go-cmp/cmp"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
)

var update = flag.Bool("update", false, "update the golden files in testdata")

// heading is an outline entry without its anchor id.
type heading struct {
	Level int    `json:"level"`
	Text  string `json:"text"`
}

func outline(t *testing.T, body string) []heading {
	t.Helper()
	var out []heading
	for _, h := range render.New().Parse([]byte(body)).Outline() {
		out = append(out, heading{h.Level, h.Text})
	}
	return out
}

// renderHTML parses body with Dateline's renderer and renders it as HTML.
func renderHTML(t *testing.T, body string) string {
	t.Helper()
	doc := render.New().Parse([]byte(body))
	md := goldmark.New(goldmark.WithExtensions(extension.GFM, extension.Footnote))
	var buf bytes.Buffer
	if err := md.Renderer().Render(&buf, doc.Source, doc.Root); err != nil {
		t.Fatalf("rendering body: %v", err)
	}
	return buf.String()
}

var (
	tagRE       = regexp.MustCompile(`<(/?[a-zA-Z][a-zA-Z0-9]*)`)
	paragraphRE = regexp.MustCompile(`(?s)<p>(.*?)</p>`)
)

// checkOnlyTags fails unless every tag of the HTML is one of allowed, and no
// raw HTML was found.
func checkOnlyTags(t *testing.T, htm string, allowed ...string) {
	t.Helper()
	ok := map[string]bool{}
	for _, a := range allowed {
		ok[a], ok["/"+a] = true, true
	}
	for _, m := range tagRE.FindAllStringSubmatch(htm, -1) {
		if !ok[m[1]] {
			t.Errorf("rendered body has a <%s> tag; HTML:\n%s", m[1], htm)
		}
	}
	if strings.Contains(htm, "raw HTML omitted") {
		t.Errorf("rendered body has raw HTML; HTML:\n%s", htm)
	}
}

// paragraphs returns the text of the rendered paragraphs as a reader sees it.
func paragraphs(htm string) []string {
	var out []string
	for _, m := range paragraphRE.FindAllStringSubmatch(htm, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

func mustParse(t *testing.T, src string) *article.Article {
	t.Helper()
	a, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return a
}

func TestParseReference(t *testing.T) {
	t.Parallel()
	const dir = "../../../../shared/fixtures"
	src, err := os.ReadFile(filepath.Join(dir, "reference-article.txt"))
	if errors.Is(err, fs.ErrNotExist) {
		if os.Getenv("CI") != "" {
			t.Fatalf("reference fixture missing in CI: %v", err)
		}
		t.Skipf("reference fixture %s/reference-article.txt is outside the repository and not present here", dir)
	}
	if err != nil {
		t.Fatal(err)
	}
	js, err := os.ReadFile(filepath.Join(dir, "reference-article.expected.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want struct {
		Title          string    `json:"title"`
		Description    string    `json:"description"`
		Outline        []heading `json:"outline"`
		RequestedLinks []string  `json:"requested_links"`
	}
	if err := json.Unmarshal(js, &want); err != nil {
		t.Fatal(err)
	}

	a, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if diff := cmp.Diff(want.Title, a.Title); diff != "" {
		t.Errorf("title mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want.Description, a.Description); diff != "" {
		t.Errorf("description mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want.Outline, outline(t, a.Body)); diff != "" {
		t.Errorf("outline mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(want.RequestedLinks, a.RequestedLinks); diff != "" {
		t.Errorf("requested links mismatch (-want +got):\n%s", diff)
	}
	for _, s := range []string{"Meta Description", "Suggested Internal Linking", "Leave a Reply", "Your email address", "Related Article"} {
		if strings.Contains(a.Body, s) {
			t.Errorf("body contains %q", s)
		}
	}
	for _, l := range strings.Split(a.Body, "\n") {
		if l == "0" || l == "1" {
			t.Errorf("body has a counter line %q", l)
		}
	}
	for _, s := range []string{"Pakistan’s", "—", "### “Patience Has Run Out”", "“war economy”"} {
		if !strings.Contains(a.Body, s) {
			t.Errorf("body lost %q", s)
		}
	}
	if !strings.HasPrefix(a.Body, "## Introduction\n\nThe fragile relationship") {
		t.Errorf("body starts with %q, want the introduction", a.Body[:min(len(a.Body), 60)])
	}
	if !strings.HasSuffix(a.Body, "era of confrontation.\n") {
		t.Errorf("body ends with %q, want the conclusion's last sentence", a.Body[max(0, len(a.Body)-60):])
	}
}

func TestParseArticle(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("testdata/flood-barrier.txt")
	if err != nil {
		t.Fatal(err)
	}
	a := mustParse(t, string(src))

	want := &article.Article{
		Title:       "Harwick Approves £48m River Barrier After Record Winter Floods",
		Description: "Harwick’s council has approved a £48m barrier on the River Lune after the wettest winter on record. We look at the plan, its cost and what residents can expect.",
		Body:        a.Body, // compared with the golden file below
		RequestedLinks: []string{
			"Why Harwick’s Old Bridge Keeps Closing",
			"‘A River Rises’: Ten Years of Flooding on the Lune",
			"Quayside Residents Form Flood Action Group",
		},
	}
	if diff := cmp.Diff(want, a); diff != "" {
		t.Errorf("article mismatch (-want +got):\n%s", diff)
	}

	wantOutline := []heading{
		{2, "Overview"}, // an H3 before any H2 is promoted
		{2, "How the Barrier Will Work"},
		{3, "The Gates"},
		{3, "“It Will Not Be Pretty”"},
		{2, "What Residents Can Expect"},
	}
	if diff := cmp.Diff(wantOutline, outline(t, a.Body)); diff != "" {
		t.Errorf("outline mismatch (-want +got):\n%s", diff)
	}

	golden := "testdata/flood-barrier.md"
	if *update {
		if err := os.WriteFile(golden, []byte(a.Body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	wantBody, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(wantBody), a.Body); diff != "" {
		t.Errorf("body mismatch (-want +got):\n%s", diff)
	}

	htm := renderHTML(t, a.Body)
	checkOnlyTags(t, htm, "p", "h2", "h3", "ul", "ol", "li")
	for _, s := range []string{
		"<ul>\n<li>the riverside path will close between the two bridges;</li>",
		"<ol>\n<li>Work stops during the salmon run.</li>",
		"<p>“We have waited long enough for someone else to pay.”</p>",
	} {
		if !strings.Contains(htm, s) {
			t.Errorf("rendered body lacks %q; HTML:\n%s", s, htm)
		}
	}
	for _, s := range []string{"0\n", "1,204", "Meta Description", "Related Reading", "Read also", "Leave a Reply", "Post Comment", "Δ"} {
		if strings.Contains(a.Body, s) {
			t.Errorf("body contains %q", s)
		}
	}
}

func TestParseKeepsTextLiteral(t *testing.T) {
	t.Parallel()
	src, err := os.ReadFile("testdata/special-characters.txt")
	if err != nil {
		t.Fatal(err)
	}
	a := mustParse(t, string(src))
	if want := "Five Things the Budget *Doesn’t* Say"; a.Title != want {
		t.Errorf("title = %q, want %q", a.Title, want)
	}
	if want := "A line-by-line look at Harwick’s budget_final.xlsx & what the <small print> hides."; a.Description != want {
		t.Errorf("description = %q, want %q", a.Description, want)
	}
	wantOutline := []heading{
		{2, "The [Draft] Budget"},
		{3, "Q&A: Who Pays? *Nobody* Knows #"},
	}
	if diff := cmp.Diff(wantOutline, outline(t, a.Body)); diff != "" {
		t.Errorf("outline mismatch (-want +got):\n%s", diff)
	}

	htm := renderHTML(t, a.Body)
	checkOnlyTags(t, htm, "p", "h2", "h3")
	want := []string{
		"The spreadsheet, titled budget_final_v2.xlsx, puts road repairs at *half* last year’s sum. A note [1] points to a page that reads [see annex](annex.html).\n" +
			"# not a heading, just a line that starts with a hash\n" +
			"1. not a list, only a numbered line inside a paragraph\n" +
			"The treasurer’s note says costs are 5 * 3 * 2 = 30 units &amp; rising.",
		`One councillor pasted <script>alert("hi")</script> into the public minutes; another typed &copy; and &#169; by hand.`,
		"Prices rose from £5 to £7 -- a 40% jump -- on the `B2` ferry.\n" +
			"> This is not a quote.\n" +
			"=== not a setext underline\n" +
			":-- nor a table\n" +
			"~~nor struck~~ and a | pipe | or two.\n" +
			"---",
		"A backslash \\ stands alone, and __this__ is not strong.\n___",
	}
	if diff := cmp.Diff(want, paragraphs(htm)); diff != "" {
		t.Errorf("rendered paragraphs mismatch (-want +got):\n%s", diff)
	}
}

// TestEscaping checks that lines that would be Markdown syntax render as
// the text they are, both first in a paragraph and after its first line.
func TestEscaping(t *testing.T) {
	t.Parallel()
	for _, line := range []string{
		"# not a heading",
		"###### nor this",
		"#hashtag",
		"1. not a list",
		"2) nor this",
		"1986. That was the year.",
		"-5 degrees overnight",
		"+44 is the code",
		"=== underline",
		"--- underline",
		"***",
		"___",
		"> not a quote",
		":-- | --: not a table",
		":--",
		":-:",
		"| a | b |",
		"```go",
		"~~~",
		"~~not struck~~",
		"<div>not a block</div>",
		"<!-- not a comment -->",
		"<b>not bold</b>",
		"[label]: /not-a-definition",
		"[^1]: not a footnote",
		"a footnote mark[^1] stays",
		"![not an image](x.png)",
		"*not emphasis* and _not emphasis_",
		"**not strong** and __not strong__",
		"snake_case_name and 2*3*4",
		"`not code`",
		"a backslash \\* before a star",
		"a trailing backslash \\",
		"entities &amp; &lt;b&gt; &#65; &#x42; stay, AT&T too",
		"“Curly” ‘quotes’ — dashes – and … stay",
	} {
		for _, block := range []string{line + "\nA second line.", "A first line.\n" + line} {
			src := "Title\n\n" + block + "\n"
			a := mustParse(t, src)
			htm := renderHTML(t, a.Body)
			checkOnlyTags(t, htm, "p")
			if diff := cmp.Diff([]string{block}, paragraphs(htm)); diff != "" {
				t.Errorf("block %q: rendered text mismatch (-want +got):\n%s\nbody:\n%s", block, diff, a.Body)
			}
		}
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name    string
		content string
		want    error
	}{
		{"empty", "", ErrEmpty},
		{"whitespace", " \n\t\r\n  \u00a0\n\n", ErrEmpty},
		{"byte order mark only", "\uFEFF\n", ErrEmpty},
		{"title only", "Harwick Votes on Barrier", ErrNoBody},
		{"title and blank lines", "\n\nHarwick Votes on Barrier\n\n\n", ErrNoBody},
		{"title and counters", "Harwick Votes on Barrier\n\n0\n3\n", ErrNoBody},
		{"title and description", "Harwick Votes on Barrier\n\nMeta Description: The vote is on Tuesday.\n", ErrNoBody},
		{"title and links", "Harwick Votes on Barrier\n\nRelated Articles\n\n• The Old Bridge\n", ErrNoBody},
		{"title and comment form", "Harwick Votes on Barrier\n\nLeave a Reply\n\nYour email address will not be published. Required fields are marked *", ErrNoBody},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			a, err := Parse([]byte(test.content))
			if !errors.Is(err, test.want) {
				t.Fatalf("Parse(%q) = %+v, %v; want error %v", test.content, a, err, test.want)
			}
			if a != nil {
				t.Errorf("Parse returned an article with an error")
			}
		})
	}
	if got, want := ErrNoBody.Error(), "file has a title but no body text"; got != want {
		t.Errorf("ErrNoBody = %q, want %q", got, want)
	}
	if got, want := ErrEmpty.Error(), "file is empty"; got != want {
		t.Errorf("ErrEmpty = %q, want %q", got, want)
	}
}

func TestParseLineEndings(t *testing.T) {
	t.Parallel()
	const lf = "Harwick Opens Flood Hub  \n\n12\n\nMeta description:\n\nA new hub opens.\n\n\nThe Hub\n\nIt opens on Monday.\nIt closes at six.\n"
	want := &article.Article{
		Title:       "Harwick Opens Flood Hub",
		Description: "A new hub opens.",
		Body:        "## The Hub\n\nIt opens on Monday.\nIt closes at six.\n",
	}
	for _, test := range []struct {
		name    string
		content string
	}{
		{"LF", lf},
		{"CRLF", strings.ReplaceAll(lf, "\n", "\r\n")},
		{"CR", strings.ReplaceAll(lf, "\n", "\r")},
		{"BOM and trailing spaces", "\uFEFF" + strings.ReplaceAll(lf, "\n", " \t\n")},
		{"no final newline", strings.TrimSuffix(lf, "\n")},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(want, mustParse(t, test.content)); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseDescription(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name     string
		content  string
		wantDesc string
		wantBody string
	}{
		{
			name:     "none",
			content:  "Harwick Votes\n\nThe vote is on Tuesday.\n",
			wantDesc: "",
			wantBody: "The vote is on Tuesday.\n",
		},
		{
			name:     "same line",
			content:  "Harwick Votes\n\nMETA DESCRIPTION: Council votes on Tuesday.\n\nThe vote is on Tuesday.\n",
			wantDesc: "Council votes on Tuesday.",
			wantBody: "The vote is on Tuesday.\n",
		},
		{
			name:     "next line",
			content:  "Harwick Votes\n\nMeta Description:\nCouncil votes\non Tuesday.\n\nThe vote is on Tuesday.\n",
			wantDesc: "Council votes on Tuesday.",
			wantBody: "The vote is on Tuesday.\n",
		},
		{
			name:     "next paragraph without colon",
			content:  "Harwick Votes\n\nmeta description\n\n\nCouncil votes on Tuesday.\n\nThe vote is on Tuesday.\n",
			wantDesc: "Council votes on Tuesday.",
			wantBody: "The vote is on Tuesday.\n",
		},
		{
			name:     "a sentence about meta descriptions is body text",
			content:  "Harwick Votes\n\nMeta descriptions matter to search engines.\n",
			wantDesc: "",
			wantBody: "Meta descriptions matter to search engines.\n",
		},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			got := mustParse(t, test.content)
			if got.Description != test.wantDesc {
				t.Errorf("description = %q, want %q", got.Description, test.wantDesc)
			}
			if diff := cmp.Diff(test.wantBody, got.Body); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseRequestedLinks(t *testing.T) {
	t.Parallel()
	const intro = "Harwick Votes\n\nThe vote is on Tuesday.\n\n"
	for _, test := range []struct {
		name      string
		content   string
		wantLinks []string
		wantBody  string
	}{
		{
			name: "markdown links",
			content: intro + "Further Reading\n\n" +
				"- [The Old Bridge Closes Again](https://example.com/old-bridge)\n" +
				"* [“Quayside Floods”](/quayside)\n" +
				"1. Related Article: [Lune Salmon Return](lune)\n",
			wantLinks: []string{"The Old Bridge Closes Again", "Quayside Floods", "Lune Salmon Return"},
			wantBody:  "The vote is on Tuesday.\n",
		},
		{
			name:      "heading with colon, items in the same block",
			content:   intro + "SUGGESTED INTERNAL LINKS:\n• See also: 'The Old Bridge'\n• Lune Salmon Return\n",
			wantLinks: []string{"The Old Bridge", "Lune Salmon Return"},
			wantBody:  "The vote is on Tuesday.\n",
		},
		{
			name:      "plain lines and a comment form after",
			content:   intro + "Related Articles\n\nThe Old Bridge\n\n\nLune Salmon Return\n\nLeave a Comment\n\nComment\nName *\nEmail *\nWebsite\n",
			wantLinks: []string{"The Old Bridge", "Lune Salmon Return"},
			wantBody:  "The vote is on Tuesday.\n",
		},
		{
			name:      "not at the end",
			content:   intro + "Related reading\n\n• The Old Bridge\n\n" + strings.Repeat("A long paragraph follows the list. ", 6) + "\n",
			wantLinks: nil,
			wantBody:  "The vote is on Tuesday.\n\n## Related reading\n\n- The Old Bridge\n\n" + strings.Repeat("A long paragraph follows the list. ", 5) + "A long paragraph follows the list.\n",
		},
		{
			name:      "empty block",
			content:   intro + "Suggested Reading:\n",
			wantLinks: nil,
			wantBody:  "The vote is on Tuesday.\n",
		},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			got := mustParse(t, test.content)
			if diff := cmp.Diff(test.wantLinks, got.RequestedLinks); diff != "" {
				t.Errorf("links mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(test.wantBody, got.Body); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseBlocks covers the rules for headings, lists, counters and the
// comment form one at a time.
func TestParseBlocks(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("word ", 31) + "end"
	for _, test := range []struct {
		name    string
		content string // after the title line
		want    string
	}{
		{
			name:    "counters only right under the title",
			content: "\n0\n\n1,234\n\nThe vote.\n\n2\n\nMore.\n",
			want:    "The vote.\n\n2\n\nMore.\n",
		},
		{
			name:    "h2 after two blank lines",
			content: "\nIntro.\n\n\nThe Vote\n\nText.\n",
			want:    "Intro.\n\n## The Vote\n\nText.\n",
		},
		{
			name:    "h2 may end with a question mark",
			content: "\nIntro.\n\n\nWho Pays?\n\nText.\n",
			want:    "Intro.\n\n## Who Pays?\n\nText.\n",
		},
		{
			name:    "h2 candidate ending with a period is a paragraph",
			content: "\nIntro.\n\n\nThe vote is close.\n\nText.\n",
			want:    "Intro.\n\nThe vote is close.\n\nText.\n",
		},
		{
			name:    "h2 candidate that is too long is a paragraph",
			content: "\nIntro.\n\n\n" + long + "\n\nText.\n",
			want:    "Intro.\n\n" + long + "\n\nText.\n",
		},
		{
			name:    "last block is never a heading",
			content: "\nIntro.\n\n\nThe End\n",
			want:    "Intro.\n\nThe End\n",
		},
		{
			name:    "bullet after two blank lines is a list",
			content: "\nIntro.\n\n\n• One point\n\nText.\n",
			want:    "Intro.\n\n- One point\n\nText.\n",
		},
		{
			name:    "h3 before any h2 is promoted",
			content: "\nFirst Things\n\nText.\n\n\nThe Vote\n\nSecond Look\n\nText.\n",
			want:    "## First Things\n\nText.\n\n## The Vote\n\n### Second Look\n\nText.\n",
		},
		{
			name:    "h3 candidates that are not headings",
			content: "\n\nThe Vote\n\nThe council said:\n\nText.\n\n“We will not wait.”\n\nText.\n\none two three four five six seven eight nine ten eleven twelve thirteen\n\nText.\n",
			want:    "## The Vote\n\nThe council said:\n\nText.\n\n“We will not wait.”\n\nText.\n\none two three four five six seven eight nine ten eleven twelve thirteen\n\nText.\n",
		},
		{
			name:    "h3 candidate followed by a heading is a paragraph",
			content: "\n\nThe Vote\n\nA Short Line\n\nSub Head\n\nText.\n",
			want:    "## The Vote\n\nA Short Line\n\n### Sub Head\n\nText.\n",
		},
		{
			name:    "numbered sub-headings",
			content: "\n\nThe Options\n\n1. Build a Wall\n\nText.\n\n2) Move Away\n\nText.\n",
			want:    "## The Options\n\n### 1. Build a Wall\n\nText.\n\n### 2) Move Away\n\nText.\n",
		},
		{
			name:    "heading markup is escaped",
			content: "\n\nC# and *Stars* <b> #\n\nText.\n",
			want:    "## C\\# and \\*Stars\\* \\<b\\> \\#\n\nText.\n",
		},
		{
			name:    "bullets of every kind, in separate blocks, merge",
			content: "\nIntro.\n\n• one\n· two\n‣ three\n\n- four\n* five\n– six\n\n  ◦ # seven\n",
			want:    "Intro.\n\n- one\n- two\n- three\n- four\n- five\n- six\n- \\# seven\n",
		},
		{
			name:    "numbered list keeps its numbers",
			content: "\nIntro.\n\n3. Third point.\n4) Fourth point.\n\n5. Fifth point.\n",
			want:    "Intro.\n\n3. Third point.\n4. Fourth point.\n5. Fifth point.\n",
		},
		{
			name:    "paragraph then list in one block",
			content: "\nIntro.\n\nYou need:\n- boots\n- a torch\n1. first\n2. second\nThanks.\n",
			want:    "Intro.\n\nYou need:\n\n- boots\n- a torch\n\n1. first\n2. second\n\nThanks.\n",
		},
		{
			name:    "comment form with other text after it stays",
			content: "\nIntro.\n\nLeave a Reply\n\nGreat piece, thank you!\n",
			want:    "Intro.\n\n## Leave a Reply\n\nGreat piece, thank you!\n",
		},
		{
			name:    "comment form on separate lines",
			content: "\nIntro.\n\nLeave a Comment Cancel reply\nYour email address will not be published.\nRequired fields are marked *\n\nComment *\n\nName *\nEmail *\nWebsite\n\nSave my name, email, and website in this browser for the next time I comment.\n\nPost Comment\nΔ\n",
			want:    "Intro.\n",
		},
		{
			name:    "indentation and invisible spaces are dropped",
			content: "\n    Indented text.\n\u200b\n\tMore.\n",
			want:    "Indented text.\n\nMore.\n",
		},
	} {
		t.Run(test.name, func(t *testing.T) {
			t.Parallel()
			got := mustParse(t, "Harwick Votes\n"+test.content)
			if diff := cmp.Diff(test.want, got.Body); diff != "" {
				t.Errorf("body mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// FuzzParse checks that Parse never panics and that the Markdown it writes
// holds exactly the headings it meant to write, at levels 2 and 3, starting
// at level 2.
func FuzzParse(f *testing.F) {
	for _, name := range []string{"flood-barrier.txt", "special-characters.txt"} {
		src, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("T\n\n\n# a\n\n1. b\n\n* c\n\n<x>\n\n---\n"))
	f.Fuzz(func(t *testing.T, content []byte) {
		if !utf8.Valid(content) {
			return // the caller checks this
		}
		a, err := Parse(content)
		if err != nil {
			return
		}
		if a.Title == "" || strings.ContainsAny(a.Title, "\r\n") {
			t.Errorf("title = %q", a.Title)
		}
		if !strings.HasSuffix(a.Body, "\n") || strings.HasSuffix(a.Body, "\n\n") || strings.TrimSpace(a.Body) == "" {
			t.Errorf("body = %q, want text ending in one newline", a.Body)
		}
		written := 0
		for _, l := range strings.Split(a.Body, "\n") {
			if strings.HasPrefix(l, "## ") || strings.HasPrefix(l, "### ") {
				written++
			}
		}
		doc := render.New().Parse([]byte(a.Body))
		var levels []int
		_ = ast.Walk(doc.Root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if h, ok := n.(*ast.Heading); ok && entering {
				levels = append(levels, h.Level)
			}
			return ast.WalkContinue, nil
		})
		if len(levels) != written {
			t.Errorf("body has %d headings, %d written; body:\n%s", len(levels), written, a.Body)
		}
		for i, l := range levels {
			if l != 2 && l != 3 || i == 0 && l != 2 {
				t.Errorf("heading %d has level %d; body:\n%s", i, l, a.Body)
			}
		}
	})
}
