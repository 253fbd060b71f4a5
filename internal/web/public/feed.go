package public

import (
	"net/http"
	"time"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/newsroom"
	"github.com/datelinehq/dateline/internal/purge"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/seo"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
	"github.com/datelinehq/dateline/internal/web"
)

// FeedSize is how many of the latest articles a feed carries.
const FeedSize = 20

// feedFormats are the formats every feed comes in, with the MIME type
// each is served as.
var feedFormats = []struct{ name, contentType string }{
	{urls.RSS, seo.RSSType},
	{urls.Atom, seo.AtomType},
	{urls.JSONFeed, seo.JSONType},
}

// feedReuse is how long a feed's articles, read for one of its formats,
// serve the others: they are asked for together (a static export, a
// cache in front after a purge), and a scheduled article's time comes
// with no purge.
const feedReuse = 10 * time.Second

// feedKey is a feed as built for a site address.
type feedKey struct{ kind, slug, base string }

// builtFeed is a feed with its cache tags.
type builtFeed struct {
	feed *seo.Feed
	keys []string
}

// feed serves one kind of feed in one format.
func (h *Handlers) feed(kind, format, contentType string) web.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		slug := r.PathValue("slug")
		if kind != seo.SiteFeed && article.ValidateSlug(slug) != nil {
			return web.ErrNotFound
		}
		return h.pages.serve(typedWriter{w, contentType}, r, func() (*cachedPage, error) {
			built, err := h.feeds.get(feedKey{kind, slug, h.site.BaseURL(r)}, func() (builtFeed, error) {
				f, keys, err := h.buildFeed(r, kind, slug)
				return builtFeed{f, keys}, err
			})
			if err != nil {
				return nil, err
			}
			f, keys := built.feed, built.keys
			self := h.site.AbsURL(r, urls.Feed(urls.Listing(kind, slug), format))
			var body []byte
			switch format {
			case urls.Atom:
				body, err = f.Atom(self)
			case urls.JSONFeed:
				body, err = f.JSON(self)
			default:
				body, err = f.RSS(self)
			}
			if err != nil {
				return nil, err
			}
			page := newCachedPage(body, f.Updated)
			page.show(keys...)
			return page, nil
		}, nil, nil)
	}
}

// buildFeed gathers the latest public articles of a feed, with the feed's
// cache tags. An unknown tag or author, or one without public articles,
// is not found; so is an entity without a topic page.
func (h *Handlers) buildFeed(r *http.Request, kind, slug string) (_ *seo.Feed, keys []string, err error) {
	ctx := r.Context()
	now := h.now()
	info := h.site.Current()
	f := &seo.Feed{
		Title:       info.Title,
		Description: info.Description,
		Language:    info.Language,
		Link:        h.site.AbsURL(r, urls.Home),
		Author:      info.Title,
	}
	// Whole: items carry the body, or a summary of it.
	q := store.ArticleQuery{PublicAt: now, Kind: article.Story, Limit: FeedSize, Whole: true}
	keys = []string{purge.Feed}
	switch kind {
	case seo.SectionFeed:
		se, err := h.store.Section(ctx, slug)
		if err != nil {
			return nil, nil, err
		}
		q.SectionSlug = slug
		keys = append(keys, purge.Section(se.ID))
		f.Title = se.Name + " – " + info.Title
		f.Description = se.Description
		if f.Description == "" {
			f.Description = h.site.Locale().Text("section_description", "Name", se.Name)
		}
		f.Link = h.site.AbsURL(r, urls.Section(slug))
	case seo.TagFeed:
		tag, err := h.store.Tag(ctx, slug)
		if err != nil {
			return nil, nil, err
		}
		q.TagSlug = slug
		keys = append(keys, purge.Tag(tag.ID))
		f.Title = tag.Name + " – " + info.Title
		f.Description = h.site.Locale().Text("tag_description", "Name", tag.Name)
		f.Link = h.site.AbsURL(r, urls.Tag(slug))
	case seo.AuthorFeed:
		au, err := h.store.Author(ctx, slug)
		if err != nil {
			return nil, nil, err
		}
		q.AuthorSlug = slug
		keys = append(keys, purge.Author(au.ID))
		f.Title = au.Name + " – " + info.Title
		f.Description = h.site.Locale().Text("author_description", "Name", au.Name)
		f.Link = h.site.AbsURL(r, urls.Author(slug))
	case urls.TopicListing:
		e, err := h.topicEntity(ctx, slug, now)
		if err != nil {
			return nil, nil, err
		}
		q.EntityID = e.ID
		keys = append(keys, purge.Topic(e.ID), purge.Entity(e.ID))
		f.Title = e.Name + " – " + info.Title
		f.Description = e.Description
		if f.Description == "" {
			f.Description = h.site.Locale().Text("topic_description", "Name", e.Name)
		}
		f.Link = h.site.AbsURL(r, urls.Topic(slug))
	}
	as, err := h.store.Articles(ctx, q)
	if err == nil && kind == seo.SiteFeed {
		keys = append(keys, purge.Home)
	}
	if err != nil {
		return nil, nil, err
	}
	if len(as) == 0 && kind != seo.SiteFeed && kind != seo.SectionFeed {
		// As the archive page: a tag of drafts alone is not shown.
		return nil, nil, web.ErrNotFound
	}
	f.Updated = lastUpdate(as)
	if f.Updated.IsZero() {
		f.Updated = now
	}
	base := h.site.BaseURL(r)
	images, err := newsroom.Images(ctx, h.store, as...)
	if err != nil {
		return nil, nil, err
	}
	for _, a := range as {
		item, err := h.feedItem(r, a, base, images.Of(a))
		if err != nil {
			return nil, nil, err
		}
		f.Items = append(f.Items, item)
		keys = append(keys, purge.Article(a.ID))
	}
	return f, keys, nil
}

