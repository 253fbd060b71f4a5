package seo

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// xmllint validates file against the XSD in testdata. Without xmllint
// (Debian's libxml2-utils) the test is skipped, except in CI.
func xmllint(t *testing.T, xsd string, body []byte) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint is missing: install libxml2-utils")
		}
		t.Skip("xmllint is missing (apt-get install libxml2-utils): the sitemaps are not checked against their XSD")
	}
	file := filepath.Join(t.TempDir(), "sitemap.xml")
	if err := os.WriteFile(file, body, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--nonet", "--schema", filepath.Join("testdata", xsd), file).CombinedOutput()
	if err != nil {
		t.Errorf("xmllint --schema %s: %v\n%s\n%s", xsd, err, out, body)
	}
}

func TestSitemaps(t *testing.T) {
	t.Parallel()
	urls := []SitemapURL{
		{Loc: "https://news.example/", LastMod: edited},
		{Loc: "https://news.example/flood-barriers-hold/", LastMod: edited},
		{Loc: "https://news.example/a&b/?q=<1>", LastMod: published},
		{Loc: "https://news.example/tag/selvik/"},
	}
	sitemap, err := Sitemap(urls)
	if err != nil {
		t.Fatal(err)
	}
	index, err := SitemapIndex(urls[:2])
	if err != nil {
		t.Fatal(err)
	}
	news, err := NewsSitemap(NewsPublication{Name: "The Selvik \x01Courier & Co", Language: "en-GB"}, []NewsArticle{
		{Loc: "https://news.example/flood-barriers-hold/", Title: "Flood <Barriers> \"Hold\" 🌊\x0b", Published: published},
		{Loc: "https://news.example/night-trams/", Title: strings.Repeat("Long title ", 1000), Published: edited},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, test := range []struct {
		name, xsd string
		body      []byte
	}{
		{"sitemap.xml", "sitemap.xsd", sitemap},
		{"sitemap-index.xml", "siteindex.xsd", index},
		{"news-sitemap.xml", "news-sitemap.xsd", news},
	} {
		t.Run(test.name, func(t *testing.T) {
			wellFormed(t, test.body)
			xmllint(t, test.xsd, test.body)
			if test.name != "news-sitemap.xml" {
				golden(t, test.name, test.body)
			}
		})
	}
	if !strings.Contains(string(news), "<news:name>The Selvik Courier &amp; Co</news:name>") || !strings.Contains(string(news), "<news:language>en</news:language>") {
		t.Errorf("news sitemap publication:\n%s", news)
	}
}

func TestNewsSitemapLimit(t *testing.T) {
	t.Parallel()
	articles := make([]NewsArticle, MaxNewsURLs+5)
	for i := range articles {
		articles[i] = NewsArticle{Loc: "https://news.example/a/", Title: "A", Published: published}
	}
	body, err := NewsSitemap(NewsPublication{Name: "N", Language: "en"}, articles)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(body), "<url>"); n != MaxNewsURLs {
		t.Errorf("%d articles listed, want %d", n, MaxNewsURLs)
	}
}

func TestNewsLanguage(t *testing.T) {
	t.Parallel()
	for _, test := range []struct{ in, want string }{
		{"en", "en"},
		{"en-GB", "en"},
		{"nb_NO", "nb"},
		{"DE", "de"},
		{"fil", "fil"},
		{"zh-TW", "zh-tw"},
		{"zh-Hant", "zh-tw"},
		{"zh-CN", "zh-cn"},
		{"zh", "zh-cn"},
		{"", "en"},
		{"english", "en"},
		{"e1", "en"},
	} {
		if got := NewsLanguage(test.in); got != test.want {
			t.Errorf("NewsLanguage(%q) = %q, want %q", test.in, got, test.want)
		}
	}
}

func TestRobots(t *testing.T) {
	t.Parallel()
	got := string(Robots("https://news.example", "/sitemap.xml", "/news-sitemap.xml"))
	want := "User-agent: *\nAllow: /\nDisallow: /admin/\n\nSitemap: https://news.example/sitemap.xml\nSitemap: https://news.example/news-sitemap.xml\n"
	if got != want {
		t.Errorf("Robots = %q, want %q", got, want)
	}
}

func TestFormatDateKeepsTheInstant(t *testing.T) {
	t.Parallel()
	if got := formatDate(edited, isoDate); got != "2026-11-21T08:30:00Z" {
		t.Errorf("formatDate = %q", got)
	}
	if got := formatDate(time.Time{}, isoDate); got != "" {
		t.Errorf("zero date = %q, want none", got)
	}
}
