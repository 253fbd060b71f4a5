package seo

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mmcdole/gofeed"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites that file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", name)
	if *updateGolden {
		if err := os.WriteFile(file, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", name, diff)
	}
}

var (
	published = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	edited    = time.Date(2026, 11, 21, 9, 30, 0, 0, time.FixedZone("CET", 3600))
)

func sampleFeed(full bool) *Feed {
	f := &Feed{
		Title:       "The Selvik Courier",
		Description: "News from Selvik",
		Language:    "en",
		Link:        "https://news.example/",
		Updated:     edited,
		Author:      "The Selvik Courier",
		Items: []FeedItem{
			{
				Title:      "Flood Barriers Hold as the Ems Crests",
				Link:       "https://news.example/flood-barriers-hold/",
				Published:  published,
				Updated:    edited,
				Author:     "Ingrid Solheim",
				AuthorURL:  "https://news.example/author/ingrid-solheim/",
				Categories: []string{"Environment", "Selvik"},
				Summary:    "The new barriers held through the highest water in a decade.",
				Content:    NewItemHTML(`<p>The river crested at 4.3 metres &amp; fell.</p><p><a href="https://news.example/night-trams/">Night trams</a></p>`),
			},
			{
				Title:     "Night Trams Are Back",
				Link:      "https://news.example/night-trams/",
				Published: published.Add(-time.Hour),
				Updated:   published.Add(-time.Hour),
				Summary:   "They run all night.",
				Content:   NewItemHTML("<p>They run all night.</p>"),
			},
		},
	}
	if !full {
		for i := range f.Items {
			f.Items[i].Content = nil
		}
	}
	return f
}

func TestFeedGolden(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		name  string
		full  bool
		write func(*Feed, string) ([]byte, error)
		self  string
	}{
		{"feed.rss", true, (*Feed).RSS, "https://news.example/feed/"},
		{"feed.atom", true, (*Feed).Atom, "https://news.example/feed/atom/"},
		{"feed.json", true, (*Feed).JSON, "https://news.example/feed.json"},
		{"feed-summary.rss", false, (*Feed).RSS, "https://news.example/feed/"},
		{"feed-summary.atom", false, (*Feed).Atom, "https://news.example/feed/atom/"},
		{"feed-summary.json", false, (*Feed).JSON, "https://news.example/feed.json"},
	} {
		t.Run(test.name, func(t *testing.T) {
			got, err := test.write(sampleFeed(test.full), test.self)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, test.name, got)
		})
	}
}

// item is what the tests compare of a parsed feed item.
type item struct {
	Title, Link, ID      string
	Published, Updated   time.Time
	Author               string
	Categories           []string
	Description, Content string
}

func parsedItems(t *testing.T, feed *gofeed.Feed) []item {
	t.Helper()
	var out []item
	for _, it := range feed.Items {
		got := item{Title: it.Title, Link: it.Link, ID: it.GUID, Categories: it.Categories,
			Description: strings.TrimSpace(it.Description), Content: strings.TrimSpace(it.Content)}
		if it.PublishedParsed != nil {
			got.Published = it.PublishedParsed.UTC()
		}
		if it.UpdatedParsed != nil {
			got.Updated = it.UpdatedParsed.UTC()
		}
		if len(it.Authors) > 0 {
			got.Author = it.Authors[0].Name
		}
		out = append(out, got)
	}
	return out
}

func TestFeedsParse(t *testing.T) {
	t.Parallel()
	for _, full := range []bool{true, false} {
		f := sampleFeed(full)
		var want []item
		for _, it := range f.Items {
			w := item{Title: it.Title, Link: it.Link, ID: it.Link, Published: it.Published.UTC(), Updated: it.Updated.UTC(),
				Author: it.Author, Categories: it.Categories, Description: it.Summary, Content: it.Content.String()}
			want = append(want, w)
		}
		for _, format := range []struct {
			name  string
			write func(*Feed, string) ([]byte, error)
		}{{"rss", (*Feed).RSS}, {"atom", (*Feed).Atom}, {"json", (*Feed).JSON}} {
			body, err := format.write(f, "https://news.example/self")
			if err != nil {
				t.Fatal(err)
			}
			parsed, err := gofeed.NewParser().ParseString(string(body))
			if err != nil {
				t.Fatalf("%s: %v", format.name, err)
			}
			if parsed.Title != f.Title || parsed.Link != f.Link || parsed.Language != f.Language {
				t.Errorf("%s: feed title %q, link %q, language %q", format.name, parsed.Title, parsed.Link, parsed.Language)
			}
			w := want
			if !full && format.name == "json" {
				// An item needs content: the summary stands in.
				w = append([]item(nil), want...)
				for i := range w {
					w[i].Content = w[i].Description
				}
			}
			if diff := cmp.Diff(w, parsedItems(t, parsed)); diff != "" {
				t.Errorf("%s (full %v) items mismatch (-want +got):\n%s", format.name, full, diff)
			}
		}
	}
}

