// Package public serves what readers see: the home page, article pages,
// tag and author archives. Pages are rendered from the store and kept for a
// few seconds in a page cache, so that a popular article costs one render
// however many readers arrive; the view counter counts every page view in
// memory and adds the counts to the store in batches.
package public

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/comment"
	"github.com/datelinehq/dateline/internal/entity"
	"github.com/datelinehq/dateline/internal/linking"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/purge"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/seo"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/web"
)

// PerPage is how many articles a home, tag or author page lists.
const PerPage = 10

// listedMax bounds the articles kept for listings (Handlers.listed):
// about a kilobyte each, and a static export reads each a dozen times.
const listedMax = 50_000

// Handlers serve the reader pages.
type Handlers struct {
	site     *web.Site
	tpl      templates
	store    store.Store
	renderer *render.Renderer
	signer   *comment.Signer
	settings *settingsCache
	sections *sectionsCache
	listings *ttlCache[listingKey, []int64]        // the articles of each listing, in order (see list)
	latest   *ttlCache[string, []*article.Article] // by section (see moreInSection)
	// listed are the public articles as listings show them, by ID: an
	// article is on a dozen listing pages (its section's, its tags', its
	// topics') and is read once for all, until the next change (Purge).
	listed *ttlCache[int64, *article.Article]
	// kept is the list of every public article a static export gave
	// (KeepListed), which the listings are made from; nil for none.
	kept atomic.Pointer[keptList]
	// coNamed are the entities named most often beside each topic's
	// entity, read once for every page of its timeline (relatedTopics).
	coNamed *ttlCache[int64, []entity.Entity]
	// hasTopicPage says, by entity ID, whether the entity has a topic
	// page (see withTopicPages).
	hasTopicPage *ttlCache[int64, bool]
	// topics are the entities with a topic page, by slug (nil for none),
	// read once for every page of a timeline (topicEntity).
	topics *ttlCache[string, *entity.Entity]
	// feeds are the feeds built for one format, for the others (see
	// feedReuse).
	feeds *ttlCache[feedKey, builtFeed]
	// sitemaps are the addresses of the sitemaps, by site address, read
	// for one sitemap for the others (see sitemapReuse).
	sitemaps *ttlCache[string, []seo.SitemapURL]
	limits   *rateLimiter
	pages    *pageCache
	bodies   *bodyCache
	views    *ViewCounter
	now      func() time.Time
	feedFull bool
	linker   Linker
	floor    float64
	news     *newsroom.Service
	// Where the comment form posts (see Options.CommentsAt), and whether
	// there is one.
	commentsAt    string
	noCommentForm bool
	// sharedCache: a CDN serves the pages to many readers (see
	// Options.SharedCacheFor).
	sharedCache bool
	// The photo library's files, when the site has a media storage.
	mediaItems *ttlCache[string, *media.Item]
	mediaFiles *mediaFileCache
}

// Linker is what the article page needs of the linking engine.
type Linker interface {
	Related(id int64, n int, floor float64) []linking.Match
	ResolveTitle(title string) (linking.Match, bool)
}

// RelatedCount is how many related articles the engine adds to a page.
const RelatedCount = 5

