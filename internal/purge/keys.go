// Package purge names what a page shows, as cache tags a CDN or Varnish
// keeps with it (Surrogate-Key, Cache-Tag), works out which tags a change
// in the store touches, and purges them at the caches in front of the
// nodes.
package purge

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/store"
)

// Keys every page of a kind carries. Every response carries Site, so
// that a change shown everywhere (the settings, the menus, a section's
// name) purges it all.
const (
	Site    = "site"
	Home    = "home"    // the front page and the latest-articles pages
	Feed    = "feed"    // every feed
	Sitemap = "sitemap" // the sitemaps and the news sitemap
)

// Article is the key of an article's page and of every page that lists
// or links it: a change of the article purges them all.
func Article(id int64) string { return "article-" + strconv.FormatInt(id, 10) }

// Section is the key of a section's front page and feed, and of its
// articles' pages (which list its newest stories).
func Section(id int64) string { return "section-" + strconv.FormatInt(id, 10) }

// Tag is the key of a tag's archive and feed, and of the pages of the
// articles that carry it.
func Tag(id int64) string { return "tag-" + strconv.FormatInt(id, 10) }

// Author is the key of an author's archive, feed and profile, and of
// their articles' pages (which show their profile).
func Author(id int64) string { return "author-" + strconv.FormatInt(id, 10) }

// Topic is the key of an entity's topic page and feed: a change of the
// articles that name it purges them.
func Topic(id int64) string { return "topic-" + strconv.FormatInt(id, 10) }

// Entity is the key of every page that shows an entity's name or link
// (its topic page, the articles that name it): a rename or a ban purges
// them.
func Entity(id int64) string { return "entity-" + strconv.FormatInt(id, 10) }

// OfEntity reports whether key is a topic's or an entity's: the change
// behind it may give an entity a topic page or take it away.
func OfEntity(key string) bool {
	return strings.HasPrefix(key, "topic-") || strings.HasPrefix(key, "entity-")
}

// Story is the key of the pages of a story's articles, which list the
// story so far.
func Story(id int64) string { return "story-" + strconv.FormatInt(id, 10) }

// usersKeys adds to set the keys of the pages that show a photo, from
// store.MediaStore.MediaUsers: articles by slug, authors as
// "author/{slug}".
func usersKeys(ctx context.Context, s store.Store, users []string, set map[string]bool) error {
	var slugs []string
	for _, u := range users {
		if slug, ok := strings.CutPrefix(u, "author/"); ok {
			au, err := s.Author(ctx, slug)
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return err
			}
			set[Author(au.ID)] = true
			continue
		}
		slugs = append(slugs, u)
	}
	if len(slugs) == 0 {
		return nil
	}
	as, err := s.Articles(ctx, store.ArticleQuery{Slugs: slugs})
	if err != nil {
		return err
	}
	for _, a := range as {
		set[Article(a.ID)] = true
	}
	return nil
}

// Listings are the keys of the listings an article is on (besides the
// home page and the feeds): its section's, its tags' and its author's.
func Listings(a *article.Article) []string {
	var keys []string
	if a.Section != nil {
		keys = append(keys, Section(a.Section.ID))
	}
	for _, t := range a.Tags {
		keys = append(keys, Tag(t.ID))
	}
	if a.Author != nil {
		keys = append(keys, Author(a.Author.ID))
	}
	return keys
}

// Header values of a page's keys: Surrogate-Key (Fastly, Varnish) takes
// them separated by spaces, Cache-Tag (Cloudflare) by commas.
func SurrogateKey(keys []string) string { return strings.Join(keys, " ") }
func CacheTag(keys []string) string     { return strings.Join(keys, ",") }

// Valid reports whether key is one of the keys this package makes (or
// one of their form): lower-case letters, digits and hyphens. The
// purgers send nothing else.
func Valid(key string) bool {
	if key == "" || len(key) > 64 {
		return false
	}
	for _, c := range key {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '-' {
			return false
		}
	}
	return true
}

// Affected works out the keys the journal's changes touch: an article's
// own key for an edit or a comment, and for a change of what lists it
// (published, unpublished, moved, retagged) the listings it is on now as
// well (those it left carry its key); a photo's change, the articles and
// authors that show it. all is true when a change shows on every page
// (settings, sections, redirects, or a table this version does not know):
// the caller purges Site.
func Affected(ctx context.Context, s store.Store, changes []store.Change) (keys []string, all bool, err error) {
	set := map[string]bool{}
	photos := map[int64]bool{} // looked up already
	var listed []int64
	for _, c := range changes {
		switch c.Table {
		case "articles", "article_tags", "article_media", "comments":
			set[Article(c.Row)] = true
			if c.Table == "articles" {
				set[Sitemap] = true // its last modification
			}
			if c.Listing && !slices.Contains(listed, c.Row) {
				listed = append(listed, c.Row)
			}
		case "authors":
			set[Author(c.Row)] = true
		case "tags":
			set[Tag(c.Row)] = true
		case "front_page_pins":
			set[Home] = true
		case "article_entities":
			set[Article(c.Row)] = true
		case "topics":
			set[Topic(c.Row)] = true
		case "entities":
			set[Entity(c.Row)] = true
			set[Topic(c.Row)] = true
		case "article_stories":
			set[Story(c.Row)] = true
		case "media":
			if c.Row == 0 {
				return []string{Site}, true, nil // a journal entry of before photos were named
			}
			if photos[c.Row] {
				continue
			}
			photos[c.Row] = true
			users, err := s.MediaUsers(ctx, c.Row)
			if err != nil {
				return nil, false, err
			}
			if err := usersKeys(ctx, s, users, set); err != nil {
				return nil, false, err
			}
		default:
			return []string{Site}, true, nil
		}
	}
	if len(listed) > 0 {
		set[Home], set[Feed], set[Sitemap] = true, true, true
		// Whatever the article's state: a draft's listings are those it
		// just left, which carry its key, or is about to join.
		as, err := s.Articles(ctx, store.ArticleQuery{IDs: listed})
		if err != nil {
			return nil, false, err
		}
		for _, a := range as {
			for _, k := range Listings(a) {
				set[k] = true
			}
		}
	}
	keys = make([]string, 0, len(set))
	for k := range set {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys, false, nil
}
