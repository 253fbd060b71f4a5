package public

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/entity"
	"github.com/datelinehq/dateline/internal/purge"
	"github.com/datelinehq/dateline/internal/seo"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/web"
)

// sitemapLimit is the most addresses one sitemap lists; past it,
// /sitemap.xml becomes an index of /sitemap-1.xml, /sitemap-2.xml...
// Tests lower it.
var sitemapLimit = seo.MaxSitemapURLs

// sitemapReuse is how long the addresses read for one sitemap serve the
// others: past sitemapLimit, the index and the numbered sitemaps are
// asked for together (a static export, a search engine), and each read
// every article (12 s of CPU for the four of 100,000 articles). A
// scheduled article's time comes with no purge, as for feeds.
const sitemapReuse = 10 * time.Second

// maxSitemapFiles is how many numbered sitemaps are routed: at the
// protocol's limit, room for ten million addresses, far past any
// newsroom's archive. The index lists no more.
const maxSitemapFiles = 200

// Content types of the sitemaps and robots.txt.
const (
	xmlType  = "application/xml; charset=utf-8"
	textType = "text/plain; charset=utf-8"
)

// sitemap serves /sitemap.xml (n = 0), a sitemap of every address when
// they are few enough and else the index of the numbered sitemaps, or
// the numbered sitemap n.
func (h *Handlers) sitemap(n int) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		return h.pages.serve(typedWriter{w, xmlType}, r, func() (*cachedPage, error) {
			addrs, err := h.sitemaps.get(h.site.BaseURL(r), func() ([]seo.SitemapURL, error) { return h.sitemapURLs(r) })
			if err != nil {
				return nil, err
			}
			limit := max(sitemapLimit, 1)
			if len(addrs) <= limit {
				if n > 0 {
					return nil, web.ErrNotFound
				}
				body, err := seo.Sitemap(addrs)
				return xmlPage(body, latest(addrs), err)
			}
			var files []seo.SitemapURL
			for i := 0; i < len(addrs) && len(files) < maxSitemapFiles; i += limit {
				chunk := addrs[i:min(i+limit, len(addrs))]
				files = append(files, seo.SitemapURL{
					Loc:     h.site.AbsURL(r, urls.NumberedSitemap(len(files)+1)),
					LastMod: latest(chunk),
				})
				if len(files) == n {
					body, err := seo.Sitemap(chunk)
					return xmlPage(body, latest(chunk), err)
				}
			}
			if n > 0 {
				return nil, web.ErrNotFound
			}
			body, err := seo.SitemapIndex(files)
			return xmlPage(body, latest(addrs), err)
		}, nil, nil)
	}
}

// sitemapURLs lists the addresses search engines should know: the home
// page, every public article, the pages of the sections, tags and
// authors that have public articles, and the topic pages.
func (h *Handlers) sitemapURLs(r *http.Request) ([]seo.SitemapURL, error) {
	// Listed without their bodies: cheap for every article.
	as, err := h.store.Articles(r.Context(), store.ArticleQuery{PublicAt: h.now()})
	if err != nil {
		return nil, err
	}
	addrs := make([]seo.SitemapURL, 0, len(as)+1)
	addrs = append(addrs, seo.SitemapURL{Loc: h.site.AbsURL(r, urls.Home), LastMod: lastUpdate(as)})
	// A tag's or an author's page changes with its latest article.
	sections, tags, authors := map[string]time.Time{}, map[string]time.Time{}, map[string]time.Time{}
	note := func(pages map[string]time.Time, slug string, t time.Time) {
		if last, ok := pages[slug]; !ok || t.After(last) {
			pages[slug] = t
		}
	}
	for _, a := range as {
		addrs = append(addrs, seo.SitemapURL{Loc: h.site.AbsURL(r, urls.Article(a.Slug)), LastMod: a.UpdatedAt})
		if a.Section != nil {
			note(sections, a.Section.Slug, a.UpdatedAt)
		}
		for _, t := range a.Tags {
			note(tags, t.Slug, a.UpdatedAt)
		}
		if a.Author != nil {
			note(authors, a.Author.Slug, a.UpdatedAt)
		}
	}
	for _, group := range []struct {
		address func(slug string) string
		pages   map[string]time.Time
	}{{urls.Section, sections}, {urls.Tag, tags}, {urls.Author, authors}} {
		slugs := make([]string, 0, len(group.pages))
		for slug := range group.pages {
			slugs = append(slugs, slug)
		}
		slices.Sort(slugs)
		for _, slug := range slugs {
			addrs = append(addrs, seo.SitemapURL{Loc: h.site.AbsURL(r, group.address(slug)), LastMod: group.pages[slug]})
		}
	}
	// The topic pages, without a date: which articles name each entity
	// would take a query of its own.
	topics, err := h.store.Entities(r.Context(), store.EntityQuery{PublicAt: h.now(), MinArticles: h.topicMin(), Uncounted: true})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(topics, func(a, b entity.Entity) int { return strings.Compare(a.Slug, b.Slug) })
	for _, e := range topics {
		addrs = append(addrs, seo.SitemapURL{Loc: h.site.AbsURL(r, urls.Topic(e.Slug))})
	}
	return addrs, nil
}

func latest(addrs []seo.SitemapURL) time.Time {
	var t time.Time
	for _, u := range addrs {
		if u.LastMod.After(t) {
			t = u.LastMod
		}
	}
	return t
}

// xmlPage makes a page for the cache from a sitemap last modified at
// modified (zero when unknown), or passes on the error that writing it
// gave.
func xmlPage(body []byte, modified time.Time, err error) (*cachedPage, error) {
	if err != nil {
		return nil, err
	}
	p := newCachedPage(body, modified)
	p.show(purge.Sitemap)
	return p, nil
}

// newsSitemap serves the Google News sitemap: the articles published in
// the last two days.
func (h *Handlers) newsSitemap(w http.ResponseWriter, r *http.Request) error {
	return h.pages.serve(typedWriter{w, xmlType}, r, func() (*cachedPage, error) {
		now := h.now()
		as, err := h.store.Articles(r.Context(), store.ArticleQuery{PublicAt: now, Kind: article.Story, Limit: seo.MaxNewsURLs})
		if err != nil {
			return nil, err
		}
		var news []seo.NewsArticle
		for _, a := range as {
			if now.Sub(a.PublishedAt) > seo.NewsWindow {
				break // newest first: the rest are older still
			}
			news = append(news, seo.NewsArticle{Loc: h.site.AbsURL(r, urls.Article(a.Slug)), Title: a.Title, Published: a.PublishedAt})
		}
		pub := seo.NewsPublication{Name: h.site.Current().Title, Language: h.site.Current().Language}
		body, err := seo.NewsSitemap(pub, news)
		return xmlPage(body, time.Time{}, err)
	}, nil, nil)
}

// robots serves robots.txt.
func (h *Handlers) robots(w http.ResponseWriter, r *http.Request) error {
	return h.pages.serve(typedWriter{w, textType}, r, func() (*cachedPage, error) {
		return newCachedPage(seo.Robots(h.site.BaseURL(r), urls.Sitemap, urls.NewsSitemap), time.Time{}), nil
	}, nil, nil)
}