// Options tune the reader pages.
type Options struct {
	// CacheFor is how long a rendered page is served before it is built
	// again: the longest a change (or a scheduled article's arrival) waits
	// before readers see it. Zero disables the page cache.
	CacheFor time.Duration
	// NoPageCache renders every page afresh, while the settings,
	// sections and listings are still kept CacheFor: a static export
	// renders each page once (and calls Refresh between runs).
	NoPageCache bool
	// Now is the clock. Required.
	Now func() time.Time
	// Secret signs comment form tokens and commenters' cookies; every
	// node of a site must share it (store.SettingsStore.Secret).
	Secret []byte
	// Linker ranks related articles and resolves requested links by title
	// similarity; without one, only requested links that name an article
	// exactly are shown.
	Linker Linker
	// RelatedFloor is the TF-IDF cosine an article needs with another to
	// be shown as related to it (see linking.DefaultRelatedFloor).
	RelatedFloor float64
	// FeedFullContent puts each article's whole body in the feeds; they
	// carry summaries without it. Sites have it on by default, so the
	// command line sets it unless told otherwise.
	FeedFullContent bool
	// Media is where the photo library's files are kept; without it no
	// image is served.
	Media media.Storage
	// MediaCacheBytes bounds the library files kept in memory to serve
	// (default 64 MiB).
	MediaCacheBytes int
	// Newsroom runs the reader's searches; without one, a service over
	// the store is made.
	Newsroom *newsroom.Service
	// CommentsAt, when set, is the address of the Dateline node that
	// takes the comments (https://comments.example.org), for pages served
	// from elsewhere (a static export): the form posts there, without a
	// token, and the node asks the reader to confirm with one of its own.
	CommentsAt string
	// NoCommentForm leaves the form out: comments are closed to readers.
	NoCommentForm bool
	// OnPageCache, when set, is told of each reader page served: from
	// the page cache (hit) or built for the request.
	OnPageCache func(hit bool)
	// SharedCacheFor, when set, declares a CDN or Varnish in front of
	// the nodes, which purges its pages on a change (package purge): the
	// pages tell it to keep them that long (s-maxage), and the comment
	// form, shared by every reader the cache serves, carries no token
	// (a form token is good for one comment): the node asks a reader
	// posting without one to confirm, with a token of its own.
	SharedCacheFor time.Duration
}

// New returns the reader handlers. Views are counted by views. It
// declares the reader pages on the site's templates: an error names the
// template (a theme's, perhaps) that does not parse or execute.
func New(site *web.Site, s store.Store, r *render.Renderer, views *ViewCounter, opts Options) (*Handlers, error) {
	if opts.Now == nil {
		panic("public.New: Options.Now is nil; pass the server's clock")
	}
	tpl, err := declareTemplates(site.Templates)
	if err != nil {
		return nil, err
	}
	pageCacheFor := opts.CacheFor
	if opts.NoPageCache {
		pageCacheFor = 0
	}
	// Pages speak the configured language from the first request, before
	// any settings are read.
	site.ApplySettings()
	h := &Handlers{
		site: site, tpl: tpl, store: s, renderer: r, views: views, now: opts.Now, signer: comment.NewSigner(opts.Secret),
		settings:     &settingsCache{store: s, ttl: opts.CacheFor, now: opts.Now},
		sections:     &sectionsCache{store: s, ttl: opts.CacheFor, now: opts.Now},
		listings:     newTTLCache[listingKey, []int64](opts.CacheFor, opts.Now),
		latest:       newTTLCache[string, []*article.Article](opts.CacheFor, opts.Now),
		listed:       newTTLCache[int64, *article.Article](opts.CacheFor, opts.Now).bounded(listedMax),
		coNamed:      newTTLCache[int64, []entity.Entity](opts.CacheFor, opts.Now),
		hasTopicPage: newTTLCache[int64, bool](opts.CacheFor, opts.Now),
		topics:       newTTLCache[string, *entity.Entity](opts.CacheFor, opts.Now),
		feeds:        newTTLCache[feedKey, builtFeed](min(opts.CacheFor, feedReuse), opts.Now),
		sitemaps:     newTTLCache[string, []seo.SitemapURL](min(opts.CacheFor, sitemapReuse), opts.Now),
		limits:       newRateLimiter(opts.Now),
		pages:        newPageCache(site, pageCacheFor, opts.SharedCacheFor, opts.Now, opts.OnPageCache),
		bodies:       newBodyCache(),
		feedFull:     opts.FeedFullContent,
		linker:       opts.Linker,
		floor:        opts.RelatedFloor,
		news:         opts.Newsroom,

		commentsAt:    strings.TrimSuffix(opts.CommentsAt, "/"),
		noCommentForm: opts.NoCommentForm,
		sharedCache:   opts.SharedCacheFor > 0,
	}
	if h.news == nil {
		h.news = newsroom.New(s, r, opts.Now, site.Logger)
	}
	if opts.Media != nil {
		if opts.MediaCacheBytes <= 0 {
			opts.MediaCacheBytes = 64 << 20
		}
		h.mediaItems = newTTLCache[string, *media.Item](opts.CacheFor, opts.Now)
		h.mediaFiles = newMediaFileCache(opts.Media, opts.MediaCacheBytes)
	}
	return h, nil
}

