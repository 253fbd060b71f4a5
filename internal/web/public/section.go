package public

import (
	"context"
	"net/http"
	"sync"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/purge"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/web"
)

// sectionRoutes are the addresses under a section's front page: its
// numbered pages and its feeds. A section's front page has an article's
// form of address (/{slug}/, served by the article route, which asks
// whether the slug is a section's); the addresses under it would clash
// with the tag and author routes in one mux (/tag/feed/ would match
// both /{slug}/feed/ and /tag/{slug}/), so the reader mux sends what no
// route of its own matches to a mux of these.
var sectionRoutes = func() []route {
	front := urls.Section(slugWildcard)
	rs := []route{
		{get(urls.PagePattern(front)), "a section front", true, method((*Handlers).section)},
		{get(urls.FirstPage(front)), "", false, always(toFirstPage)},
	}
	for _, f := range feedFormats {
		rs = append(rs, route{get(urls.Feed(front, f.name)), "a feed", false,
			func(h *Handlers) web.HandlerFunc { return h.feed(urls.SectionListing, f.name, f.contentType) }})
	}
	return append(rs, route{"GET /", "", false, always(func(http.ResponseWriter, *http.Request) error { return web.ErrNotFound })})
}()

// sectionMux serves sectionRoutes, each handler wrapped as the reader
// routes are.
func (h *Handlers) sectionMux() *http.ServeMux {
	mux := http.NewServeMux()
	for _, rt := range sectionRoutes {
		mux.Handle(rt.pattern, h.site.Handle(h.redirecting(rt.handler(h))))
	}
	return mux
}

// section serves a section's front page: its latest public articles, a
// page at a time. A section without public articles yet has a front page
// that says so.
func (h *Handlers) section(w http.ResponseWriter, r *http.Request) error {
	page, err := pageNumber(r)
	if err != nil {
		return err
	}
	slug := r.PathValue("slug")
	return h.pages.serve(w, r, func() (*cachedPage, error) {
		se, err := h.store.Section(r.Context(), slug)
		if err != nil {
			return nil, err
		}
		as, total, err := h.list(r.Context(), store.ArticleQuery{PublicAt: h.now(), Kind: article.Story, SectionSlug: slug}, page)
		if err != nil {
			return nil, err
		}
		cards, err := listCards(r.Context(), h, h.tpl.list, as)
		if err != nil {
			return nil, err
		}
		description := se.Description
		if description == "" {
			description = h.site.Locale().Text("section_description", "Name", se.Name)
		}
		intro := se.Description
		if total == 0 {
			intro = h.site.Locale().Text("section_empty", "Name", se.Name)
		}
		p := ListPage{
			Base:       h.site.Base(r, h.pageTitle(se.Name, page), description),
			Heading:    se.Name,
			Intro:      intro,
			Articles:   cards,
			Pagination: paginate(urls.Section(slug), page, total),
		}
		h.describeList(r, &p.Base, urls.SectionListing, slug, se.Name, page)
		return listingPage(h.tpl.list, p, as, purge.Section(se.ID))
	}, nil, nil)
}

// sectionsCache keeps the site's sections for a while, so that the
// article route knows at once whether a slug is a section's.
type sectionsCache struct {
	store   store.SectionStore
	ttl     time.Duration
	now     func() time.Time
	mu      sync.Mutex
	slugs   map[string]bool
	expires time.Time
}

// has reports whether a section has the slug.
func (c *sectionsCache) has(ctx context.Context, slug string) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.slugs == nil || !c.now().Before(c.expires) {
		ss, err := c.store.Sections(ctx)
		if err != nil {
			return false, err
		}
		c.slugs = make(map[string]bool, len(ss))
		for _, se := range ss {
			c.slugs[se.Slug] = true
		}
		c.expires = c.now().Add(c.ttl)
	}
	return c.slugs[slug], nil
}

func (c *sectionsCache) clear() {
	c.mu.Lock()
	c.slugs = nil
	c.mu.Unlock()
}
