package wordpress

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/datelinehq/dateline/internal/importer/site"
)

// export is a WordPress export in the https wp namespace of recent
// versions, around the given items.
func export(items string) string {
	return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="https://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="https://wordpress.org/export/1.2/">
<channel>
<title>Harbour Gazette</title>
<link>https://gazette.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://gazette.example.org</wp:base_blog_url>
<wp:author><wp:author_login>lena</wp:author_login><wp:author_display_name><![CDATA[Lena Brandt]]></wp:author_display_name></wp:author>
` + items + `
</channel>
</rss>
`
}

func post(id, title, body string, extra ...string) string {
	return fmt.Sprintf(`<item><title>%s</title><link>https://gazette.example.org/%s/</link><dc:creator>lena</dc:creator>
<content:encoded><![CDATA[%s]]></content:encoded><wp:post_id>%s</wp:post_id><wp:post_date_gmt>2026-03-02 08:30:00</wp:post_date_gmt>
<wp:post_name>post-%s</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>%s</item>
`, title, id, body, id, id, strings.Join(extra, ""))
}

// collected is what Read visited.
type collected struct {
	site     site.Site
	authors  []site.Author
	items    []site.Item
	problems []string
}

func read(t *testing.T, data []byte) (*collected, error) {
	t.Helper()
	c := &collected{}
	err := Read(context.Background(), bytes.NewReader(data), site.Visitor{
		Site:   func(s site.Site) error { c.site = s; return nil },
		Author: func(a site.Author) error { c.authors = append(c.authors, a); return nil },
		Item:   func(it site.Item) error { c.items = append(c.items, it); return nil },
		Problem: func(p site.Problem) error {
			c.problems = append(c.problems, p.Where+": "+p.Message)
			return nil
		},
	})
	return c, err
}

func TestReadsItemsCommentsAndProblems(t *testing.T) {
	data := export(post("1", "Ferry news", "<p>Boats sail.</p>",
		`<wp:is_sticky>1</wp:is_sticky><wp:post_password></wp:post_password>`,
		`<wp:comment><wp:comment_id>7</wp:comment_id><wp:comment_author>Ana</wp:comment_author><wp:comment_date_gmt>2026-03-02 10:00:00</wp:comment_date_gmt><wp:comment_content>Hi</wp:comment_content><wp:comment_approved>1</wp:comment_approved><wp:comment_parent>0</wp:comment_parent></wp:comment>`,
		`<wp:comment><wp:comment_id>8</wp:comment_id><wp:comment_author>Ben</wp:comment_author><wp:comment_content>Re</wp:comment_content><wp:comment_approved>0</wp:comment_approved><wp:comment_parent>6</wp:comment_parent></wp:comment>`) +
		`<item><title>Guest</title><dc:creator>visitor</dc:creator><content:encoded>x</content:encoded><wp:post_id>2</wp:post_id><wp:status>draft</wp:status><wp:post_type>post</wp:post_type><wp:post_password>secret</wp:post_password></item>` +
		`<item><title>Menu</title><wp:post_id>3</wp:post_id><wp:post_type>nav_menu_item</wp:post_type></item>`)
	c, err := read(t, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if c.site.Title != "Harbour Gazette" || c.site.URL != "https://gazette.example.org" || len(c.authors) != 1 || c.authors[0].Name != "Lena Brandt" {
		t.Errorf("site %+v, authors %+v", c.site, c.authors)
	}
	if len(c.items) != 2 {
		t.Fatalf("%d items, want the post and the draft", len(c.items))
	}
	p := c.items[0]
	if !p.Sticky || p.Date.Format("2006-01-02 15:04") != "2026-03-02 08:30" || len(p.Comments) != 2 || p.Comments[1].ParentID != "" || p.Comments[1].State != site.Held {
		t.Errorf("post: %+v", p)
	}
	if strings.Join(p.OldURLs, " ") != "https://gazette.example.org/1/ /?p=1" {
		t.Errorf("old addresses %q", p.OldURLs)
	}
	if d := c.items[1]; d.Status != site.Draft || !d.Date.IsZero() || d.Restricted != "password-protected" {
		t.Errorf("draft: %+v", d)
	}
	all := strings.Join(c.problems, "\n")
	for _, want := range []string{
		`comment 8 replies to comment 6, which is not in the export`,
		`author "visitor" is named by items but not declared`,
		`1 nav_menu_item entries skipped`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
}

// A truncated export gives the items before the cut and an error naming
// where it stopped.
func TestTruncatedExport(t *testing.T) {
	data := export(post("1", "First", "<p>One.</p>") + post("2", "Second", "<p>Two.</p>"))
	cut := data[:strings.Index(data, "<wp:post_id>2")]
	c, err := read(t, []byte(cut))
	if err == nil || !strings.Contains(err.Error(), "cut short") || !strings.Contains(err.Error(), `inside item 2, after item 1 (post 1 "First")`) {
		t.Errorf("error %v, want it to say the export is cut short after the first item", err)
	}
	if len(c.items) != 1 || c.items[0].Title != "First" {
		t.Errorf("items before the cut: %+v", c.items)
	}
}

// An export whose document type declares entities is refused before any
// item: an XML bomb would expand them a billion times.
func TestXMLBombRefused(t *testing.T) {
	bomb := `<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<rss version="2.0" xmlns:wp="https://wordpress.org/export/1.2/"><channel><title>&c;</title>` + post("1", "x", "&c;") + `</channel></rss>`
	c, err := read(t, []byte(bomb))
	if err == nil || !strings.Contains(err.Error(), "declares entities") || len(c.items) != 0 {
		t.Errorf("error %v, %d items; want the export refused before any item", err, len(c.items))
	}
}

// An export from an old Latin-1 database that says it is UTF-8 is read
// with its accented letters, and the bytes are reported.
func TestLatin1ExportWithWrongDeclaration(t *testing.T) {
	data := []byte(export(post("1", "Caf\xe9 on the quay", "<p>Cr\xe8me br\xfbl\xe9e.</p>")))
	c, err := read(t, data)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.items) != 1 || c.items[0].Title != "Café on the quay" || !strings.Contains(c.items[0].Content, "Crème brûlée") {
		t.Errorf("items %+v", c.items)
	}
	if !strings.Contains(strings.Join(c.problems, "\n"), "4 bytes were not UTF-8") {
		t.Errorf("problems %q, want the 4 bytes reported", c.problems)
	}
	// Control characters pasted into a post (XML forbids them) are read
	// as spaces.
	c, err = read(t, []byte(export(post("2", "Tabs\x0band\x08bells", "<p>Text\x07.</p>"))))
	if err != nil || len(c.items) != 1 || c.items[0].Title != "Tabs and bells" || !strings.Contains(strings.Join(c.problems, "\n"), "3 control characters") {
		t.Errorf("control characters: %v, %+v, %q", err, c.items, c.problems)
	}
	// Declared as ISO-8859-1, the same bytes are read by their declaration.
	declared := bytes.Replace(data, []byte(`encoding="UTF-8"`), []byte(`encoding="ISO-8859-1"`), 1)
	if c, err := read(t, declared); err != nil || len(c.items) != 1 || c.items[0].Title != "Café on the quay" || len(c.problems) != 0 {
		t.Errorf("declared Latin-1: %v, %+v, %q", err, c.items, c.problems)
	}
}

func TestGzippedExportAndLongPost(t *testing.T) {
	long := strings.Repeat("<p>"+strings.Repeat("word ", 200)+"</p>\n", 30000) // about 30 MB
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write([]byte(export(post("1", "Long read", long))))
	zw.Close()
	if ok, _ := Detect(gz.Bytes()[:512]); !ok {
		t.Error("Detect does not see a gzipped export")
	}
	c, err := read(t, gz.Bytes())
	if err != nil || len(c.items) != 1 || len(c.items[0].Content) != len(long) {
		t.Fatalf("gzipped export of a %d-byte post: %v, %d items", len(long), err, len(c.items))
	}
}

func TestDetect(t *testing.T) {
	for _, test := range []struct {
		head, looksLike string
		ok              bool
	}{
		{export(""), "a WordPress export", true},
		{strings.Replace(export(""), "https://wordpress.org/export/1.2/", "http://wordpress.org/export/1.0/", 1), "a WordPress export", true},
		{`<?xml version="1.0"?><rss version="2.0"><channel><title>News</title></channel></rss>`, "XML but not a WordPress export (an RSS feed?)", false},
		{`<feed xmlns="http://www.w3.org/2005/Atom"></feed>`, "XML but not a WordPress export (an Atom feed?)", false},
		{`<?xml version="1.0"?><!-- a comment --><urlset></urlset>`, "XML but not a WordPress export (its root element is <urlset>)", false},
		{`{"db": []}`, "not XML", false},
	} {
		ok, looks := Detect([]byte(test.head))
		if ok != test.ok || looks != test.looksLike {
			t.Errorf("Detect(%.60q) = %v, %q; want %v, %q", test.head, ok, looks, test.ok, test.looksLike)
		}
	}
	if _, err := read(t, []byte(`<?xml version="1.0"?><feed></feed>`)); err == nil || !strings.Contains(err.Error(), "not a WordPress export") {
		t.Errorf("Read of an Atom feed: %v", err)
	}
}

// WordPress's own Theme Unit Test export, beside the checkout: the counts
// of the file (found with grep and an XML parser).
func TestThemeUnitTestExport(t *testing.T) {
	path := filepath.Join("..", "..", "..", "..", "shared", "fixtures", "wordpress", "themeunittestdata.wordpress.xml")
	data, err := os.ReadFile(path)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("shared fixture: %v", err)
		}
		t.Skipf("shared fixture: %v", err)
	}
	var posts, pages, comments, replies, future, drafts, sticky, attachments, categories, tags int
	err = Read(context.Background(), bytes.NewReader(data), site.Visitor{
		Term: func(tm site.Term) error {
			if tm.Kind == site.Category {
				categories++
			} else {
				tags++
			}
			return nil
		},
		Attachment: func(site.Attachment) error { attachments++; return nil },
		Item: func(it site.Item) error {
			if it.Kind == site.Page {
				pages++
			} else {
				posts++
			}
			switch it.Status {
			case site.Future:
				future++
			case site.Draft:
				drafts++
			}
			if it.Sticky {
				sticky++
			}
			for _, c := range it.Comments {
				comments++
				if c.ParentID != "" {
					replies++
				}
			}
			return nil
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := fmt.Sprint(posts, pages, attachments, categories, tags, comments, replies, future, drafts, sticky)
	if want := fmt.Sprint(58, 21, 37, 68, 110, 29, 10, 1, 1, 1); got != want {
		t.Errorf("posts pages attachments categories tags comments replies future drafts sticky = %s, want %s", got, want)
	}
}

// BenchmarkRead reads a generated export of posts of about 1,000 words.
func BenchmarkRead(b *testing.B) {
	var items strings.Builder
	body := strings.Repeat("<p>"+strings.Repeat("harbour ferry council ", 33)+"</p>\n", 10)
	const n = 1000
	for i := range n {
		items.WriteString(post(fmt.Sprint(i+1), fmt.Sprintf("Story %d", i), body))
	}
	data := []byte(export(items.String()))
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for range b.N {
		count := 0
		if err := Read(context.Background(), bytes.NewReader(data), site.Visitor{Item: func(site.Item) error { count++; return nil }}); err != nil || count != n {
			b.Fatal(err, count)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "posts/s")
}