// templates are the reader pages, each rendering its own type.
type templates struct {
	home    *web.Page[HomePage]
	list    *web.Page[ListPage]
	topic   *web.Page[TopicPage]
	article *web.Page[ArticlePage]
	page    *web.Page[ArticlePage] // a page of the site: About, Contact...
	search  *web.Page[SearchPage]
}

// declareTemplates declares the reader pages on t, which has the error
// page already, and checks that t has no page file besides.
func declareTemplates(t *web.Templates) (templates, error) {
	var tpl templates
	var err error
	if tpl.home, err = web.Declare[HomePage](t.Set, "home"); err != nil {
		return tpl, err
	}
	if tpl.list, err = web.Declare[ListPage](t.Set, "list"); err != nil {
		return tpl, err
	}
	if tpl.topic, err = web.Declare[TopicPage](t.Set, "topic"); err != nil {
		return tpl, err
	}
	if tpl.article, err = web.Declare[ArticlePage](t.Set, "article"); err != nil {
		return tpl, err
	}
	if tpl.page, err = web.Declare[ArticlePage](t.Set, "page"); err != nil {
		return tpl, err
	}
	if tpl.search, err = web.Declare[SearchPage](t.Set, "search"); err != nil {
		return tpl, err
	}
	if files, err := t.Undeclared(); err != nil || len(files) > 0 {
		return tpl, fmt.Errorf("templates without a page: %v %v", files, err)
	}
	return tpl, nil
}

// route is one line of the reader route table.
type route struct {
	pattern string // for http.ServeMux: "GET /tag/{slug}/{$}"
	// serves says what a reader gets there, for PageAt: "an article",
	// "a feed"...; empty for a route that answers with no page of its own.
	serves string
	// page marks an HTML page: its address without the final slash is
	// sent there (CanonicalSlash).
	page    bool
	handler func(*Handlers) web.HandlerFunc
}

// Wildcards of the route patterns.
const (
	slugWildcard = "{slug}"
	fileWildcard = "{file}"
)

// routes is the reader route table, the only one: Register adds it to a
// mux, CanonicalSlash asks it which addresses are pages, and PageAt what
// each serves. Its addresses come from package urls.
var routes = func() []route {
	home, tag, author, topic := urls.Home, urls.Tag(slugWildcard), urls.Author(slugWildcard), urls.Topic(slugWildcard)
	rs := []route{
		{get(home), "the home page", false, method((*Handlers).home)},
		{get(urls.PagePattern(home)), "the home page", true, method((*Handlers).home)},
		{get(tag), "a tag archive", true, method((*Handlers).tag)},
		{get(urls.PagePattern(tag)), "a tag archive", true, method((*Handlers).tag)},
		{get(author), "an author archive", true, method((*Handlers).author)},
		{get(urls.PagePattern(author)), "an author archive", true, method((*Handlers).author)},
		{get(topic), "a topic page", true, method((*Handlers).topic)},
		{get(urls.PagePattern(topic)), "a topic page", true, method((*Handlers).topic)},
		// A listing's first page has one address, which links and sitemaps
		// name; its /page/1/ (written by hand, or by other software) goes there.
		{get(urls.FirstPage(home)), "", false, always(toFirstPage)},
		{get(urls.FirstPage(tag)), "", false, always(toFirstPage)},
		{get(urls.FirstPage(author)), "", false, always(toFirstPage)},
		{get(urls.FirstPage(topic)), "", false, always(toFirstPage)},
		{get(urls.Static + fileWildcard), "a static file", false, func(h *Handlers) web.HandlerFunc { return h.site.Assets.ServeHTTP }},
		{get(urls.Media("{hash}", fileWildcard)), "a photo", false, method((*Handlers).mediaFile)},
		// A section's front page has the form of an article's address.
		{get(urls.Article(slugWildcard)), "an article", true, method((*Handlers).article)},
		{"POST " + urls.PostComment(slugWildcard), "", false, method((*Handlers).postComment)},
	}
	for _, kind := range []string{urls.HomeListing, urls.TagListing, urls.AuthorListing, urls.TopicListing} {
		for _, f := range feedFormats {
			rs = append(rs, route{get(urls.Feed(urls.Listing(kind, slugWildcard), f.name)), "a feed", false,
				func(h *Handlers) web.HandlerFunc { return h.feed(kind, f.name, f.contentType) }})
		}
	}
	rs = append(rs, route{get(urls.Sitemap), "a sitemap", false, func(h *Handlers) web.HandlerFunc { return h.sitemap(0) }})
	// The mux takes no wildcard inside a segment, so each numbered
	// sitemap has its own route.
	for n := 1; n <= maxSitemapFiles; n++ {
		rs = append(rs, route{get(urls.NumberedSitemap(n)), "a sitemap", false, func(h *Handlers) web.HandlerFunc { return h.sitemap(n) }})
	}
	return append(rs,
		route{get(urls.NewsSitemap), "a sitemap", false, method((*Handlers).newsSitemap)},
		route{get(urls.Robots), "robots.txt", false, method((*Handlers).robots)},
		route{get(urls.Search), "search", true, method((*Handlers).searchPage)},
		route{get(urls.OpenSearch), "the OpenSearch description", false, method((*Handlers).openSearch)},
		// Every other address is a section's page or feed (sectionRoutes),
		// or not found (or redirected, see redirecting).
		route{catchAll, "", false, nil},
	)
}()

