package seo

import (
	"encoding/xml"
	"strings"
	"time"
)

// Limits of the sitemap protocols.
const (
	// MaxSitemapURLs is the most addresses one sitemap may list; a site
	// with more gets a sitemap index.
	MaxSitemapURLs = 50000
	// MaxNewsURLs is the most articles a Google News sitemap may list.
	MaxNewsURLs = 1000
	// NewsWindow is how long after publication an article stays in the
	// news sitemap.
	NewsWindow = 48 * time.Hour
)

// Namespaces of the sitemaps.
const (
	sitemapNS = "http://www.sitemaps.org/schemas/sitemap/0.9"
	newsNS    = "http://www.google.com/schemas/sitemap-news/0.9"
)

// SitemapURL is one address in a sitemap or, in an index, one sitemap.
type SitemapURL struct {
	Loc     string // absolute
	LastMod time.Time
}

type urlset struct {
	XMLName xml.Name     `xml:"urlset"`
	NS      string       `xml:"xmlns,attr"`
	News    string       `xml:"xmlns:news,attr,omitempty"`
	URLs    []sitemapURL `xml:"url"`
}

type sitemapURL struct {
	Loc     string    `xml:"loc"`
	LastMod string    `xml:"lastmod,omitempty"`
	News    *newsNews `xml:"news:news,omitempty"`
}

type sitemapIndex struct {
	XMLName  xml.Name     `xml:"sitemapindex"`
	NS       string       `xml:"xmlns,attr"`
	Sitemaps []sitemapURL `xml:"sitemap"`
}

// Sitemap writes a sitemap (a urlset) listing urls; the caller keeps to
// MaxSitemapURLs.
func Sitemap(urls []SitemapURL) ([]byte, error) {
	doc := urlset{NS: sitemapNS}
	for _, u := range urls {
		doc.URLs = append(doc.URLs, sitemapURL{Loc: CleanText(u.Loc), LastMod: formatDate(u.LastMod, isoDate)})
	}
	return marshalXML(doc, sitemapSize(urls, len("<url><loc></loc><lastmod>2006-01-02T15:04:05Z</lastmod></url>")))
}

// SitemapIndex writes a sitemap index listing the sitemaps.
func SitemapIndex(sitemaps []SitemapURL) ([]byte, error) {
	doc := sitemapIndex{NS: sitemapNS}
	for _, u := range sitemaps {
		doc.Sitemaps = append(doc.Sitemaps, sitemapURL{Loc: CleanText(u.Loc), LastMod: formatDate(u.LastMod, isoDate)})
	}
	return marshalXML(doc, sitemapSize(sitemaps, len("<sitemap><loc></loc><lastmod>2006-01-02T15:04:05Z</lastmod></sitemap>")))
}

// sitemapSize is about the length of a sitemap of urls, each written in
// markup bytes around its address (and indented): growing its buffer
// from empty copied a sitemap of 30,000 addresses a dozen times.
func sitemapSize(urls []SitemapURL, markup int) int {
	n := 512
	for _, u := range urls {
		n += len(u.Loc) + markup + 16
	}
	return n + n/32
}

// NewsPublication names the publication in a news sitemap.
type NewsPublication struct {
	Name     string
	Language string // BCP 47; see NewsLanguage
}

// NewsArticle is an article in a news sitemap.
type NewsArticle struct {
	Loc       string // absolute
	Title     string
	Published time.Time
}

type newsNews struct {
	Publication newsPublication `xml:"news:publication"`
	Date        string          `xml:"news:publication_date"`
	Title       string          `xml:"news:title"`
}

type newsPublication struct {
	Name     string `xml:"news:name"`
	Language string `xml:"news:language"`
}

// NewsSitemap writes a Google News sitemap of articles (at most
// MaxNewsURLs of them are listed).
func NewsSitemap(pub NewsPublication, articles []NewsArticle) ([]byte, error) {
	doc := urlset{NS: sitemapNS, News: newsNS, URLs: []sitemapURL{}}
	p := newsPublication{Name: singleLine(pub.Name), Language: NewsLanguage(pub.Language)}
	size := 512
	for _, a := range articles[:min(len(articles), MaxNewsURLs)] {
		size += len(a.Loc) + 2*len(a.Title) + len(p.Name) + 360
		doc.URLs = append(doc.URLs, sitemapURL{
			Loc:  CleanText(a.Loc),
			News: &newsNews{Publication: p, Date: formatDate(a.Published, isoDate), Title: singleLine(a.Title)},
		})
	}
	return marshalXML(doc, size)
}

// NewsLanguage turns a BCP 47 language tag into the code Google News
// takes: the ISO 639 language alone ("en-GB" gives "en"), except for
// Chinese, which keeps its script ("zh-cn" or "zh-tw"). An empty or
// unusable tag gives "en".
func NewsLanguage(tag string) string {
	tag = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(tag), "_", "-"))
	lang, region, _ := strings.Cut(tag, "-")
	if lang == "zh" {
		switch region {
		case "tw", "hk", "mo", "hant":
			return "zh-tw"
		}
		return "zh-cn"
	}
	if len(lang) < 2 || len(lang) > 3 {
		return "en"
	}
	for _, r := range lang {
		if r < 'a' || r > 'z' {
			return "en"
		}
	}
	return lang
}

// Robots writes robots.txt for a site at base (its absolute address
// without a final slash): everything may be crawled but the admin, and
// the sitemaps, given as paths, are announced.
func Robots(base string, sitemaps ...string) []byte {
	var b strings.Builder
	b.WriteString("User-agent: *\nAllow: /\nDisallow: /admin/\n")
	if len(sitemaps) > 0 {
		b.WriteString("\n")
	}
	for _, s := range sitemaps {
		b.WriteString("Sitemap: " + singleLine(base+s) + "\n")
	}
	return []byte(b.String())
}