// feedItem describes an article, listed whole, for a feed: with its
// rendered body when the feeds carry full content, and with a summary of
// the body when it has no description.
func (h *Handlers) feedItem(r *http.Request, a *article.Article, base string, images render.Images) (seo.FeedItem, error) {
	item := seo.FeedItem{
		Title:     a.Title,
		Link:      h.site.AbsURL(r, urls.Article(a.Slug)),
		Published: a.PublishedAt,
		Updated:   a.UpdatedAt,
		Summary:   a.Description,
	}
	if a.Author != nil {
		item.Author = a.Author.Name
		item.AuthorURL = h.site.AbsURL(r, urls.Author(a.Author.Slug))
	}
	for _, t := range a.Tags {
		item.Categories = append(item.Categories, t.Name)
	}
	featured := images[a.FeaturedMediaID]
	if featured != nil {
		item.Image = h.feedImage(r, featured)
	}
	if !h.feedFull && a.Description != "" {
		return item, nil
	}
	body, err := h.bodies.get(a, h.renderer, images, featured == nil)
	if err != nil {
		return item, err
	}
	if item.Summary == "" {
		item.Summary = body.summary
	}
	if h.feedFull {
		item.Content = body.feedContent(base)
	}
	return item, nil
}

// typedWriter gives a response from the page cache, which serves HTML, its
// own content type: web.ServeBytes sets the header just before it writes
// the status.
type typedWriter struct {
	http.ResponseWriter
	contentType string
}

func (w typedWriter) WriteHeader(status int) {
	w.Header().Set("Content-Type", w.contentType)
	w.ResponseWriter.WriteHeader(status)
}

func (w typedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// feedImage is a featured image for a feed item: its share crop in the
// original's format, which every feed reader can show.
func (h *Handlers) feedImage(r *http.Request, it *media.Item) *seo.FeedImage {
	for _, v := range it.Variants {
		if v.Name == "share" && v.Format != media.WebP {
			caption := it.Caption
			if caption == "" {
				caption = it.Alt
			}
			return &seo.FeedImage{URL: h.site.AbsURL(r, urls.Media(it.Hash, v.File())), Type: v.Format.MIME(),
				Size: v.Size, Width: v.Width, Height: v.Height, Caption: caption}
		}
	}
	return nil
}
