// Package exporter writes a whole Dateline site out, so that leaving is as
// easy as arriving: as a WordPress export (WXR 1.2, see WXR) that
// WordPress's importer and Dateline's own read, or as Dateline's
// documented JSON dump (see JSON and docs/export-json.md).
//
// Both stream: articles are read from the store one at a time
// (store.EachArticle) and written as they come, so an archive of any size
// costs what its largest article costs. What is held for the whole run is
// small and bounded by the site's shape rather than its text: every
// article's ID and the IDs it gets in the export, the tags, sections,
// authors and redirects.
package exporter

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/datelinehq/dateline/internal/article"
	"github.com/datelinehq/dateline/internal/media"
	"github.com/datelinehq/dateline/internal/render"
	"github.com/datelinehq/dateline/internal/store"
	"github.com/datelinehq/dateline/internal/urls"
)

// Options configure an export.
type Options struct {
	// BaseURL is the site's public address, such as
	// https://news.example.org: links, guids and image addresses in the
	// export are absolute on it. Required (Dateline keeps the address in
	// its configuration, DATELINE_BASE_URL, not in the site settings).
	BaseURL string
	// Title, Description and Language stand in for the site settings'
	// fields an administrator left empty, as the server's configuration
	// does.
	Title, Description, Language string
	// Now is the clock: the time the export says it was made, and what
	// tells a scheduled article from a published one. Required.
	Now func() time.Time
	// Renderer renders article bodies to HTML for WXR; nil uses
	// render.New().
	Renderer *render.Renderer
	// Progress, when set, is called after each article with the number
	// written and the total.
	Progress func(done, total int)
}

// Summary counts what an export wrote.
type Summary struct {
	Articles  int // stories
	Pages     int
	Comments  int
	Media     int // library items (WXR: those with a file to fetch)
	Authors   int
	Sections  int
	Tags      int
	Redirects int
}

// check validates the options and returns the base URL without its final
// slash.
func (o *Options) check() (string, error) {
	if o.Now == nil {
		return "", errors.New("export: no clock (Options.Now is nil)")
	}
	base := strings.TrimSuffix(strings.TrimSpace(o.BaseURL), "/")
	u, err := url.Parse(base)
	if base == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("export: the site's address %q is not an address such as https://news.example.org", o.BaseURL)
	}
	if o.Renderer == nil {
		o.Renderer = render.New()
	}
	return base, nil
}

// pageSize is how many articles or media items the index reads at a time.
const pageSize = 500

// index is what the export knows of the whole site before it streams the
// articles: the IDs each article gets in a WXR file, the tags (the store
// lists tags only with their articles) and the count for progress.
type index struct {
	wpID  map[int64]int64 // article ID → its post ID on WordPress
	wpMax int64           // the highest of them
	// mediaBase is added to a library item's ID for its attachment's post
	// ID, above every article's.
	mediaBase int64
	tags      []article.Tag // by slug
	total     int
	pinned    map[int64]bool
	// slugs are the articles' current slugs: an old slug that is another
	// article's now is not one WordPress should redirect.
	slugs map[string]bool
}

// wxrSource matches the source of an article imported from a WordPress
// export: "wxr:" + the old site's address + "#" + its post ID.
var wxrSource = regexp.MustCompile(`^wxr:.*#([1-9][0-9]{0,17})$`)

// buildIndex reads every article, without bodies, a page at a time.
//
// An article imported from WordPress keeps its post ID there, so that its
// old /?p=ID address still leads to it after the export is imported
// again; the others are numbered above the highest such ID, each by its
// own Dateline ID, so that exporting the same site twice numbers it the
// same way.
func buildIndex(ctx context.Context, s store.Store) (*index, error) {
	ix := &index{wpID: map[int64]int64{}, pinned: map[int64]bool{}, slugs: map[string]bool{}}
	tags := map[string]article.Tag{}
	taken := map[int64]bool{}
	var maxID int64
	for offset := 0; ; offset += pageSize {
		as, err := s.Articles(ctx, store.ArticleQuery{Limit: pageSize, Offset: offset})
		if err != nil {
			return nil, err
		}
		for _, a := range as {
			ix.total++
			ix.slugs[a.Slug] = true
			maxID = max(maxID, a.ID)
			for _, t := range a.Tags {
				if _, ok := tags[t.Slug]; !ok {
					tags[t.Slug] = t
				}
			}
			if m := wxrSource.FindStringSubmatch(a.Source); m != nil {
				id, _ := strconv.ParseInt(m[1], 10, 64)
				// Two WordPress sites imported into one may share IDs:
				// the first keeps it.
				if !taken[id] {
					taken[id] = true
					ix.wpID[a.ID] = id
					ix.wpMax = max(ix.wpMax, id)
				}
			}
		}
		if len(as) < pageSize {
			break
		}
	}
	// Articles created meanwhile still get an ID above maxWP; the margin
	// keeps attachments clear of them.
	const margin = 1 << 20
	ix.mediaBase = ix.wpMax + maxID + margin
	ix.tags = make([]article.Tag, 0, len(tags))
	for _, t := range tags {
		ix.tags = append(ix.tags, t)
	}
	slices.SortFunc(ix.tags, func(a, b article.Tag) int { return strings.Compare(a.Slug, b.Slug) })
	pins, err := s.Pins(ctx)
	if err != nil {
		return nil, err
	}
	for _, id := range pins {
		ix.pinned[id] = true
	}
	return ix, nil
}

// postID is an article's post ID in a WXR file.
func (ix *index) postID(a *article.Article) int64 {
	if id, ok := ix.wpID[a.ID]; ok {
		return id
	}
	return ix.wpMax + a.ID
}

// mediaURL is the public address of a library item's largest file in the
// original's format (every program can show it), or "" for an item whose
// files are not made yet.
func mediaURL(base string, it *media.Item) string {
	var best *media.Variant
	for i := range it.Variants {
		v := &it.Variants[i]
		switch {
		case best == nil,
			best.Format == media.WebP && v.Format != media.WebP,
			(v.Format == media.WebP) == (best.Format == media.WebP) && v.Width > best.Width:
			best = v
		}
	}
	if best == nil || it.State != media.Ready {
		return ""
	}
	return base + urls.Media(it.Hash, best.File())
}

// oldAddresses are the redirects to each article's address, by that
// address: what readers and search engines knew it by before.
func oldAddresses(rs []store.Redirect) map[string][]string {
	old := map[string][]string{}
	for _, r := range rs {
		if !store.IsExternalRedirect(r.To) {
			old[r.To] = append(old[r.To], r.From)
		}
	}
	return old
}

// xmlText drops what XML 1.0 cannot hold: control characters other than
// tab, newline and carriage return, the surrogates and U+FFFE/U+FFFF, and
// bytes that are not UTF-8.
func xmlText(s string) string {
	ok := func(r rune) bool {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return true
		case r < 0x20, r == utf8.RuneError, r >= 0xD800 && r <= 0xDFFF, r == 0xFFFE, r == 0xFFFF:
			return false
		}
		return true
	}
	clean := true
	for _, r := range s {
		if !ok(r) {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if ok(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