// catchAll is the pattern of what no other route matches.
const catchAll = "GET /"

// get returns the pattern of a GET (and HEAD) of an address: one ending
// in a slash matches only itself, not what lies under it.
func get(path string) string {
	if strings.HasSuffix(path, "/") {
		path += "{$}"
	}
	return "GET " + path
}

// method makes a route's handler of a method of Handlers.
func method(m func(*Handlers, http.ResponseWriter, *http.Request) error) func(*Handlers) web.HandlerFunc {
	return func(h *Handlers) web.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) error { return m(h, w, r) }
	}
}

// always makes a route's handler of a function that needs no Handlers.
func always(fn web.HandlerFunc) func(*Handlers) web.HandlerFunc {
	return func(*Handlers) web.HandlerFunc { return fn }
}

// Register adds the reader routes to mux.
func (h *Handlers) Register(mux *http.ServeMux) {
	for _, rt := range routes {
		if rt.pattern == catchAll {
			mux.Handle(rt.pattern, h.sectionMux())
			continue
		}
		// An address no handler finds answers with its redirect, if it has one.
		mux.Handle(rt.pattern, h.site.Handle(h.redirecting(rt.handler(h))))
	}
}

// CanonicalSlash answers an address without its trailing slash with a
// permanent redirect to the canonical one, when that names a page and the
// address itself does not (as /feed.json does), before mux sees it. (The
// mux's own redirect would be temporary.)
func CanonicalSlash(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if (r.Method == http.MethodGet || r.Method == http.MethodHead) && !strings.HasSuffix(p, "/") && !strings.HasPrefix(p, urls.Static) && !strings.HasPrefix(p, urls.MediaRoot) {
			// The mux names a pattern ending in a slash for an address it
			// would redirect itself, or for the catch-all.
			if _, own := mux.Handler(r); strings.HasSuffix(own, "/") || strings.HasSuffix(own, "{$}") {
				target := &http.Request{Method: http.MethodGet, Host: r.Host, URL: &url.URL{Path: p + "/"}}
				if _, pattern := pageRoutes.Handler(target); pattern != "" {
					u := *r.URL
					u.Path, u.RawPath = p+"/", ""
					http.Redirect(w, r, u.String(), http.StatusMovedPermanently)
					return
				}
			}
		}
		mux.ServeHTTP(w, r)
	})
}

// pageRoutes has the routes of the HTML pages, to ask whether an address
// with a slash added names one.
var pageRoutes = func() *http.ServeMux {
	m := http.NewServeMux()
	for _, rt := range append(routes[:len(routes):len(routes)], sectionRoutes...) {
		if rt.page {
			m.Handle(rt.pattern, http.NotFoundHandler())
		}
	}
	return m
}()

// toFirstPage answers a listing's .../page/1/ with a permanent redirect to
// the listing, keeping the query string.
func toFirstPage(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Cache-Control", redirectMaxAge)
	to := strings.TrimSuffix(r.URL.EscapedPath(), urls.FirstPage(""))
	http.Redirect(w, r, withQuery(to, r.URL.RawQuery), http.StatusMovedPermanently)
	return nil
}