// wellFormed decodes body to its end with encoding/xml.
func wellFormed(t *testing.T, body []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(body))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
}

// Issue 5: titles and descriptions with markup characters, emoji, line
// breaks, control characters and 10,000 characters stay well-formed.
func TestFeedsWithBadInput(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("Ünïcode & <long> ", 10000/17+1)[:10000]
	for _, test := range []struct{ name, title, summary string }{
		{"quotes", `He said "no" and 'yes'`, `"Quoted" 'text'`},
		{"markup", `A <b>bold</b> & <script>alert(1)</script> title`, `x < y && y > z; </description></item>]]>`},
		{"emoji", "Harbour 🌊 news 🎉", "Waves 🌊🌊"},
		{"newlines", "Line one\nline two\r\nthree", "Para one.\n\nPara two."},
		{"control", "Bell\x01 and vertical\x0btab\x00 \x1f end", "Form\x0cfeed \x7f delete \uFFFE \xff bad byte"},
		{"long", long, long},
	} {
		t.Run(test.name, func(t *testing.T) {
			f := sampleFeed(true)
			f.Title = test.title
			f.Description = test.summary
			f.Items[0].Title = test.title
			f.Items[0].Summary = test.summary
			f.Items[0].Categories = []string{test.title}
			f.Items[0].Author = test.title
			f.Items[0].Content = NewItemHTML("<p>" + test.summary + "</p>")
			wantTitle := strings.Join(strings.Fields(CleanText(test.title)), " ")
			for _, format := range []struct {
				name  string
				write func(*Feed, string) ([]byte, error)
			}{{"rss", (*Feed).RSS}, {"atom", (*Feed).Atom}, {"json", (*Feed).JSON}} {
				body, err := format.write(f, "https://news.example/self")
				if err != nil {
					t.Fatal(err)
				}
				if format.name == "json" {
					if !json.Valid(body) {
						t.Fatalf("json: invalid JSON")
					}
				} else {
					wellFormed(t, body)
				}
				parsed, err := gofeed.NewParser().ParseString(string(body))
				if err != nil {
					t.Fatalf("%s: gofeed: %v", format.name, err)
				}
				if got := parsed.Items[0].Title; got != wantTitle {
					t.Errorf("%s: title = %.80q…, want %.80q…", format.name, got, wantTitle)
				}
				if got, want := strings.TrimSpace(parsed.Items[0].Description), strings.TrimSpace(CleanText(test.summary)); got != want {
					t.Errorf("%s: summary = %.80q…, want %.80q…", format.name, got, want)
				}
			}
		})
	}
}

func TestCleanText(t *testing.T) {
	t.Parallel()
	for _, test := range []struct{ name, in, want string }{
		{"plain", "Flood barriers hold", "Flood barriers hold"},
		{"white space kept", "a\tb\nc\rd", "a\tb\nc\rd"},
		{"controls dropped", "a\x00b\x01c\x0bd\x0ce\x1ff", "abcdef"},
		{"delete and C1 kept", "a\x7fb\u0085c", "a\x7fb\u0085c"},
		{"noncharacters dropped", "a\uFFFEb\uFFFFc", "abc"},
		{"invalid UTF-8 dropped", "a\xffb\xed\xa0\x80c", "abc"},
		{"emoji kept", "🌊 & 🎉 <ok>", "🌊 & 🎉 <ok>"},
		{"replacement character kept", "a\uFFFDb", "a\uFFFDb"},
	} {
		t.Run(test.name, func(t *testing.T) {
			if got := CleanText(test.in); got != test.want {
				t.Errorf("CleanText(%q) = %q, want %q", test.in, got, test.want)
			}
		})
	}
}