// pageNumber reads the {n} of a paginated address: absent is page 1, and
// anything that is not a page number from 2 up (such as "01") is not
// found. ("/page/1/" has its own route, toFirstPage.)
func pageNumber(r *http.Request) (int, error) {
	s := r.PathValue("n")
	if s == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 2 || n > 100000 || strconv.Itoa(n) != s {
		return 0, web.ErrNotFound
	}
	return n, nil
}

// Pagination links a list page to its neighbours.
type Pagination struct {
	Prev, Next string
}

// paginate links page of a listing (the address urls.Home, urls.Tag,
// urls.Author or urls.Topic gives) of total articles to its neighbours.
func paginate(listing string, page, total int) Pagination {
	var p Pagination
	if page > 1 {
		p.Prev = urls.Page(listing, page-1)
	}
	if page*PerPage < total {
		p.Next = urls.Page(listing, page+1)
	}
	return p
}

// HomePage is the front page (Front, on its first page) and the list of
// the latest articles, a page at a time.
type HomePage struct {
	web.Base
	Front      *FrontPage // nil past the first page
	Articles   []Card     // past the first page
	Pagination Pagination
}

// Card is an article in a listing, with its thumbnail: its featured
// image, small ("" for none).
type Card struct {
	*article.Article
	Thumb template.HTML
	// HTML is the card as its template renders it, when the handlers
	// have it ready (see renderParts); empty otherwise, for the page to
	// render it.
	HTML template.HTML
}

// renderParts fills in the HTML of each card with the page's template
// partial, once for each article, while a static export keeps the
// articles it lists (KeepListed): an article is on a dozen listing pages,
// and its card was most of rendering each. What a card shows of an
// article does not change while the list is kept (a purge forgets it).
// A page whose files do not define partial (a theme's) renders its cards
// itself.
func renderParts[T any](h *Handlers, page *web.Page[T], partial string, cards []Card) error {
	kept := h.kept.Load()
	if kept == nil || !page.Defines(partial) {
		return nil
	}
	var buf bytes.Buffer
	for i := range cards {
		c := &cards[i]
		k := partKey{partial, c.ID, c.Thumb}
		var ok bool
		if c.HTML, ok = kept.part(k); ok {
			continue
		}
		buf.Reset()
		if err := page.Partial(&buf, partial, *c); err != nil {
			return err
		}
		c.HTML = template.HTML(buf.String())
		kept.keepPart(k, c.HTML)
	}
	return nil
}

// partKey is a card rendered once for an export: the partial, the
// article and its thumbnail (the first card's loads at once, the others
// lazily).
type partKey struct {
	partial string
	article int64
	thumb   template.HTML
}

// partsMax bounds the cards an export keeps rendered: a card and a
// timeline entry for each article kept for listings. A card is about
// 0.6 KB, 1.8 KB with a photo's sizes, an entry 0.4 KB: some 130 MB at
// most.
const partsMax = 2 * listedMax

func (l *keptList) part(k partKey) (template.HTML, bool) {
	l.partsMu.RLock()
	defer l.partsMu.RUnlock()
	html, ok := l.parts[k]
	return html, ok
}

func (l *keptList) keepPart(k partKey, html template.HTML) {
	l.partsMu.Lock()
	defer l.partsMu.Unlock()
	if len(l.parts) < partsMax {
		l.parts[k] = html
	}
}

// cards makes the cards of a listing, reading the featured images of its
// articles with one query. The first card's thumbnail may be the page's
// largest paint, so it loads at once; the others lazily.
func (h *Handlers) cards(ctx context.Context, as []*article.Article) ([]Card, error) {
	images, err := newsroom.Images(ctx, h.store, as...)
	if err != nil {
		return nil, err
	}
	cards := make([]Card, len(as))
	for i, a := range as {
		cards[i].Article = a
		if it := images[a.FeaturedMediaID]; it != nil {
			// render.Thumbnail escapes the item's text.
			cards[i].Thumb = template.HTML(render.Thumbnail(it, i == 0))
		}
	}
	return cards, nil
}

// listCards makes the cards of a listing shown by page (see cards), each
// ready rendered while an export keeps the articles (see renderParts).
func listCards[T any](ctx context.Context, h *Handlers, page *web.Page[T], as []*article.Article) ([]Card, error) {
	cards, err := h.cards(ctx, as)
	if err != nil {
		return nil, err
	}
	return cards, renderParts(h, page, "card", cards)
}