func TestAbsoluteURLs(t *testing.T) {
	t.Parallel()
	for _, test := range []struct{ name, in, want string }{
		{"relative link", `<a href="/night-trams/">x</a>`, `<a href="https://news.example/night-trams/">x</a>`},
		{"image", `<img src="/static/a.png" alt="">`, `<img src="https://news.example/static/a.png" alt="">`},
		{"both, twice", `<a href="/a/">a</a><a href="/b/"><img src="/c.png"></a>`,
			`<a href="https://news.example/a/">a</a><a href="https://news.example/b/"><img src="https://news.example/c.png"></a>`},
		{"absolute untouched", `<a href="https://other.example/">x</a>`, `<a href="https://other.example/">x</a>`},
		{"protocol-relative untouched", `<img src="//cdn.example/a.png">`, `<img src="//cdn.example/a.png">`},
		{"fragment untouched", `<a href="#what-happened">x</a>`, `<a href="#what-happened">x</a>`},
		// Rendered text has its quotes escaped, so it never matches.
		{"text untouched", `<p>write href=&quot;/x&quot; in code</p>`, `<p>write href=&quot;/x&quot; in code</p>`},
	} {
		t.Run(test.name, func(t *testing.T) {
			if got := AbsoluteURLs(test.in, "https://news.example/"); got != test.want {
				t.Errorf("AbsoluteURLs(%q) = %q, want %q", test.in, got, test.want)
			}
		})
	}
}

func TestFeedLinks(t *testing.T) {
	t.Parallel()
	for _, test := range []struct {
		kind, slug, name string
		want             []FeedLink
	}{
		{SiteFeed, "", "The Selvik Courier", []FeedLink{
			{"The Selvik Courier (RSS)", "application/rss+xml", "/feed/"},
			{"The Selvik Courier (Atom)", "application/atom+xml", "/feed/atom/"},
			{"The Selvik Courier (JSON Feed)", "application/feed+json", "/feed.json"},
		}},
		{TagFeed, "environment", "Environment", []FeedLink{
			{"Environment (RSS)", "application/rss+xml", "/tag/environment/feed/"},
			{"Environment (Atom)", "application/atom+xml", "/tag/environment/feed/atom/"},
			{"Environment (JSON Feed)", "application/feed+json", "/tag/environment/feed.json"},
		}},
		{AuthorFeed, "ingrid-solheim", "Ingrid Solheim", []FeedLink{
			{"Ingrid Solheim (RSS)", "application/rss+xml", "/author/ingrid-solheim/feed/"},
			{"Ingrid Solheim (Atom)", "application/atom+xml", "/author/ingrid-solheim/feed/atom/"},
			{"Ingrid Solheim (JSON Feed)", "application/feed+json", "/author/ingrid-solheim/feed.json"},
		}},
	} {
		if diff := cmp.Diff(test.want, FeedLinks(test.kind, test.slug, test.name)); diff != "" {
			t.Errorf("FeedLinks(%q, %q) mismatch (-want +got):\n%s", test.kind, test.slug, diff)
		}
	}
}

// An item's content, escaped once for every feed that carries it, is
// written as encoding/xml writes the text of an element: quotes, tabs and
// line ends included, and without what XML cannot carry.
func TestItemHTMLEscapedAsXMLText(t *testing.T) {
	t.Parallel()
	for _, html := range []string{
		"",
		`<p class="lead">Rates & "fees" rise</p>`,
		"<p>It's\ta\r\nline\nbreak &lt; é ✓</p>",
		"<p>control \x01 and \xff bytes, \uFFFE</p>",
	} {
		type element struct {
			XMLName xml.Name `xml:"item"`
			Text    string   `xml:"content,omitempty"`
		}
		type escaped struct {
			XMLName xml.Name     `xml:"item"`
			Text    *escapedText `xml:"content,omitempty"`
		}
		want, err := xml.Marshal(element{Text: CleanText(html)})
		if err != nil {
			t.Fatal(err)
		}
		got, err := xml.Marshal(escaped{Text: escapedContent(NewItemHTML(html))})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%q written as\n%s\nwant\n%s", html, got, want)
		}
	}
}