// ListPage is a section's front page, or a tag's or an author's
// archive.
type ListPage struct {
	web.Base
	Heading    string
	Intro      string
	Articles   []Card
	Pagination Pagination
	// Profile is the author's, on an author's archive; nil elsewhere.
	Profile *AuthorProfile
}

// AuthorProfile is an author's profile as their page and the box under
// their articles show it.
type AuthorProfile struct {
	Slug      string
	Name      string
	Bio       string
	RoleTitle string
	Photo     template.HTML // "" for none
	Links     []article.Link
}

func (h *Handlers) home(w http.ResponseWriter, r *http.Request) error {
	if r.URL.Path == urls.Home && r.URL.RawQuery != "" {
		if done, err := h.wordPressAddress(w, r); done || err != nil {
			return err
		}
	}
	page, err := pageNumber(r)
	if err != nil {
		return err
	}
	return h.pages.serve(w, r, func() (*cachedPage, error) {
		now := h.now()
		if page == 1 {
			front, modified, err := h.frontPage(r.Context(), now)
			if err != nil {
				return nil, err
			}
			total, err := h.store.CountArticles(r.Context(), store.ArticleQuery{PublicAt: now, Kind: article.Story})
			if err != nil {
				return nil, err
			}
			p := HomePage{Base: h.site.Base(r, "", ""), Front: front, Pagination: paginate(urls.Home, 1, total)}
			p.Wide = true
			h.describeList(r, &p.Base, urls.HomeListing, "", "", page)
			built, err := renderPage(h.tpl.home, p, modified)
			if err == nil {
				built.show(purge.Home)
				built.showArticles(front.articles())
			}
			return built, err
		}
		as, total, err := h.list(r.Context(), store.ArticleQuery{PublicAt: now, Kind: article.Story}, page)
		if err != nil {
			return nil, err
		}
		cards, err := listCards(r.Context(), h, h.tpl.home, as)
		if err != nil {
			return nil, err
		}
		p := HomePage{Base: h.site.Base(r, h.site.Locale().Text("page_n", "Page", page), ""), Articles: cards, Pagination: paginate(urls.Home, page, total)}
		h.describeList(r, &p.Base, urls.HomeListing, "", "", page)
		return listingPage(h.tpl.home, p, as, purge.Home)
	}, nil, nil)
}

func (h *Handlers) tag(w http.ResponseWriter, r *http.Request) error {
	page, err := pageNumber(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	return h.pages.serve(w, r, func() (*cachedPage, error) {
		tag, err := h.store.Tag(r.Context(), slug)
		if err != nil {
			return nil, err
		}
		as, total, err := h.list(r.Context(), store.ArticleQuery{PublicAt: h.now(), Kind: article.Story, TagSlug: slug}, page)
		if err != nil {
			return nil, err
		}
		cards, err := listCards(r.Context(), h, h.tpl.list, as)
		if err != nil {
			return nil, err
		}
		p := ListPage{
			Base:       h.site.Base(r, h.pageTitle(tag.Name, page), h.site.Locale().Text("tag_description", "Name", tag.Name)),
			Heading:    tag.Name,
			Intro:      h.site.Locale().Plural("tag_intro", int64(total), "Name", tag.Name),
			Articles:   cards,
			Pagination: paginate(urls.Tag(slug), page, total),
		}
		h.describeList(r, &p.Base, urls.TagListing, slug, tag.Name, page)
		return listingPage(h.tpl.list, p, as, purge.Tag(tag.ID))
	}, nil, nil)
}

func (h *Handlers) author(w http.ResponseWriter, r *http.Request) error {
	page, err := pageNumber(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	return h.pages.serve(w, r, func() (*cachedPage, error) {
		au, err := h.store.Author(r.Context(), slug)
		if err != nil {
			return nil, err
		}
		as, total, err := h.list(r.Context(), store.ArticleQuery{PublicAt: h.now(), Kind: article.Story, AuthorSlug: slug}, page)
		if err != nil {
			return nil, err
		}
		cards, err := listCards(r.Context(), h, h.tpl.list, as)
		if err != nil {
			return nil, err
		}
		profile, photo, err := h.profile(r.Context(), au)
		if err != nil {
			return nil, err
		}
		description := au.Bio
		if description == "" {
			description = h.site.Locale().Text("author_description", "Name", au.Name)
		}
		p := ListPage{
			Base:       h.site.Base(r, h.pageTitle(au.Name, page), description),
			Heading:    au.Name,
			Intro:      h.site.Locale().Plural("author_intro", int64(total), "Name", au.Name),
			Articles:   cards,
			Pagination: paginate(urls.Author(slug), page, total),
			Profile:    profile,
		}
		h.describeList(r, &p.Base, urls.AuthorListing, slug, au.Name, page)
		p.StructuredData = append(p.StructuredData, h.profilePage(r, au, photo))
		return listingPage(h.tpl.list, p, as, purge.Author(au.ID))
	}, nil, nil)
}

// list loads one page of a listing and the total it pages through. A page
// past the end is not found; an empty first page is fine for the home
// page but not for a tag, author or topic without public articles.
//
// The listing's articles, in order, are read once for CacheFor like the
// pages, and each page reads its own by ID: counting a listing and
// skipping to a page's offset read the whole listing for every page, which
// made a static export's tag pages a third of its time.
func (h *Handlers) list(ctx context.Context, q store.ArticleQuery, page int) ([]*article.Article, int, error) {
	var ids []int64
	var total int
	var err error
	if h.listings.ttl > 0 {
		key := listingKey{q.Kind, q.SectionSlug, q.TagSlug, q.AuthorSlug, q.EntityID}
		ids, err = h.listings.get(key, func() ([]int64, error) {
			if kept := h.kept.Load(); kept != nil {
				if ids, ok := kept.listing(key); ok {
					return ids, nil
				}
			}
			vs, err := h.store.ArticleVersions(ctx, q)
			ids := make([]int64, len(vs))
			for i, v := range vs {
				ids[i] = v.ID
			}
			return ids, err
		})
		total = len(ids)
	} else {
		total, err = h.store.CountArticles(ctx, q)
	}
	if err != nil {
		return nil, 0, err
	}
	// A section's front page is there before its first article.
	if (page-1)*PerPage >= total && (page > 1 || q.TagSlug != "" || q.AuthorSlug != "" || q.EntityID != 0) {
		return nil, 0, web.ErrNotFound
	}
	if ids == nil {
		q.Limit, q.Offset = PerPage, (page-1)*PerPage
		as, err := h.store.Articles(ctx, q)
		return as, total, err
	}
	// The listing's own filter chose the IDs; whether each article is
	// still public is asked again of those not kept (a change of one
	// forgets it: see Purge).
	ids = ids[min((page-1)*PerPage, total):min(page*PerPage, total)]
	byID, err := h.listed.getMany(ids, func(missing []int64) (map[int64]*article.Article, error) {
		as, err := h.store.Articles(ctx, store.ArticleQuery{PublicAt: q.PublicAt, Kind: q.Kind, IDs: missing})
		byID := make(map[int64]*article.Article, len(as))
		for _, a := range as {
			byID[a.ID] = a
		}
		return byID, err
	})
	if err != nil {
		return nil, 0, err
	}
	as := make([]*article.Article, 0, len(ids))
	for _, id := range ids {
		if a := byID[id]; a != nil {
			as = append(as, a)
		}
	}
	return as, total, nil
}

// listingKey is a listing: the listings' queries differ only in these
// (the time a page is asked for is left out, as the page cache leaves it).
type listingKey struct {
	kind                 article.Kind
	section, tag, author string
	entity               int64 // a topic page's
}

// Purge forgets the pages that carry any of keys (package purge), after
// a change of what they show. A change of what listings hold (listing)
// forgets the listings too, and with a change of an entity's or topic's
// (purge.OfEntity) which entities have topic pages; one shown
// everywhere (all) forgets everything, as Refresh does.
func (h *Handlers) Purge(keys []string, listing, all bool) {
	if all || slices.Contains(keys, purge.Site) {
		h.Refresh()
		return
	}
	h.pages.purge(keys)
	if listing {
		h.listings.clear()
		h.latest.clear()
	}
	// Any change may be of what a card or a feed shows: an article's
	// fields, its tags', author's or section's names.
	h.listed.clear()
	h.kept.Store(nil)
	h.feeds.clear()
	h.sitemaps.clear()
	if listing || slices.ContainsFunc(keys, purge.OfEntity) {
		h.coNamed.clear()
		h.hasTopicPage.clear()
		h.topics.clear()
	}
}

// KeepListed keeps as for the listing pages that show them: the public
// articles as the listing of every one reads them (store.ArticleQuery
// with PublicAt the handlers' time and nothing else), newest first. A
// static export lists every article as it begins; its thousands of
// listing pages read them again otherwise, ten at a time. The newest
// listedMax are kept.
//
// The listings are made from them too, with topics, the articles naming
// each entity that has a topic page (by entity ID, in any order): each
// listing page an export renders asked the store for its listing's
// articles otherwise. A purge forgets them.
func (h *Handlers) KeepListed(as []*article.Article, topics map[int64][]int64) {
	h.kept.Store(&keptList{articles: as, topics: topics, parts: map[partKey]template.HTML{}})
	as = as[:min(len(as), listedMax)]
	byID := make(map[int64]*article.Article, len(as))
	for _, a := range as {
		byID[a.ID] = a
	}
	h.listed.keepAll(byID)
}

// keptList is what KeepListed keeps to make the listings from.
type keptList struct {
	articles []*article.Article
	topics   map[int64][]int64
	// parts are the cards rendered for the listing pages (renderParts).
	partsMu sync.RWMutex
	parts   map[partKey]template.HTML
}

// listing returns the articles of listing k, in order, as the store's
// listing query would: k's kind of the articles kept that are on it. ok
// is false for a topic the list has no articles of.
func (l *keptList) listing(k listingKey) (ids []int64, ok bool) {
	on := func(*article.Article) bool { return true }
	switch {
	case k.entity != 0:
		naming, found := l.topics[k.entity]
		if !found {
			return nil, false
		}
		named := make(map[int64]bool, len(naming))
		for _, id := range naming {
			named[id] = true
		}
		on = func(a *article.Article) bool { return named[a.ID] }
	case k.section != "":
		on = func(a *article.Article) bool { return a.Section != nil && a.Section.Slug == k.section }
	case k.tag != "":
		on = func(a *article.Article) bool {
			return slices.ContainsFunc(a.Tags, func(t article.Tag) bool { return t.Slug == k.tag })
		}
	case k.author != "":
		on = func(a *article.Article) bool { return a.Author != nil && a.Author.Slug == k.author }
	}
	for _, a := range l.articles {
		if (k.kind == "" || a.Kind == k.kind) && on(a) {
			ids = append(ids, a.ID)
		}
	}
	return ids, true
}

// Refresh forgets what the handlers keep of the store (pages, settings,
// sections, listings, photo records), so that the next request reads
// it afresh: after a change the caller knows of.
func (h *Handlers) Refresh() {
	h.pages.clear()
	h.listings.clear()
	h.latest.clear()
	h.listed.clear()
	h.kept.Store(nil)
	h.feeds.clear()
	h.sitemaps.clear()
	h.coNamed.clear()
	h.hasTopicPage.clear()
	h.topics.clear()
	h.settings.clear()
	h.sections.clear()
	if h.mediaItems != nil {
		h.mediaItems.clear()
	}
}

// pageTitle is the title of page of the archive name: "Politics – page
// 2" past the first.
func (h *Handlers) pageTitle(name string, page int) string {
	if page > 1 {
		return h.site.Locale().Text("archive_page", "Name", name, "Page", page)
	}
	return name
}

func lastUpdate(as []*article.Article) time.Time {
	var t time.Time
	for _, a := range as {
		if a.UpdatedAt.After(t) {
			t = a.UpdatedAt
		}
	}
	return t
}

// listingPage builds a page listing as, with its listing's key.
func listingPage[T any](page *web.Page[T], data T, as []*article.Article, key string) (*cachedPage, error) {
	p, err := renderPage(page, data, lastUpdate(as))
	if err != nil {
		return nil, err
	}
	p.show(key)
	p.showArticles(as)
	return p, nil
}

// renderPage builds a page for the cache.
func renderPage[T any](page *web.Page[T], data T, modified time.Time) (*cachedPage, error) {
	body, err := page.Bytes(data)
	if err != nil {
		return nil, err
	}
	return newCachedPage(body, modified), nil
}
